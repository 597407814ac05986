import type { EventEnvelope } from '@hub/event-catalogue';
import type { EventStore } from '@hub/event-store';
import { ProgressBar, type ProgressStream } from '@hub/projections';
import { createInboxTable, INBOX_TABLE } from '@hub/relay';
import type { SqlClient } from '@hub/sql';
import { type ItemRef, itemEventTypes } from './domain/facts.js';
import { InsightsFold } from './domain/fold.js';
import {
  bumpVersion,
  INSIGHTS_PROJECTION,
  insertEvents,
  insightsProjection,
  writeItems,
  writeOrganizations,
} from './projection.js';

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
const itemTypes: ReadonlySet<string> = new Set(itemEventTypes);
const NOTHING: ReadonlyMap<string, unknown> = new Map();

/**
 * Empties the insights read model and replays every context's store into it. The stores are read
 * one after another (the read model does not depend on the order of events of different streams)
 * and folded in memory with the same pure rules the live projection uses; the events behind the
 * numbers and their ids in the bus inbox are written as they are read (so a redelivery of an event
 * the rebuild counted changes nothing), and the items, sums, standings and evidence once at the end,
 * through the same writer, in batches. A test holds that the result equals the live read model.
 * Stop the hub first.
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
  const countOf = new Map(options.stores.map(({ store }, i) => [store, counts[i] ?? null]));
  const total = counts.every((count) => count !== null)
    ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0)
    : null;
  const bar = options.progress ? new ProgressBar({ label: 'insights', total, stream: options.progress }) : undefined;
  let events = 0;
  let applied = 0;
  const fold = new InsightsFold();
  try {
    for (const { store } of options.stores) {
      await readEverything(store, countOf.get(store) ?? null, batchSize, async (slice) => {
        const wanted = slice.filter((event) => handled.has(event.type));
        for (const event of wanted) fold.apply(event);
        await options.sql.transaction(async (tx) => {
          await insertEvents(
            wanted.filter((event) => itemTypes.has(event.type)),
            tx,
          );
          await tx.query(
            `INSERT INTO ${INBOX_TABLE} (projection, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
            [INSIGHTS_PROJECTION, wanted.map((event) => event.id)],
          );
        });
        events += slice.length;
        applied += wanted.length;
        bar?.update(events);
      });
    }
    await options.sql.transaction(async (tx) => {
      await bumpVersion(tx);
      await writeOrganizations([...fold.organizations.values()], tx);
    });
    const refs: ItemRef[] = [];
    const after = new Map<string, unknown>();
    for (const [id, item] of fold.items) {
      refs.push({ kind: item.kind, key: item.key });
      after.set(id, item.state);
    }
    for (let from = 0; from < refs.length; from += batchSize) {
      await options.sql.transaction((tx) => writeItems(refs.slice(from, from + batchSize), NOTHING, after, tx));
    }
    bar?.finish('done');
  } catch (error) {
    bar?.finish('failed');
    throw error;
  }
  return { events, applied, durationMs: performance.now() - started };
}

/** How long a replay waits for the store's read watermark to pass events it was told exist. */
const WATERMARK_WAIT_MS = 120_000;

/**
 * Reads a store from its first event to its last. A store that reads in commit order holds
 * back events behind the oldest transaction still open (in PostgreSQL, anywhere in the cluster),
 * so an empty slice means "not yet" while fewer events than the store counted have come.
 */
export async function readEverything(
  store: EventStore,
  expected: number | null,
  batchSize: number,
  onBatch: (events: readonly EventEnvelope[]) => Promise<void>,
): Promise<number> {
  let checkpoint: string | null = null;
  let read = 0;
  let waitingSince: number | null = null;
  for (;;) {
    const slice = await store.readAll(checkpoint, batchSize);
    if (slice.events.length === 0) {
      if (expected === null || read >= expected) return read;
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince > WATERMARK_WAIT_MS) {
        throw new Error(`the store counted ${expected} events but only ${read} became readable`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    waitingSince = null;
    checkpoint = slice.checkpoint;
    read += slice.events.length;
    await onBatch(slice.events);
  }
}
