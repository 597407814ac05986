import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../../infra/kafka/broker.mjs';
import { kafkaEventBus } from './adapters/kafka.js';
import { CLOUDEVENTS_CONTENT_TYPE, cloudEventSource, toCloudEvent } from './cloudevents.js';
import type { LogEntry } from './port.js';
import { eventBusContract } from './testing/contract.js';

let broker: BrokerHandle;

beforeAll(async () => {
  broker = await ensureBroker();
});

afterAll(async () => {
  // Stops the broker only when an ensureBroker() started it and no other suite still uses it.
  await broker?.stop();
});

const HANDLER_FAILED = 'event handler failed; the event will be redelivered';

// The contract makes a handler fail on purpose; only reports of anything else are worth printing.
const log = (entry: LogEntry): void => {
  if (entry.message !== HANDLER_FAILED) process.stderr.write(`${JSON.stringify(entry)}\n`);
};

const clientId = (): string => `event-bus-test-${randomUUID().slice(0, 8)}`;

eventBusContract('kafka', async () => kafkaEventBus({ brokers: broker.brokers, clientId: clientId(), log }));

const statement: EventEnvelope = {
  id: randomUUID(),
  type: 'StatementReleased',
  schemaVersion: 1,
  stream: 'statement-5f2e',
  revision: 0,
  position: '17',
  occurredAt: '2025-07-01T02:00:00.000Z',
  recordedAt: '2025-07-01T02:00:00.040Z',
  actor: { userId: 'spokesperson-1', organizationId: 'org-bo-y-te' },
  organizationId: 'org-bo-y-te',
  correlationId: randomUUID(),
  causationId: null,
  data: { title: 'Thông cáo báo chí', channel: 'press-conference' },
};

describe('kafka event bus on the wire', () => {
  const raw = () => new Kafka({ clientId: clientId(), brokers: broker.brokers, logLevel: logLevel.NOTHING });

  it('publishes one structured CloudEvents JSON message keyed by stream id', async () => {
    const topic = `wire-${randomUUID().slice(0, 8)}`;
    const bus = kafkaEventBus({ brokers: broker.brokers, clientId: clientId(), log });
    const consumer = raw().consumer({ groupId: `wire-${randomUUID()}`, maxWaitTimeInMs: 50 });
    const seen: Array<{ key: string | undefined; contentType: string | undefined; value: unknown }> = [];
    try {
      await bus.publish(topic, [statement]);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({
            key: message.key?.toString('utf8'),
            contentType: message.headers?.['content-type']?.toString(),
            value: JSON.parse(message.value?.toString('utf8') ?? 'null'),
          });
        },
      });

      await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 20_000, interval: 20 });
      expect(seen[0]).toEqual({
        key: statement.stream,
        contentType: CLOUDEVENTS_CONTENT_TYPE,
        value: toCloudEvent(statement, cloudEventSource(topic)),
      });
    } finally {
      await consumer.disconnect();
      await bus.close();
    }
  });

  it('given a message that is not a hub CloudEvent, then subscribers skip it, report it, and go on', async () => {
    const topic = `foreign-${randomUUID().slice(0, 8)}`;
    const entries: LogEntry[] = [];
    const bus = kafkaEventBus({ brokers: broker.brokers, clientId: clientId(), log: (entry) => entries.push(entry) });
    const producer = raw().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const received: EventEnvelope[] = [];
    try {
      await bus.subscribe({
        groupId: `foreign-${randomUUID()}`,
        topics: [topic],
        async onEvent(event) {
          received.push(event);
        },
      });
      await producer.connect();
      await producer.send({ topic, messages: [{ key: statement.stream, value: 'not json at all' }] });
      await bus.publish(topic, [statement]);

      await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 20_000, interval: 20 });
      expect(received[0]).toEqual(statement);
      expect(entries).toEqual([
        expect.objectContaining({
          level: 'error',
          message: 'skipped a message that is not a hub CloudEvent',
          topic,
          offset: '0',
          key: statement.stream,
        }),
      ]);
    } finally {
      await producer.disconnect();
      await bus.close();
    }
  });
});
