import type { EventCatalogue } from '@hub/event-catalogue';
import { pgliteClient, type SqlClient } from '@hub/sql';
import { migrateEventStore, type SqlEventStore, sqlEventStore } from './sql.js';

export type EmbeddedEventStoreOptions = {
  readonly catalogue: EventCatalogue;
} & (
  | {
      /** The folder for the database files; omit for an in-memory store (tests). */
      readonly dataDir?: string;
      readonly sql?: undefined;
    }
  | {
      /**
       * A PGlite client the caller owns and closes. PGlite allows one instance per data folder,
       * so a service shares it between its event store and its read models.
       */
      readonly sql: SqlClient;
      readonly dataDir?: undefined;
    }
);

/** The event store in PGlite: nothing to install, data in a local folder. */
export async function embeddedEventStore(options: EmbeddedEventStoreOptions): Promise<SqlEventStore> {
  const owned = options.sql === undefined;
  const sql = options.sql ?? (await pgliteClient(options.dataDir === undefined ? {} : { dataDir: options.dataDir }));
  if (sql.dialect !== 'pglite') {
    throw new Error(`embeddedEventStore needs a PGlite client, got ${sql.dialect}`);
  }
  try {
    await migrateEventStore(sql);
  } catch (error) {
    if (owned) await sql.close();
    throw error;
  }
  const store = sqlEventStore(sql, options.catalogue, 'embedded');
  return {
    ...store,
    async close() {
      await store.close();
      if (owned) await sql.close();
    },
  };
}
