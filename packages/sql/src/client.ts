/**
 * The one SQL port used by SQL-backed event stores and every read model, so the same SQL runs
 * on PostgreSQL (pg pool) and on PGlite (embedded mode).
 */
export type SqlValue = string | number | bigint | boolean | null | Date | Uint8Array | readonly unknown[] | object;

export interface SqlResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<SqlResult<R>>;
  /** Runs several statements without parameters (DDL, migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs `work` in one transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; resolves to an unlisten function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

const DEADLOCK_DETECTED = '40P01';

/**
 * Runs `attempt` again when PostgreSQL broke a deadlock by failing it. Schema set-up needs this:
 * `CREATE INDEX IF NOT EXISTS` locks its table before it finds the index there, so an instance
 * starting beside a running one can deadlock with that one's writes, and the starting side (the
 * one whose work is idempotent) is the one that should simply try again.
 */
export async function retryOnDeadlock<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED || tried >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * tried));
    }
  }
}
