import { HubError, isHubError } from '@hub/errors';
import type { EventEnvelope } from '@hub/event-catalogue';
import { type Checkpoint, compareCheckpoints, type EventStore, followerOf } from '@hub/event-store';
import { retryOnDeadlock, type SqlClient } from '@hub/sql';
import {
  advanceCheckpoint,
  createCheckpointTable,
  insertCheckpoint,
  lockSetup,
  readCheckpoint,
  resetCheckpoint,
} from './checkpoints.js';
import { ProgressBar, type ProgressStream } from './progress.js';
import type { Projection } from './projection.js';

export type ProjectionState = 'idle' | 'catching-up' | 'live' | 'rebuilding' | 'failing' | 'stopped';

export interface ProjectionFailure {
  readonly message: string;
  /** The event `apply` failed on, when the failure was the projection's own. */
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly position: Checkpoint | null;
  /** Attempts that failed in a row. */
  readonly failures: number;
  readonly at: string;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly state: ProjectionState;
  readonly checkpoint: Checkpoint | null;
  readonly applied: number;
  readonly failure: ProjectionFailure | null;
}

export interface ProjectionLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly projection: string;
  readonly message: string;
}
export type ProjectionLogger = (entry: ProjectionLogEntry) => void;

export interface ProjectionRunnerOptions {
  /** Where the read models and their checkpoints live. */
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Events read and applied per transaction; default 500. */
  readonly batchSize?: number;
  readonly logger?: ProjectionLogger;
  /** Pause before retrying a failed projection in live mode; default 250 ms doubling to 30 s. */
  readonly retryDelayMs?: (failures: number) => number;
  /** Recently applied event ids kept per projection so `waitFor` can answer for the past; default 20,000. */
  readonly rememberApplied?: number;
  /** How long `waitFor` waits by default; default 10 s. */
  readonly waitTimeoutMs?: number;
}

export interface WaitOptions {
  /** Projections that must have applied the event; default all. */
  readonly projections?: readonly string[];
  readonly timeoutMs?: number;
}

export interface RebuildOptions {
  /** true: a progress display on stderr (a bar on a terminal, periodic lines otherwise). */
  readonly progress?: boolean | ProgressStream;
}

export interface RebuildReport {
  readonly name: string;
  /** Events replayed (applied or skipped). */
  readonly events: number;
  /** Events handed to `apply`. */
  readonly applied: number;
  readonly durationMs: number;
}

/** How long a checkpoint moved only by skipped events waits before it is written. */
const PERSIST_SKIPPED_MS = 500;

export const defaultRetryDelay = (failures: number): number => Math.min(30_000, 250 * 2 ** (failures - 1));

