import type { HubError } from '@hub/errors';
import type { EventEnvelope } from '@hub/event-catalogue';
import { pgliteClient, type SqlClient, type SqlExecutor } from '@hub/sql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCheckpoint } from './checkpoints.js';
import { runRebuildCli } from './cli.js';
import type { ProgressStream } from './progress.js';
import { type ProjectionLogEntry, ProjectionRunner, type ProjectionRunnerOptions } from './runner.js';
import {
  allEvents,
  appendSeeded,
  expectedTotals,
  handledCount,
  seededStore,
  snapshot,
  tallyProjection,
  until,
} from './tally.fixture.js';

let sql: SqlClient;
const runners: ProjectionRunner[] = [];
const logs: ProjectionLogEntry[] = [];

// Starting PGlite takes seconds, so the file shares one in-memory database and each test
// starts from empty tables.
beforeAll(async () => {
  sql = await pgliteClient();
});
afterAll(async () => {
  await sql.close();
});
beforeEach(() => {
  logs.length = 0;
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  await sql.exec('DROP TABLE IF EXISTS tally_events, tally_by_org, projection_checkpoints');
});

function runner(options: Omit<ProjectionRunnerOptions, 'sql' | 'logger'>): ProjectionRunner {
  const created = new ProjectionRunner({ sql, logger: (entry) => logs.push(entry), ...options });
  runners.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<HubError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as HubError,
  );
  if (outcome === undefined) throw new Error('expected a rejection');
  return outcome;
}

const last = (events: readonly EventEnvelope[]) => events[events.length - 1] as EventEnvelope;

describe('ProjectionRunner.catchUp', () => {
  it('given 100 events, when caught up, then each handled event is applied once and skipped types are still checkpointed', async () => {
    const store = await seededStore(100);
    const events = await allEvents(store);
    const tally = runner({ store, projections: [tallyProjection()], batchSize: 7 });

    const read = await tally.catchUp();

    expect(read).toBe(100);
    const model = await snapshot(sql);
    expect(model.events).toHaveLength(handledCount(events));
    expect(model.events.every((row) => row.applications === 1)).toBe(true);
    expect(model.totals).toEqual(expectedTotals(events));
    // The last event is of a type the tally ignores; the checkpoint moves past it anyway.
    expect(last(events).type).toBe('Noted');
    expect(await readCheckpoint(sql, 'tally')).toEqual({
      name: 'tally',
      version: 1,
      checkpoint: last(events).position,
      applied: handledCount(events),
    });
    expect(tally.status()).toEqual([
      {
        name: 'tally',
        version: 1,
        state: 'idle',
        checkpoint: last(events).position,
        applied: handledCount(events),
        failure: null,
      },
    ]);
    expect(await tally.catchUp()).toBe(0);
  });

  it('given a runner restarted on the same database, when it catches up, then it continues from the stored checkpoint', async () => {
    const store = await seededStore(40);
    await runner({ store, projections: [tallyProjection()], batchSize: 16 }).catchUp();
    const more = await appendSeeded(store, 25, 40);
    const second = tallyProjection();

    expect(await runner({ store, projections: [second], batchSize: 16 }).catchUp()).toBe(25);
    expect(second.applies()).toBe(handledCount(more));
    expect((await snapshot(sql)).totals).toEqual(expectedTotals(await allEvents(store)));
  });
});

