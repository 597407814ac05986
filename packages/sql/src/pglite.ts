import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult, SqlValue } from './client.js';

export interface PgliteOptions {
  /** A folder for the database files; omit for an in-memory database (tests). */
  readonly dataDir?: string;
}

const executor = (q: PGlite | Transaction): SqlExecutor => ({
  async query<R>(text: string, params: readonly SqlValue[] = []): Promise<SqlResult<R>> {
    const result = await q.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  },
  async exec(text: string): Promise<void> {
    await q.exec(text);
  },
});

// PGlite returns int8 as bigint by default; the hub's positions and revisions fit in a number.
const parsers = { 20: (v: string) => Number(v) };

export async function pgliteClient(options: PgliteOptions = {}): Promise<SqlClient> {
  const db = await PGlite.create(options.dataDir ?? 'memory://', { parsers });
  const base = executor(db);
  return {
    dialect: 'pglite',
    ...base,
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, onNotify);
      return async () => unlisten();
    },
    async notify(channel, payload) {
      await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
