import { HubError } from '@hub/errors';
import type { EventCatalogue, EventEnvelope, NewEvent } from '@hub/event-catalogue';
import { followAll, Signal } from '../live.js';
import {
  type AllSlice,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  checkExpected,
  type EventStore,
  NO_STREAM,
  type ReadStreamOptions,
  type StreamAppend,
  type StreamSlice,
  validateExpected,
  validateStreamName,
} from '../port.js';

/** For fast unit tests only: everything lives in this process and is gone when it ends. */
export function memoryEventStore(catalogue: EventCatalogue): EventStore {
  const all: EventEnvelope[] = [];
  const streams = new Map<string, EventEnvelope[]>();
  const ids = new Set<string>();
  const signal = new Signal();

  const positionOf = (checkpoint: Checkpoint | null): number => {
    if (checkpoint === null) return 0;
    const n = Number(checkpoint);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new HubError('BAD_USER_INPUT', `checkpoint ${checkpoint} is not one of this store's`, {
        field: 'checkpoint',
      });
    }
    return n;
  };

  const store: EventStore = {
    adapter: 'memory',
    async append(stream: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
      const [result] = await store.appendMany([{ stream, events, expected: options.expected }]);
      return result as AppendResult;
    },
    async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
      // Everything is checked against a staged view first, so a failing append leaves no trace.
      const staged = new Map<string, EventEnvelope[]>();
      const batchIds = new Set<string>();
      const pending: EventEnvelope[] = [];
      const results: AppendResult[] = [];
      const recordedAt = new Date().toISOString();
      for (const { stream, events, expected = 'any' } of appends) {
        validateStreamName(stream);
        validateExpected(expected);
        const prepared = events.map((event) => catalogue.prepare(event));
        const existing = staged.get(stream) ?? streams.get(stream) ?? [];
        checkExpected(stream, expected, existing.length - 1);
        for (const event of prepared) {
          if (ids.has(event.id) || batchIds.has(event.id)) {
            throw new HubError('DUPLICATE_EVENT', `event ${event.id} was already appended`, { eventId: event.id });
          }
          batchIds.add(event.id);
        }
        const appended = prepared.map(
          (event, i): EventEnvelope => ({
            id: event.id,
            type: event.type,
            schemaVersion: event.schemaVersion,
            stream,
            revision: existing.length + i,
            position: String(all.length + pending.length + i + 1),
            recordedAt,
            ...event.metadata,
            data: structuredClone(event.data),
          }),
        );
        pending.push(...appended);
        staged.set(stream, [...existing, ...appended]);
        results.push({
          nextExpectedRevision: existing.length + appended.length - 1,
          position: String(all.length + pending.length),
          events: appended,
        });
      }
      if (pending.length === 0) return results;
      all.push(...pending);
      for (const [stream, events] of staged) streams.set(stream, events);
      for (const id of batchIds) ids.add(id);
      signal.emit();
      return results;
    },
    async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StreamSlice> {
      const events = streams.get(stream) ?? [];
      return {
        revision: events.length - 1 >= 0 ? events.length - 1 : NO_STREAM,
        events: events.slice(options.fromRevision ?? 0).map((e) => catalogue.upcast(e)),
      };
    },
    async readAll(from: Checkpoint | null, limit: number): Promise<AllSlice> {
      const start = positionOf(from);
      const events = all.slice(start, start + limit).map((e) => catalogue.upcast(e));
      return { events, checkpoint: events.length > 0 ? (events[events.length - 1] as EventEnvelope).position : from };
    },
    onAppended: signal.listen,
    subscribe: (options) => followAll(store, signal.listen, options),
    async count() {
      return all.length;
    },
    async close() {},
  };
  return store;
}
