import { EventCatalogue, type EventEnvelope } from '@hub/event-catalogue';
import type { EventStore } from '@hub/event-store';
import type { Projection } from '@hub/projections';
import type { SqlExecutor } from '@hub/sql';

/**
 * A projection for relay and fault tests: one row per applied event with a counter that reaches 2
 * if an event is ever applied twice, and a count per organization. It reads nothing across
 * streams, so the bus's per-stream order is all it needs.
 */
export const ledgerCatalogue = (): EventCatalogue =>
  new EventCatalogue([
    {
      type: 'Noted',
      version: 1,
      schema: {
        type: 'object',
        properties: { organizationId: { type: 'string' }, n: { type: 'integer' } },
        required: ['organizationId', 'n'],
        additionalProperties: false,
      },
    },
  ]);

export function ledgerProjection(name = 'ledger'): Projection {
  return {
    name,
    handles: ['Noted'],
    async setup(tx: SqlExecutor) {
      await tx.exec(`
        CREATE TABLE IF NOT EXISTS ledger_events (
          event_id text PRIMARY KEY,
          stream text NOT NULL,
          n integer NOT NULL,
          applications integer NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ledger_by_org (
          organization_id text PRIMARY KEY,
          events integer NOT NULL,
          total bigint NOT NULL
        )`);
    },
    async reset(tx: SqlExecutor) {
      await tx.exec('DELETE FROM ledger_events; DELETE FROM ledger_by_org');
    },
    async apply(event: EventEnvelope, tx: SqlExecutor) {
      const n = event.data.n as number;
      await tx.query(
        `INSERT INTO ledger_events (event_id, stream, n, applications) VALUES ($1, $2, $3, 1)
         ON CONFLICT (event_id) DO UPDATE SET applications = ledger_events.applications + 1`,
        [event.id, event.stream, n],
      );
      await tx.query(
        `INSERT INTO ledger_by_org (organization_id, events, total) VALUES ($1, 1, $2)
         ON CONFLICT (organization_id) DO UPDATE SET events = ledger_by_org.events + 1, total = ledger_by_org.total + $2`,
        [event.data.organizationId as string, n],
      );
    },
  };
}

/** Appends `count` events over 50 streams and 7 organizations, numbered from `from`. */
export async function appendNoted(store: EventStore, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i += 20) {
    const stream = `noted-${i % 50}`;
    const events = [];
    for (let j = i; j < Math.min(i + 20, from + count); j++) {
      events.push({ type: 'Noted', data: { organizationId: `org-${j % 7}`, n: j }, organizationId: `org-${j % 7}` });
    }
    await store.append(stream, events);
  }
}

/** The whole read model, ordered, so two states can be compared for equality. */
export async function ledgerSnapshot(sql: SqlExecutor) {
  const events = await sql.query<{ event_id: string; stream: string; n: number; applications: number }>(
    'SELECT event_id, stream, n, applications FROM ledger_events ORDER BY event_id',
  );
  const totals = await sql.query<{ organization_id: string; events: number; total: string }>(
    'SELECT organization_id, events, total FROM ledger_by_org ORDER BY organization_id',
  );
  return { events: events.rows, totals: totals.rows };
}
