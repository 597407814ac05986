import type { GraphqlClient } from './client.js';
import type { OrganizationRef } from './rows.js';

/*
 * Page sizes. The gateway refuses operations whose estimated cost exceeds 20,000 (graphql-armor:
 * 1 per scalar, 2 per object, ×1.5 per level, a list's cost × its literal `first`), and allows a
 * field under at most 15 aliases. Each query below is sized to stay under both with room.
 */
/** Organizations per page: every organization fits in one or two (cost ≈ 46 each). */
const ORGANIZATION_PAGE = 250;
/** Contacts per page when one organization is asked (cost ≈ 56 each). */
export const CONTACT_PAGE = 300;
/** Organizations asked under aliases in one request, and each one's first page of contacts. */
const ORGANIZATIONS_PER_REQUEST = 10;
const FIRST_CONTACTS = 30;

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export interface Connection<T> {
  readonly pageInfo: PageInfo;
  readonly edges: readonly { readonly node: T }[];
}

const ORGANIZATIONS = `query ImportOrganizations($after: String) {
  organizations(first: ${ORGANIZATION_PAGE}, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name kind code status successor { id } parent { id } } }
  }
}`;

type OrganizationNode = Omit<OrganizationRef, 'successorId' | 'parentId'> & {
  readonly successor: { readonly id: string } | null;
  readonly parent: { readonly id: string } | null;
};

/** Every organization as it is today, whatever its status, a page at a time. */
export async function fetchOrganizations(client: GraphqlClient): Promise<OrganizationRef[]> {
  const found: OrganizationRef[] = [];
  for (let after: string | null = null; ; ) {
    const data: { organizations: Connection<OrganizationNode> } = await client.query(ORGANIZATIONS, { after });
    for (const { node } of data.organizations.edges) {
      const { successor, parent, ...organization } = node;
      found.push({ ...organization, successorId: successor?.id ?? null, parentId: parent?.id ?? null });
    }
    if (!data.organizations.pageInfo.hasNextPage) return found;
    after = data.organizations.pageInfo.endCursor;
  }
}

/** The fields of a contact that decide whether a row is already in the directory. */
export interface ContactNode {
  readonly id: string;
  readonly fullName: string;
  readonly title: string | null;
  readonly roles: readonly string[];
  readonly phone: string | null;
  readonly email: string | null;
  readonly appointedFrom: string;
}

const CONTACT_FIELDS = 'id fullName title roles phone email appointedFrom';
/** A page of contacts; `paged` continues after the query's `$after` cursor. */
export const contactConnection = (
  first: number,
  paged = true,
) => `contacts(first: ${first}${paged ? ', after: $after' : ''}) {
  pageInfo { hasNextPage endCursor }
  edges { node { ${CONTACT_FIELDS} } }
}`;

const MORE_CONTACTS = `query MoreContacts($id: ID!, $asOf: DateTime, $after: String) {
  organization(id: $id, asOf: $asOf) { ${contactConnection(CONTACT_PAGE)} }
}`;

/** The rest of an organization's contacts after a first page that said there were more. */
export async function remainingContacts(
  client: GraphqlClient,
  organizationId: string,
  asOf: string | null,
  first: Connection<ContactNode>,
): Promise<ContactNode[]> {
  const contacts = first.edges.map((edge) => edge.node);
  for (let page = first.pageInfo; page.hasNextPage; ) {
    const data: { organization: { contacts: Connection<ContactNode> } | null } = await client.query(MORE_CONTACTS, {
      id: organizationId,
      asOf,
      after: page.endCursor,
    });
    if (!data.organization) break;
    contacts.push(...data.organization.contacts.edges.map((edge) => edge.node));
    page = data.organization.contacts.pageInfo;
  }
  return contacts;
}

/** The contacts of the given organizations serving at `asOf`, by organization, a few organizations per request. */
export async function fetchContactsOf(
  client: GraphqlClient,
  organizationIds: readonly string[],
  asOf: string,
): Promise<Map<string, ContactNode[]>> {
  const byOrganization = new Map<string, ContactNode[]>();
  for (let start = 0; start < organizationIds.length; start += ORGANIZATIONS_PER_REQUEST) {
    const ids = organizationIds.slice(start, start + ORGANIZATIONS_PER_REQUEST);
    const query = `query ContactsOf($asOf: DateTime, ${ids.map((_, i) => `$id${i}: ID!`).join(', ')}) {
      ${ids.map((_, i) => `o${i}: organization(id: $id${i}, asOf: $asOf) { ${contactConnection(FIRST_CONTACTS, false)} }`).join('\n')}
    }`;
    const variables: Record<string, unknown> = { asOf };
    ids.forEach((id, i) => {
      variables[`id${i}`] = id;
    });
    const data: Record<string, { contacts: Connection<ContactNode> } | null> = await client.query(query, variables);
    for (const [i, id] of ids.entries()) {
      const organization = data[`o${i}`];
      byOrganization.set(id, organization ? await remainingContacts(client, id, asOf, organization.contacts) : []);
    }
  }
  return byOrganization;
}
