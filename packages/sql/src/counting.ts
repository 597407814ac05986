import type { SqlClient, SqlExecutor } from './client.js';

/** What a counting client has sent since it was created or last reset. */
export interface StatementCount {
  /** Every statement the server ran for the client, BEGIN and COMMIT included. */
  readonly statements: number;
  readonly transactions: number;
  /** The statements' texts, first line only, in order (for a failing test to say what ran). */
  readonly log: readonly string[];
}

export interface CountingSqlClient extends SqlClient {
  count(): StatementCount;
  reset(): void;
}

const firstLine = (text: string): string => text.trim().split('\n')[0]?.slice(0, 120) ?? '';

/**
 * Wraps a client to count the statements sent through it: a transaction counts its BEGIN and
 * COMMIT (or ROLLBACK) besides what runs inside it, and a NOTIFY counts as one. For tests that
 * hold a command to a number of statements; counts are deterministic, unlike timings.
 */
export function countingSql(inner: SqlClient): CountingSqlClient {
  let statements = 0;
  let transactions = 0;
  let log: string[] = [];
  const note = (text: string) => {
    statements++;
    log.push(firstLine(text));
  };
  const counted = (executor: SqlExecutor): SqlExecutor => ({
    query: (text, params) => {
      note(text);
      return executor.query(text, params);
    },
    exec: (text) => {
      note(text);
      return executor.exec(text);
    },
  });
  return {
    ...counted(inner),
    dialect: inner.dialect,
    transaction(work) {
      transactions++;
      note('BEGIN');
      return inner.transaction((tx) => work(counted(tx))).finally(() => note('COMMIT'));
    },
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    notify(channel, payload) {
      note(`NOTIFY ${channel}`);
      return inner.notify(channel, payload);
    },
    close: () => inner.close(),
    count: () => ({ statements, transactions, log: [...log] }),
    reset() {
      statements = 0;
      transactions = 0;
      log = [];
    },
  };
}
