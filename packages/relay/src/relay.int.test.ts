import type { EventBus } from '@hub/event-bus';
import { inProcessEventBus } from '@hub/event-bus';
import type { EventEnvelope } from '@hub/event-catalogue';
import { memoryEventStore } from '@hub/event-store';
import { ProjectionRunner } from '@hub/projections';
import { pgliteClient, type SqlClient } from '@hub/sql';
import { afterEach, describe, expect, it } from 'vitest';
import { BusProjectionRunner, INBOX_TABLE } from './bus-projections.js';
import { readRelayCheckpoint, startRelay } from './relay.js';
import { appendNoted, ledgerCatalogue, ledgerProjection, ledgerSnapshot } from './testing/ledger.js';

const quiet = () => {};
const TOPIC = 'hub.test';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pglite(): Promise<SqlClient> {
  const sql = await pgliteClient();
  cleanups.push(() => sql.close());
  return sql;
}

/** Everything on the topic, in delivery order, read by a fresh group from the beginning. */
async function drain(bus: EventBus, expected: number): Promise<EventEnvelope[]> {
  const seen: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    groupId: `drain-${Math.random()}`,
    topics: [TOPIC],
    fromBeginning: true,
    onEvent: async (event) => {
      seen.push(event);
    },
  });
  const deadline = Date.now() + 10_000;
  while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await subscription.close();
  return seen;
}

