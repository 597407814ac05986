import type { EventBus } from '@hub/event-bus';
import type { Checkpoint, EventStore, Subscription } from '@hub/event-store';
import type { SqlClient, SqlExecutor } from '@hub/sql';

/** One row per relay, in the service's own database (beside its read models). */
export const RELAY_CHECKPOINT_TABLE = 'relay_checkpoints';

export interface RelayLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly relay: string;
  readonly message: string;
}
export type RelayLogger = (entry: RelayLogEntry) => void;

export interface RelayOptions {
  /** The checkpoint's key: unique per database, e.g. the service's name. */
  readonly name: string;
  readonly store: EventStore;
  readonly bus: EventBus;
  /** The bounded context's topic, e.g. 'hub.directory'. */
  readonly topic: string;
  /** Where the checkpoint lives. */
  readonly sql: SqlClient;
  /**
   * Resolves once the service's own read models hold every event in the store so far (e.g. its
   * ProjectionRunner's catchUp). Called before each publish, so a subscriber that looks an event's
   * entity up in the service (the gateway enriching a subscription event) always finds it.
   */
  readonly readModelsCaughtUp?: () => Promise<unknown>;
  /** Events read and published per round; default 500. */
  readonly batchSize?: number;
  /** Pause before retrying a failed publish; default 100 ms doubling to 10 s. */
  readonly retryDelayMs?: (failures: number) => number;
  /** Also looks for events this often, in case a wakeup was lost; default 1 s. */
  readonly idlePollMs?: number;
  readonly logger?: RelayLogger;
}

export interface RelayStatus {
  readonly name: string;
  readonly topic: string;
  /** The position of the last event the bus acknowledged; null before the first. */
  readonly checkpoint: Checkpoint | null;
  /** Events published by this relay object (a resend after a failure counts again). */
  readonly published: number;
  /** Publish attempts that failed in a row; 0 while healthy. */
  readonly failures: number;
  readonly lastError: string | null;
}

export interface RunningRelay {
  status(): RelayStatus;
  /** Resolves once every event the store held when it was called has been published. */
  flush(timeoutMs?: number): Promise<void>;
  /** Stops after the round in flight; its checkpoint is saved if the bus acknowledged it. */
  stop(): Promise<void>;
}

const defaultRetryDelay = (failures: number): number => Math.min(10_000, 100 * 2 ** (failures - 1));

