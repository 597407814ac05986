import { createVerifier, signDevToken } from '@hub/auth';
import { type RunningDirectory, startDirectory } from '@hub/directory';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
import { type RunningPressOrders, startPressOrders } from '../wiring.js';

export const TEST_SECRET = 'press-orders-test-secret';

type Role = 'ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR' | 'VIEWER';

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * Holds appends to an armed stream until that many commands have read it, so racing commands
 * really decide on the same revision: over HTTP, and on PGlite's single connection above all,
 * one request can otherwise finish before the other starts, and that is no race at all.
 */
export class AppendGate {
  private readonly armed = new Map<
    string,
    { reads: number; readers: number; open: () => void; opened: Promise<void> }
  >();

  arm(stream: string, readers: number): void {
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.armed.set(stream, { reads: 0, readers, open, opened });
  }

  disarm(stream: string): void {
    this.armed.get(stream)?.open();
    this.armed.delete(stream);
  }

  wrap(store: EventStore): EventStore {
    return {
      adapter: store.adapter,
      readStream: async (stream, options) => {
        const slice = await store.readStream(stream, options);
        const gate = this.armed.get(stream);
        if (gate && ++gate.reads >= gate.readers) gate.open();
        return slice;
      },
      append: async (stream, events, options) => {
        const gate = this.armed.get(stream);
        // A reader that never comes (its request failed first) must not hang the test.
        if (gate) await Promise.race([gate.opened, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        return store.append(stream, events, options);
      },
      appendMany: (appends) => store.appendMany(appends),
      readAll: (from, limit) => store.readAll(from, limit),
      onAppended: store.onAppended && ((listener) => store.onAppended?.(listener) ?? (() => {})),
      subscribe: (options) => store.subscribe(options),
      count: () => store.count(),
      close: () => store.close(),
    };
  }
}

export interface PressOrdersHarness {
  readonly pressOrders: RunningPressOrders;
  readonly gate: AppendGate;
  readonly sql: SqlClient;
  readonly store: EventStore;
  /** POSTs a GraphQL request straight to the press-orders subgraph. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  token(org: string, roles: Role[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

/** A directory on its own in-memory store, seeded with the reference data: the source of organizations. */
export interface DirectoryForTests {
  readonly directory: RunningDirectory;
  readonly store: EventStore;
  close(): Promise<void>;
}

const verifier = createVerifier({ mode: 'hs256', secret: TEST_SECRET });

/**
 * Seeding the reference data takes the directory a while, and which engine holds the directory's
 * events does not matter to press orders, so one directory serves every engine a test file tries.
 */
export async function startDirectoryForTests(): Promise<DirectoryForTests> {
  const engine = await engineFor('embedded', 'po_directory');
  const directory = await startDirectory({ ...engine, verifier });
  return {
    directory,
    store: engine.store,
    async close() {
      await directory.stop();
      await engine.close();
    },
  };
}

interface Engine {
  readonly sql: SqlClient;
  readonly store: EventStore;
  close(): Promise<void>;
}

async function engineFor(kind: 'embedded' | 'postgres', name: string): Promise<Engine> {
  const catalogue = hubCatalogue();
  if (kind === 'embedded') {
    const sql = await pgliteClient();
    const store = await embeddedEventStore({ sql, catalogue });
    return {
      sql,
      store,
      async close() {
        await store.close();
        await sql.close();
      },
    };
  }
  const admin = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `hub_test_${name}_${process.pid}_${Date.now()}`;
  await ensureDatabase(admin, database);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const sql = postgresClient({ connectionString: url.toString() });
  const store = await postgresEventStore({ sql, catalogue });
  return {
    sql,
    store,
    async close() {
      await store.close();
      await sql.close();
      await dropDatabase(admin, database);
    },
  };
}

const post = async <T>(url: string, query: string, variables?: Record<string, unknown>, token?: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
};

/** Press orders on a real engine: in-memory PGlite, or a throwaway PostgreSQL database. */
export async function startPressOrdersHarness(
  kind: 'embedded' | 'postgres',
  directoryEvents: EventStore,
): Promise<PressOrdersHarness> {
  const engine = await engineFor(kind, 'press_orders');
  const gate = new AppendGate();
  const pressOrders = await startPressOrders({
    sql: engine.sql,
    store: gate.wrap(engine.store),
    directoryEvents,
    verifier,
  });
  return {
    pressOrders,
    gate,
    sql: engine.sql,
    store: engine.store,
    gql: (query, variables, token) => post(pressOrders.url, query, variables, token),
    token: (org, roles, sub = `user-of-${org}`) => signDevToken({ sub, org, roles }, TEST_SECRET),
    async close() {
      await pressOrders.stop();
      await engine.close();
    },
  };
}
