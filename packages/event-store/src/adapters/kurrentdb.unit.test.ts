import { HubError } from '@hub/errors';
import {
  type RecordedEvent,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { NO_STREAM } from '../port.js';
import { counted, noted, testCatalogue } from '../testing/catalogue.js';
import {
  appendError,
  decodeCheckpoint,
  encodeCheckpoint,
  isAfter,
  isStreamNotFound,
  isSystemEvent,
  revisionOf,
  toEnvelope,
  toEventData,
  toStreamState,
} from './kurrentdb.js';

const catalogue = testCatalogue();

describe('expected revision → KurrentDB stream state', () => {
  it.each([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['exists', 'stream_exists'],
    [0, 0n],
    [41, 41n],
  ] as const)('maps %s to %s', (expected, state) => {
    expect(toStreamState(expected)).toBe(state);
  });

  it('maps the current state back to our revisions, NO_STREAM for a missing stream', () => {
    expect(revisionOf('no_stream')).toBe(NO_STREAM);
    expect(revisionOf(0n)).toBe(0);
    expect(revisionOf(7n)).toBe(7);
  });
});

describe('checkpoints', () => {
  it('encode commit and prepare positions and decode to the same positions', () => {
    const position = { commit: 18_446_744_073_709_551_615n, prepare: 4_096n };
    expect(encodeCheckpoint(position)).toBe('18446744073709551615:4096');
    expect(decodeCheckpoint(encodeCheckpoint(position))).toEqual(position);
  });

  it.each([
    '',
    'not-a-checkpoint',
    '12',
    '12:',
    ':12',
    '-1:0',
    '1:2:3',
    '1.5:2',
    ' 1:2',
  ])('given %j, when decoded, then BAD_USER_INPUT on the checkpoint field', (checkpoint) => {
    expect(() => decodeCheckpoint(checkpoint)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'checkpoint' } }),
    );
  });

  it('orders positions by commit, then prepare', () => {
    expect(isAfter({ commit: 10n, prepare: 10n }, { commit: 9n, prepare: 20n })).toBe(true);
    expect(isAfter({ commit: 10n, prepare: 11n }, { commit: 10n, prepare: 10n })).toBe(true);
    expect(isAfter({ commit: 10n, prepare: 10n }, { commit: 10n, prepare: 10n })).toBe(false);
    expect(isAfter({ commit: 9n, prepare: 30n }, { commit: 10n, prepare: 0n })).toBe(false);
  });
});

describe('append errors', () => {
  const conflict = (expected: 'no_stream' | 'stream_exists' | bigint, current: 'no_stream' | bigint) =>
    new WrongExpectedVersionError(undefined, { streamName: 'policy-1', expected, current });

  it('given a conflict on an existing stream, then WRONG_EXPECTED_REVISION naming the actual revision', () => {
    const error = appendError('policy-1', 'no_stream', conflict('no_stream', 3n));
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({
      code: 'WRONG_EXPECTED_REVISION',
      message: 'stream policy-1: expected no_stream, actual revision 3',
      details: { stream: 'policy-1', expected: 'no_stream', actualRevision: 3 },
    });
  });

  it('given a conflict on a missing stream, then the actual revision is NO_STREAM (-1)', () => {
    expect(appendError('policy-1', 'exists', conflict('stream_exists', 'no_stream'))).toMatchObject({
      code: 'WRONG_EXPECTED_REVISION',
      details: { expected: 'exists', actualRevision: NO_STREAM },
    });
    expect(appendError('policy-1', 4, conflict(4n, 'no_stream'))).toMatchObject({
      details: { expected: 4, actualRevision: NO_STREAM },
    });
  });

  it('given any other failure, then it passes through unchanged', () => {
    const unavailable = new UnavailableError();
    expect(appendError('policy-1', 'any', unavailable)).toBe(unavailable);
  });

  it('recognises a missing stream by the client’s error type only', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'policy-1'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
    expect(isStreamNotFound({ type: 'stream-not-found' })).toBe(false);
  });
});

