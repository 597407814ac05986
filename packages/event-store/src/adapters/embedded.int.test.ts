import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countingSql, pgliteClient, type SqlClient } from '@hub/sql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { counted, testCatalogue } from '../testing/catalogue.js';
import { eventStoreContract } from '../testing/contract.js';
import { embeddedEventStore } from './embedded.js';
import { EVENT_STORE_CHANNEL, type InlineProjector } from './sql.js';

eventStoreContract(
  'embedded (in-memory PGlite)',
  async () => {
    const store = await embeddedEventStore({ catalogue: testCatalogue() });
    return { store, close: () => store.close() };
  },
  { concurrencyRounds: 2 },
);

describe('embedded event store', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('given events in a data folder, when the store is closed and reopened, then they are all still there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-es-'));
    folders.push(dataDir);
    const first = await embeddedEventStore({ dataDir, catalogue: testCatalogue() });
    const appended = await first.append('policy-1', [counted(1), counted(2)], { expected: 'no_stream' });
    await first.close();

    const reopened = await embeddedEventStore({ dataDir, catalogue: testCatalogue() });
    try {
      expect(await reopened.readStream('policy-1')).toEqual({ revision: 1, events: appended.events });
      expect((await reopened.readAll(null, 10)).events).toEqual(appended.events);
      const next = await reopened.append('policy-1', [counted(3)], { expected: 1 });
      expect(next.nextExpectedRevision).toBe(2);
    } finally {
      await reopened.close();
    }
  });

  it('given a shared PGlite client, when the store appends, then a subscription wakes once, nothing is sent with NOTIFY and close leaves the client open', async () => {
    const sql = countingSql(await pgliteClient());
    try {
      const store = await embeddedEventStore({ sql, catalogue: testCatalogue() });
      const notified: string[] = [];
      const unlisten = await sql.listen(EVENT_STORE_CHANNEL, (payload) => notified.push(payload));
      const received: string[] = [];
      const subscription = store.subscribe({ onEvent: (event) => void received.push(event.id) });
      await vi.waitFor(() => expect(subscription.checkpoint()).toBeNull());
      sql.reset();

      const appended = await store.append('policy-2', [counted()]);
      await expect(store.append('policy-2', [counted()], { expected: 'no_stream' })).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
      });
      await vi.waitFor(() => expect(received).toEqual([appended.events[0]?.id]));
      await subscription.close();
      await store.close();

      expect(notified).toEqual([]);
      expect(sql.count().log.filter((text) => text.startsWith('NOTIFY'))).toEqual([]);
      expect((await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM es_events')).rows).toEqual([{ n: 1 }]);
      await unlisten();
    } finally {
      await sql.close();
    }
  });
});

describe('embedded event store: inline read models', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await pgliteClient();
    await sql.exec('CREATE TABLE tally (stream text PRIMARY KEY, total integer NOT NULL)');
  });
  afterAll(async () => {
    await sql.close();
  });

  const tally: InlineProjector = async (tx, events) => {
    for (const event of events) {
      if (event.type === 'TestCounted' && event.data.by === 13) throw new Error('unlucky');
      await tx.query(
        `INSERT INTO tally (stream, total) VALUES ($1, $2)
         ON CONFLICT (stream) DO UPDATE SET total = tally.total + EXCLUDED.total`,
        [event.stream, event.type === 'TestCounted' ? Number(event.data.by) : 0],
      );
    }
  };
  const totals = async () =>
    (await sql.query<{ stream: string; total: number }>('SELECT stream, total FROM tally ORDER BY stream')).rows;

  it('given an inline projector, when append and appendMany commit, then the read model holds their events in the same transaction', async () => {
    const store = await embeddedEventStore({ sql, catalogue: testCatalogue() });
    store.inline(tally);
    const counting = countingSql(sql);
    const counted_ = await embeddedEventStore({ sql: counting, catalogue: testCatalogue() });
    counted_.inline(tally);

    await store.append('inline-a', [counted(2), counted(3)]);
    counting.reset();
    await counted_.appendMany([
      { stream: 'inline-a', events: [counted(1)] },
      { stream: 'inline-b', events: [counted(4)] },
    ]);

    expect(await totals()).toEqual([
      { stream: 'inline-a', total: 6 },
      { stream: 'inline-b', total: 4 },
    ]);
    // BEGIN, one statement per append, one per event applied, COMMIT.
    expect(counting.count()).toMatchObject({ statements: 6, transactions: 1 });
  });

  it('given an inline projector that fails, when appending, then the append fails and neither the events nor the read model change', async () => {
    const store = await embeddedEventStore({ sql, catalogue: testCatalogue() });
    store.inline(tally);
    const before = await totals();

    await expect(store.append('inline-c', [counted(1), counted(13)])).rejects.toThrow('unlucky');

    expect(await store.readStream('inline-c')).toEqual({ revision: -1, events: [] });
    expect(await totals()).toEqual(before);
  });

  it('given exclusive work in progress, when another append comes, then it waits and the work reads every earlier event', async () => {
    const store = await embeddedEventStore({ sql, catalogue: testCatalogue() });
    const first = await store.append('exclusive-a', [counted(1)]);
    const order: string[] = [];

    const work = store.exclusive(async (_tx, read) => {
      const later = store.append('exclusive-a', [counted(2)]).then(() => order.push('appended'));
      const all: string[] = [];
      for (let from: string | null = null; ; ) {
        const slice = await read(from, 2);
        if (slice.events.length === 0) break;
        all.push(...slice.events.map((event) => event.id));
        from = slice.checkpoint;
      }
      order.push('read');
      return { all, later };
    });
    const { all, later } = await work;
    await later;

    expect(all).toContain(first.events[0]?.id);
    expect(order).toEqual(['read', 'appended']);
  });
});
