import { HubError } from '@hub/errors';
import type { DeliveryMeta, EventBus, Subscription } from '@hub/event-bus';
import type { EventEnvelope } from '@hub/event-catalogue';
import type { Projection } from '@hub/projections';
import { retryOnDeadlock, type SqlClient, type SqlExecutor } from '@hub/sql';

/**
 * Event ids each projection has applied, in the read model's database: the bus delivers at least
 * once, and this table turns that into exactly-once effect.
 */
export const INBOX_TABLE = 'projection_inbox';

export interface BusProjectionRunnerOptions {
  /** Where the read models and the inbox live. */
  readonly sql: SqlClient;
  readonly bus: EventBus;
  /** The topics to consume, e.g. ['hub.directory']. */
  readonly topics: readonly string[];
  readonly projections: readonly Projection[];
  /** Each projection consumes in its own group, `<prefix><projection name>`; default 'projection.'. */
  readonly groupPrefix?: string;
  /** Recently applied event ids kept per projection so `waitFor` can answer for the past; default 20,000. */
  readonly rememberApplied?: number;
  /** How long `waitFor` waits by default; default 10 s. */
  readonly waitTimeoutMs?: number;
}

export interface BusProjectionStatus {
  readonly name: string;
  /** Events applied by this runner object. */
  readonly applied: number;
  /** Deliveries dropped because the inbox already held the event (redeliveries, relay resends). */
  readonly duplicates: number;
  readonly lastDelivery: DeliveryMeta | null;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

class Consumer {
  applied = 0;
  duplicates = 0;
  lastDelivery: DeliveryMeta | null = null;
  subscription: Subscription | undefined;
  private readonly handles: ReadonlySet<string> | null;
  private readonly recent = new Set<string>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(
    readonly projection: Projection,
    private readonly remember: number,
  ) {
    this.handles = projection.handles ? new Set(projection.handles) : null;
  }

  wants(event: EventEnvelope): boolean {
    return this.handles === null || this.handles.has(event.type);
  }

  /** Called once the event's transaction committed, or when it needed no transaction. */
  settled(event: EventEnvelope): void {
    this.recent.add(event.id);
    for (const id of this.recent) {
      if (this.recent.size <= this.remember) break;
      this.recent.delete(id);
    }
    const waiting = this.waiters.get(event.id);
    if (!waiting) return;
    this.waiters.delete(event.id);
    for (const waiter of waiting) waiter.resolve();
  }

  hasSettled(eventId: string): boolean {
    return this.recent.has(eventId);
  }

  addWaiter(eventId: string, waiter: Waiter): () => void {
    const set = this.waiters.get(eventId) ?? new Set();
    set.add(waiter);
    this.waiters.set(eventId, set);
    return () => {
      set.delete(waiter);
      if (set.size === 0) this.waiters.delete(eventId);
    };
  }

