import { randomUUID } from 'node:crypto';
import { kafkaEventBus, type LogEntry } from '@hub/event-bus';
import { BusProjectionRunner, startRelay } from '@hub/relay';
import { appendNoted, ledgerProjection, ledgerSnapshot } from '@hub/relay/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrokerHandle, ensureBroker, startBroker, stopBroker } from '../../infra/kafka/broker.mjs';
import { type Database, ledgerCount, rebuiltFromStore, sourceStore, throwawayDatabase, until } from './fixture.js';

// A broker of this suite's own: stopping the shared one would break the suites running beside it.
const PORT = 19_192;
const EVENTS = 10_000;

let broker: BrokerHandle;
let database: Database;
// Connection failures are the point of this test: only errors are worth printing.
const log = (entry: LogEntry) => {
  if (entry.level === 'error') process.stderr.write(`${JSON.stringify(entry)}\n`);
};

beforeAll(async () => {
  broker = await ensureBroker({ port: PORT });
  database = await throwawayDatabase('hub_fault_broker');
});

afterAll(async () => {
  await broker?.stop();
  await stopBroker({ port: PORT });
  await database?.drop();
});

it('given a relay and a bus projection carrying 10,000 events, when the broker stops midway and starts again, then every event is applied exactly once, as a rebuild from the store', async () => {
  const store = await sourceStore(database.sql);
  const topic = `fault.broker.${randomUUID().slice(0, 8)}`;
  const bus = kafkaEventBus({ brokers: broker.brokers, clientId: 'fault-broker', log, subscribeTimeoutMs: 120_000 });
  const runner = new BusProjectionRunner({
    sql: database.sql,
    bus,
    topics: [topic],
    projections: [ledgerProjection()],
  });
  await runner.start();
  const relay = await startRelay({
    name: 'fault',
    store,
    bus,
    topic,
    sql: database.sql,
    batchSize: 250,
    retryDelayMs: () => 250,
    logger: () => {},
  });

  const writing = appendNoted(store, EVENTS);
  await until(async () => relay.status().published >= 2_500, 120_000, 'a quarter published');
  const stopped = await stopBroker({ port: PORT });
  expect(stopped.stopped).toBe(true);
  const atStop = relay.status().published;
  // The writers go on meanwhile; the relay's batch in flight waits for the broker or fails and goes again.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  await startBroker({ port: PORT });
  await writing;

  await relay.flush(180_000);
  await until(async () => (await ledgerCount(database.sql)) >= EVENTS, 240_000, 'every event applied');
  // Resent batches may still be in flight: they must change nothing.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await relay.stop();
  await runner.stop();
  await bus.close();

  const fromBus = await ledgerSnapshot(database.sql);
  expect(fromBus.events).toHaveLength(EVENTS);
  expect(fromBus.events.filter((row) => row.applications !== 1)).toEqual([]);
  expect(fromBus).toEqual(await rebuiltFromStore(store));
  expect(atStop).toBeLessThan(EVENTS);
  await store.close();
}, 420_000);
