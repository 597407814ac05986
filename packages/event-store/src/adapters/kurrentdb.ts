/**
 * The production event store (design §3, §7): a KurrentDB cluster through `@kurrent/kurrentdb-client`,
 * the renamed successor of `@eventstore/db-client` (same API lineage), maintained by the same vendor
 * for KurrentDB servers.
 *
 * How it differs from the SQL adapters, because KurrentDB decides these things itself:
 * - DUPLICATE_EVENT covers repeated ids within one batch only. KurrentDB does not index event ids
 *   across the store: an exact retry of an append (same ids, same stream, same expected revision)
 *   is accepted idempotently and answers with the first append's result, and an id reused in
 *   another stream is written again. The command handler replays keyed commands from the stream
 *   before appending, so retried mutations stay exactly-once; reusing an idempotency key on a
 *   different stream is not detected here.
 * - count() is null: KurrentDB has no cheap total of user events.
 * - appendMany is atomic per stream only: the appends run one after another, and a failing one
 *   leaves the earlier ones written (an exact retry of those is accepted idempotently, see above).
 *   The client's multiStreamAppend is atomic, but it needs KurrentDB 25.1 and takes metadata as
 *   flat string properties only, which cannot carry this store's envelope (actor, schemaVersion).
 * - Positions come from the server, so it must report them on stream reads (KurrentDB and
 *   EventStoreDB 22.6 or later do).
 *
 * The client is loaded on first use, so services that never talk to KurrentDB do not pay for its
 * gRPC stack and native bridge at startup.
 */
import { HubError } from '@hub/errors';
import type { EventCatalogue, EventEnvelope, EventMetadata, NewEvent, PreparedEvent } from '@hub/event-catalogue';
import type * as Kurrent from '@kurrent/kurrentdb-client';
import {
  type AllSlice,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  checkExpected,
  type EventStore,
  type ExpectedRevision,
  NO_STREAM,
  type ReadStreamOptions,
  type StreamAppend,
  type StreamSlice,
  type SubscribeOptions,
  type Subscription,
  validateExpected,
  validateStreamName,
  wrongExpectedRevision,
} from '../port.js';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@db-1:2113,db-2:2113,db-3:2113?tls=true` */
  readonly connectionString: string;
  readonly catalogue: EventCatalogue;
}

/** What we keep in an event's metadata: our envelope fields, plus KurrentDB's own correlation keys. */
interface StoredMetadata extends EventMetadata {
  readonly schemaVersion: number;
  readonly $correlationId: string;
  readonly $causationId?: string;
}

export function toStreamState(expected: ExpectedRevision): Kurrent.AppendStreamState {
  switch (expected) {
    case 'any':
      return 'any';
    case 'no_stream':
      return 'no_stream';
    case 'exists':
      return 'stream_exists';
    default:
      return BigInt(expected);
  }
}

export const revisionOf = (state: Kurrent.CurrentStreamState): number =>
  state === 'no_stream' ? NO_STREAM : Number(state);

export const encodeCheckpoint = (position: Kurrent.Position): Checkpoint => `${position.commit}:${position.prepare}`;

const CHECKPOINT = /^(\d{1,20}):(\d{1,20})$/;

export function decodeCheckpoint(checkpoint: Checkpoint): Kurrent.Position {
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) {
    throw new HubError('BAD_USER_INPUT', `checkpoint ${checkpoint} is not one of this store's`, {
      field: 'checkpoint',
    });
  }
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
}

/** True when `position` comes strictly after `than` in $all. */
export const isAfter = (position: Kurrent.Position, than: Kurrent.Position): boolean =>
  position.commit > than.commit || (position.commit === than.commit && position.prepare > than.prepare);

// The client's error classes are compared by their `type` tag, so that this module can test for
// them without loading the client.
const hasErrorType = (error: unknown, type: `${Kurrent.ErrorType}`): boolean =>
  error instanceof Error && (error as { type?: unknown }).type === type;