  rejectAll(error: HubError): void {
    const all = [...this.waiters.values()].flatMap((set) => [...set]);
    this.waiters.clear();
    for (const waiter of all) waiter.reject(error);
  }
}

export async function createInboxTable(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${INBOX_TABLE}'))`);
  await tx.exec(`
    CREATE TABLE IF NOT EXISTS ${INBOX_TABLE} (
      projection text NOT NULL,
      event_id text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (projection, event_id)
    )`);
}

/**
 * Keeps read models up to date from the bus (local and production modes, design §2) with the same
 * exactly-once effect as the store-following ProjectionRunner: each event is applied and its id
 * recorded in the inbox in one transaction, a delivery whose id is already there is dropped, and
 * the bus offset is committed only after that transaction. A crash between the commit of the
 * transaction and of the offset redelivers an event the inbox then drops.
 *
 * Across streams the bus does not keep the store's global order (only each stream's), so a
 * projection run here must not depend on the order of events of different streams. Rebuilding a
 * read model replays the store with ProjectionRunner, which shares the read model's tables.
 */
export class BusProjectionRunner {
  private readonly consumers = new Map<string, Consumer>();
  private readonly waitTimeoutMs: number;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: BusProjectionRunnerOptions) {
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10_000;
    for (const projection of options.projections) {
      if (this.consumers.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      this.consumers.set(projection.name, new Consumer(projection, options.rememberApplied ?? 20_000));
    }
  }

  /** Creates the inbox and the read models' tables; runs once. */
  setup(): Promise<void> {
    this.ready ??= retryOnDeadlock(() =>
      this.options.sql.transaction(async (tx) => {
        await createInboxTable(tx);
        for (const consumer of this.consumers.values()) await consumer.projection.setup(tx);
      }),
    ).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Joins each projection's consumer group; a new group starts from the oldest event on the bus. */
  async start(): Promise<void> {
    await this.setup();
    const prefix = this.options.groupPrefix ?? 'projection.';
    for (const consumer of this.consumers.values()) {
      if (consumer.subscription) continue;
      consumer.subscription = await this.options.bus.subscribe({
        groupId: `${prefix}${consumer.projection.name}`,
        topics: this.options.topics,
        fromBeginning: true,
        onEvent: (event, meta) => this.deliver(consumer, event, meta),
      });
    }
  }

  /** Leaves the groups; every event whose transaction committed has its offset committed too. */
  async stop(): Promise<void> {
    const consumers = [...this.consumers.values()];
    await Promise.all(consumers.map((consumer) => consumer.subscription?.close()));
    for (const consumer of consumers) {
      consumer.subscription = undefined;
      consumer.rejectAll(
        new HubError('INTERNAL', `projection ${consumer.projection.name} stopped`, {
          projection: consumer.projection.name,
        }),
      );
    }
  }

  /** Resolves once every projection (or those named) has applied the event with this id. */
  async waitFor(
    event: Pick<EventEnvelope, 'id'>,
    options: { projections?: readonly string[]; timeoutMs?: number } = {},
  ) {
    const timeoutMs = options.timeoutMs ?? this.waitTimeoutMs;
    const names = options.projections ?? [...this.consumers.keys()];
    await Promise.all(
      names.map((name) => {
        const consumer = this.consumers.get(name);
        if (!consumer) throw new HubError('NOT_FOUND', `projection ${name} does not exist`, { id: name });
        if (consumer.hasSettled(event.id)) return undefined;
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            remove();
            reject(
              new HubError('INTERNAL', `projection ${name} has not applied event ${event.id} within ${timeoutMs} ms`, {
                projection: name,
                eventId: event.id,
              }),
            );
          }, timeoutMs);
          const remove = consumer.addWaiter(event.id, {
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
            reject: (error) => {
              clearTimeout(timer);
              reject(error);
            },
          });
        });
      }),
    );
  }

  status(): BusProjectionStatus[] {
    return [...this.consumers.values()].map((consumer) => ({
      name: consumer.projection.name,
      applied: consumer.applied,
      duplicates: consumer.duplicates,
      lastDelivery: consumer.lastDelivery,
    }));
  }

  private async deliver(consumer: Consumer, event: EventEnvelope, meta: DeliveryMeta): Promise<void> {
    consumer.lastDelivery = meta;
    // Events the projection ignores change nothing, so a duplicate of one is harmless.
    if (!consumer.wants(event)) {
      consumer.settled(event);
      return;
    }
    const name = consumer.projection.name;
    const fresh = await this.options.sql.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO ${INBOX_TABLE} (projection, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [name, event.id],
      );
      if (inserted.rowCount === 0) return false;
      try {
        await consumer.projection.apply(event, tx);
      } catch (error) {
        throw new HubError(
          'INTERNAL',
          `projection ${name} failed on event ${event.id} (${event.type}): ${error instanceof Error ? error.message : String(error)}`,
          { projection: name, eventId: event.id, eventType: event.type, cause: error },
        );
      }
      return true;
    });
    if (fresh) consumer.applied++;
    else consumer.duplicates++;
    consumer.settled(event);
  }
}
