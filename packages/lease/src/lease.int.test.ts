import { randomUUID } from 'node:crypto';
import { postgresEventStore } from '@hub/event-store';
import { appendNoted, ledgerCatalogue, ledgerProjection, ledgerSnapshot } from '@hub/relay/testing';
import { dropDatabase, ensureDatabase, postgresClient, type SqlClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryLease } from './lease.js';
import { APPLICATION_AUDIT_TABLE, LeasedProjectionRunner } from './leased-runner.js';
import { comparePositions } from './positions.js';

const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `hub_lease_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const url = new URL(ADMIN_URL);
url.pathname = `/${database}`;
const connectionString = url.toString();
let sql: SqlClient;

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What SIGKILL does to a holder, seen from PostgreSQL: its session ends without a word. */
async function killSessionsOf(name: string): Promise<void> {
  await sql.query(
    `SELECT pg_terminate_backend(l.pid) FROM pg_locks l
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = hashtext('hub.lease')::oid
       AND l.objid = hashtext($1)::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [name],
  );
}

beforeAll(async () => {
  await ensureDatabase(ADMIN_URL, database);
  sql = postgresClient({ connectionString, max: 4 });
});

afterAll(async () => {
  await sql.close();
  await dropDatabase(ADMIN_URL, database);
});

describe('comparePositions', () => {
  it('given positions of each adapter, when compared, then they order left to right as numbers', () => {
    expect(comparePositions('9:10', '10:2')).toBe(-1);
    expect(comparePositions('10:2', '10:2')).toBe(0);
    expect(comparePositions('10:3', '10:2')).toBe(1);
    expect(comparePositions('12', '9')).toBe(1);
  });
});

describe('AdvisoryLease', () => {
  it('given two instances asking for one lease, then one holds it; when the holder dies, the other takes over', async () => {
    const running: string[] = [];
    const instance = (id: string) => {
      const lease = new AdvisoryLease({ connectionString, name: 'test:one', retryMs: 100 });
      void lease.hold(async () => {
        running.push(id);
        return async () => {
          running.splice(running.indexOf(id), 1);
        };
      });
      return lease;
    };
    const a = instance('a');
    await a.start();
    const b = instance('b');
    await b.start();
    expect([a.held, b.held]).toEqual([true, false]);
    expect(running).toEqual(['a']);

    await killSessionsOf('test:one');
    await until(() => b.held, 5_000);
    // The dead holder noticed its connection went and stopped its work.
    await until(() => !running.includes('a'), 5_000);
    expect(running).toEqual(['b']);
    await a.stop();
    await b.stop();
    expect(running).toEqual([]);
  });
});

describe('LeasedProjectionRunner', () => {
  it('given two instances on one database, when events are appended and the holder dies midway, then each event is applied once, by one instance at a time, and waitFor answers on both', async () => {
    const store = await postgresEventStore({ sql, catalogue: ledgerCatalogue() });
    const instance = (id: string) =>
      new LeasedProjectionRunner({
        sql,
        store,
        projections: [ledgerProjection()],
        lease: new AdvisoryLease({ connectionString, name: 'test:ledger', retryMs: 100 }),
        auditInstance: id,
        logger: () => {},
      });
    const first = instance('first');
    const second = instance('second');
    await first.start();
    await second.start();
    expect([first.lease.held, second.lease.held]).toEqual([true, false]);

    await appendNoted(store, 200);
    const appended = await store.append('noted-last', [{ type: 'Noted', data: { organizationId: 'org-x', n: 1 } }]);
    const last = appended.events.at(-1)!;
    // The instance without the lease answers read-your-writes from the holder's checkpoint.
    await second.waitFor(last, { timeoutMs: 10_000 });

    await killSessionsOf('test:ledger');
    await until(() => second.lease.held, 5_000);
    await appendNoted(store, 200, 200);
    const after = await store.append('noted-after', [{ type: 'Noted', data: { organizationId: 'org-x', n: 2 } }]);
    await second.waitFor(after.events.at(-1)!, { timeoutMs: 10_000 });
    await first.stop();
    await second.stop();

    const snapshot = await ledgerSnapshot(sql);
    expect(snapshot.events).toHaveLength(402);
    expect(snapshot.events.every((row) => row.applications === 1)).toBe(true);
    const { rows } = await sql.query<{ instance: string }>(
      `SELECT instance FROM ${APPLICATION_AUDIT_TABLE} WHERE projection = 'ledger' ORDER BY seq`,
    );
    const runs = rows.map((row) => row.instance).filter((id, i, all) => i === 0 || all[i - 1] !== id);
    expect(runs).toEqual(['first', 'second']);
  });
});
