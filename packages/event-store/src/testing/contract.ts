import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope, NewEvent } from '@hub/event-catalogue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Checkpoint, type EventStore, type ExpectedRevision, NO_STREAM } from '../port.js';
import { counted, noted, notedV1 } from './catalogue.js';

export interface OpenedStore {
  readonly store: EventStore;
  readonly close: () => Promise<void>;
}

export interface ContractOptions {
  /** Rounds of the concurrent-writers no-skip test; default 5. */
  readonly concurrencyRounds?: number;
  /**
   * Whether the store refuses an event id that another stream already holds. KurrentDB checks ids
   * per stream only (its idempotent append), so for it the cross-stream case is not asserted.
   */
  readonly uniqueEventIdsAcrossStreams?: boolean;
  /**
   * Whether `appendMany` is all or nothing when a later append fails after validation (a revision
   * conflict). KurrentDB appends stream by stream, so for it the partial case is not asserted.
   */
  readonly atomicAcrossStreams?: boolean;
}

const WRITERS = 8;
/** How long a test waits for committed events to become visible in global order. */
const SETTLE_MS = 15_000;
const BATCHES_PER_WRITER = 25;

/**
 * The behaviour every EventStore adapter must show (design §3). `open` must return a store built
 * on `testCatalogue()`; one store serves the whole suite, so tests use fresh stream names and read
 * the global order from the head they find when they start.
 */
