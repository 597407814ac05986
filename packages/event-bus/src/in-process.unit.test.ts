import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import { describe, expect, it, vi } from 'vitest';
import { inProcessEventBus } from './adapters/in-process.js';
import { latch } from './delivery.js';
import type { EventSource } from './port.js';
import { eventBusContract } from './testing/contract.js';

// Handler failures are part of the contract; keep their reports out of the test output. A window of
// two events per partition makes every topic with a source read older events back from it.
eventBusContract('in-process', async (sources) => inProcessEventBus({ log: () => {}, sources, retain: 2 }), {
  deliveryTimeoutMs: 5_000,
});

const quiet = () => {};

function probe(stream: string, revision: number, position: number): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'ContractProbed',
    schemaVersion: 1,
    stream,
    revision,
    position: String(position),
    occurredAt: '2025-07-01T03:00:00.000Z',
    recordedAt: '2025-07-01T03:00:00.125Z',
    actor: null,
    organizationId: null,
    correlationId: randomUUID(),
    causationId: null,
    data: {},
  };
}

/** A store-like source that counts its reads. */
function countedSource(events: readonly EventEnvelope[]): EventSource & { reads: number } {
  const source = {
    reads: 0,
    async readAll(from: string | null, limit: number) {
      source.reads++;
      const start = from === null ? 0 : events.findIndex((event) => event.position === from) + 1;
      const page = events.slice(start, start + limit);
      return { events: page, checkpoint: page.at(-1)?.position ?? from };
    },
  };
  return source;
}

const history = (count: number): EventEnvelope[] =>
  Array.from({ length: count }, (_, i) => probe(`policy-${i % 7}`, Math.floor(i / 7), i + 1));

describe('the in-process bus keeps only what its readers still need', () => {
  it('given a topic with a source and a group keeping up, when 10,000 events are published, then memory holds the retained window only and the source is never read', async () => {
    const events = history(10_000);
    const source = countedSource(events);
    const bus = inProcessEventBus({ log: quiet, sources: { 'hub.content': source }, retain: 100 });
    let handled = 0;
    try {
      await bus.subscribe({
        groupId: 'insights',
        topics: ['hub.content'],
        fromBeginning: true,
        onEvent: async () => void handled++,
      });
      for (let i = 0; i < events.length; i += 50) {
        await bus.publish('hub.content', events.slice(i, i + 50));
        await vi.waitFor(() => expect(handled).toBe(Math.min(i + 50, events.length)), { interval: 1 });
      }

      expect(bus.held()).toBeLessThanOrEqual(3 * 100 + 50);
      expect(source.reads).toBe(0);
    } finally {
      await bus.close();
    }
  });

  it('given a group that stopped reading, then its backlog stays in memory until it has read it', async () => {
    const events = history(600);
    const bus = inProcessEventBus({ log: quiet, sources: { 'hub.content': countedSource(events) }, retain: 10 });
    const started = latch();
    const release = latch();
    try {
      await bus.subscribe({
        groupId: 'slow',
        topics: ['hub.content'],
        fromBeginning: true,
        async onEvent() {
          started.fire();
          await release.fired;
        },
      });
      await bus.publish('hub.content', events);
      await started.fired;

      // The slow group is stuck on its partition's first event; the other partitions it has not reached either.
      expect(bus.held()).toBe(events.length);
    } finally {
      release.fire();
      await bus.close();
    }
  });

  it('given a group joining after the window moved on, then it reads the older events from the source once, then from memory', async () => {
    const events = history(3_000);
    const source = countedSource(events);
    const bus = inProcessEventBus({ log: quiet, sources: { 'hub.content': source }, retain: 10 });
    const seen: EventEnvelope[] = [];
    try {
      await bus.publish('hub.content', events.slice(0, 2_000));
      expect(bus.held()).toBe(30);

      await bus.subscribe({
        groupId: 'late',
        topics: ['hub.content'],
        fromBeginning: true,
        onEvent: async (event) => void seen.push(event),
      });
      await vi.waitFor(() => expect(seen).toHaveLength(2_000));
      const readsToCatchUp = source.reads;
      await bus.publish('hub.content', events.slice(2_000));

      await vi.waitFor(() => expect(seen).toHaveLength(3_000));
      expect(source.reads).toBe(readsToCatchUp);
      // One pass over the 2,000 events per partition, in pages of 500.
      expect(readsToCatchUp).toBe(3 * 4);
      expect(new Set(seen.map((event) => event.id)).size).toBe(3_000);
      for (let s = 0; s < 7; s++) {
        const revisions = seen.filter((event) => event.stream === `policy-${s}`).map((event) => event.revision);
        expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      }
    } finally {
      await bus.close();
    }
  });

  it('given a topic without a source, then every event stays, for a group joining from the beginning', async () => {
    const bus = inProcessEventBus({ log: quiet, retain: 0 });
    try {
      await bus.publish('hub.directory', history(500));
      expect(bus.held()).toBe(500);
    } finally {
      await bus.close();
    }
  });
});
