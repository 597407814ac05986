import { HubError } from '@hub/errors';
import type { EventEnvelope, NewEvent } from '@hub/event-catalogue';

/**
 * The revision of a stream that has no events, in every adapter. Revisions count from 0, so a
 * stream with one event is at revision 0.
 */
export const NO_STREAM = -1;

/** What the writer believes about the stream; a mismatch raises WRONG_EXPECTED_REVISION. */
export type ExpectedRevision = 'any' | 'no_stream' | 'exists' | number;

/** An opaque position in the store's global order; `null` means "from the very beginning". */
export type Checkpoint = string;

export interface AppendOptions {
  readonly expected?: ExpectedRevision;
}

export interface StreamAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expected?: ExpectedRevision;
}

export interface AppendResult {
  /** The stream's revision after the append: pass it as `expected` for the next append. */
  readonly nextExpectedRevision: number;
  /** The global position of the last appended event. */
  readonly position: Checkpoint;
  readonly events: EventEnvelope[];
}

export interface StreamSlice {
  /** The stream's current revision, NO_STREAM when it has no events. */
  readonly revision: number;
  readonly events: EventEnvelope[];
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  readonly fromRevision?: number;
}

export interface AllSlice {
  readonly events: EventEnvelope[];
  /** Pass to the next `readAll` to continue after the last event returned (unchanged when empty). */
  readonly checkpoint: Checkpoint | null;
}

export interface SubscribeOptions {
  /** Start after this checkpoint; null or omitted: from the beginning. */
  readonly from?: Checkpoint | null;
  /** Called for every event in global order; the next event waits until the promise settles. */
  readonly onEvent: (event: EventEnvelope) => Promise<void> | void;
  /** Called once if the subscription stops because of an error (the handler's or the store's). */
  readonly onError?: (error: unknown) => void;
  /** Events fetched per round; default 500. */
  readonly batchSize?: number;
}

export interface Subscription {
  /** The checkpoint of the last event handed to `onEvent`. */
  readonly checkpoint: () => Checkpoint | null;
  /** Stops delivery; resolves once no handler call is running. */
  close(): Promise<void>;
}

export interface EventStore {
  readonly adapter: 'memory' | 'embedded' | 'postgres' | 'kurrentdb';
  /** Appends all events or none, atomically; validates each against the catalogue first. */
  append(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Appends to several streams atomically, all or none, in the order given; one result per append. */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<StreamSlice>;
  /** Events after `from` in global order, at most `limit`. Never skips an event that commits later. */
  readAll(from: Checkpoint | null, limit: number): Promise<AllSlice>;
  /**
   * Calls `listener` after each commit that appended events (from this process, or from others
   * where the adapter hears of them); returns a function that stops it. Reads nothing.
   * Absent where the store has no such signal (KurrentDB: use `subscribe`).
   */
  onAppended?(listener: () => void): () => void;
  /** Catches up from `from`, then delivers events live as they are appended. */
  subscribe(options: SubscribeOptions): Subscription;
  /** Number of events in the store, where cheap to know (for progress bars); null otherwise. */
  count(): Promise<number | null>;
  close(): Promise<void>;
}

export const describeExpected = (expected: ExpectedRevision): string =>
  typeof expected === 'number' ? `revision ${expected}` : expected;

export function wrongExpectedRevision(stream: string, expected: ExpectedRevision, actual: number): HubError {
  return new HubError(
    'WRONG_EXPECTED_REVISION',
    `stream ${stream}: expected ${describeExpected(expected)}, actual revision ${actual}`,
    { stream, expected, actualRevision: actual },
  );
}

/** The rule every adapter applies; adapters with native checks must map to the same outcome. */
export function checkExpected(stream: string, expected: ExpectedRevision, actual: number): void {
  const okay =
    expected === 'any' ||
    (expected === 'no_stream' && actual === NO_STREAM) ||
    (expected === 'exists' && actual !== NO_STREAM) ||
    expected === actual;
  if (!okay) throw wrongExpectedRevision(stream, expected, actual);
}

export function validateExpected(expected: ExpectedRevision): void {
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new HubError('BAD_USER_INPUT', `expected revision ${expected} must be a whole number ≥ 0`, {
      field: 'expected',
    });
  }
}

export function validateStreamName(stream: string): void {
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > 200 || stream.startsWith('$')) {
    throw new HubError('BAD_USER_INPUT', `stream name ${JSON.stringify(stream)} is not allowed`, {
      field: 'stream',
    });
  }
}
