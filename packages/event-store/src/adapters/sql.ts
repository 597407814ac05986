import { randomUUID } from 'node:crypto';
import { HubError } from '@hub/errors';
import type { EventCatalogue, EventEnvelope, EventMetadata, NewEvent, PreparedEvent } from '@hub/event-catalogue';
import type { SqlClient, SqlExecutor } from '@hub/sql';
import { followAll, Signal, type Wakeup } from '../live.js';
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
  validateExpected,
  validateStreamName,
} from '../port.js';

/** The channel every committed append notifies, so subscriptions in any process wake at once. */
export const EVENT_STORE_CHANNEL = 'es_events_appended';

/**
 * `tx` records the writing transaction's id. Reads in global order go by (tx, global_position) and
 * stop below the oldest transaction still running, so a row that commits late can never land
 * behind a checkpoint a reader already holds (a bigserial alone would allow exactly that).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS es_streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS es_events (
  global_position bigserial PRIMARY KEY,
  tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT es_events_event_id_key UNIQUE (event_id),
  CONSTRAINT es_events_stream_revision_key UNIQUE (stream_id, revision)
);
CREATE INDEX IF NOT EXISTS es_events_tx_position ON es_events (tx, global_position);
`;

/** Creates the event-store tables if missing; safe to run from several processes at once. */
export async function migrateEventStore(sql: SqlClient): Promise<void> {
  await sql.transaction(async (tx) => {
    // CREATE ... IF NOT EXISTS still races on the catalog when two processes start together.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('hub.event-store.schema'))`);
    await tx.exec(SCHEMA);
  });
}

/**
 * How the stream row moves for each expectation. Each returns the stream's new revision, or no
 * row when the expectation does not hold; the row lock it takes serialises appends to one stream.
 * $1 stream, $2 number of events, $4 expected revision.
 */
const ADVANCE_STREAM = {
  any: `INSERT INTO es_streams AS s (stream_id, revision) VALUES ($1, $2::int - 1)
        ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + $2::int RETURNING s.revision`,
  no_stream: `INSERT INTO es_streams (stream_id, revision) VALUES ($1, $2::int - 1)
        ON CONFLICT (stream_id) DO NOTHING RETURNING revision`,
  exists: `UPDATE es_streams SET revision = revision + $2::int WHERE stream_id = $1 RETURNING revision`,
  revision: `UPDATE es_streams SET revision = $4::bigint + $2::int
        WHERE stream_id = $1 AND revision = $4::bigint RETURNING revision`,
} as const;

// One statement per append: no round trips per event and no explicit transaction, which is what
// keeps batch appends close to a plain multi-row INSERT.
const appendStatement = (advance: string): string => `
WITH head AS (${advance}),
appended AS (
  INSERT INTO es_events (stream_id, revision, event_id, type, schema_version, data, metadata)
  SELECT $1, head.revision - $2::int + e.ord, (e.v->>'id')::uuid, e.v->>'type', (e.v->>'schemaVersion')::int,
         e.v->'data', e.v->'metadata'
  FROM head, jsonb_array_elements($3::text::jsonb) WITH ORDINALITY AS e(v, ord)
  ORDER BY e.ord
  RETURNING tx::text AS tx, global_position, revision, recorded_at
)
SELECT * FROM appended ORDER BY revision`;

const APPEND = {
  any: appendStatement(ADVANCE_STREAM.any),
  no_stream: appendStatement(ADVANCE_STREAM.no_stream),
  exists: appendStatement(ADVANCE_STREAM.exists),
  revision: appendStatement(ADVANCE_STREAM.revision),
};

const EVENT_COLUMNS = `e.tx::text AS tx, e.global_position, e.stream_id, e.revision, e.event_id::text AS event_id,
  e.type, e.schema_version, e.data, e.metadata, e.recorded_at`;

// The snapshot's xmin is cluster-wide: a long transaction in any database holds readers back
// until it ends. That delays events; it never loses one.
const READ_ALL = `
SELECT ${EVENT_COLUMNS} FROM es_events e
WHERE e.tx < pg_snapshot_xmin(pg_current_snapshot()) AND (e.tx, e.global_position) > ($1::text::xid8, $2::bigint)
ORDER BY e.tx, e.global_position
LIMIT $3`;

