import { createVerifier, type Role, signDevToken, type Verifier } from '@hub/auth';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';

/** The secret every service under test verifies tokens with, so one token works on each of them. */
export const TEST_SECRET = 'hub-test-secret';

/** In-memory PGlite, or a throwaway database on the PostgreSQL at `HUB_TEST_PG_URL`. */
export type TestEngine = 'embedded' | 'postgres';

export interface GqlResult<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; retryAfterSeconds?: number } }[];
}

export const testVerifier = (): Verifier => createVerifier({ mode: 'hs256', secret: TEST_SECRET });

/** A token of a user of `org` with `roles`, signed with the test secret. */
export const testToken = (org: string, roles: Role[], sub = `user-of-${org}`): Promise<string> =>
  signDevToken({ sub, org, roles }, TEST_SECRET);

/** POSTs a GraphQL request to `url`, with a bearer token when given. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
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
  return (await response.json()) as GqlResult<T>;
}

/** A database of a test's own. */
export interface TestSql {
  readonly sql: SqlClient;
  /** Closes the client, and drops the database on PostgreSQL. */
  close(): Promise<void>;
}

export async function testSql(engine: TestEngine, name: string): Promise<TestSql> {
  if (engine === 'embedded') {
    const sql = await pgliteClient();
    return { sql, close: () => sql.close() };
  }
  const admin = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `hub_test_${name}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await ensureDatabase(admin, database);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const sql = postgresClient({ connectionString: url.toString() });
  return {
    sql,
    async close() {
      await sql.close();
      await dropDatabase(admin, database);
    },
  };
}

/** A database of a test's own and the event store on it (the adapter the engine runs in production). */
export interface TestDatabase extends TestSql {
  readonly store: EventStore;
}

export async function testDatabase(engine: TestEngine, name: string): Promise<TestDatabase> {
  const database = await testSql(engine, name);
  const catalogue = hubCatalogue();
  const store =
    engine === 'embedded'
      ? await embeddedEventStore({ sql: database.sql, catalogue })
      : await postgresEventStore({ sql: database.sql, catalogue });
  return {
    sql: database.sql,
    store,
    async close() {
      await store.close();
      await database.close();
    },
  };
}

/** What a service's start function returns: where its subgraph listens, and how to stop it. */
export interface StartedService {
  readonly url: string;
  stop(): Promise<void>;
}

/** What a harness hands a service's start function. */
export interface ServiceDependencies {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly verifier: Verifier;
}

export interface ServiceHarness<S extends StartedService> {
  readonly service: S;
  readonly sql: SqlClient;
  readonly store: EventStore;
  /** POSTs a GraphQL request straight to the service's subgraph. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<GqlResult<T>>;
  token(org: string, roles: Role[], sub?: string): Promise<string>;
  /** Stops the service, then closes (and drops) its database. */
  close(): Promise<void>;
}

/**
 * A service on a real engine, in a database of its own: `start` gets the database, its event store
 * and a verifier of test tokens, and starts the service as its wiring does.
 */
export async function startServiceHarness<S extends StartedService>(
  engine: TestEngine,
  name: string,
  start: (deps: ServiceDependencies) => Promise<S>,
): Promise<ServiceHarness<S>> {
  const database = await testDatabase(engine, name);
  let service: S;
  try {
    service = await start({ sql: database.sql, store: database.store, verifier: testVerifier() });
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    service,
    sql: database.sql,
    store: database.store,
    gql: (query, variables, token, headers) => postGraphQL(service.url, query, variables, token, headers),
    token: testToken,
    async close() {
      await service.stop();
      await database.close();
    },
  };
}