export const isWrongExpectedVersion = (error: unknown): error is Kurrent.WrongExpectedVersionError =>
  hasErrorType(error, 'wrong-expected-version');

export const isStreamNotFound = (error: unknown): error is Kurrent.StreamNotFoundError =>
  hasErrorType(error, 'stream-not-found');

/** A failed append as the port reports it: a revision conflict names the actual revision. */
export function appendError(stream: string, expected: ExpectedRevision, error: unknown): unknown {
  return isWrongExpectedVersion(error) ? wrongExpectedRevision(stream, expected, revisionOf(error.actualState)) : error;
}

/** KurrentDB's own events ($stats, $metadata, links, projections) never reach our readers. */
export const isSystemEvent = (event: { readonly streamId: string; readonly type: string }): boolean =>
  event.streamId.startsWith('$') || event.type.startsWith('$');

export function toEventData(event: PreparedEvent): Kurrent.EventData {
  const metadata = {
    schemaVersion: event.schemaVersion,
    ...event.metadata,
    // KurrentDB's $by_correlation_id projection and its UI read these keys.
    $correlationId: event.metadata.correlationId,
    ...(event.metadata.causationId === null ? {} : { $causationId: event.metadata.causationId }),
  } satisfies StoredMetadata;
  return { id: event.id, contentType: 'application/json', type: event.type, data: event.data, metadata };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

function isStoredMetadata(value: unknown): value is StoredMetadata {
  if (!isRecord(value)) return false;
  const { schemaVersion, occurredAt, actor, organizationId, correlationId, causationId } = value;
  return (
    typeof schemaVersion === 'number' &&
    Number.isSafeInteger(schemaVersion) &&
    schemaVersion >= 1 &&
    typeof occurredAt === 'string' &&
    typeof correlationId === 'string' &&
    isStringOrNull(organizationId) &&
    isStringOrNull(causationId) &&
    (actor === null || (isRecord(actor) && typeof actor.userId === 'string' && isStringOrNull(actor.organizationId)))
  );
}

/** The envelope of a stored event, at the version it was written (callers upcast). */
export function toEnvelope(recorded: Kurrent.RecordedEvent): EventEnvelope {
  const where = `event ${recorded.id} in stream ${recorded.streamId}`;
  if (!recorded.position) {
    throw new HubError(
      'INTERNAL',
      `KurrentDB did not report the $all position of ${where}: use KurrentDB 22.6 or later`,
    );
  }
  const data: unknown = recorded.data;
  const metadata: unknown = recorded.metadata;
  if (!recorded.isJson || !isRecord(data) || !isStoredMetadata(metadata)) {
    throw new HubError('INTERNAL', `${where} was not written by this event store (JSON data and hub metadata)`, {
      eventId: recorded.id,
      stream: recorded.streamId,
    });
  }
  return {
    id: recorded.id,
    type: recorded.type,
    schemaVersion: metadata.schemaVersion,
    stream: recorded.streamId,
    revision: Number(recorded.revision),
    position: encodeCheckpoint(recorded.position),
    occurredAt: metadata.occurredAt,
    recordedAt: recorded.created.toISOString(),
    actor:
      metadata.actor === null ? null : { userId: metadata.actor.userId, organizationId: metadata.actor.organizationId },
    organizationId: metadata.organizationId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    data,
  };
}

function rejectRepeatedIds(events: readonly PreparedEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) {
      throw new HubError('DUPLICATE_EVENT', `event ${event.id} appears twice in one append`, { eventId: event.id });
    }
    seen.add(event.id);
  }
}

function validateFromRevision(fromRevision: number): void {
  if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
    throw new HubError('BAD_USER_INPUT', `fromRevision ${fromRevision} must be a whole number ≥ 0`, {
      field: 'fromRevision',
    });
  }
}

function validateLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new HubError('BAD_USER_INPUT', `limit ${limit} must be a whole number ≥ 0`, { field: 'limit' });
  }
}

const START_OF_ALL: Checkpoint = encodeCheckpoint({ commit: 0n, prepare: 0n });

export async function kurrentDbEventStore(options: KurrentDbEventStoreOptions): Promise<EventStore> {
  const kurrent = await import('@kurrent/kurrentdb-client');
  let client: Kurrent.KurrentDBClient;
  try {
    client = kurrent.KurrentDBClient.connectionString(options.connectionString);
  } catch (error) {
    // The client's message names the fault and its position; the string itself may hold a password.
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubError('BAD_USER_INPUT', `KurrentDB connection string is not valid: ${reason}`, {
      field: 'connectionString',
    });
  }
  const { catalogue } = options;
  const userEvents = () => kurrent.excludeSystemEvents();
  const subscriptions = new Set<Subscription>();

  async function headRevision(stream: string): Promise<number> {
    try {
      for await (const resolved of client.readStream(stream, {
        direction: 'backwards',
        fromRevision: 'end',
        maxCount: 1,
        requiresLeader: true,
      })) {
        if (resolved.event) return Number(resolved.event.revision);
      }
      return NO_STREAM;
    } catch (error) {
      if (isStreamNotFound(error)) return NO_STREAM;
      throw error;
    }
  }

  /** The checkpoint of the newest non-system event in $all: what an append of nothing reports. */
  async function headOfAll(): Promise<Checkpoint> {
    for await (const resolved of client.readAll({
      direction: 'backwards',
      fromPosition: 'end',
      maxCount: 1,
      filter: userEvents(),
    })) {
      if (resolved.event) return encodeCheckpoint(resolved.event.position);
    }
    return START_OF_ALL;
  }

  /** The events just appended, as the server recorded them (positions and times are its own). */
  async function readBack(stream: string, events: readonly PreparedEvent[], lastRevision: number) {
    const firstRevision = lastRevision - events.length + 1;
    const written: EventEnvelope[] = [];
    for await (const resolved of client.readStream(stream, {
      fromRevision: BigInt(firstRevision),
      maxCount: events.length,
      requiresLeader: true,
    })) {
      if (resolved.event) written.push(toEnvelope(resolved.event));
    }
    if (written.length !== events.length || written.some((event, i) => event.id !== events[i]?.id)) {
      throw new HubError(
        'INTERNAL',
        `stream ${stream}: the appended events are not at revisions ${firstRevision}..${lastRevision}`,
        { stream },
      );
    }
    return written;
  }

  function subscribe(options: SubscribeOptions): Subscription {
    const start = options.from == null ? null : decodeCheckpoint(options.from);
    let checkpoint: Checkpoint | null = options.from ?? null;
    let last = start;
    let closing = false;
    let stopped = false;
    const source = client.subscribeToAll(
      { fromPosition: start ?? 'start', filter: userEvents() },
      { highWaterMark: options.batchSize ?? 500 },
    );
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      try {
        await source.unsubscribe();
      } catch {
        // The call never started (its failure already went to onError): there is nothing to cancel.
      } finally {
        // Cancelling the gRPC call does not always end the readable; destroying it ends the loop.
        source.destroy();
      }
    };

    async function deliver(): Promise<void> {
      try {
        for await (const resolved of source) {
          if (closing) return;
          const recorded = resolved.event;
          // Starting from a position is exclusive; the check keeps it so should a server differ.
          if (!recorded || (last !== null && !isAfter(recorded.position, last)) || isSystemEvent(recorded)) continue;
          const envelope = catalogue.upcast(toEnvelope(recorded));
          await options.onEvent(envelope);
          last = recorded.position;
          checkpoint = envelope.position;
        }
        if (!closing) throw new HubError('INTERNAL', 'the KurrentDB subscription to $all ended unexpectedly');
      } catch (error) {
        if (!closing) options.onError?.(error);
      } finally {
        await stop();
      }
    }

    const delivering = deliver();
    const subscription: Subscription = {
      checkpoint: () => checkpoint,
      async close() {
        closing = true;
        await stop();
        await delivering;
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  const store: EventStore = {
    adapter: 'kurrentdb',

    async append(stream: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
      validateStreamName(stream);
      const expected = options.expected ?? 'any';
      validateExpected(expected);
      const prepared = events.map((event) => catalogue.prepare(event));
      rejectRepeatedIds(prepared);
      if (prepared.length === 0) {
        const current = await headRevision(stream);
        checkExpected(stream, expected, current);
        return { nextExpectedRevision: current, position: await headOfAll(), events: [] };
      }
      let result: Kurrent.AppendResult;
      try {
        result = await client.appendToStream(stream, prepared.map(toEventData), {
          streamState: toStreamState(expected),
        });
      } catch (error) {
        throw appendError(stream, expected, error);
      }
      // Only with throwOnAppendFailure=false in the connection string; the result then lacks the
      // actual revision, so ask for it.
      if (!result.success) throw wrongExpectedRevision(stream, expected, await headRevision(stream));
      const written = await readBack(stream, prepared, Number(result.nextExpectedRevision));
      const last = written[written.length - 1] as EventEnvelope;
      return { nextExpectedRevision: last.revision, position: last.position, events: written };
    },

    async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
      // Everything is validated first, so bad input writes nothing even without atomicity.
      for (const { stream, events, expected = 'any' } of appends) {
        validateStreamName(stream);
        validateExpected(expected);
        rejectRepeatedIds(events.map((event) => catalogue.prepare(event)));
      }
      const results: AppendResult[] = [];
      for (const { stream, events, expected } of appends)
        results.push(await store.append(stream, events, { expected }));
      return results;
    },

    async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StreamSlice> {
      const fromRevision = options.fromRevision ?? 0;
      validateFromRevision(fromRevision);
      const events: EventEnvelope[] = [];
      try {
        for await (const resolved of client.readStream(stream, { fromRevision: BigInt(fromRevision) })) {
          if (resolved.event) events.push(catalogue.upcast(toEnvelope(resolved.event)));
        }
      } catch (error) {
        if (isStreamNotFound(error)) return { revision: NO_STREAM, events: [] };
        throw error;
      }
      const last = events[events.length - 1];
      return { revision: last ? last.revision : await headRevision(stream), events };
    },

    async readAll(from: Checkpoint | null, limit: number): Promise<AllSlice> {
      const after = from === null ? null : decodeCheckpoint(from);
      validateLimit(limit);
      const events: EventEnvelope[] = [];
      let cursor = after;
      // Reading from a position includes the event at it, hence one extra; the server filters
      // out events with system types, and events of system streams are dropped here, so a page
      // can come back short and the read goes on from where it stopped.
      while (events.length < limit) {
        const wanted = limit - events.length + (cursor === null ? 0 : 1);
        let seen = 0;
        let lastSeen: Kurrent.Position | undefined;
        for await (const resolved of client.readAll({
          fromPosition: cursor ?? 'start',
          maxCount: wanted,
          filter: userEvents(),
        })) {
          seen++;
          const recorded = resolved.event;
          if (!recorded || (cursor !== null && !isAfter(recorded.position, cursor))) continue;
          if (events.length === limit) break;
          lastSeen = recorded.position;
          if (!isSystemEvent(recorded)) events.push(catalogue.upcast(toEnvelope(recorded)));
        }
        if (seen < wanted || lastSeen === undefined) break;
        cursor = lastSeen;
      }
      const last = events[events.length - 1];
      return { events, checkpoint: last ? last.position : from };
    },

    subscribe,

    async count() {
      return null;
    },

    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await client.dispose();
    },
  };
  return store;
}