const READ_ALL_LOCKED = `
SELECT ${EVENT_COLUMNS} FROM es_events e
WHERE (e.tx, e.global_position) > ($1::text::xid8, $2::bigint)
ORDER BY e.tx, e.global_position
LIMIT $3`;

// The stream row and its events in one statement, so the revision matches the events returned.
const READ_STREAM = `
SELECT s.revision AS head, ${EVENT_COLUMNS}
FROM es_streams s LEFT JOIN es_events e ON e.stream_id = s.stream_id AND e.revision >= $2
WHERE s.stream_id = $1
ORDER BY e.revision`;

const STREAM_AND_HEAD = `
SELECT (SELECT revision FROM es_streams WHERE stream_id = $1) AS revision,
       (SELECT tx::text || ':' || global_position FROM es_events ORDER BY tx DESC, global_position DESC LIMIT 1) AS head`;

interface EventRow {
  readonly tx: string;
  readonly global_position: number;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly recorded_at: Date | string;
}

interface AppendedRow {
  readonly tx: string;
  readonly global_position: number;
  readonly revision: number;
  readonly recorded_at: Date | string;
}

const MAX_XID8 = 2n ** 64n - 1n;
const CHECKPOINT = /^(\d{1,20}):(\d{1,16})$/;
const START = { tx: '0', position: 0 };

const checkpointOf = (tx: string, position: number): Checkpoint => `${tx}:${position}`;

function parseCheckpoint(checkpoint: Checkpoint | null): { tx: string; position: number } {
  if (checkpoint === null) return START;
  const match = typeof checkpoint === 'string' ? CHECKPOINT.exec(checkpoint) : null;
  const position = Number(match?.[2]);
  if (!match || BigInt(match[1] as string) > MAX_XID8 || !Number.isSafeInteger(position)) {
    throw new HubError('BAD_USER_INPUT', `checkpoint ${checkpoint} is not one of this store's`, {
      field: 'checkpoint',
    });
  }
  return { tx: match[1] as string, position };
}

const isoOf = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

const DUPLICATE_KEY_DETAIL = /\(event_id\)=\(([^)]+)\)/;

/** Maps the unique-key violation on event ids to the error every adapter raises. */
function duplicateEvent(error: unknown): HubError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint, detail } = error as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (code !== '23505' || constraint !== 'es_events_event_id_key') return undefined;
  const eventId = typeof detail === 'string' ? DUPLICATE_KEY_DETAIL.exec(detail)?.[1] : undefined;
  const message = eventId ? `event ${eventId} was already appended` : 'an event id in this batch was already appended';
  return new HubError('DUPLICATE_EVENT', message, { eventId });
}

interface PreparedAppend {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly prepared: PreparedEvent[];
}

const appendKind = (expected: ExpectedRevision): keyof typeof APPEND =>
  typeof expected === 'number' ? 'revision' : expected;

/**
 * Applies appended events to the service's own read models inside the append's transaction, so
 * the read models and the log commit (or vanish) together. Gets the events upcast, in order.
 */
export type InlineProjector = (tx: SqlExecutor, events: readonly EventEnvelope[]) => Promise<void>;

/** Reads the log in global order through the transaction given, for work that holds appends off. */
export type LockedReader = (from: Checkpoint | null, limit: number) => Promise<AllSlice>;

export interface SqlEventStore extends EventStore {
  readonly adapter: 'embedded' | 'postgres';
  /** From now on every append of this store object runs `projector` in its own transaction. */
  inline(projector: InlineProjector | undefined): void;
  /**
   * Runs `work` in one transaction while appends to this store wait (every append takes ROW
   * EXCLUSIVE on es_events, which SHARE excludes): a read model rebuilt here cannot miss or
   * repeat an append made meanwhile. `read` sees every committed event, with nothing in flight.
   */
  exclusive<T>(work: (tx: SqlExecutor, read: LockedReader) => Promise<T>): Promise<T>;
}

export const isSqlEventStore = (store: EventStore): store is SqlEventStore =>
  typeof (store as Partial<SqlEventStore>).exclusive === 'function';

/**
 * The event store on PostgreSQL or PGlite; both run the same SQL. The caller owns `sql` and has
 * run `migrateEventStore(sql)`; `close()` stops listening but leaves the client open.
 */
