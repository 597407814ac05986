import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latch } from '../delivery.js';
import type { DeliveryMeta, EventBus, EventSource, SubscribeOptions, Subscription } from '../port.js';

export interface EventBusContractOptions {
  /** How long to wait for deliveries before failing. */
  readonly deliveryTimeoutMs?: number;
}

const uniqueName = (what: string): string => `contract-${what}-${randomUUID().slice(0, 8)}`;

function envelope(stream: string, revision: number, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'ContractProbed',
    schemaVersion: 1,
    stream,
    revision,
    position: String(revision),
    occurredAt: '2025-07-01T03:00:00.000Z',
    recordedAt: '2025-07-01T03:00:00.125Z',
    actor: { userId: 'officer-1', organizationId: 'org-moh' },
    organizationId: 'org-moh',
    correlationId: randomUUID(),
    causationId: null,
    data: { stream, revision },
    ...overrides,
  };
}

/** `count` events for each of `streams` streams, interleaved: s0#0, s1#0, …, s0#1, s1#1, … */
function interleaved(prefix: string, streams: number, count: number): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (let revision = 0; revision < count; revision++) {
    for (let s = 0; s < streams; s++) events.push(envelope(`${prefix}-${s}`, revision));
  }
  return events;
}

/** Gives each event its own position, as a store would, so a source can resume after one. */
const positioned = (events: readonly EventEnvelope[]): EventEnvelope[] =>
  events.map((event, index) => ({ ...event, position: String(index + 1) }));

/** A topic's source holding these events in publish order, as the topic's event store would. */
function sourceOf(events: readonly EventEnvelope[]): EventSource {
  return {
    async readAll(from, limit) {
      const start = from === null ? 0 : events.findIndex((event) => event.position === from) + 1;
      const page = events.slice(start, start + limit);
      return { events: page, checkpoint: page.at(-1)?.position ?? from };
    },
  };
}

async function publishInChunks(bus: EventBus, topic: string, events: readonly EventEnvelope[], size: number) {
  for (let i = 0; i < events.length; i += size) await bus.publish(topic, events.slice(i, i + size));
}

interface Delivery {
  readonly event: EventEnvelope;
  readonly meta: DeliveryMeta;
}

function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no delivery within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

const revisionsOf = (deliveries: readonly Delivery[], stream: string): number[] =>
  deliveries.filter(({ event }) => event.stream === stream).map(({ event }) => event.revision);

const idsOf = (deliveries: readonly Delivery[]): string[] => deliveries.map(({ event }) => event.id);

/**
 * The one behaviour every EventBus adapter must show (design §3). `open` returns a fresh bus; each
 * test uses its own topics and groups, so a shared broker never leaks state between tests.
 */
