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
      validateStreamName(stream);
      const expected = options.expected ?? 'any';
      validateExpected(expected);
      const prepared = events.map((event) => catalogue.prepare(event));
      const existing = streams.get(stream) ?? [];
      checkExpected(stream, expected, existing.length - 1);
      const batchIds = new Set<string>();
      for (const event of prepared) {
        if (ids.has(event.id) || batchIds.has(event.id)) {
          throw new HubError('DUPLICATE_EVENT', `event ${event.id} was already appended`, { eventId: event.id });
        }
        batchIds.add(event.id);
      }
      if (prepared.length === 0) {
        return { nextExpectedRevision: existing.length - 1, position: String(all.length), events: [] };
      }
      const recordedAt = new Date().toISOString();
      const appended = prepared.map(
        (event, i): EventEnvelope => ({
          id: event.id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          stream,
          revision: existing.length + i,
          position: String(all.length + i + 1),
          recordedAt,
          ...event.metadata,
          data: structuredClone(event.data),
        }),
      );
      all.push(...appended);
      streams.set(stream, [...existing, ...appended]);
      for (const id of batchIds) ids.add(id);
      signal.emit();
      const last = appended[appended.length - 1] as EventEnvelope;
      return { nextExpectedRevision: last.revision, position: last.position, events: appended };
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
    subscribe: (options) => followAll(store, signal.listen, options),
    async count() {
      return all.length;
    },
    async close() {},
  };
  return store;
}
