import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryOnDeadlock, type SqlClient } from './client.js';
import { dropDatabase, ensureDatabase, postgresClient } from './postgres.js';

const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `hub_sql_${randomUUID().replaceAll('-', '')}`;

let sql: SqlClient;

beforeAll(async () => {
  await ensureDatabase(ADMIN_URL, DATABASE);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  sql = postgresClient({ connectionString: url.toString(), max: 4 });
  await sql.exec(`
    CREATE TABLE first (id int PRIMARY KEY, v int);
    CREATE TABLE second (id int PRIMARY KEY, v int);
    CREATE INDEX first_v ON first (v);
    CREATE INDEX second_v ON second (v);`);
});
afterAll(async () => {
  await sql?.close();
  await dropDatabase(ADMIN_URL, DATABASE);
});

describe('retryOnDeadlock on PostgreSQL', () => {
  it('given a running writer holding one table and wanting another, when a starting instance runs its idempotent schema set-up, then the server fails the set-up once and the retry completes after the writer commits', async () => {
    let attempts = 0;
    let writerHolds!: () => void;
    const writerHolding = new Promise<void>((resolve) => {
      writerHolds = resolve;
    });
    // The writer waits long before looking for a deadlock, so the set-up side is the one failed.
    const writer = sql.transaction(async (tx) => {
      await tx.query(`SET LOCAL deadlock_timeout = '10s'`);
      await tx.query('INSERT INTO second (id, v) VALUES (1, 1)');
      writerHolds();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await tx.query('INSERT INTO first (id, v) VALUES (1, 1)');
    });
    await writerHolding;

    await retryOnDeadlock(() =>
      sql.transaction(async (tx) => {
        attempts++;
        // Checked once, after the writer has closed the cycle.
        await tx.query(`SET LOCAL deadlock_timeout = '1s'`);
        // Each takes a SHARE lock on its table although the index is already there.
        await tx.exec('CREATE INDEX IF NOT EXISTS first_v ON first (v)');
        await tx.exec('CREATE INDEX IF NOT EXISTS second_v ON second (v)');
      }),
    );
    await writer;

    expect(attempts).toBe(2);
    const rows = await sql.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM first)::int + (SELECT count(*) FROM second)::int AS n',
    );
    expect(rows.rows[0]?.n).toBe(2);
  });

  it('given an error that is not a deadlock, when retried, then it is thrown at once', async () => {
    let attempts = 0;
    await expect(
      retryOnDeadlock(async () => {
        attempts++;
        await sql.query('SELECT * FROM no_such_table');
      }),
    ).rejects.toMatchObject({ code: '42P01' });
    expect(attempts).toBe(1);
  });
});
