import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '@hub/event-catalogue';
import { dropDatabase, ensureDatabase, postgresClient, type SqlClient, type SqlValue } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventStore } from '../port.js';
import { counted, testCatalogue } from '../testing/catalogue.js';
import { eventStoreContract } from '../testing/contract.js';
import { postgresEventStore } from './postgres.js';
import { EVENT_STORE_CHANNEL, sqlEventStore } from './sql.js';

const adminUrl = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A throwaway database per describe block, dropped afterwards. */
function throwawayDatabase(label: string): () => string {
  const database = `hub_es_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  beforeAll(() => ensureDatabase(adminUrl, database));
  afterAll(() => dropDatabase(adminUrl, database));
  return () => databaseUrl(database);
}

describe('postgres event store', () => {
  const url = throwawayDatabase('contract');

  eventStoreContract(
    'postgres',
    async () => {
      const store = await postgresEventStore({ connectionString: url(), catalogue: testCatalogue() });
      return { store, close: () => store.close() };
    },
    { concurrencyRounds: 8 },
  );
});

/**
 * A client whose every statement runs in its own transaction that stays open until `commit()`,
 * so a test decides when a writer's events commit. With `xidFirst` the transaction takes its id
 * and then waits for `write()` before running the statement, so it can write after a later one.
 * `release()` lets everything through; tests call it in `finally` so a failing assertion never
 * leaves a transaction open (an open transaction holds back readers in every database).
 */
function heldOpen(sql: SqlClient, xidFirst: boolean) {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  };
  const [xidTaken, write, written, commit] = [gate(), gate(), gate(), gate()];
  if (!xidFirst) write.open();
  const client: SqlClient = {
    ...sql,
    query: <R>(text: string, params?: readonly SqlValue[]) =>
      sql.transaction(async (tx) => {
        if (xidFirst) await tx.query('SELECT pg_current_xact_id()');
        xidTaken.open();
        await write.opened;
        const result = await tx.query<R>(text, params);
        written.open();
        await commit.opened;
        return result;
      }),
  };
  return {
    client,
    xidTaken: xidTaken.opened,
    write: write.open,
    written: written.opened,
    commit: commit.open,
    release() {
      write.open();
      commit.open();
    },
  } as const;
}

/** A fresh database and store per test, so the global order starts empty. */
function orderScenario(label: string): () => { store: EventStore; sql: SqlClient } {
  const url = throwawayDatabase(label);
  let opened: { store: EventStore; sql: SqlClient } | undefined;
  beforeAll(async () => {
    const store = await postgresEventStore({ connectionString: url(), catalogue: testCatalogue() });
    opened = { store, sql: postgresClient({ connectionString: url() }) };
  });
  afterAll(async () => {
    await opened?.store.close();
    await opened?.sql.close();
  });
  return () => {
    if (!opened) throw new Error(`${label}: the store did not open`);
    return opened;
  };
}

const readEverything = async (store: EventStore) => {
  const events: EventEnvelope[] = [];
  for (let checkpoint: string | null = null; ; ) {
    const slice = await store.readAll(checkpoint, 100);
    if (slice.events.length === 0) return events;
    events.push(...slice.events);
    checkpoint = slice.checkpoint;
  }
};

/** Committed events may show late (older transactions anywhere in the cluster), never out of order. */
const eventually = (assertion: () => Promise<void>) => vi.waitFor(assertion, { timeout: 15_000, interval: 20 });

describe('postgres event store: transactions committing out of order', () => {
  describe('A writes first and stays open', () => {
    const given = orderScenario('order1');

    it('given A written first but still open, when B commits, then readers see neither until A commits, then A before B', async () => {
      const { store, sql } = given();
      const held = heldOpen(sql, false);
      const writerA = sqlEventStore(held.client, testCatalogue(), 'postgres');
      const received: EventEnvelope[] = [];
      const subscription = store.subscribe({ from: null, onEvent: (event) => void received.push(event) });
      const appendingA = writerA.append('stream-a', [counted(1)]);
      try {
        await held.written;
        const b = await store.append('stream-b', [counted(2)]);

        expect((await store.readStream('stream-b')).events).toEqual(b.events);
        expect(await store.readAll(null, 100)).toEqual({ events: [], checkpoint: null });
        // Longer than the subscription's poll interval: it must have looked, and found nothing.
        await sleep(700);
        expect(received).toEqual([]);

        held.commit();
        const a = await appendingA;
        await eventually(async () => expect(await readEverything(store)).toEqual([...a.events, ...b.events]));
        await eventually(async () => expect(received).toEqual([...a.events, ...b.events]));
      } finally {
        held.release();
        await appendingA.catch(() => {});
        await subscription.close();
      }
    });
  });

  describe('A takes its transaction id first and writes last', () => {
    const given = orderScenario('order2');

    it('given A took its transaction id before B but writes after it, when both commit, then A comes before B although its position is higher', async () => {
      const { store, sql } = given();
      const held = heldOpen(sql, true);
      const writerA = sqlEventStore(held.client, testCatalogue(), 'postgres');
      const appendingA = writerA.append('stream-c', [counted(3)]);
      try {
        await held.xidTaken;
        const b = await store.append('stream-d', [counted(4)]);
        held.write();
        await held.written;
        expect(await readEverything(store)).toEqual([]);

        held.commit();
        const a = await appendingA;
        const positions = await sql.query<{ event_id: string; global_position: number }>(
          'SELECT event_id::text, global_position FROM es_events ORDER BY global_position',
        );
        expect(positions.rows.map((row) => row.event_id)).toEqual([b.events[0]?.id, a.events[0]?.id]);
        await eventually(async () => expect(await readEverything(store)).toEqual([...a.events, ...b.events]));
      } finally {
        held.release();
        await appendingA.catch(() => {});
      }
    });
  });
});

describe('postgres event store: sharing and migrating', () => {
  const url = throwawayDatabase('shared');

  it('given two processes starting at once, when both migrate, then both stores work on the same tables', async () => {
    const [first, second] = await Promise.all([
      postgresEventStore({ connectionString: url(), catalogue: testCatalogue(), poolSize: 2 }),
      postgresEventStore({ connectionString: url(), catalogue: testCatalogue(), poolSize: 2 }),
    ]);
    try {
      const appended = await first.append('policy-1', [counted()], { expected: 'no_stream' });
      expect(await second.readStream('policy-1')).toEqual({ revision: 0, events: appended.events });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('given a shared client, when the store appends, then another connection is notified and close leaves the client open', async () => {
    const sql = postgresClient({ connectionString: url() });
    const listener = postgresClient({ connectionString: url() });
    try {
      const store = await postgresEventStore({ sql, catalogue: testCatalogue() });
      const notified: string[] = [];
      const unlisten = await listener.listen(EVENT_STORE_CHANNEL, (payload) => notified.push(payload));

      await store.append('policy-2', [counted(), counted()]);
      await expect(store.append('policy-2', [counted()], { expected: 'no_stream' })).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
      });
      await store.close();

      await vi.waitFor(() => expect(notified).toHaveLength(1), { timeout: 5_000, interval: 20 });
      expect(
        (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM es_events WHERE stream_id = 'policy-2'`)).rows,
      ).toEqual([{ n: 2 }]);
      await unlisten();
    } finally {
      await Promise.all([sql.close(), listener.close()]);
    }
  });
});
