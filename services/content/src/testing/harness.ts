import { createVerifier, type Role, signDevToken } from '@hub/auth';
import { type RunningDirectory, startDirectory } from '@hub/directory';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
import type { ContentServiceOptions } from '../service.js';
import { type RunningContent, startContent } from '../wiring.js';

export const TEST_SECRET = 'content-test-secret';

export type GqlResult<T> = {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; retryAfterSeconds?: number } }[];
};

export interface ContentHarness {
  readonly content: RunningContent;
  readonly directory: RunningDirectory;
  readonly store: EventStore;
  readonly directoryStore: EventStore;
  /** POSTs a GraphQL request straight to the content subgraph. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<GqlResult<T>>;
  /** POSTs a GraphQL request to the directory subgraph (to name spokespersons). */
  directoryGql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResult<T>>;
  token(org: string, roles: Role[], sub?: string): Promise<string>;
  /** Appoints a spokesperson of `organizationId` through the directory; resolves to the contact id. */
  appointSpokesperson(organizationId: string, fullName: string): Promise<string>;
  /** Registers `count` press agencies in the directory (as its events), ids `<prefix>-<n>`. */
  registerPressAgencies(count: number, prefix?: string): Promise<string[]>;
  /** Every press agency registered through `registerPressAgencies`, in order. */
  readonly pressAgencies: string[];
  close(): Promise<void>;
}

async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  token: string | undefined,
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return response.json() as Promise<GqlResult<T>>;
}

/**
 * The content subgraph on a real engine (in-memory PGlite, or throwaway PostgreSQL databases),
 * beside a directory of its own whose event store it learns organizations and spokespersons from.
 */
export async function startContentHarness(
  engine: 'embedded' | 'postgres',
  options: ContentServiceOptions = {},
): Promise<ContentHarness> {
  const catalogue = hubCatalogue();
  const admin = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const unique = `${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const databases = [`hub_test_content_${unique}`, `hub_test_content_dir_${unique}`];
  const clients: SqlClient[] = [];
  const open = async (database: string): Promise<SqlClient> => {
    if (engine === 'embedded') return pgliteClient();
    await ensureDatabase(admin, database);
    const url = new URL(admin);
    url.pathname = `/${database}`;
    return postgresClient({ connectionString: url.toString() });
  };
  const storeOn = (sql: SqlClient) =>
    engine === 'embedded' ? embeddedEventStore({ sql, catalogue }) : postgresEventStore({ sql, catalogue });
  const [sql, directorySql] = (await Promise.all(databases.map(open))) as [SqlClient, SqlClient];
  clients.push(sql, directorySql);
  const [store, directoryStore] = await Promise.all([storeOn(sql), storeOn(directorySql)]);
  const verifier = createVerifier({ mode: 'hs256', secret: TEST_SECRET });
  const directory = await startDirectory({ sql: directorySql, store: directoryStore, verifier });
  const content = await startContent({ sql, store, directoryEvents: directoryStore, verifier, options });
  const token = (org: string, roles: Role[], sub = `user-of-${org}`) => signDevToken({ sub, org, roles }, TEST_SECRET);
  const pressAgencies: string[] = [];

  return {
    content,
    directory,
    store,
    directoryStore,
    pressAgencies,
    gql: (query, variables, bearer, headers) => post(content.url, query, variables, bearer, headers),
    directoryGql: (query, variables, bearer) => post(directory.url, query, variables, bearer),
    token,
    async appointSpokesperson(organizationId, fullName) {
      const result = await post<{ appointContact: { id: string } }>(
        directory.url,
        `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`,
        { input: { organizationId, fullName, roles: ['SPOKESPERSON'] } },
        await token(organizationId, ['ORG_EDITOR']),
      );
      const id = result.data?.appointContact.id;
      if (!id) throw new Error(`could not appoint a spokesperson: ${JSON.stringify(result.errors)}`);
      return id;
    },
    async registerPressAgencies(count, prefix = 'press-bench') {
      const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
      for (const organizationId of ids) {
        await directoryStore.append(
          `organization-${organizationId}`,
          [
            {
              type: 'OrganizationRegistered',
              data: {
                organizationId,
                name: `Báo thử nghiệm ${organizationId}`,
                nameEn: null,
                shortName: null,
                kind: 'PRESS_AGENCY',
                code: null,
                parentId: null,
                areas: { border: false, coastal: false, island: false },
                establishedAt: '2020-01-01T00:00:00.000Z',
              },
              organizationId,
            },
          ],
          { expected: 'no_stream' },
        );
      }
      pressAgencies.push(...ids);
      return ids;
    },
    async close() {
      await content.stop();
      await directory.stop();
      await store.close();
      await directoryStore.close();
      for (const client of clients) await client.close();
      if (engine === 'postgres') for (const database of databases) await dropDatabase(admin, database);
    },
  };
}
