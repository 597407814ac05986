import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../../infra/kafka/broker.mjs';
import { kafkaEventBus } from './adapters/kafka.js';
import type { LogEntry } from './port.js';
import { eventBusContract } from './testing/contract.js';

let broker: BrokerHandle;

beforeAll(async () => {
  broker = await ensureBroker();
});

afterAll(async () => {
  // Stops the broker only when this suite's ensureBroker() started it and nobody else uses it.
  await broker?.stop();
});

// The contract makes a handler fail on purpose; only reports of anything else are worth printing.
const log = (entry: LogEntry): void => {
  if (entry.message !== 'event handler failed; the event will be redelivered') {
    process.stderr.write(`${JSON.stringify(entry)}\n`);
  }
};

eventBusContract('kafka', async () =>
  kafkaEventBus({ brokers: broker.brokers, clientId: `event-bus-contract-${randomUUID().slice(0, 8)}`, log }),
);
