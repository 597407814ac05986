import type { EventStore } from '@hub/event-store';
import { ProgressBar, type ProgressStream } from '@hub/projections';
import { createInboxTable, INBOX_TABLE } from '@hub/relay';
import type { SqlClient } from '@hub/sql';
import { applyEvents, INSIGHTS_PROJECTION, insightsProjection } from './projection.js';

export interface RebuildInsightsOptions {
  /** Insights' own database. */
  readonly sql: SqlClient;
  /** Every context's event store, by context name. */
  readonly stores: readonly { readonly name: string; readonly store: EventStore }[];
  readonly batchSize?: number;
  readonly progress?: ProgressStream;
}

export interface InsightsRebuildReport {
  readonly events: number;
  readonly applied: number;
  readonly durationMs: number;
}

const handled: ReadonlySet<string> = new Set(insightsProjection.handles);

/**
 * Empties the insights read model and replays every context's store into it, a batch per
 * transaction through the same `applyEvents` the bus feeds one event at a time. The stores are
 * read one after another: the read model does not depend on the order of events of different
 * streams. Each applied event's id goes to the bus inbox too, so the bus redelivering an event
 * the rebuild already counted changes nothing. Stop the hub first.
 */
export async function rebuildInsights(options: RebuildInsightsOptions): Promise<InsightsRebuildReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 5_000;
  await options.sql.transaction(async (tx) => {
    await createInboxTable(tx);
    await insightsProjection.setup(tx);
    await insightsProjection.reset(tx);
    await tx.query(`DELETE FROM ${INBOX_TABLE} WHERE projection = $1`, [INSIGHTS_PROJECTION]);
  });
  const counts = await Promise.all(options.stores.map(({ store }) => store.count()));
  const total = counts.every((count) => count !== null)
    ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0)
    : null;
  const bar = options.progress ? new ProgressBar({ label: 'insights', total, stream: options.progress }) : undefined;
  let events = 0;
  let applied = 0;
  try {
    for (const { store } of options.stores) {
      let checkpoint: string | null = null;
      for (;;) {
        const slice = await store.readAll(checkpoint, batchSize);
        if (slice.events.length === 0) break;
        checkpoint = slice.checkpoint;
        const wanted = slice.events.filter((event) => handled.has(event.type));
        await options.sql.transaction(async (tx) => {
          await applyEvents(wanted, tx);
          await tx.query(
            `INSERT INTO ${INBOX_TABLE} (projection, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
            [INSIGHTS_PROJECTION, wanted.map((event) => event.id)],
          );
        });
        events += slice.events.length;
        applied += wanted.length;
        bar?.update(events);
      }
    }
    bar?.finish('done');
  } catch (error) {
    bar?.finish('failed');
    throw error;
  }
  return { events, applied, durationMs: performance.now() - started };
}