const stderrLogger: ProjectionLogger = ({ level, projection, message }) => {
  process.stderr.write(`${new Date().toISOString()} ${level} projection ${projection}: ${message}\n`);
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs one piece of work at a time, in call order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** One projection's progress, failure and waiters inside a runner. */
class Worker {
  /** Set once a live runner has caught up; cleared by stop. */
  live = false;
  stopped = false;
  rebuilding = false;
  catchingUp = 0;
  checkpoint: Checkpoint | null = null;
  /**
   * The checkpoint in the database. Batches with nothing this projection handles move only
   * `checkpoint`: the next batch that commits carries it along (after a restart, re-reading
   * events the projection skips is harmless).
   */
  persisted: Checkpoint | null = null;
  /** Set while a skip-only checkpoint waits to be written. */
  persistTimer: NodeJS.Timeout | undefined;
  applied = 0;
  failure: ProjectionFailure | null = null;
  detach: (() => Promise<void>) | undefined;
  readonly lock = new Mutex();
  private readonly handles: ReadonlySet<string> | null;
  private readonly recent = new Set<string>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(
    readonly projection: Projection,
    private readonly remember: number,
  ) {
    this.handles = projection.handles ? new Set(projection.handles) : null;
  }

  get name(): string {
    return this.projection.name;
  }

  get version(): number {
    return this.projection.version ?? 1;
  }

  get state(): ProjectionState {
    if (this.failure) return 'failing';
    if (this.rebuilding) return 'rebuilding';
    if (this.live) return 'live';
    if (this.catchingUp > 0) return 'catching-up';
    return this.stopped ? 'stopped' : 'idle';
  }

  wants(event: EventEnvelope): boolean {
    return this.handles === null || this.handles.has(event.type);
  }

  restart(): void {
    this.checkpoint = null;
    this.persisted = null;
    this.applied = 0;
    this.recent.clear();
  }

  /** Records a committed batch and releases everyone waiting for one of its events. */
  committed(events: readonly EventEnvelope[], to: Checkpoint, applied: number): void {
    this.checkpoint = to;
    this.applied += applied;
    for (const event of events) {
      this.recent.add(event.id);
      const waiting = this.waiters.get(event.id);
      if (waiting) {
        this.waiters.delete(event.id);
        for (const waiter of waiting) waiter.resolve();
      }
    }
    // A Set iterates in insertion order, so the first ids are the oldest.
    for (const id of this.recent) {
      if (this.recent.size <= this.remember) break;
      this.recent.delete(id);
    }
  }

  hasApplied(event: Pick<EventEnvelope, 'id' | 'position'>): boolean {
    return this.recent.has(event.id) || compareCheckpoints(event.position, this.checkpoint) <= 0;
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

  rejectWaiters(error: HubError): void {
    const all = [...this.waiters.values()].flatMap((set) => [...set]);
    this.waiters.clear();
    for (const waiter of all) waiter.reject(error);
  }

  failed(error: unknown): ProjectionFailure {
    const details = isHubError(error) ? error.details : {};
    const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);
    this.failure = {
      message: messageOf(error),
      eventId: text('eventId'),
      eventType: text('eventType'),
      position: text('position'),
      failures: (this.failure?.failures ?? 0) + 1,
      at: new Date().toISOString(),
    };
    return this.failure;
  }
}

function projectionFailed(name: string, event: EventEnvelope, error: unknown): HubError {
  return new HubError(
    'INTERNAL',
    `projection ${name} failed on event ${event.id} (${event.type} at ${event.position}): ${messageOf(error)}`,
    { projection: name, eventId: event.id, eventType: event.type, position: event.position, cause: error },
  );
}

/**
 * Keeps read models up to date from the event store (design §2). Each batch of events and the
 * checkpoint after it are written in one SQL transaction, so a crash anywhere leaves the read
 * model exactly at its checkpoint: restarting neither applies an event twice nor skips one.
 */
export class ProjectionRunner {
  private readonly sql: SqlClient;
  private readonly store: EventStore;
  private readonly workers = new Map<string, Worker>();
  private readonly batchSize: number;
  private readonly log: ProjectionLogger;
  private readonly retryDelayMs: (failures: number) => number;
  private readonly waitTimeoutMs: number;
  private ready: Promise<void> | undefined;
  private running = false;

  constructor(options: ProjectionRunnerOptions) {
    this.sql = options.sql;
    this.store = options.store;
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a whole number ≥ 1, got ${this.batchSize}`);
    }
    this.log = options.logger ?? stderrLogger;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10_000;
    for (const projection of options.projections) {
      if (this.workers.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      this.workers.set(projection.name, new Worker(projection, options.rememberApplied ?? 20_000));
    }
  }

  /**
   * Creates the checkpoint table and the read models' tables and loads checkpoints. A projection
   * whose version changed is emptied here and so replays from the first event. Runs once.
   */
  setup(): Promise<void> {
    this.ready ??= retryOnDeadlock(() => this.runSetup()).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Applies everything the store has now; resolves with the number of events read. */
  async catchUp(names?: readonly string[]): Promise<number> {
    await this.setup();
    const counts = await Promise.all(this.select(names).map((worker) => this.catchUpWorker(worker)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Resolves once the projections hold every event appended in this process before the call:
   * while following, without a read of its own when the follower has nothing new to read.
   */
  async settled(): Promise<void> {
    if (this.running) await followerOf(this.store).sync();
    else await this.catchUp();
  }

  /**
   * Follows the store live until `stop()`, on the store's one follower in this process (shared
   * with every other runner and relay of the store); a failing projection is retried with backoff.
   */
  async start(): Promise<void> {
    await this.setup();
    if (this.running) return;
    this.running = true;
    const follower = followerOf(this.store, { batchSize: this.batchSize });
    for (const worker of this.workers.values()) {
      worker.stopped = false;
      // Usually a no-op (services catch up before they start); a failure is retried by the follower.
      await this.catchUpWorker(worker).catch((error: unknown) => this.logFailure(worker, error));
      worker.live = true;
      worker.detach = follower.attach({
        name: worker.name,
        checkpoint: () => worker.checkpoint,
        deliver: (from, events) =>
          worker.lock.run(async () => {
            // A rebuild or catch-up may have moved the checkpoint while the batch was read.
            if (compareCheckpoints(worker.checkpoint, from) !== 0) return;
            await this.guarded(worker, () => this.applyBatch(worker, events));
          }),
        retryDelayMs: this.retryDelayMs,
        onError: (error) => this.logFailure(worker, error),
      });
    }
  }

  private logFailure(worker: Worker, error: unknown): void {
    const failures = worker.failure?.failures ?? 1;
    // Nothing of the failed batch was committed; the same events are tried again, none skipped.
    this.log({
      level: 'error',
      projection: worker.name,
      message: `stopped at checkpoint ${worker.checkpoint ?? '(start)'} after failure ${failures}; retrying in ${this.retryDelayMs(failures)} ms: ${messageOf(error)}`,
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const workers = [...this.workers.values()];
    await Promise.all(workers.map((worker) => worker.detach?.()));
    for (const worker of workers) {
      await worker.lock.run(() => this.persist(worker));
      worker.detach = undefined;
      worker.live = false;
      worker.stopped = true;
      worker.rejectWaiters(new HubError('INTERNAL', `projection ${worker.name} stopped`, { projection: worker.name }));
    }
  }

  /**
   * Resolves once the projections have applied `event` (read-your-writes after a mutation: pass
   * the last envelope the command appended). Checkpoints are opaque, so this goes by event id:
   * ids applied by this runner are remembered (up to `rememberApplied` per projection).
   */
  async waitFor(event: Pick<EventEnvelope, 'id' | 'position'>, options: WaitOptions = {}): Promise<void> {
    await this.setup();
    const timeoutMs = options.timeoutMs ?? this.waitTimeoutMs;
    await Promise.all(this.select(options.projections).map((worker) => this.waitForWorker(worker, event, timeoutMs)));
  }

  /**
   * Empties the read model and its checkpoint in one transaction, then replays every event.
   * Live application of this projection waits meanwhile.
   */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildReport> {
    await this.setup();
    const [worker] = this.select([name]) as [Worker];
    return worker.lock.run(async () => {
      worker.rebuilding = true;
      let bar: ProgressBar | undefined;
      try {
        await this.sql.transaction(async (tx) => {
          await worker.projection.reset(tx);
          await resetCheckpoint(tx, name, worker.version);
        });
        worker.restart();
        const stream = options.progress === true ? process.stderr : options.progress || undefined;
        if (stream) bar = new ProgressBar({ label: `rebuild ${name}`, total: await this.store.count(), stream });
        const started = performance.now();
        let events = 0;
        for (;;) {
          const n = await this.guarded(worker, () => this.step(worker));
          events += n;
          bar?.update(events);
          if (n < this.batchSize) break;
        }
        await this.persist(worker);
        bar?.finish();
        const report = { name, events, applied: worker.applied, durationMs: performance.now() - started };
        this.log({ level: 'info', projection: name, message: `rebuilt from ${events} events` });
        return report;
      } catch (error) {
        bar?.finish('failed');
        throw error;
      } finally {
        worker.rebuilding = false;
      }
    });
  }

  status(): ProjectionStatus[] {
    return [...this.workers.values()].map((worker) => ({
      name: worker.name,
      version: worker.version,
      state: worker.state,
      checkpoint: worker.checkpoint,
      applied: worker.applied,
      failure: worker.failure,
    }));
  }

  private select(names: readonly string[] | undefined): Worker[] {
    if (!names) return [...this.workers.values()];
    return names.map((name) => {
      const worker = this.workers.get(name);
      if (!worker) throw new HubError('NOT_FOUND', `projection ${name} does not exist`, { id: name });
      return worker;
    });
  }

  private async runSetup(): Promise<void> {
    await this.sql.transaction((tx) => createCheckpointTable(tx));
    for (const worker of this.workers.values()) {
      const previousVersion = await this.sql.transaction(async (tx) => {
        await lockSetup(tx);
        await worker.projection.setup(tx);
        await insertCheckpoint(tx, worker.name, worker.version);
        const row = await readCheckpoint(tx, worker.name, { lock: true });
        if (!row) throw new Error(`checkpoint of projection ${worker.name} vanished during setup`);
        if (row.version === worker.version) {
          worker.checkpoint = row.checkpoint;
          worker.persisted = row.checkpoint;
          worker.applied = row.applied;
          return undefined;
        }
        await worker.projection.reset(tx);
        await resetCheckpoint(tx, worker.name, worker.version);
        return row.version;
      });
      if (previousVersion !== undefined) {
        worker.restart();
        this.log({
          level: 'info',
          projection: worker.name,
          message: `version ${previousVersion} → ${worker.version}: read model emptied, replaying from the first event`,
        });
      }
    }
  }

  /** Reads the next batch after the worker's checkpoint and applies it; returns the number of events read. */
  private async step(worker: Worker): Promise<number> {
    const slice = await this.store.readAll(worker.checkpoint, this.batchSize);
    if (slice.events.length > 0) await this.applyBatch(worker, slice.events);
    return slice.events.length;
  }

  /**
   * Applies the events that follow the worker's checkpoint, with the new checkpoint in one
   * transaction. A batch with nothing the projection handles commits nothing.
   */
  private async applyBatch(worker: Worker, events: readonly EventEnvelope[]): Promise<void> {
    const last = events.at(-1) as EventEnvelope;
    const wanted = events.filter((event) => worker.wants(event));
    if (wanted.length === 0) {
      worker.committed(events, last.position, 0);
      this.persistSoon(worker);
      return;
    }
    const from = worker.persisted;
    const advanced = await this.sql.transaction(async (tx) => {
      if (!(await advanceCheckpoint(tx, worker.name, from, last.position, wanted.length))) return false;
      for (const event of wanted) {
        try {
          await worker.projection.apply(event, tx);
        } catch (error) {
          throw projectionFailed(worker.name, event, error);
        }
      }
      return true;
    });
    if (advanced) {
      worker.committed(events, last.position, wanted.length);
      worker.persisted = last.position;
      return;
    }
    // Another runner on this database applied from the same checkpoint first: continue after it.
    const row = await readCheckpoint(this.sql, worker.name);
    worker.checkpoint = row?.checkpoint ?? null;
    worker.persisted = worker.checkpoint;
    worker.applied = row?.applied ?? 0;
    this.log({ level: 'warn', projection: worker.name, message: 'checkpoint moved by another runner; continuing' });
  }

  /**
   * Writes a skip-only checkpoint a moment later, in one statement for however many batches came
   * meanwhile, so the lag that readiness and waiting instances read from it stays true.
   */
  private persistSoon(worker: Worker): void {
    if (worker.persistTimer) return;
    worker.persistTimer = setTimeout(() => {
      worker.persistTimer = undefined;
      worker.lock
        .run(() => this.persist(worker))
        .catch((error: unknown) => {
          this.log({ level: 'warn', projection: worker.name, message: `checkpoint not saved: ${messageOf(error)}` });
        });
    }, PERSIST_SKIPPED_MS);
    worker.persistTimer.unref();
  }

  /** Writes a checkpoint that only skipped events moved, so a restart need not read them again. */
  private async persist(worker: Worker): Promise<void> {
    clearTimeout(worker.persistTimer);
    worker.persistTimer = undefined;
    if (worker.checkpoint === null || worker.checkpoint === worker.persisted) return;
    if (await advanceCheckpoint(this.sql, worker.name, worker.persisted, worker.checkpoint, 0)) {
      worker.persisted = worker.checkpoint;
      return;
    }
    // Another runner moved it meanwhile, e.g. the instance that held the lease before this one.
    const row = await readCheckpoint(this.sql, worker.name);
    const stored = row?.checkpoint ?? null;
    if (compareCheckpoints(stored, worker.checkpoint) >= 0 || compareCheckpoints(stored, worker.persisted) < 0) {
      // Ahead of this runner, or reset by a rebuild: continue from the stored one.
      worker.checkpoint = stored;
      worker.persisted = stored;
      worker.applied = row?.applied ?? 0;
      return;
    }
    // Between what this runner last wrote and where it is: a handled event always goes through a
    // transaction from \`persisted\`, so every event this runner passed since was one it skips, and
    // the stored checkpoint may move over them too. Without this a survivor that only skips never
    // writes its checkpoint again, and readiness reports a lag that is not there.
    if (await advanceCheckpoint(this.sql, worker.name, stored, worker.checkpoint, 0)) {
      worker.persisted = worker.checkpoint;
    }
  }

  /** Runs one step of `worker`, keeping its failure state: set on a throw, cleared on success. */
  private async guarded<T>(worker: Worker, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      worker.failure = null;
      return result;
    } catch (error) {
      worker.failed(error);
      throw error;
    }
  }

  private async catchUpWorker(worker: Worker): Promise<number> {
    worker.catchingUp++;
    try {
      let total = 0;
      for (;;) {
        const n = await worker.lock.run(() => this.guarded(worker, () => this.step(worker)));
        total += n;
        // A short batch was everything there is: reading again would only find that out.
        if (n < this.batchSize) return total;
      }
    } finally {
      worker.catchingUp--;
    }
  }

  private waitForWorker(worker: Worker, event: Pick<EventEnvelope, 'id' | 'position'>, timeoutMs: number) {
    if (worker.hasApplied(event)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        const failing = worker.failure ? `; it is failing: ${worker.failure.message}` : '';
        reject(
          new HubError(
            'INTERNAL',
            `projection ${worker.name} has not applied event ${event.id} within ${timeoutMs} ms${failing}`,
            { projection: worker.name, eventId: event.id },
          ),
        );
      }, timeoutMs);
      const remove = worker.addWaiter(event.id, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (this.running) {
        followerOf(this.store).wake();
        return;
      }
      this.catchUpWorker(worker).catch((error: unknown) => {
        remove();
        clearTimeout(timer);
        reject(error);
      });
    });
  }
}