describe('crash safety: the checkpoint commits with the read model', () => {
  it('given apply throws on the 37th event, when the runner is restarted, then the read model equals a rebuild and no event was applied twice', async () => {
    const store = await seededStore(100);
    const events = await allEvents(store);
    const crashing = runner({
      store,
      projections: [tallyProjection({ failWhen: (applies) => applies === 37 })],
      batchSize: 10,
    });

    const error = await rejection(crashing.catchUp());

    // Applies 31..40 were one batch (events 41..50 less the skipped ones): all of it rolled back.
    const applied = events.filter((e) => e.type !== 'Noted');
    const failedOn = applied[36] as EventEnvelope;
    expect(error.code).toBe('INTERNAL');
    expect(error.details).toMatchObject({ projection: 'tally', eventId: failedOn.id, position: failedOn.position });
    expect(error.message).toContain('simulated crash at apply 37');
    const [status] = crashing.status();
    expect(status?.state).toBe('failing');
    expect(status?.failure).toMatchObject({ eventId: failedOn.id, eventType: failedOn.type, failures: 1 });
    const committed = events.slice(0, 40);
    expect(await readCheckpoint(sql, 'tally')).toMatchObject({
      checkpoint: last(committed).position,
      applied: handledCount(committed),
    });
    expect((await snapshot(sql)).events).toHaveLength(handledCount(committed));

    const restarted = runner({ store, projections: [tallyProjection()], batchSize: 10 });
    expect(await restarted.catchUp()).toBe(60);
    const afterRestart = await snapshot(sql);
    await restarted.rebuild('tally');
    const rebuilt = await snapshot(sql);

    expect(afterRestart).toEqual(rebuilt);
    expect(afterRestart.events).toHaveLength(handledCount(events));
    expect(afterRestart.events.every((row) => row.applications === 1)).toBe(true);
    expect(afterRestart.events.map((row) => row.event_id).sort()).toEqual(applied.map((e) => e.id).sort());
    expect(afterRestart.totals).toEqual(expectedTotals(events));
  });

  it('given a live runner whose apply keeps failing, when it retries, then it stays at its checkpoint and a new runner finishes the job', async () => {
    const store = await seededStore(60);
    const events = await allEvents(store);
    const crashing = runner({
      store,
      projections: [tallyProjection({ failWhen: (applies) => applies >= 20 })],
      batchSize: 8,
      retryDelayMs: () => 5,
    });

    await crashing.start();
    await until(() => (crashing.status()[0]?.failure?.failures ?? 0) >= 3);
    await crashing.stop();

    const [status] = crashing.status();
    expect(status?.failure?.message).toContain('simulated crash');
    // Batches of 8 events hold 7 or 8 handled ones; the batch holding apply 20 never commits.
    const stored = await readCheckpoint(sql, 'tally');
    expect(stored?.checkpoint).toBe(events[15]?.position);
    expect(stored?.applied).toBe(handledCount(events.slice(0, 16)));
    expect(logs.some((entry) => entry.level === 'error' && entry.message.includes('retrying in 5 ms'))).toBe(true);

    const restarted = runner({ store, projections: [tallyProjection()], batchSize: 8 });
    await restarted.start();
    await restarted.waitFor(last(events));
    const afterRestart = await snapshot(sql);
    await restarted.rebuild('tally');

    expect(afterRestart).toEqual(await snapshot(sql));
    expect(afterRestart.events.every((row) => row.applications === 1)).toBe(true);
    expect(afterRestart.totals).toEqual(expectedTotals(events));
  });

  it('given a transient failure in live mode, when the retry succeeds, then the event is applied once and the failure clears', async () => {
    const store = await seededStore(30);
    const events = await allEvents(store);
    let failuresLeft = 2;
    const projection = tallyProjection({ failWhen: (applies) => applies >= 12 && failuresLeft-- > 0 });
    const live = runner({ store, projections: [projection], batchSize: 5, retryDelayMs: () => 5 });

    await live.start();
    await until(() => live.status()[0]?.state === 'live');

    expect(live.status()[0]).toMatchObject({ failure: null, checkpoint: last(events).position });
    const model = await snapshot(sql);
    expect(model.events).toHaveLength(handledCount(events));
    expect(model.events.every((row) => row.applications === 1)).toBe(true);
  });
});

