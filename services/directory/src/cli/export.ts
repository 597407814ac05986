import type { GraphqlClient } from './client.js';
import { formatCsv } from './csv.js';
import { type Connection, type ContactNode, contactConnection, remainingContacts } from './queries.js';
import { CONTACT_COLUMNS, ORGANIZATION_COLUMNS } from './rows.js';

export interface ExportResult {
  readonly csv: string;
  readonly organizations: number;
  readonly contacts: number;
}

interface OrganizationNode {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly code: string | null;
  readonly contacts: Connection<ContactNode>;
}

/*
 * Sized for the gateway's cost limit (see queries.ts): a page of organizations with the first few
 * contacts of each; an organization with more gets its own requests for the rest.
 */
const ORGANIZATIONS_PER_PAGE = 20;
const FIRST_CONTACTS = 6;

const NETWORK = `query ExportNetwork($after: String) {
  organizations(status: ACTIVE, first: ${ORGANIZATIONS_PER_PAGE}, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name kind code ${contactConnection(FIRST_CONTACTS, false)} } }
  }
}`;

/**
 * The network as it stands: every contact serving an ACTIVE organization, one row each, in the
 * import's columns (so the file can be imported again) followed by the organization's name, kind
 * and code for readers. Phones and e-mails are what the caller may see (Decree 09/2017).
 */
export async function exportNetwork(client: GraphqlClient): Promise<ExportResult> {
  const rows: string[][] = [[...CONTACT_COLUMNS, ...ORGANIZATION_COLUMNS]];
  let organizations = 0;
  for (let after: string | null = null; ; ) {
    const data: { organizations: Connection<OrganizationNode> } = await client.query(NETWORK, { after });
    for (const { node: organization } of data.organizations.edges) {
      organizations++;
      const contacts = await remainingContacts(client, organization.id, null, organization.contacts);
      for (const contact of contacts) {
        rows.push([
          organization.id,
          contact.fullName,
          contact.title ?? '',
          contact.roles.join(';'),
          contact.phone ?? '',
          contact.email ?? '',
          contact.appointedFrom,
          organization.name,
          organization.kind,
          organization.code ?? '',
        ]);
      }
    }
    if (!data.organizations.pageInfo.hasNextPage) break;
    after = data.organizations.pageInfo.endCursor;
  }
  return { csv: formatCsv(rows), organizations, contacts: rows.length - 1 };
}
