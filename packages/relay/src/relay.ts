import type { EventBus } from '@hub/event-bus';
import { type Checkpoint, compareCheckpoints, type EventStore, followerOf } from '@hub/event-store';
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
   * Only for a service whose own read models are not inline (KurrentDB): resolves once they hold
   * every event in the store so far. Called before each publish, so a subscriber that looks an
   * event's entity up in the service (the gateway enriching a subscription event) finds it.
   * Inline read models hold an event from its commit, so it is left out for them.
   */
  readonly readModelsCaughtUp?: () => Promise<unknown>;
  /** Events read and published per round; default 500. */
  readonly batchSize?: number;
  /** Pause before retrying a failed publish; default 100 ms doubling to 10 s. */
  readonly retryDelayMs?: (failures: number) => number;
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
  const log = options.logger ?? stderrLogger;

  await createRelayCheckpointTable(sql);
  let checkpoint = await readRelayCheckpoint(sql, name);
  let published = 0;
  let failures = 0;
  let lastError: string | null = null;
  /** Flush calls waiting for the relay to reach a position it had not reached yet. */
  const flushes = new Set<{ readonly target: Checkpoint; readonly done: () => void }>();

  /** A flush waits for its target position to go by. */
  const settleFlushes = (): void => {
    for (const flush of flushes) {
      if (compareCheckpoints(flush.target, checkpoint) <= 0) {
        flushes.delete(flush);
        flush.done();
      }
    }
  };

  // The store's follower reads each batch once for this relay and the store's other consumers.
  const follower = followerOf(store, { batchSize });
  const detach = follower.attach({
    name: `relay ${name}`,
    checkpoint: () => checkpoint,
    async deliver(_from, events) {
      const last = events.at(-1);
      if (!last) return;
      await options.readModelsCaughtUp?.();
      await bus.publish(topic, events);
      published += events.length;
      await saveCheckpoint(sql, name, last.position, events.length);
      checkpoint = last.position;
      failures = 0;
      lastError = null;
      settleFlushes();
    },
    retryDelayMs,
    onError(error, failed) {
      failures = failed;
      lastError = messageOf(error);
      // The batch was not checkpointed: the same events go again, so none is lost.
      log({
        level: failures === 1 ? 'warn' : 'error',
        relay: name,
        message: `publish to ${topic} failed (${failures} in a row) at ${checkpoint ?? '(start)'}; retrying in ${retryDelayMs(failures)} ms: ${lastError}`,
      });
    },
  });

  return {
    status: () => ({ name, topic, checkpoint, published, failures, lastError }),
    async flush(timeoutMs = 30_000) {
      let target: Checkpoint | undefined;
      for (let from = checkpoint; ; ) {
        const slice = await store.readAll(from, batchSize);
        const last = slice.events.at(-1);
        if (last) target = last.position;
        if (slice.events.length < batchSize) break;
        from = slice.checkpoint;
      }
      if (target === undefined || compareCheckpoints(target, checkpoint) <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const entry = {
          target: target as Checkpoint,
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
        follower.wake();
      });
    },
    async stop() {
      await detach();
      for (const flush of flushes) flush.done();
      flushes.clear();
    },
  };
}