const stderrLogger: RelayLogger = ({ level, relay, message }) => {
  process.stderr.write(`${new Date().toISOString()} ${level} relay ${relay}: ${message}\n`);
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function createRelayCheckpointTable(sql: SqlClient): Promise<void> {
  await sql.transaction(async (tx) => {
    // Services starting against one database at once must not race on CREATE TABLE.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${RELAY_CHECKPOINT_TABLE}'))`);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS ${RELAY_CHECKPOINT_TABLE} (
        name text PRIMARY KEY,
        checkpoint text,
        published bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  });
}

export async function readRelayCheckpoint(sql: SqlExecutor, name: string): Promise<Checkpoint | null> {
  const result = await sql.query<{ checkpoint: string | null }>(
    `SELECT checkpoint FROM ${RELAY_CHECKPOINT_TABLE} WHERE name = $1`,
    [name],
  );
  return result.rows[0]?.checkpoint ?? null;
}

async function saveCheckpoint(sql: SqlExecutor, name: string, checkpoint: Checkpoint, count: number): Promise<void> {
  await sql.query(
    `INSERT INTO ${RELAY_CHECKPOINT_TABLE} (name, checkpoint, published) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET checkpoint = $2, published = ${RELAY_CHECKPOINT_TABLE}.published + $3,
       updated_at = now()`,
    [name, checkpoint, count],
  );
}

/**
 * Carries a service's events from its store's global order to its topic (design §2). The
 * checkpoint moves only after the bus acknowledged a batch, so a crash at any point resends at most
 * the batch in flight and never skips one: at-least-once, with consumers dropping duplicates by id.
 */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const { name, store, bus, topic, sql } = options;
  const batchSize = options.batchSize ?? 500;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
  }
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
  const idlePollMs = options.idlePollMs ?? 1_000;
  const log = options.logger ?? stderrLogger;

  await createRelayCheckpointTable(sql);
  let checkpoint = await readRelayCheckpoint(sql, name);
  let published = 0;
  let failures = 0;
  let lastError: string | null = null;
  let running = true;
  let woken = false;
  let onWake: (() => void) | undefined;
  /** Flush calls waiting for the relay to reach a position it had not reached yet. */
  const flushes = new Set<{ readonly target: Checkpoint; readonly done: () => void }>();

  const wake = (): void => {
    woken = true;
    onWake?.();
  };
  const pause = (ms: number, wakeable: boolean): Promise<void> =>
    new Promise((resolve) => {
      if (!running || (wakeable && woken)) return resolve();
      const done = () => {
        clearTimeout(timer);
        onWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // A stop must end any pause, a wakeup only the idle one.
      onWake = wakeable ? done : () => (running ? undefined : done());
    });

  let live: Subscription | undefined;
  const follow = (): void => {
    // The store's own subscription only says "there is more"; batches are read below.
    live ??= store.subscribe({
      from: checkpoint,
      onEvent: wake,
      onError: (error) => {
        live = undefined;
        log({ level: 'warn', relay: name, message: `live subscription ended (${messageOf(error)}); polling` });
      },
    });
  };

  /** Checkpoints are opaque, so a flush waits for its target position to go by, or for the end. */
  const settleFlushes = (passed: ReadonlySet<Checkpoint> | 'caught-up'): void => {
    for (const flush of flushes) {
      if (passed === 'caught-up' || passed.has(flush.target)) {
        flushes.delete(flush);
        flush.done();
      }
    }
  };

  /** Publishes the next batch; returns the number of events, 0 when caught up. */
  const step = async (): Promise<number> => {
    const slice = await store.readAll(checkpoint, batchSize);
    const last = slice.events.at(-1);
    if (!last) return 0;
    await options.readModelsCaughtUp?.();
    await bus.publish(topic, slice.events);
    published += slice.events.length;
    await saveCheckpoint(sql, name, last.position, slice.events.length);
    checkpoint = last.position;
    if (flushes.size > 0) settleFlushes(new Set(slice.events.map((event) => event.position)));
    return slice.events.length;
  };

  const loop = (async () => {
    while (running) {
      woken = false;
      try {
        const n = await step();
        failures = 0;
        lastError = null;
        if (n === 0) {
          settleFlushes('caught-up');
          follow();
          await pause(idlePollMs, true);
        }
      } catch (error) {
        failures++;
        lastError = messageOf(error);
        const delay = retryDelayMs(failures);
        // The batch was not checkpointed: the same events go again, so none is lost.
        log({
          level: failures === 1 ? 'warn' : 'error',
          relay: name,
          message: `publish to ${topic} failed (${failures} in a row) at ${checkpoint ?? '(start)'}; retrying in ${delay} ms: ${lastError}`,
        });
        await pause(delay, false);
      }
    }
  })();

  return {
    status: () => ({ name, topic, checkpoint, published, failures, lastError }),
    async flush(timeoutMs = 30_000) {
      let target: Checkpoint | undefined;
      for (let from = checkpoint; ; ) {
        const slice = await store.readAll(from, batchSize);
        const last = slice.events.at(-1);
        if (!last) break;
        target = last.position;
        from = slice.checkpoint;
      }
      if (target === undefined) return;
      await new Promise<void>((resolve, reject) => {
        const entry = {
          target,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          flushes.delete(entry);
          reject(new Error(`relay ${name} did not publish up to ${target} within ${timeoutMs} ms: ${lastError ?? ''}`));
        }, timeoutMs);
        flushes.add(entry);
        wake();
      });
    },
    async stop() {
      running = false;
      onWake?.();
      await loop;
      await live?.close();
      for (const flush of flushes) flush.done();
      flushes.clear();
    },
  };
}
