import { randomUUID } from 'node:crypto';
import type { EventStore } from '@hub/event-store';
import { postgresEventStore } from '@hub/event-store';
import { ProjectionRunner } from '@hub/projections';
import { ledgerCatalogue, ledgerProjection, ledgerSnapshot } from '@hub/relay/testing';
import { dropDatabase, ensureDatabase, postgresClient, type SqlClient } from '@hub/sql';

export const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Database {
  readonly url: string;
  readonly sql: SqlClient;
  drop(): Promise<void>;
}

/** A throwaway PostgreSQL database of its own. */
export async function throwawayDatabase(prefix: string): Promise<Database> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await ensureDatabase(ADMIN_URL, name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = postgresClient({ connectionString: url.toString(), max: 4 });
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.close();
      await dropDatabase(ADMIN_URL, name);
    },
  };
}

export const sourceStore = (sql: SqlClient): Promise<EventStore> =>
  postgresEventStore({ sql, catalogue: ledgerCatalogue() });

/** The read model a replay of the whole store builds, in a database of its own: what the bus must match. */
export async function rebuiltFromStore(store: EventStore) {
  const database = await throwawayDatabase('hub_fault_rebuild');
  try {
    const runner = new ProjectionRunner({
      sql: database.sql,
      store,
      projections: [ledgerProjection()],
      logger: () => {},
    });
    await runner.catchUp();
    return await ledgerSnapshot(database.sql);
  } finally {
    await database.drop();
  }
}

/** `what` may be a function, to say in the error how far the condition still was. */
export async function until(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`${typeof what === 'string' ? what : what()} not reached within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const ledgerCount = async (sql: SqlClient): Promise<number> =>
  Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events')).rows[0]?.n ?? 0);
