import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { kafkaEventBus } from '@hub/event-bus';
import type { EventEnvelope } from '@hub/event-catalogue';
import { BusProjectionRunner, readRelayCheckpoint } from '@hub/relay';
import { appendNoted, ledgerProjection, ledgerSnapshot } from '@hub/relay/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../infra/kafka/broker.mjs';
import { type Database, ledgerCount, rebuiltFromStore, sourceStore, throwawayDatabase, until } from './fixture.js';

const root = join(import.meta.dirname, '..', '..');
const EVENTS = 4_000;

let broker: BrokerHandle;
let source: Database;
let readModel: Database;

beforeAll(async () => {
  broker = await ensureBroker();
  source = await throwawayDatabase('hub_fault_relay');
  readModel = await throwawayDatabase('hub_fault_relay_rm');
});

afterAll(async () => {
  await broker?.stop();
  await source?.drop();
  await readModel?.drop();
});

// vite-node, the runner vitest itself uses, so the child loads the workspace exactly as this test does.
const viteNode = join(
  dirname(
    createRequire(createRequire(import.meta.url).resolve('vitest/package.json')).resolve('vite-node/package.json'),
  ),
  'vite-node.mjs',
);

function relayProcess(topic: string): ChildProcess {
  return spawn(process.execPath, [viteNode, join(root, 'test', 'fault', 'relay-process.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      FAULT_DATABASE_URL: source.url,
      FAULT_TOPIC: topic,
      FAULT_BROKERS: broker.brokers.join(','),
    },
  });
}

const published = async (): Promise<number> => {
  const result = await source.sql.query<{ published: string }>(
    "SELECT published FROM relay_checkpoints WHERE name = 'killed'",
  );
  return Number(result.rows[0]?.published ?? 0);
};

it('given a relay process killed with SIGKILL midway, when it is started again, then every event reaches the projection exactly once', async () => {
  const store = await sourceStore(source.sql);
  await appendNoted(store, EVENTS);
  const all: EventEnvelope[] = (await store.readAll(null, EVENTS + 1)).events;
  const topic = `fault.relay.${randomUUID().slice(0, 8)}`;

  const first = relayProcess(topic);
  await until(async () => (await published().catch(() => 0)) >= 1_000, 120_000, 'a quarter relayed');
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  const atKill = await published();
  expect(atKill).toBeLessThan(EVENTS);

  const second = relayProcess(topic);
  try {
    await until(
      async () => (await readRelayCheckpoint(source.sql, 'killed')) === all.at(-1)?.position,
      180_000,
      'the last event relayed',
    );
  } finally {
    second.kill('SIGTERM');
  }

  const bus = kafkaEventBus({ brokers: broker.brokers, clientId: 'fault-relay-consumer' });
  const runner = new BusProjectionRunner({
    sql: readModel.sql,
    bus,
    topics: [topic],
    projections: [ledgerProjection()],
  });
  await runner.start();
  await until(async () => (await ledgerCount(readModel.sql)) >= EVENTS, 240_000, 'every event applied');
  await runner.stop();
  await bus.close();

  const fromBus = await ledgerSnapshot(readModel.sql);
  expect(fromBus.events).toHaveLength(EVENTS);
  expect(fromBus.events.filter((row) => row.applications !== 1)).toEqual([]);
  expect(fromBus).toEqual(await rebuiltFromStore(store));
  await store.close();
}, 420_000);
