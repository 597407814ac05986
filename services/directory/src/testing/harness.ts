import { createVerifier, signDevToken } from '@hub/auth';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
import { type RunningDirectory, startDirectory } from '../wiring.js';

export const TEST_SECRET = 'directory-test-secret';

export interface DirectoryHarness {
  readonly directory: RunningDirectory;
  readonly sql: SqlClient;
  readonly store: EventStore;
  /** POSTs a GraphQL request straight to the subgraph. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] }>;
  token(org: string, roles: ('ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR' | 'VIEWER')[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

/** The directory on a real engine: in-memory PGlite (embedded) or a throwaway PostgreSQL database. */
export async function startDirectoryHarness(engine: 'embedded' | 'postgres'): Promise<DirectoryHarness> {
  const catalogue = hubCatalogue();
  const admin = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `hub_test_directory_${process.pid}_${Date.now()}`;
  let sql: SqlClient;
  if (engine === 'embedded') sql = await pgliteClient();
  else {
    await ensureDatabase(admin, database);
    const url = new URL(admin);
    url.pathname = `/${database}`;
    sql = postgresClient({ connectionString: url.toString() });
  }
  const store =
    engine === 'embedded' ? await embeddedEventStore({ sql, catalogue }) : await postgresEventStore({ sql, catalogue });
  const directory = await startDirectory({
    sql,
    store,
    verifier: createVerifier({ mode: 'hs256', secret: TEST_SECRET }),
  });
  return {
    directory,
    sql,
    store,
    async gql(query, variables, token) {
      const response = await fetch(directory.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return response.json() as never;
    },
    token: (org, roles, sub = `user-of-${org}`) => signDevToken({ sub, org, roles }, TEST_SECRET),
    async close() {
      await directory.stop();
      await store.close();
      await sql.close();
      if (engine === 'postgres') await dropDatabase(admin, database);
    },
  };
}