describe('live mode and read-your-writes', () => {
  it('given a live runner, when events are appended, then waitFor resolves once the read model has them', async () => {
    const store = await seededStore(10);
    const live = runner({ store, projections: [tallyProjection()] });
    await live.start();
    await live.waitFor(last(await allEvents(store)));

    const appended = last(await appendSeeded(store, 1, 10));
    await live.waitFor(appended);

    const row = await sql.query('SELECT applications FROM tally_events WHERE event_id = $1', [appended.id]);
    expect(row.rows).toEqual([{ applications: 1 }]);
    expect(live.status()[0]?.state).toBe('live');
  });

  it('given many appends arriving together, when applied live, then they commit in fewer transactions than events', async () => {
    const store = await seededStore(0);
    const projection = tallyProjection();
    const live = runner({ store, projections: [projection], batchSize: 100 });
    await live.start();
    await until(() => live.status()[0]?.state === 'live');
    let transactions = 0;
    const transaction = sql.transaction;
    sql.transaction = <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
      transactions++;
      return transaction.call(sql, work) as Promise<T>;
    };

    const appended = await appendSeeded(store, 40);
    try {
      await live.waitFor(last(appended));
    } finally {
      sql.transaction = transaction;
    }

    expect(projection.applies()).toBe(handledCount(appended));
    expect(transactions).toBeLessThan(40);
  });

  it('given an event already applied, when waited for, then waitFor resolves at once without a running loop', async () => {
    const store = await seededStore(5);
    const tally = runner({ store, projections: [tallyProjection()] });
    await tally.catchUp();

    await tally.waitFor(last(await allEvents(store)), { timeoutMs: 1 });
  });

  it('given a runner that is not started, when waiting for a new event, then waitFor catches up to it', async () => {
    const store = await seededStore(5);
    const tally = runner({ store, projections: [tallyProjection()] });

    await tally.waitFor(last(await allEvents(store)), { timeoutMs: 5000 });

    expect((await snapshot(sql)).events).toHaveLength(handledCount(await allEvents(store)));
  });

  it('given a projection that keeps failing, when waiting for an event behind the failure, then it times out naming the failure', async () => {
    const store = await seededStore(10);
    const live = runner({
      store,
      projections: [tallyProjection({ failWhen: () => true })],
      retryDelayMs: () => 5,
    });
    await live.start();

    const error = await rejection(live.waitFor(last(await allEvents(store)), { timeoutMs: 100 }));

    expect(error.message).toMatch(/^projection tally has not applied event .+ within 100 ms; it is failing: /);
    expect(error.details).toEqual({ projection: 'tally', eventId: last(await allEvents(store)).id });
  });

  it('given an unknown projection name, when waited for or rebuilt, then NOT_FOUND', async () => {
    const tally = runner({ store: await seededStore(1), projections: [tallyProjection()] });

    expect((await rejection(tally.waitFor({ id: 'x', position: '1' }, { projections: ['nope'] }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await rejection(tally.rebuild('nope'))).code).toBe('NOT_FOUND');
  });
});

describe('rebuild and versions', () => {
  it('given a new projection version, when the runner sets up, then the read model is emptied and replayed', async () => {
    const store = await seededStore(30);
    await runner({ store, projections: [tallyProjection()] }).catchUp();
    await sql.query("UPDATE tally_by_org SET released = 999 WHERE organization_id = 'org-0'");

    const v2 = runner({ store, projections: [tallyProjection({ version: 2 })] });
    await v2.catchUp();

    expect((await snapshot(sql)).totals).toEqual(expectedTotals(await allEvents(store)));
    expect(await readCheckpoint(sql, 'tally')).toMatchObject({ version: 2 });
    expect(logs.map((entry) => entry.message)).toContain(
      'version 1 → 2: read model emptied, replaying from the first event',
    );
  });

  it('given a drifted read model, when rebuilt with progress, then it matches the events and progress reaches the total', async () => {
    const store = await seededStore(50);
    const events = await allEvents(store);
    const tally = runner({ store, projections: [tallyProjection()], batchSize: 20 });
    await tally.catchUp();
    await sql.query('UPDATE tally_events SET applications = 5');
    const lines: string[] = [];
    const output: ProgressStream = { isTTY: false, write: (chunk: string) => lines.push(chunk) };

    const report = await tally.rebuild('tally', { progress: output });

    expect(report).toMatchObject({ name: 'tally', events: 50, applied: handledCount(events) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rebuild tally {2}50\/50 {2}100\.0% {2}.+ ev\/s {2}done in \d+s\n$/);
    const model = await snapshot(sql);
    expect(model.events.every((row) => row.applications === 1)).toBe(true);
    expect(model.totals).toEqual(expectedTotals(events));
  });

  it('given the rebuild command line, when run, then it rebuilds and reports, and refuses unknown names', async () => {
    const store = await seededStore(20);
    const output: string[] = [];
    const stream: ProgressStream = { isTTY: false, write: (chunk: string) => output.push(chunk) };
    const projections = [tallyProjection()];

    const ok = await runRebuildCli({ sql, store, projections, argv: ['tally', '--no-progress'], output: stream });
    const unknown = await runRebuildCli({ sql, store, projections, argv: ['talley'], output: stream });
    const nothing = await runRebuildCli({ sql, store, projections, argv: [], output: stream });

    expect([ok, unknown, nothing]).toEqual([0, 2, 2]);
    expect(output[0]).toMatch(/^rebuilt tally: 20 events \(18 applied\) in \d+\.\d s, \d+ ev\/s\n$/);
    expect(output).toContain('unknown projection talley\n');
    expect((await snapshot(sql)).totals).toEqual(expectedTotals(await allEvents(store)));
  });
});
