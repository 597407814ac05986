import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import { dropDatabase, ensureDatabase, postgresClient, type SqlClient } from '@hub/sql';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readCheckpoint } from './checkpoints.js';
import { type ProjectionLogEntry, ProjectionRunner } from './runner.js';
import { allEvents, expectedTotals, handledCount, seededStore, snapshot, tallyProjection } from './tally.fixture.js';

const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `hub_projections_${randomUUID().replaceAll('-', '')}`;
const quiet = () => {};

let sql: SqlClient;

beforeAll(async () => {
  await ensureDatabase(ADMIN_URL, DATABASE);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  sql = postgresClient({ connectionString: url.toString(), max: 6 });
});
afterAll(async () => {
  await sql?.close();
  await dropDatabase(ADMIN_URL, DATABASE);
});
afterEach(async () => {
  await sql.exec('DROP TABLE IF EXISTS tally_events, tally_by_org, projection_checkpoints');
});

describe('ProjectionRunner on PostgreSQL', () => {
  it('given apply throws mid-batch, when a new runner resumes, then the read model equals a rebuild and no event was applied twice', async () => {
    const store = await seededStore(120);
    const events = await allEvents(store);
    const crashing = new ProjectionRunner({
      sql,
      store,
      projections: [tallyProjection({ failWhen: (applies) => applies === 50 })],
      batchSize: 16,
      logger: quiet,
    });

    await expect(crashing.catchUp()).rejects.toThrow(/simulated crash at apply 50/);
    // 16-event batches hold 14 or 15 handled events; apply 50 falls in the fourth batch.
    expect(await readCheckpoint(sql, 'tally')).toMatchObject({
      checkpoint: events[47]?.position,
      applied: handledCount(events.slice(0, 48)),
    });
    expect((await snapshot(sql)).events).toHaveLength(handledCount(events.slice(0, 48)));

    const resumed = new ProjectionRunner({
      sql,
      store,
      projections: [tallyProjection()],
      batchSize: 16,
      logger: quiet,
    });
    expect(await resumed.catchUp()).toBe(72);
    const afterResume = await snapshot(sql);
    await resumed.rebuild('tally');

    expect(afterResume).toEqual(await snapshot(sql));
    expect(afterResume.events).toHaveLength(handledCount(events));
    expect(afterResume.events.every((row) => row.applications === 1)).toBe(true);
    expect(afterResume.totals).toEqual(expectedTotals(events));
  });

  it('given two runners (two processes) on one database, when both catch up at once, then every event is applied exactly once', async () => {
    const store = await seededStore(300);
    const events = await allEvents(store);
    const a = tallyProjection();
    const b = tallyProjection();
    const warnings: string[] = [];
    const logger = (entry: ProjectionLogEntry) => warnings.push(entry.message);
    const runnerA = new ProjectionRunner({ sql, store, projections: [a], batchSize: 10, logger });
    const runnerB = new ProjectionRunner({ sql, store, projections: [b], batchSize: 10, logger });
    // Both load the same (empty) checkpoint, so whichever commits second must find it moved.
    await Promise.all([runnerA.setup(), runnerB.setup()]);

    await Promise.all([runnerA.catchUp(), runnerB.catchUp()]);

    expect(warnings).toContain('checkpoint moved by another runner; continuing');
    expect(a.applies() + b.applies()).toBe(handledCount(events));

    const model = await snapshot(sql);
    expect(model.events).toHaveLength(handledCount(events));
    expect(model.events.every((row) => row.applications === 1)).toBe(true);
    expect(model.totals).toEqual(expectedTotals(events));
    expect(await readCheckpoint(sql, 'tally')).toMatchObject({
      checkpoint: (events[events.length - 1] as EventEnvelope).position,
      applied: handledCount(events),
    });
  });
  it('given two runners on one database and only skipped events after the other moved the checkpoint, when the second catches up, then it writes its checkpoint past them', async () => {
    const store = await seededStore(20);
    const a = new ProjectionRunner({ sql, store, projections: [tallyProjection()], logger: quiet });
    const b = new ProjectionRunner({ sql, store, projections: [tallyProjection()], logger: quiet });
    await a.catchUp();
    await b.catchUp();
    const noted = async () => (await store.append('notes', [{ type: 'Noted', data: {} }])).position;
    // The first runner passes skipped events and writes its checkpoint over them a moment later.
    const byA = [await noted(), await noted()].at(-1);
    await a.catchUp();
    await vi.waitFor(async () => expect((await readCheckpoint(sql, 'tally'))?.checkpoint).toBe(byA), {
      timeout: 10_000,
    });
    // The second still believes the checkpoint it last wrote, before those events.
    const end = [await noted(), await noted()].at(-1);
    await b.catchUp();

    await vi.waitFor(async () => expect((await readCheckpoint(sql, 'tally'))?.checkpoint).toBe(end), {
      timeout: 10_000,
    });
    expect((await snapshot(sql)).events.every((row) => row.applications === 1)).toBe(true);
  });
});
