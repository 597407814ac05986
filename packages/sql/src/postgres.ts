import pg from 'pg';
import type { SqlClient, SqlExecutor, SqlResult, SqlValue } from './client.js';

export interface PostgresOptions {
  readonly connectionString: string;
  readonly max?: number;
  readonly applicationName?: string;
}

// int8 arrives as string by default; global positions and revisions stay below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

const executor = (q: pg.Pool | pg.PoolClient): SqlExecutor => ({
  async query<R>(text: string, params: readonly SqlValue[] = []): Promise<SqlResult<R>> {
    const result = await q.query(text, params as unknown[]);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  },
  async exec(text: string): Promise<void> {
    await q.query(text);
  },
});

export function postgresClient(options: PostgresOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'hub',
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();

  const base = executor(pool);
  return {
    dialect: 'postgres',
    ...base,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      if (!listener) {
        listener = new pg.Client({ connectionString: options.connectionString });
        listener.on('error', () => {});
        await listener.connect();
        listener.on('notification', (message) => {
          for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
        });
      }
      const set = handlers.get(channel) ?? new Set();
      if (set.size === 0) await listener.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      set.add(onNotify);
      handlers.set(channel, set);
      return async () => {
        set.delete(onNotify);
        if (set.size === 0 && listener)
          await listener.query(`UNLISTEN "${channel.replaceAll('"', '""')}"`).catch(() => {});
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await listener?.end().catch(() => {});
      listener = undefined;
      await pool.end();
    },
  };
}

/** Creates the database if it does not exist (tests and local mode use throwaway databases). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`).catch((error: unknown) => {
        // Another instance of the service starting at the same moment created it first.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