export function sqlEventStore(
  sql: SqlClient,
  catalogue: EventCatalogue,
  adapter: 'embedded' | 'postgres',
): SqlEventStore {
  const signal = new Signal();
  let listening: Promise<() => Promise<void>> | undefined;
  let projector: InlineProjector | undefined;
  // PGlite runs in this process only (one instance per folder), so the in-process signal reaches
  // every reader and a NOTIFY would only come back as a second wake-up. PostgreSQL notifies other
  // processes, tagged with this store's id so that its own echo is ignored.
  const crossProcess = adapter === 'postgres';
  const origin = randomUUID();

  // NOTIFY inside the appending statement would hold PostgreSQL's database-wide notify lock until
  // the commit is flushed, serialising all concurrent appends (measured: 3x fewer appends/s at 16
  // writers). Instead one NOTIFY follows the commits: while one is in flight, later appends only
  // ask for one more, which is sent after it, so every commit is followed by a notification. A
  // failed NOTIFY costs subscribers elsewhere latency only: they also poll.
  let notifying: Promise<void> | undefined;
  let notifyAgain = false;
  const notifyAppended = () => {
    signal.emit();
    if (!crossProcess) return;
    if (notifying) {
      notifyAgain = true;
      return;
    }
    notifying = (async () => {
      do {
        notifyAgain = false;
        await sql.notify(EVENT_STORE_CHANNEL, origin).catch(() => {});
      } while (notifyAgain);
      notifying = undefined;
    })();
  };

  // LISTEN is set up on first subscribe. If it fails, subscriptions still work by polling, so
  // the failure only costs latency; the next subscribe tries again.
  const wakeup: Wakeup = (onWake) => {
    if (crossProcess && !listening) {
      const started = sql.listen(EVENT_STORE_CHANNEL, (payload) => {
        if (payload !== origin) signal.emit();
      });
      listening = started;
      started.catch(() => {
        if (listening === started) listening = undefined;
      });
    }
    return signal.listen(onWake);
  };

  const toEnvelope = (row: EventRow): EventEnvelope =>
    catalogue.upcast({
      id: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      stream: row.stream_id,
      revision: row.revision,
      position: checkpointOf(row.tx, row.global_position),
      recordedAt: isoOf(row.recorded_at),
      occurredAt: row.metadata.occurredAt,
      actor: row.metadata.actor,
      organizationId: row.metadata.organizationId,
      correlationId: row.metadata.correlationId,
      causationId: row.metadata.causationId,
      data: row.data,
    });

  async function appendNothing(db: SqlExecutor, stream: string, expected: ExpectedRevision): Promise<AppendResult> {
    const { rows } = await db.query<{ revision: number | null; head: string | null }>(STREAM_AND_HEAD, [stream]);
    const revision = rows[0]?.revision ?? NO_STREAM;
    checkExpected(stream, expected, revision);
    return { nextExpectedRevision: revision, position: rows[0]?.head ?? checkpointOf(START.tx, 0), events: [] };
  }

  async function insert(
    db: SqlExecutor,
    stream: string,
    prepared: readonly PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendedRow[]> {
    const batch = JSON.stringify(
      prepared.map((e) => ({
        id: e.id,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
      })),
    );
    const params = [stream, prepared.length, batch, ...(typeof expected === 'number' ? [expected] : [])];
    for (;;) {
      try {
        const { rows } = await db.query<AppendedRow>(APPEND[appendKind(expected)], params);
        if (rows.length > 0) return rows;
      } catch (error) {
        throw duplicateEvent(error) ?? error;
      }
      const found = await db.query<{ revision: number }>('SELECT revision FROM es_streams WHERE stream_id = $1', [
        stream,
      ]);
      // Throws unless the stream changed between the two statements so that the expectation
      // now holds (e.g. `exists` while another writer created the stream); then try again.
      checkExpected(stream, expected, found.rows[0]?.revision ?? NO_STREAM);
    }
  }

  /** Validates every append before anything is written, so bad input writes nothing. */
  const prepare = (appends: readonly StreamAppend[]): PreparedAppend[] =>
    appends.map(({ stream, events, expected = 'any' }) => {
      validateStreamName(stream);
      validateExpected(expected);
      return { stream, expected, prepared: events.map((event) => catalogue.prepare(event)) };
    });

  const envelopes = (stream: string, prepared: readonly PreparedEvent[], rows: AppendedRow[]): AppendResult => {
    const appended = rows.map((row, i): EventEnvelope => {
      const event = prepared[i] as PreparedEvent;
      return {
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        stream,
        revision: row.revision,
        position: checkpointOf(row.tx, row.global_position),
        recordedAt: isoOf(row.recorded_at),
        ...event.metadata,
        data: event.data,
      };
    });
    const last = appended[appended.length - 1] as EventEnvelope;
    return { nextExpectedRevision: last.revision, position: last.position, events: appended };
  };

  const store: SqlEventStore = {
    adapter,
    async append(stream: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
      const [request] = prepare([{ stream, events, expected: options.expected }]);
      const { expected, prepared } = request as PreparedAppend;
      if (prepared.length === 0) return appendNothing(sql, stream, expected);
      const apply = projector;
      // Without inline read models an append is one statement and needs no explicit transaction.
      const result = apply
        ? await sql.transaction(async (tx) => {
            const appended = envelopes(stream, prepared, await insert(tx, stream, prepared, expected));
            await apply(
              tx,
              appended.events.map((event) => catalogue.upcast(event)),
            );
            return appended;
          })
        : envelopes(stream, prepared, await insert(sql, stream, prepared, expected));
      notifyAppended();
      return result;
    },

    async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
      const requests = prepare(appends);
      const apply = projector;
      const results = await sql.transaction(async (tx) => {
        const done: AppendResult[] = [];
        for (const { stream, expected, prepared } of requests) {
          done.push(
            prepared.length === 0
              ? await appendNothing(tx, stream, expected)
              : envelopes(stream, prepared, await insert(tx, stream, prepared, expected)),
          );
        }
        const appended = done.flatMap((result) => result.events);
        if (apply && appended.length > 0)
          await apply(
            tx,
            appended.map((event) => catalogue.upcast(event)),
          );
        return done;
      });
      if (results.some((result) => result.events.length > 0)) notifyAppended();
      return results;
    },

    inline(next: InlineProjector | undefined): void {
      projector = next;
    },

    exclusive<T>(work: (tx: SqlExecutor, read: LockedReader) => Promise<T>): Promise<T> {
      return sql.transaction(async (tx) => {
        await tx.query('LOCK TABLE es_events IN SHARE MODE');
        // No append is in flight now, so the guard against late commits is not needed (and would
        // wait for unrelated long transactions elsewhere in the cluster).
        const read: LockedReader = async (from, limit) => {
          const after = parseCheckpoint(from);
          const { rows } = await tx.query<EventRow>(READ_ALL_LOCKED, [after.tx, after.position, limit]);
          const events = rows.map(toEnvelope);
          return { events, checkpoint: events.at(-1)?.position ?? from };
        };
        return work(tx, read);
      });
    },

    async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StreamSlice> {
      const { rows } = await sql.query<{ head: number } & (EventRow | { [K in keyof EventRow]: null })>(READ_STREAM, [
        stream,
        options.fromRevision ?? 0,
      ]);
      const first = rows[0];
      if (!first) return { revision: NO_STREAM, events: [] };
      const events = rows.filter((row): row is { head: number } & EventRow => row.event_id !== null).map(toEnvelope);
      return { revision: first.head, events };
    },

    async readAll(from: Checkpoint | null, limit: number): Promise<AllSlice> {
      const after = parseCheckpoint(from);
      if (!Number.isSafeInteger(limit) || limit < 0) {
        throw new HubError('BAD_USER_INPUT', `limit ${limit} must be a whole number ≥ 0`, { field: 'limit' });
      }
      const { rows } = await sql.query<EventRow>(READ_ALL, [after.tx, after.position, limit]);
      const events = rows.map(toEnvelope);
      return { events, checkpoint: events.length > 0 ? (events[events.length - 1] as EventEnvelope).position : from };
    },

    onAppended: wakeup,
    subscribe: (options) => followAll(store, wakeup, options),

    async count() {
      const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM es_events');
      return rows[0]?.n ?? 0;
    },

    async close() {
      await notifying;
      const unlisten = await listening?.catch(() => undefined);
      listening = undefined;
      await unlisten?.();
    },
  };
  return store;
}