describe('relay', () => {
  it('given a relay that dies after the bus acknowledged a batch but before its checkpoint, when a new relay starts, then every event reaches the topic and only that batch twice', async () => {
    const store = memoryEventStore(ledgerCatalogue());
    await appendNoted(store, 1_000);
    const sql = await pglite();
    const bus = inProcessEventBus({ log: quiet });
    cleanups.push(() => bus.close());
    let batches = 0;
    let killed!: () => void;
    const died = new Promise<void>((resolve) => {
      killed = resolve;
    });
    // The crash: the third batch is on the bus, then the process is gone before the checkpoint write.
    const dying: EventBus = {
      ...bus,
      async publish(topic, events) {
        await bus.publish(topic, events);
        if (++batches === 3) {
          killed();
          await new Promise(() => {});
        }
      },
    };
    const first = await startRelay({
      name: 'test',
      store,
      bus: dying,
      topic: TOPIC,
      sql,
      batchSize: 100,
      logger: quiet,
    });
    await died;
    expect(first.status().published).toBe(200);
    const all = (await store.readAll(null, 10_000)).events;
    expect(await readRelayCheckpoint(sql, 'test')).toBe(all[199]?.position);

    const second = await startRelay({ name: 'test', store, bus, topic: TOPIC, sql, batchSize: 100, logger: quiet });
    await second.flush();
    await second.stop();

    const onTopic = await drain(bus, 1_100);
    expect(onTopic).toHaveLength(1_100);
    expect(new Set(onTopic.map((event) => event.id))).toEqual(new Set(all.map((event) => event.id)));
    const twice = all.slice(200, 300).map((event) => event.id);
    const counts = new Map<string, number>();
    for (const event of onTopic) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
    const resent = [...counts].filter(([, n]) => n === 2).map(([id]) => id);
    expect(resent.sort()).toEqual(twice.sort());
    expect(await readRelayCheckpoint(sql, 'test')).toBe(all.at(-1)?.position);
  });

  it('given the bus fails for a while, when it recovers, then the relay resumes from its checkpoint and publishes live appends', async () => {
    const store = memoryEventStore(ledgerCatalogue());
    await appendNoted(store, 40);
    const sql = await pglite();
    const bus = inProcessEventBus({ log: quiet });
    cleanups.push(() => bus.close());
    let down = true;
    const flaky: EventBus = {
      ...bus,
      publish: (topic, events) => (down ? Promise.reject(new Error('broker unreachable')) : bus.publish(topic, events)),
    };
    const relay = await startRelay({
      name: 'flaky',
      store,
      bus: flaky,
      topic: TOPIC,
      sql,
      batchSize: 15,
      retryDelayMs: () => 20,
      logger: quiet,
    });
    cleanups.push(() => relay.stop());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(relay.status()).toMatchObject({ checkpoint: null, published: 0, lastError: 'broker unreachable' });

    down = false;
    await relay.flush();
    await appendNoted(store, 10, 40);
    await relay.flush();

    const onTopic = await drain(bus, 50);
    expect(onTopic.map((event) => event.data.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect(relay.status()).toMatchObject({ published: 50, failures: 0, lastError: null });
  });
});

describe('BusProjectionRunner', () => {
  it('given every event delivered twice, then each is applied once and the read model equals a rebuild from the store', async () => {
    const store = memoryEventStore(ledgerCatalogue());
    await appendNoted(store, 200);
    const bus = inProcessEventBus({ log: quiet });
    cleanups.push(() => bus.close());
    const all = (await store.readAll(null, 10_000)).events;
    await bus.publish(TOPIC, all.slice(0, 120));
    await bus.publish(TOPIC, all);

    const sql = await pglite();
    const runner = new BusProjectionRunner({ sql, bus, topics: [TOPIC], projections: [ledgerProjection()] });
    await runner.start();
    await runner.waitFor(all.at(-1)!);
    await Promise.all(all.slice(0, 120).map((event) => runner.waitFor(event)));
    // The second copy of the first 120 comes after the last event's first copy on some partitions.
    const until = Date.now() + 5_000;
    while (runner.status()[0]!.duplicates < 120 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    expect(runner.status()[0]).toMatchObject({ applied: 200, duplicates: 120 });
    const fromBus = await ledgerSnapshot(sql);

    const rebuilt = await pglite();
    await new ProjectionRunner({ sql: rebuilt, store, projections: [ledgerProjection()], logger: quiet }).catchUp();
    expect(fromBus).toEqual(await ledgerSnapshot(rebuilt));
    expect(fromBus.events).toHaveLength(200);
    expect(fromBus.events.every((row) => row.applications === 1)).toBe(true);
  });

  it('given a runner restarted in the same group, then it continues where the first stopped without reapplying', async () => {
    const store = memoryEventStore(ledgerCatalogue());
    await appendNoted(store, 100);
    const all = (await store.readAll(null, 10_000)).events;
    const bus = inProcessEventBus({ log: quiet });
    cleanups.push(() => bus.close());
    const sql = await pglite();
    await bus.publish(TOPIC, all.slice(0, 60));
    const first = new BusProjectionRunner({ sql, bus, topics: [TOPIC], projections: [ledgerProjection()] });
    await first.start();
    await Promise.all(all.slice(0, 60).map((event) => first.waitFor(event)));
    await first.stop();

    await bus.publish(TOPIC, all.slice(60));
    const second = new BusProjectionRunner({ sql, bus, topics: [TOPIC], projections: [ledgerProjection()] });
    await second.start();
    await Promise.all(all.slice(60).map((event) => second.waitFor(event)));
    await second.stop();

    expect(second.status()[0]).toMatchObject({ applied: 40, duplicates: 0 });
    const snapshot = await ledgerSnapshot(sql);
    expect(snapshot.events).toHaveLength(100);
    expect(snapshot.events.every((row) => row.applications === 1)).toBe(true);
  });

  it('given a horizon of 100 ids and 1,000 events, then the inbox holds at most 110 ids and a redelivery inside the horizon is dropped', async () => {
    const store = memoryEventStore(ledgerCatalogue());
    await appendNoted(store, 1_000);
    const all = (await store.readAll(null, 10_000)).events;
    const bus = inProcessEventBus({ log: quiet });
    cleanups.push(() => bus.close());
    const sql = await pglite();
    const runner = new BusProjectionRunner({
      sql,
      bus,
      topics: [TOPIC],
      projections: [ledgerProjection()],
      inboxHorizon: 100,
    });
    await runner.start();
    const inboxSize = async () =>
      Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${INBOX_TABLE}`)).rows[0]?.n);
    let largest = 0;
    for (let i = 0; i < all.length; i += 50) {
      const batch = all.slice(i, i + 50);
      await bus.publish(TOPIC, batch);
      await Promise.all(batch.map((event) => runner.waitFor(event)));
      largest = Math.max(largest, await inboxSize());
    }

    // The last 40 again, as a relay that died before its checkpoint would resend them.
    const resent = all.slice(-40);
    await bus.publish(TOPIC, resent);
    const until = Date.now() + 5_000;
    while (runner.status()[0]!.duplicates < resent.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await runner.stop();

    expect(largest).toBeLessThanOrEqual(110);
    expect(await inboxSize()).toBeLessThanOrEqual(110);
    expect(runner.status()[0]).toMatchObject({ applied: 1_000, duplicates: 40 });
    const snapshot = await ledgerSnapshot(sql);
    expect(snapshot.events).toHaveLength(1_000);
    expect(snapshot.events.every((row) => row.applications === 1)).toBe(true);
  });
});