export function eventStoreContract(name: string, open: () => Promise<OpenedStore>, options: ContractOptions = {}) {
  const rounds = options.concurrencyRounds ?? 5;

  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    let store: EventStore;
    let cursor: Checkpoint | null = null;
    let seen = 0;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened?.close();
    });

    const streamName = (label: string) => `${label}-${randomUUID()}`;

    /** Everything after `from` in global order that is visible now. */
    async function readAllAfter(from: Checkpoint | null): Promise<EventEnvelope[]> {
      const events: EventEnvelope[] = [];
      let checkpoint = from;
      for (;;) {
        const slice = await store.readAll(checkpoint, 1000);
        if (slice.events.length === 0) return events;
        events.push(...slice.events);
        checkpoint = slice.checkpoint;
      }
    }

    /**
     * Waits until at least `count` events after `from` are visible. A store may show a committed
     * event late (PostgreSQL waits for older transactions, in any database, to end), never skip it.
     */
    async function visibleAfter(from: Checkpoint | null, count: number): Promise<EventEnvelope[]> {
      const deadline = Date.now() + SETTLE_MS;
      for (;;) {
        const events = await readAllAfter(from);
        if (events.length >= count) return events;
        if (Date.now() > deadline) return events;
        await sleep(10);
      }
    }

    /** The checkpoint after the last event in the store, once every counted event is visible. */
    async function head(): Promise<Checkpoint | null> {
      const deadline = Date.now() + SETTLE_MS;
      for (;;) {
        const slice = await store.readAll(cursor, 1000);
        seen += slice.events.length;
        cursor = slice.checkpoint;
        if (slice.events.length > 0) continue;
        const total = await store.count();
        if (total === null || seen >= total) return cursor;
        if (Date.now() > deadline)
          throw new Error(`readAll shows ${seen} of the ${total} events after ${SETTLE_MS} ms`);
        await sleep(10);
      }
    }

    /** A stream at revision 1 (two events), or NO_STREAM when `events` is 0. */
    async function streamWith(events: 0 | 2): Promise<string> {
      const stream = streamName('given');
      if (events > 0) await store.append(stream, [counted(1), counted(2)], { expected: 'no_stream' });
      return stream;
    }

    describe('appending and reading one stream', () => {
      it('given a new stream, when three events are appended, then they get revisions 0..2 and read back unchanged', async () => {
        const stream = streamName('order');
        const actor = { userId: 'user-1', organizationId: 'org-moh' };
        const events: NewEvent[] = [
          counted(1, { occurredAt: '2025-07-01T01:02:03.000Z', actor, organizationId: 'org-moh' }),
          noted('Thông cáo báo chí', { correlationId: 'corr-1', causationId: 'cause-1' }),
          counted(3),
        ];

        const result = await store.append(stream, events, { expected: 'no_stream' });

        expect(result.nextExpectedRevision).toBe(2);
        expect(result.events.map((e) => [e.id, e.stream, e.revision])).toEqual(events.map((e, i) => [e.id, stream, i]));
        expect(result.position).toBe(result.events[2]?.position);
        expect(result.events[0]).toMatchObject({
          type: 'TestCounted',
          schemaVersion: 1,
          occurredAt: '2025-07-01T01:02:03.000Z',
          actor,
          organizationId: 'org-moh',
          correlationId: events[0]?.id,
          causationId: null,
          data: { by: 1 },
        });
        expect(result.events[1]).toMatchObject({
          schemaVersion: 2,
          correlationId: 'corr-1',
          causationId: 'cause-1',
          actor: null,
          organizationId: null,
          data: { text: 'Thông cáo báo chí', language: 'vi' },
        });
        for (const event of result.events) {
          expect(Math.abs(Date.parse(event.recordedAt) - Date.now())).toBeLessThan(60_000);
          expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
        }
        expect(await store.readStream(stream)).toEqual({ revision: 2, events: result.events });
      });

      it('given no events in a stream, when it is read, then its revision is NO_STREAM (-1) and it has no events', async () => {
        expect(NO_STREAM).toBe(-1);
        expect(await store.readStream(streamName('unknown'))).toEqual({ revision: NO_STREAM, events: [] });
      });

      it('given five events, when reading from revision 3, then only revisions 3 and 4 come back with the head revision', async () => {
        const stream = streamName('from');
        await store.append(stream, [counted(), counted(), counted(), counted(), counted()]);

        const slice = await store.readStream(stream, { fromRevision: 3 });
        expect(slice.revision).toBe(4);
        expect(slice.events.map((e) => e.revision)).toEqual([3, 4]);
        expect(await store.readStream(stream, { fromRevision: 9 })).toEqual({ revision: 4, events: [] });
      });
    });

    describe('expected revision', () => {
      // [events in the stream, expected, outcome]: 'ok' or the actual revision the conflict names.
      const cases: [0 | 2, ExpectedRevision, 'ok' | number][] = [
        [0, 'any', 'ok'],
        [0, 'no_stream', 'ok'],
        [0, 'exists', NO_STREAM],
        [0, 0, NO_STREAM],
        [0, 1, NO_STREAM],
        [2, 'any', 'ok'],
        [2, 'no_stream', 1],
        [2, 'exists', 'ok'],
        [2, 1, 'ok'],
        [2, 0, 1],
        [2, 2, 1],
      ];
      const withBatchSizes = cases.flatMap(([events, expected, outcome]) =>
        [1, 0].map((batch) => ({
          events,
          expected,
          outcome,
          batch,
          appending: batch === 0 ? 'nothing' : 'one event',
          expecting: String(expected),
          result: outcome === 'ok' ? 'it succeeds' : `the conflict names revision ${outcome}`,
        })),
      );

      it.each(
        withBatchSizes,
      )('given a stream with $events events, when appending $appending expecting $expecting, then $result', async ({
        events,
        expected,
        outcome,
        batch,
      }) => {
        const stream = await streamWith(events);
        const revisionBefore = events - 1;
        const appending = store.append(stream, batch === 0 ? [] : [counted()], { expected });

        if (outcome === 'ok') {
          const result = await appending;
          expect(result.nextExpectedRevision).toBe(revisionBefore + batch);
          expect(result.events.map((e) => e.revision)).toEqual(batch === 0 ? [] : [revisionBefore + 1]);
        } else {
          await expect(appending).rejects.toMatchObject({
            code: 'WRONG_EXPECTED_REVISION',
            details: { stream, expected, actualRevision: outcome },
          });
        }
        const after = await store.readStream(stream);
        expect(after.revision).toBe(outcome === 'ok' ? revisionBefore + batch : revisionBefore);
      });

      it('given a negative expected revision, when appending, then it is bad input on the expected field', async () => {
        await expect(store.append(streamName('negative'), [counted()], { expected: -1 })).rejects.toMatchObject({
          code: 'BAD_USER_INPUT',
          details: { field: 'expected' },
        });
      });

      it('given a stream name starting with $, when appending, then it is bad input on the stream field', async () => {
        await expect(store.append('$all', [counted()])).rejects.toMatchObject({
          code: 'BAD_USER_INPUT',
          details: { field: 'stream' },
        });
      });
    });

    describe('atomic append', () => {
      async function expectNothingAppended(stream: string, start: Checkpoint | null, countBefore: number | null) {
        expect((await store.readStream(stream)).revision).toBe(1);
        expect(await readAllAfter(start)).toEqual([]);
        expect(await store.count()).toBe(countBefore);
      }

      it('given a batch with one schema-invalid event, when appended, then EVENT_SCHEMA_VIOLATION names the field and nothing is written', async () => {
        const stream = await streamWith(2);
        const start = await head();
        const countBefore = await store.count();

        await expect(store.append(stream, [counted(1), counted(0)], { expected: 1 })).rejects.toMatchObject({
          code: 'EVENT_SCHEMA_VIOLATION',
          details: { field: 'data.by' },
        });
        await expect(
          store.append(stream, [{ type: 'TestNoted', data: { language: 'vi' } }], { expected: 1 }),
        ).rejects.toMatchObject({ code: 'EVENT_SCHEMA_VIOLATION', details: { field: 'data.text' } });
        await expectNothingAppended(stream, start, countBefore);
      });

      it('given a batch with an unknown event type, when appended, then UNKNOWN_EVENT_TYPE and nothing is written', async () => {
        const stream = await streamWith(2);
        const start = await head();
        const countBefore = await store.count();

        await expect(
          store.append(stream, [counted(), { type: 'TestForgotten', data: {} }], { expected: 1 }),
        ).rejects.toMatchObject({ code: 'UNKNOWN_EVENT_TYPE', details: { type: 'TestForgotten' } });
        await expectNothingAppended(stream, start, countBefore);
      });

      it.runIf(options.uniqueEventIdsAcrossStreams ?? true)(
        'given an event id already in the store, when a batch repeats it, then DUPLICATE_EVENT and none of the batch is written',
        async () => {
          const stream = await streamWith(2);
          const elsewhere = await store.append(streamName('other'), [counted()]);
          const start = await head();
          const countBefore = await store.count();
          const fresh = counted(5);
          const repeated = { ...counted(), id: elsewhere.events[0]?.id };

          await expect(store.append(stream, [fresh, repeated], { expected: 1 })).rejects.toMatchObject({
            code: 'DUPLICATE_EVENT',
            details: { eventId: repeated.id },
          });
          await expectNothingAppended(stream, start, countBefore);
          const retried = await store.append(stream, [fresh], { expected: 1 });
          expect(retried.events.map((e) => e.id)).toEqual([fresh.id]);
        },
      );

      it('given two events with the same id in one batch, when appended, then DUPLICATE_EVENT and nothing is written', async () => {
        const stream = await streamWith(2);
        const start = await head();
        const countBefore = await store.count();
        const twice = counted();

        await expect(store.append(stream, [counted(), twice, twice], { expected: 1 })).rejects.toMatchObject({
          code: 'DUPLICATE_EVENT',
          details: { eventId: twice.id },
        });
        await expectNothingAppended(stream, start, countBefore);
      });

      it('given a store, when events are appended, then count grows by their number (where the adapter counts)', async () => {
        const before = await store.count();
        await store.append(streamName('count'), [counted(), counted(), counted()]);
        const after = await store.count();
        if (before === null) expect(after).toBeNull();
        else expect(after).toBe(before + 3);
      });
    });

    describe('appending to several streams at once', () => {
      async function expectNothingWritten(
        streams: readonly string[],
        start: Checkpoint | null,
        countBefore: number | null,
      ) {
        for (const stream of streams) expect((await store.readStream(stream)).revision).toBe(NO_STREAM);
        expect(await readAllAfter(start)).toEqual([]);
        expect(await store.count()).toBe(countBefore);
      }

      it('given appends to three streams, when appended together, then each gets its result and readAll shows them in the order given', async () => {
        const start = await head();
        const [a, b] = [streamName('many-a'), streamName('many-b')];

        const results = await store.appendMany([
          { stream: a, events: [counted(1), counted(2)], expected: 'no_stream' },
          { stream: b, events: [noted('một')] },
          { stream: streamName('many-c'), events: [counted(3)], expected: 'any' },
        ]);

        expect(results.map((r) => [r.nextExpectedRevision, r.events.length])).toEqual([
          [1, 2],
          [0, 1],
          [0, 1],
        ]);
        for (const result of results) expect(result.position).toBe(result.events.at(-1)?.position);
        const appended = results.flatMap((r) => r.events);
        expect(await visibleAfter(start, appended.length)).toEqual(appended);
        expect((await store.readStream(a)).events).toEqual(results[0]?.events);
      });

      it('given the same stream twice in one call, when appended, then the second continues after the first', async () => {
        const stream = streamName('many-twice');

        const [first, second] = await store.appendMany([
          { stream, events: [counted(1), counted(2)], expected: 'no_stream' },
          { stream, events: [counted(3)], expected: 1 },
        ]);

        expect(first?.nextExpectedRevision).toBe(1);
        expect(second?.nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream)).events.map((e) => e.data)).toEqual([{ by: 1 }, { by: 2 }, { by: 3 }]);
      });

      it('given an empty list, when appended, then nothing is written and no result comes back', async () => {
        const countBefore = await store.count();
        expect(await store.appendMany([])).toEqual([]);
        expect(await store.count()).toBe(countBefore);
      });

      it('given a schema-invalid event in the last append, when appended together, then the error names the field and nothing is written', async () => {
        const streams = [streamName('many-valid'), streamName('many-invalid')];
        const start = await head();
        const countBefore = await store.count();

        await expect(
          store.appendMany([
            { stream: streams[0] as string, events: [counted(1)] },
            { stream: streams[1] as string, events: [counted(0)] },
          ]),
        ).rejects.toMatchObject({ code: 'EVENT_SCHEMA_VIOLATION', details: { field: 'data.by' } });
        await expectNothingWritten(streams, start, countBefore);
      });

      it.runIf(options.atomicAcrossStreams ?? true)(
        'given a wrong expectation in the second append, when appended together, then the conflict names that stream and nothing is written',
        async () => {
          const streams = [streamName('many-first'), streamName('many-conflict')];
          const start = await head();
          const countBefore = await store.count();

          await expect(
            store.appendMany([
              { stream: streams[0] as string, events: [counted(1)], expected: 'no_stream' },
              { stream: streams[1] as string, events: [counted(2)], expected: 3 },
            ]),
          ).rejects.toMatchObject({
            code: 'WRONG_EXPECTED_REVISION',
            details: { stream: streams[1], expected: 3, actualRevision: NO_STREAM },
          });
          await expectNothingWritten(streams, start, countBefore);
          const retried = await store.appendMany([
            { stream: streams[0] as string, events: [counted(1)], expected: 'no_stream' },
          ]);
          expect(retried[0]?.nextExpectedRevision).toBe(0);
        },
      );

      it.runIf((options.uniqueEventIdsAcrossStreams ?? true) && (options.atomicAcrossStreams ?? true))(
        'given one event id in two appends of one call, when appended, then DUPLICATE_EVENT names it and nothing is written',
        async () => {
          const streams = [streamName('many-dup-a'), streamName('many-dup-b')];
          const start = await head();
          const countBefore = await store.count();
          const twice = counted();

          await expect(
            store.appendMany([
              { stream: streams[0] as string, events: [counted(), twice] },
              { stream: streams[1] as string, events: [twice] },
            ]),
          ).rejects.toMatchObject({ code: 'DUPLICATE_EVENT', details: { eventId: twice.id } });
          await expectNothingWritten(streams, start, countBefore);
        },
      );

      it.runIf(options.uniqueEventIdsAcrossStreams ?? true)(
        'given an event id already in the store, when a later append of one call repeats it, then DUPLICATE_EVENT and nothing is written',
        async () => {
          const elsewhere = await store.append(streamName('many-existing'), [counted()]);
          const streams = [streamName('many-fresh'), streamName('many-repeat')];
          const start = await head();
          const countBefore = await store.count();
          const repeated = { ...counted(), id: elsewhere.events[0]?.id };

          await expect(
            store.appendMany([
              { stream: streams[0] as string, events: [counted()] },
              { stream: streams[1] as string, events: [repeated] },
            ]),
          ).rejects.toMatchObject({ code: 'DUPLICATE_EVENT', details: { eventId: repeated.id } });
          if (options.atomicAcrossStreams ?? true) await expectNothingWritten(streams, start, countBefore);
        },
      );
    });

    describe('global order', () => {
      it('given appends to several streams, when paging readAll by checkpoint, then every event comes once in append order', async () => {
        const start = await head();
        const [a, b] = [streamName('page-a'), streamName('page-b')];
        const results = [
          await store.append(a, [counted(1), counted(2)]),
          await store.append(b, [noted('một')]),
          await store.append(a, [counted(3), counted(4), counted(5)]),
          await store.append(b, [noted('hai')]),
        ];
        const appended = results.flatMap((r) => r.events);
        await visibleAfter(start, appended.length);

        const pages: EventEnvelope[][] = [];
        let checkpoint = start;
        for (let page = 0; page < 3; page++) {
          const slice = await store.readAll(checkpoint, 3);
          pages.push(slice.events);
          checkpoint = slice.checkpoint;
        }
        const last = await store.readAll(checkpoint, 3);

        expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
        expect(pages.flat()).toEqual(appended);
        expect(checkpoint).toBe(results[3]?.position);
        expect(last).toEqual({ events: [], checkpoint });
      });

      it('given a checkpoint the store never issued, when reading all, then it is bad input on the checkpoint field', async () => {
        await expect(store.readAll('not-a-checkpoint', 10)).rejects.toMatchObject({
          code: 'BAD_USER_INPUT',
          details: { field: 'checkpoint' },
        });
      });
    });

    describe('subscriptions', () => {
      it('given a running subscription, when events are appended, then it receives them live in order', async () => {
        const start = await head();
        const received: EventEnvelope[] = [];
        const subscription = store.subscribe({ from: start, onEvent: (event) => void received.push(event) });
        try {
          const stream = streamName('live');
          await sleep(50);
          const first = await store.append(stream, [counted(1)]);
          const second = await store.append(stream, [counted(2), counted(3)], { expected: 0 });
          const appended = [...first.events, ...second.events];

          await vi.waitFor(() => expect(received).toHaveLength(3), { timeout: SETTLE_MS, interval: 20 });
          expect(received).toEqual(appended);
          expect(subscription.checkpoint()).toBe(second.position);
        } finally {
          await subscription.close();
        }
      });

      it('given a subscription closed at a saved checkpoint, when restarted from it, then it receives exactly the rest', async () => {
        const start = await head();
        const stream = streamName('restart');
        const before = await store.append(stream, [counted(1), counted(2), counted(3)]);
        const firstRun: EventEnvelope[] = [];
        const first = store.subscribe({ from: start, onEvent: (event) => void firstRun.push(event) });
        await vi.waitFor(() => expect(firstRun).toHaveLength(3), { timeout: SETTLE_MS, interval: 20 });
        await first.close();
        const saved = first.checkpoint();

        const after = await store.append(stream, [counted(4), counted(5)], { expected: 2 });
        const secondRun: EventEnvelope[] = [];
        const second = store.subscribe({ from: saved, onEvent: (event) => void secondRun.push(event) });
        try {
          await vi.waitFor(() => expect(secondRun).toHaveLength(2), { timeout: SETTLE_MS, interval: 20 });
          expect(firstRun).toEqual(before.events);
          expect(secondRun).toEqual(after.events);
          expect(await store.readAll(second.checkpoint(), 10)).toMatchObject({ events: [] });
        } finally {
          await second.close();
        }
      });
    });

    describe('upcasting', () => {
      it('given an event stored at v1, when read by any path, then it arrives as v2 with the upcaster’s data', async () => {
        const start = await head();
        const stream = streamName('upcast');
        const written = await store.append(stream, [notedV1('Dự thảo nghị định')]);
        expect(written.events[0]).toMatchObject({ schemaVersion: 1, data: { text: 'Dự thảo nghị định' } });
        const asV2 = { schemaVersion: 2, data: { text: 'Dự thảo nghị định', language: 'vi' } };

        expect((await store.readStream(stream)).events).toMatchObject([asV2]);
        expect(await visibleAfter(start, 1)).toMatchObject([asV2]);
        const received: EventEnvelope[] = [];
        const subscription = store.subscribe({ from: start, onEvent: (event) => void received.push(event) });
        try {
          await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: SETTLE_MS, interval: 20 });
          expect(received).toMatchObject([asV2]);
        } finally {
          await subscription.close();
        }
      });
    });

    describe('concurrency', () => {
      it.each([
        { label: 'a revision', expected: 0 as ExpectedRevision, existing: 1 },
        { label: 'no_stream', expected: 'no_stream' as ExpectedRevision, existing: 0 },
      ])('given $label as expected, when 8 writers race on one stream, then exactly one wins and the others are told its revision', async ({
        expected,
        existing,
      }) => {
        const stream = streamName('race');
        if (existing > 0) await store.append(stream, [counted()], { expected: 'no_stream' });
        const attempts = Array.from({ length: 8 }, () => counted());

        const outcomes = await Promise.allSettled(attempts.map((event) => store.append(stream, [event], { expected })));

        const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
        const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
        expect(won).toHaveLength(1);
        const winnerRevision = existing;
        expect(won[0]?.nextExpectedRevision).toBe(winnerRevision);
        expect(lost).toHaveLength(7);
        for (const reason of lost) {
          expect(reason).toMatchObject({
            code: 'WRONG_EXPECTED_REVISION',
            details: { actualRevision: winnerRevision },
          });
        }
        const slice = await store.readStream(stream);
        expect(slice.revision).toBe(winnerRevision);
        expect(slice.events.at(-1)?.id).toBe(won[0]?.events[0]?.id);
      });

      it(`given ${WRITERS} concurrent writers and a reader following readAll, then the reader gets every acknowledged event exactly once (${rounds} rounds)`, async () => {
        for (let round = 0; round < rounds; round++) {
          const start = await head();
          const streams = Array.from({ length: WRITERS }, (_, w) => streamName(`writer-${round}-${w}`));
          const acknowledged = new Set<string>();

          let drainUntil = Number.POSITIVE_INFINITY;
          const received: EventEnvelope[] = [];
          let readerCheckpoint = start;
          const reader = (async () => {
            // Keeps reading while writers commit out of order, then until it has as many events as
            // were acknowledged (or time runs out): an event skipped by an earlier read can never
            // show up after the reader's checkpoint, so a skip ends as a missing id below.
            for (;;) {
              const slice = await store.readAll(readerCheckpoint, 50);
              received.push(...slice.events);
              readerCheckpoint = slice.checkpoint;
              if (slice.events.length > 0) continue;
              if (received.length >= acknowledged.size && drainUntil < Number.POSITIVE_INFINITY) return;
              if (Date.now() > drainUntil) return;
              await sleep(1);
            }
          })();

          const writers = streams.map(async (stream) => {
            let expected: ExpectedRevision = 'no_stream';
            for (let batch = 0; batch < BATCHES_PER_WRITER; batch++) {
              const events = Array.from({ length: (batch % 3) + 1 }, () => counted(batch + 1));
              const result = await store.append(stream, events, { expected });
              for (const event of result.events) acknowledged.add(event.id);
              expected = result.nextExpectedRevision;
            }
          });
          await Promise.all(writers);
          drainUntil = Date.now() + SETTLE_MS;
          await reader;

          const ids = received.map((e) => e.id);
          expect(new Set(ids).size, `round ${round}: no event twice`).toBe(ids.length);
          expect(new Set(ids), `round ${round}: every acknowledged event`).toEqual(acknowledged);
          for (const stream of streams) {
            const revisions = received.filter((e) => e.stream === stream).map((e) => e.revision);
            expect(revisions, `round ${round}: ${stream} in revision order`).toEqual(revisions.map((_, i) => i));
          }
        }
      });
    });
  });
}