describe('system events', () => {
  it.each([
    [{ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' }, true],
    [{ streamId: '$$policy-1', type: '$metadata' }, true],
    [{ streamId: '$ce-policy', type: 'PolicyIssued' }, true],
    [{ streamId: 'policy-1', type: '$>' }, true],
    [{ streamId: 'policy-1', type: 'PolicyIssued' }, false],
  ])('%j is a system event: %s', (event, system) => {
    expect(isSystemEvent(event)).toBe(system);
  });
});

describe('events to and from KurrentDB', () => {
  const position = { commit: 5_000n, prepare: 5_000n };
  const created = new Date('2025-09-02T03:04:05.678Z');

  /** What the client hands back for an event written with `toEventData`. */
  const recordedFrom = (data: ReturnType<typeof toEventData>, revision = 3n): RecordedEvent => ({
    streamId: 'policy-1',
    id: data.id,
    isJson: true,
    revision,
    type: data.type,
    created,
    data: JSON.parse(JSON.stringify(data.data)),
    metadata: JSON.parse(JSON.stringify(data.metadata)),
    position,
  });

  it('given a prepared event, then it is written as JSON with our metadata and KurrentDB’s correlation keys', () => {
    const prepared = catalogue.prepare(
      counted(2, {
        occurredAt: '2025-09-01T00:00:00.000Z',
        actor: { userId: 'user-1', organizationId: 'org-moh' },
        organizationId: 'org-moh',
        correlationId: 'corr-1',
        causationId: 'cause-1',
      }),
    );
    expect(toEventData(prepared)).toEqual({
      id: prepared.id,
      contentType: 'application/json',
      type: 'TestCounted',
      data: { by: 2 },
      metadata: {
        schemaVersion: 1,
        occurredAt: '2025-09-01T00:00:00.000Z',
        actor: { userId: 'user-1', organizationId: 'org-moh' },
        organizationId: 'org-moh',
        correlationId: 'corr-1',
        causationId: 'cause-1',
        $correlationId: 'corr-1',
        $causationId: 'cause-1',
      },
    });
  });

  it('given no causation, then $causationId is left out', () => {
    const metadata = toEventData(catalogue.prepare(counted())).metadata as Record<string, unknown>;
    expect(metadata.causationId).toBeNull();
    expect('$causationId' in metadata).toBe(false);
  });

  it('given a written event read back, then the envelope carries everything the writer gave plus the store’s facts', () => {
    const prepared = catalogue.prepare(
      noted('Thông cáo', { occurredAt: '2025-09-01T00:00:00.000Z', correlationId: 'corr-2' }),
    );
    expect(toEnvelope(recordedFrom(toEventData(prepared)))).toEqual({
      id: prepared.id,
      type: 'TestNoted',
      schemaVersion: 2,
      stream: 'policy-1',
      revision: 3,
      position: '5000:5000',
      occurredAt: '2025-09-01T00:00:00.000Z',
      recordedAt: '2025-09-02T03:04:05.678Z',
      actor: null,
      organizationId: null,
      correlationId: 'corr-2',
      causationId: null,
      data: { text: 'Thông cáo', language: 'vi' },
    });
  });

  it('given an event at v1, then the envelope keeps v1 and the catalogue upcasts it', () => {
    const prepared = catalogue.prepare({ type: 'TestNoted', schemaVersion: 1, data: { text: 'cũ' } });
    const envelope = toEnvelope(recordedFrom(toEventData(prepared)));
    expect(envelope).toMatchObject({ schemaVersion: 1, data: { text: 'cũ' } });
    expect(catalogue.upcast(envelope)).toMatchObject({ schemaVersion: 2, data: { text: 'cũ', language: 'vi' } });
  });

  it('given an event not written by this store, then INTERNAL naming it', () => {
    const foreign: RecordedEvent = {
      streamId: 'legacy-1',
      id: '6f1c1c9e-2b0a-4a59-9d3f-1f7b0c6f0a11',
      isJson: true,
      revision: 0n,
      type: 'SomethingHappened',
      created,
      data: { any: 'thing' },
      metadata: undefined,
      position,
    };
    expect(() => toEnvelope(foreign)).toThrow(
      expect.objectContaining({
        code: 'INTERNAL',
        message:
          'event 6f1c1c9e-2b0a-4a59-9d3f-1f7b0c6f0a11 in stream legacy-1 was not written by this event store (JSON data and hub metadata)',
      }),
    );
  });

  it('given a server that does not report positions on stream reads, then INTERNAL naming the version needed', () => {
    const recorded = { ...recordedFrom(toEventData(catalogue.prepare(counted()))), position: undefined };
    expect(() => toEnvelope(recorded)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => toEnvelope(recorded)).toThrow(/KurrentDB 22\.6 or later/);
  });
});
