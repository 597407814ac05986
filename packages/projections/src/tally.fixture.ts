import { EventCatalogue, type EventEnvelope } from '@hub/event-catalogue';
import { type EventStore, memoryEventStore } from '@hub/event-store';
import type { SqlExecutor } from '@hub/sql';
import type { Projection } from './projection.js';

/**
 * Test fixture shared by the runner's integration tests: a projection that keeps one row per
 * applied event (with a counter that goes to 2 if an event is ever applied twice) and a
 * per-organization aggregate, over a store holding a known mix of event types.
 */
const byOrganization = {
  type: 'object',
  properties: { organizationId: { type: 'string' }, title: { type: 'string' } },
  required: ['organizationId'],
  additionalProperties: false,
};

export const catalogue = () =>
  new EventCatalogue([
    { type: 'StatementReleased', version: 1, schema: byOrganization },
    { type: 'StatementWithdrawn', version: 1, schema: byOrganization },
    { type: 'Noted', version: 1, schema: { type: 'object', additionalProperties: false } },
  ]);

export const TALLY_HANDLES = ['StatementReleased', 'StatementWithdrawn'];

export interface TallyOptions {
  readonly version?: number;
  /** Throw instead of applying; `applies` counts apply calls of this projection object, from 1. */
  readonly failWhen?: (applies: number, event: EventEnvelope) => boolean;
}

export function tallyProjection(options: TallyOptions = {}): Projection & { applies(): number } {
  let applies = 0;
  return {
    name: 'tally',
    version: options.version,
    handles: TALLY_HANDLES,
    applies: () => applies,
    async setup(tx: SqlExecutor) {
      await tx.exec(`
        CREATE TABLE IF NOT EXISTS tally_events (
          event_id text PRIMARY KEY,
          position text NOT NULL,
          type text NOT NULL,
          applications integer NOT NULL
        );
        CREATE TABLE IF NOT EXISTS tally_by_org (
          organization_id text PRIMARY KEY,
          released integer NOT NULL DEFAULT 0,
          withdrawn integer NOT NULL DEFAULT 0
        )`);
    },
    async reset(tx: SqlExecutor) {
      await tx.exec('DELETE FROM tally_events; DELETE FROM tally_by_org');
    },
    async apply(event: EventEnvelope, tx: SqlExecutor) {
      applies++;
      if (options.failWhen?.(applies, event)) throw new Error(`simulated crash at apply ${applies}`);
      await tx.query(
        `INSERT INTO tally_events (event_id, position, type, applications) VALUES ($1, $2, $3, 1)
         ON CONFLICT (event_id) DO UPDATE SET applications = tally_events.applications + 1`,
        [event.id, event.position, event.type],
      );
      const released = event.type === 'StatementReleased' ? 1 : 0;
      await tx.query(
        `INSERT INTO tally_by_org (organization_id, released, withdrawn) VALUES ($1, $2, $3)
         ON CONFLICT (organization_id) DO UPDATE SET released = tally_by_org.released + $2,
           withdrawn = tally_by_org.withdrawn + $3`,
        [event.data.organizationId as string, released, 1 - released],
      );
    },
  };
}

/** The i-th seeded event: every 10th is a type the tally ignores, every 4th a withdrawal. */
export function seedEvent(i: number) {
  if (i % 10 === 9) return { type: 'Noted', data: {} };
  return {
    type: i % 4 === 3 ? 'StatementWithdrawn' : 'StatementReleased',
    data: { organizationId: `org-${i % 5}`, title: `statement ${i}` },
  };
}

export async function seededStore(count: number, from = 0): Promise<EventStore> {
  const store = memoryEventStore(catalogue());
  await appendSeeded(store, count, from);
  return store;
}

export async function appendSeeded(store: EventStore, count: number, from = 0): Promise<EventEnvelope[]> {
  const appended: EventEnvelope[] = [];
  for (let i = from; i < from + count; i++) {
    const result = await store.append(`statement-${i % 7}`, [seedEvent(i)]);
    appended.push(...result.events);
  }
  return appended;
}

export const handledCount = (events: readonly EventEnvelope[]) =>
  events.filter((event) => TALLY_HANDLES.includes(event.type)).length;

export async function allEvents(store: EventStore): Promise<EventEnvelope[]> {
  return (await store.readAll(null, 1_000_000)).events;
}

/** The whole read model, ordered, so two states can be compared for equality. */
export async function snapshot(sql: SqlExecutor) {
  const events = await sql.query('SELECT event_id, position, type, applications FROM tally_events ORDER BY event_id');
  const totals = await sql.query(
    'SELECT organization_id, released, withdrawn FROM tally_by_org ORDER BY organization_id',
  );
  return { events: events.rows, totals: totals.rows };
}

/** What the read model must hold after applying each handled event exactly once. */
export function expectedTotals(events: readonly EventEnvelope[]) {
  const totals = new Map<string, { organization_id: string; released: number; withdrawn: number }>();
  for (const event of events) {
    if (!TALLY_HANDLES.includes(event.type)) continue;
    const org = event.data.organizationId as string;
    const row = totals.get(org) ?? { organization_id: org, released: 0, withdrawn: 0 };
    if (event.type === 'StatementReleased') row.released++;
    else row.withdrawn++;
    totals.set(org, row);
  }
  return [...totals.values()].sort((a, b) => a.organization_id.localeCompare(b.organization_id));
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