export function eventBusContract(
  name: string,
  /** `sources` holds each topic's events as its store has them, for an adapter that reads them back. */
  open: (sources: Readonly<Record<string, EventSource>>) => Promise<EventBus>,
  options: EventBusContractOptions = {},
): void {
  const timeout = options.deliveryTimeoutMs ?? 20_000;
  const waitFor = (assertion: () => void) => vi.waitFor(assertion, { timeout, interval: 10 });

  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;

    beforeEach(async () => {
      bus = await open({});
    });

    afterEach(async () => {
      await bus.close();
    });

    const record = (
      deliveries: Delivery[],
      groupId: string,
      topics: string[],
      more: Partial<SubscribeOptions> = {},
    ): Promise<Subscription> =>
      bus.subscribe({
        groupId,
        topics,
        fromBeginning: true,
        async onEvent(event, meta) {
          deliveries.push({ event, meta });
        },
        ...more,
      });

    it('given a published envelope, when a subscriber receives it, then it is the same envelope', async () => {
      const topic = uniqueName('roundtrip');
      const deliveries: Delivery[] = [];
      const full = envelope('policy-1', 0, { causationId: randomUUID(), data: { title: 'Nghị quyết 12/NQ-CP' } });
      const anonymous = envelope('policy-1', 1, { actor: null, organizationId: null });
      await bus.publish(topic, [full, anonymous]);

      await record(deliveries, uniqueName('group'), [topic]);

      await waitFor(() => expect(deliveries).toHaveLength(2));
      expect(deliveries.map(({ event }) => event)).toEqual([full, anonymous]);
      const [first, second] = deliveries;
      expect(first?.meta.topic).toBe(topic);
      expect(Number.isInteger(first?.meta.partition)).toBe(true);
      expect(second?.meta.partition).toBe(first?.meta.partition);
      expect(BigInt(second?.meta.offset ?? '') - BigInt(first?.meta.offset ?? '')).toBe(1n);
    });

    it('given interleaved publishes over many streams, then each stream arrives in publish order on one partition', async () => {
      const topic = uniqueName('order');
      const streams = 12;
      const perStream = 15;
      const events = interleaved(uniqueName('stream'), streams, perStream);
      const deliveries: Delivery[] = [];
      await record(deliveries, uniqueName('group'), [topic]);

      await publishInChunks(bus, topic, events, 7);

      await waitFor(() => expect(deliveries).toHaveLength(events.length));
      const expected = Array.from({ length: perStream }, (_, revision) => revision);
      for (const stream of new Set(events.map((event) => event.stream))) {
        expect(revisionsOf(deliveries, stream)).toEqual(expected);
        const partitions = new Set(
          deliveries.filter(({ event }) => event.stream === stream).map(({ meta }) => meta.partition),
        );
        expect(partitions.size).toBe(1);
      }
    });

    it('given a handler that fails once for an event, then that event is redelivered before the rest of its stream and none is lost', async () => {
      const topic = uniqueName('retry');
      const events = interleaved(uniqueName('stream'), 2, 6);
      const poisoned = events[6]!;
      let failed = false;
      const deliveries: Delivery[] = [];
      await record(deliveries, uniqueName('group'), [topic], {
        async onEvent(event, meta) {
          deliveries.push({ event, meta });
          if (event.id === poisoned.id && !failed) {
            failed = true;
            throw new Error('projection database unavailable');
          }
        },
      });

      await bus.publish(topic, events);

      await waitFor(() => expect(deliveries).toHaveLength(events.length + 1));
      expect(revisionsOf(deliveries, poisoned.stream)).toEqual([0, 1, 2, 3, 3, 4, 5]);
      const other = events.find((event) => event.stream !== poisoned.stream)!.stream;
      expect(revisionsOf(deliveries, other)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('given a consumer closed part way, when the group subscribes again, then it resumes after the committed events', async () => {
      const topic = uniqueName('resume');
      const groupId = uniqueName('group');
      const events = interleaved(uniqueName('stream'), 4, 10);
      await bus.publish(topic, events);

      const before: Delivery[] = [];
      const kHandled = latch();
      const first = await record(before, groupId, [topic], {
        async onEvent(event, meta) {
          before.push({ event, meta });
          if (before.length === 12) kHandled.fire();
        },
      });
      await kHandled.fired;
      await first.close();
      const handledBeforeClose = before.length;

      const after: Delivery[] = [];
      await record(after, groupId, [topic]);

      await waitFor(() => expect(handledBeforeClose + after.length).toBe(events.length));
      expect(before).toHaveLength(handledBeforeClose);
      expect(new Set([...idsOf(before), ...idsOf(after)])).toEqual(new Set(events.map((event) => event.id)));
      expect(idsOf(after).filter((id) => idsOf(before).includes(id))).toEqual([]);
      for (const stream of new Set(events.map((event) => event.stream))) {
        expect([...revisionsOf(before, stream), ...revisionsOf(after, stream)]).toEqual([...Array(10).keys()]);
      }
    });

    it('given a group that joins long after the first events were published, then it receives every event, in order per stream', async () => {
      const topic = uniqueName('late');
      const events = positioned(interleaved(uniqueName('stream'), 5, 40));
      const withHistory = await open({ [topic]: sourceOf(events) });
      try {
        const early: Delivery[] = [];
        await withHistory.subscribe({
          groupId: uniqueName('early'),
          topics: [topic],
          fromBeginning: true,
          onEvent: async (event, meta) => void early.push({ event, meta }),
        });
        await publishInChunks(withHistory, topic, events, 9);
        await waitFor(() => expect(early).toHaveLength(events.length));

        const late: Delivery[] = [];
        await withHistory.subscribe({
          groupId: uniqueName('late'),
          topics: [topic],
          fromBeginning: true,
          onEvent: async (event, meta) => void late.push({ event, meta }),
        });

        await waitFor(() => expect(late).toHaveLength(events.length));
        expect(new Set(idsOf(late))).toEqual(new Set(events.map((event) => event.id)));
        for (const stream of new Set(events.map((event) => event.stream))) {
          expect(revisionsOf(late, stream)).toEqual([...Array(40).keys()]);
        }
        expect(late.map(({ event }) => event)).toEqual(expect.arrayContaining(events));
      } finally {
        await withHistory.close();
      }
    });

    it('given a group closed part way while publishing went on, when it subscribes again, then it resumes right after its committed events', async () => {
      const topic = uniqueName('resume-late');
      const groupId = uniqueName('group');
      const events = positioned(interleaved(uniqueName('stream'), 4, 30));
      const withHistory = await open({ [topic]: sourceOf(events) });
      try {
        await publishInChunks(withHistory, topic, events.slice(0, 40), 8);
        const before: Delivery[] = [];
        const someHandled = latch();
        const first = await withHistory.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          async onEvent(event, meta) {
            before.push({ event, meta });
            if (before.length === 10) someHandled.fire();
          },
        });
        await someHandled.fired;
        await first.close();
        await publishInChunks(withHistory, topic, events.slice(40), 8);

        const after: Delivery[] = [];
        await withHistory.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          onEvent: async (event, meta) => void after.push({ event, meta }),
        });

        await waitFor(() => expect(before.length + after.length).toBe(events.length));
        expect(new Set([...idsOf(before), ...idsOf(after)])).toEqual(new Set(events.map((event) => event.id)));
        for (const stream of new Set(events.map((event) => event.stream))) {
          expect([...revisionsOf(before, stream), ...revisionsOf(after, stream)]).toEqual([...Array(30).keys()]);
        }
      } finally {
        await withHistory.close();
      }
    });

    it('given two groups on one topic, then each group receives every event', async () => {
      const topic = uniqueName('fanout');
      const events = interleaved(uniqueName('stream'), 3, 5);
      const dashboards: Delivery[] = [];
      const projections: Delivery[] = [];
      await record(dashboards, uniqueName('dashboards'), [topic]);
      await record(projections, uniqueName('projections'), [topic]);

      await publishInChunks(bus, topic, events, 4);

      await waitFor(() => {
        expect(idsOf(dashboards)).toHaveLength(events.length);
        expect(idsOf(projections)).toHaveLength(events.length);
      });
      expect(new Set(idsOf(dashboards))).toEqual(new Set(events.map((event) => event.id)));
      expect(new Set(idsOf(projections))).toEqual(new Set(events.map((event) => event.id)));
    });

    it('given two members of one group, then they share the partitions and each event is handled once', async () => {
      const topic = uniqueName('share');
      const groupId = uniqueName('group');
      const events = interleaved(uniqueName('stream'), 40, 2);
      const left: Delivery[] = [];
      const right: Delivery[] = [];
      await record(left, groupId, [topic]);
      await record(right, groupId, [topic]);

      await bus.publish(topic, events);

      await waitFor(() => expect(left.length + right.length).toBe(events.length));
      expect(left.length).toBeGreaterThan(0);
      expect(right.length).toBeGreaterThan(0);
      expect(new Set([...idsOf(left), ...idsOf(right)]).size).toBe(events.length);
      const leftPartitions = new Set(left.map(({ meta }) => meta.partition));
      expect(right.filter(({ meta }) => leftPartitions.has(meta.partition))).toEqual([]);
    });

    it('given a new group that does not start from the beginning, then it receives only events published after subscribing', async () => {
      const topic = uniqueName('latest');
      const earlier = envelope('statement-1', 0);
      const later = envelope('statement-1', 1);
      await bus.publish(topic, [earlier]);
      const deliveries: Delivery[] = [];
      await record(deliveries, uniqueName('group'), [topic], { fromBeginning: false });

      await bus.publish(topic, [later]);

      await waitFor(() => expect(deliveries).toHaveLength(1));
      expect(deliveries[0]?.event).toEqual(later);
    });

    it('given events on many partitions, then a subscriber handler is never called concurrently with itself', async () => {
      const topic = uniqueName('serial');
      const events = interleaved(uniqueName('stream'), 9, 3);
      let active = 0;
      let mostActive = 0;
      let handled = 0;
      await bus.subscribe({
        groupId: uniqueName('group'),
        topics: [topic],
        fromBeginning: true,
        async onEvent() {
          active++;
          mostActive = Math.max(mostActive, active);
          await new Promise((resolve) => setTimeout(resolve, 2));
          active--;
          handled++;
        },
      });

      await bus.publish(topic, events);

      await waitFor(() => expect(handled).toBe(events.length));
      expect(mostActive).toBe(1);
    });

    it('given a running subscriber, then each published event reaches it well within a second', async () => {
      const topic = uniqueName('latency');
      let arrived = latch();
      await bus.subscribe({
        groupId: uniqueName('group'),
        topics: [topic],
        async onEvent() {
          arrived.fire();
        },
      });
      const roundTrip = async (stream: string): Promise<number> => {
        arrived = latch();
        const started = performance.now();
        await bus.publish(topic, [envelope(stream, 0)]);
        await within(arrived.fired, timeout);
        return performance.now() - started;
      };
      // The first publish also pays for connecting and learning where the partitions live.
      await roundTrip('warm-up');

      const latencies: number[] = [];
      for (let i = 0; i < 5; i++) latencies.push(await roundTrip(`statement-${i}`));

      expect(Math.max(...latencies)).toBeLessThan(1_000);
    });

    it('rejects topic names Kafka would reject, and subscriptions without a group or topics', async () => {
      await expect(bus.publish('no spaces/allowed', [envelope('s', 0)])).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'topic' },
      });
      const onEvent = async () => {};
      await expect(bus.subscribe({ groupId: ' ', topics: [uniqueName('t')], onEvent })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'groupId' },
      });
      await expect(bus.subscribe({ groupId: uniqueName('group'), topics: [], onEvent })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { field: 'topics' },
      });
    });

    it('given a closed bus, then publishing and subscribing fail', async () => {
      await bus.close();
      await expect(bus.publish(uniqueName('closed'), [envelope('s', 0)])).rejects.toMatchObject({ code: 'INTERNAL' });
      await expect(
        bus.subscribe({ groupId: uniqueName('group'), topics: [uniqueName('closed')], onEvent: async () => {} }),
      ).rejects.toMatchObject({ code: 'INTERNAL' });
    });
  });
}
