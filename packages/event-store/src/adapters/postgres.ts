import type { EventCatalogue } from '@hub/event-catalogue';
import { postgresClient, type SqlClient } from '@hub/sql';
import { migrateEventStore, type SqlEventStore, sqlEventStore } from './sql.js';

export type PostgresEventStoreOptions = {
  readonly catalogue: EventCatalogue;
} & (
  | {
      readonly connectionString: string;
      /** Connections in the store's pool; default 10. */
      readonly poolSize?: number;
      readonly sql?: undefined;
    }
  | {
      /** A client the caller owns and closes (e.g. shared with read models); `close()` leaves it open. */
      readonly sql: SqlClient;
      readonly connectionString?: undefined;
      readonly poolSize?: undefined;
    }
);

/** The event store on PostgreSQL; creates its tables if missing. */
export async function postgresEventStore(options: PostgresEventStoreOptions): Promise<SqlEventStore> {
  const owned = options.sql === undefined;
  const sql =
    options.sql ??
    postgresClient({
      connectionString: options.connectionString,
      max: options.poolSize,
      applicationName: 'hub-event-store',
    });
  if (sql.dialect !== 'postgres') {
    throw new Error(`postgresEventStore needs a PostgreSQL client, got ${sql.dialect}`);
  }
  try {
    await migrateEventStore(sql);
  } catch (error) {
    if (owned) await sql.close();
    throw error;
  }
  const store = sqlEventStore(sql, options.catalogue, 'postgres');
  return {
    ...store,
    async close() {
      await store.close();
      if (owned) await sql.close();
    },
  };
}
