import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import { dropDatabase, ensureDatabase, postgresClient, type SqlClient } from '@hub/sql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
});
