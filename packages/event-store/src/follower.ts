import type { EventEnvelope } from '@hub/event-catalogue';
import type { Checkpoint, EventStore } from './port.js';

/**
 * Orders two checkpoints of one store. Every adapter's checkpoint is one or two whole numbers
 * joined by ':' (memory: the position; SQL: transaction and position; KurrentDB: commit and
 * prepare), compared left to right; null is before everything.
 */
export function compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const left = a.split(':');
  const right = b.split(':');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = BigInt(left[i] ?? 0);
    const y = BigInt(right[i] ?? 0);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Something that reads a store's events in order, each with its own checkpoint. */
export interface FollowerConsumer {
  readonly name: string;
  /** The position of the last event this consumer has taken; null before the first. */
  checkpoint(): Checkpoint | null;
  /**
   * Takes `events`, read right after `from`, in global order. A consumer whose checkpoint is now
   * before `from` (it was reset meanwhile) must take nothing: it is read for again from there.
   * Throwing leaves the consumer alone for `retryDelayMs` and then offers the same events again.
   */
  deliver(from: Checkpoint | null, events: readonly EventEnvelope[]): Promise<void>;
  /** Pause after the given number of failed deliveries in a row; default 250 ms doubling to 30 s. */
  retryDelayMs?(failures: number): number;
  onError?(error: unknown, failures: number): void;
}

export interface FollowerOptions {
  /** Events read per round; default 500. */
  readonly batchSize?: number;
  /** A safety read this often when nothing woke the follower (a lost cross-process wake-up); default 30 s. */
  readonly safetyPollMs?: number;
}

/** The one reader of a store's global order in this process; see `followerOf`. */
export interface Follower {
  /** Starts offering the consumer events after its checkpoint; resolves the returned function to detach. */
  attach(consumer: FollowerConsumer): () => Promise<void>;
  /** New events may be there (e.g. a consumer's checkpoint moved back): read soon. */
  wake(): void;
  /**
   * Resolves once every event whose append signalled this follower before the call has been
   * offered to the consumers: at once when nothing has been signalled since the last read.
   */
  sync(): Promise<void>;
  /** Rounds read so far (each is one `readAll`). */
  readonly reads: number;
}

const defaultRetryDelay = (failures: number): number => Math.min(30_000, 250 * 2 ** (failures - 1));

/**
 * After an append signal whose read found nothing new on PostgreSQL (it may hide a committed
 * event behind an older transaction still open anywhere in the cluster), look again after these
 * pauses. Other adapters show an event as soon as it is committed.
 */
const RECHECK_MS = [20, 50, 100, 200, 400, 800];

interface Attached {
  readonly consumer: FollowerConsumer;
  failures: number;
  pausedUntil: number;
  /** The delivery in flight: the consumer sits out rounds until it ends. */
  busy: Promise<void> | undefined;
}

/**
 * How long a round waits for a slow consumer before the others go on without it: one that hangs
 * (a bus that does not answer) must not hold up the store's other consumers.
 */
const SLOW_CONSUMER_MS = 1_000;

class StoreFollower implements Follower {
  reads = 0;
  private readonly attached = new Set<Attached>();
  private loop: Promise<void> | undefined;
  private woken = false;
  /** The store signalled an append since the last read (as opposed to a wake for other reasons). */
  private signalled = false;
  private onWake: (() => void) | undefined;
  private stopListening: (() => void) | undefined;
  /** Rounds started and finished, in order; a sync waits for the first round after its signal. */
  private started = 0;
  private finished = 0;
  private readonly syncs = new Set<{ readonly after: number; readonly done: () => void }>();
  /** The rounds started when the store last signalled an append. */
  private signalledAt = -1;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
    private readonly safetyPollMs: number,
    private readonly forget: () => void,
  ) {}

  attach(consumer: FollowerConsumer): () => Promise<void> {
    const entry: Attached = { consumer, failures: 0, pausedUntil: 0, busy: undefined };
    this.attached.add(entry);
    this.listen();
    this.loop ??= this.run();
    this.wake();
    return async () => {
      this.attached.delete(entry);
      this.wake();
      // A delivery in flight finishes before the consumer counts as detached.
      await entry.busy;
      if (this.attached.size === 0) await this.loop;
    };
  }

  wake(): void {
    this.woken = true;
    this.onWake?.();
  }

  sync(): Promise<void> {
    // The first round started after the latest append signal covers every append before it.
    const after = this.signalledAt + 1;
    if (!this.loop || this.finished >= after) return Promise.resolve();
    return new Promise((resolve) => {
      this.syncs.add({ after, done: resolve });
    });
  }

  private settleSyncs(): void {
    for (const entry of this.syncs) {
      if (this.finished >= entry.after || !this.loop) {
        this.syncs.delete(entry);
        entry.done();
      }
    }
  }

  private appended(): void {
    this.signalled = true;
    this.signalledAt = this.started;
    this.wake();
  }

  private listen(): void {
    if (this.stopListening) return;
    if (this.store.onAppended) {
      this.stopListening = this.store.onAppended(() => this.appended());
      return;
    }
    // A store without an append signal (KurrentDB) pushes events on its own subscription;
    // here it only wakes the follower.
    const subscription = this.store.subscribe({
      from: null,
      onEvent: () => this.appended(),
      onError: () => {},
    });
    this.stopListening = () => void subscription.close();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.woken) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.onWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.onWake = done;
    });
  }

  private async run(): Promise<void> {
    let recheck = -1;
    while (this.attached.size > 0) {
      const wasWoken = this.woken;
      const wasSignalled = this.signalled;
      this.woken = false;
      this.signalled = false;
      const now = Date.now();
      const ready = [...this.attached].filter((entry) => entry.pausedUntil <= now && !entry.busy);
      if (ready.length === 0) {
        const busy = [...this.attached].flatMap((entry) => (entry.busy ? [entry.busy] : []));
        const next = Math.min(...[...this.attached].map((entry) => (entry.busy ? Infinity : entry.pausedUntil)));
        await Promise.race([...busy, this.pause(Number.isFinite(next) ? Math.max(1, next - now) : this.safetyPollMs)]);
        this.onWake?.(); // ends the pause's timer when a delivery ended first
        this.woken ||= wasWoken;
        this.signalled ||= wasSignalled;
        continue;
      }
      let from: Checkpoint | null | undefined;
      for (const { consumer } of ready) {
        const checkpoint = consumer.checkpoint();
        if (from === undefined || compareCheckpoints(checkpoint, from) < 0) from = checkpoint;
      }
      let events: EventEnvelope[];
      this.started++;
      try {
        this.reads++;
        events = (await this.store.readAll(from ?? null, this.batchSize)).events;
      } catch (error) {
        for (const entry of ready) this.failed(entry, error);
        this.finished++;
        continue;
      }
      await this.offer(ready, from ?? null, events);
      this.finished++;
      // A full batch may have more behind it: a sync waits for the round that reads them.
      if (events.length < this.batchSize) this.settleSyncs();
      // A short page is everything there is: no second read to find that out.
      if (events.length >= this.batchSize) continue;
      if (events.length > 0) recheck = -1;
      else if (wasSignalled && this.store.adapter === 'postgres') recheck = 0;
      else if (recheck >= 0) recheck++;
      await this.pause(RECHECK_MS[recheck] ?? this.safetyPollMs);
    }
    this.loop = undefined;
    this.settleSyncs();
    this.stopListening?.();
    this.stopListening = undefined;
    this.forget();
  }

  /** Hands the batch to every consumer it concerns, at once; waits for them, a slow one only so long. */
  private async offer(ready: readonly Attached[], from: Checkpoint | null, events: readonly EventEnvelope[]) {
    if (events.length === 0) return;
    const deliveries: Promise<void>[] = [];
    for (const entry of ready) {
      if (!this.attached.has(entry)) continue;
      const after = entry.consumer.checkpoint();
      // Moved back since the read (a rebuild): these events do not follow on from it.
      if (compareCheckpoints(after, from) < 0) {
        this.woken = true;
        continue;
      }
      const fresh = after === from ? events : events.filter((event) => compareCheckpoints(event.position, after) > 0);
      if (fresh.length === 0) continue;
      const delivery = (async () => {
        try {
          await entry.consumer.deliver(after, fresh);
          entry.failures = 0;
        } catch (error) {
          this.failed(entry, error);
        } finally {
          entry.busy = undefined;
        }
      })();
      entry.busy = delivery;
      deliveries.push(delivery);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(deliveries),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SLOW_CONSUMER_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private failed(entry: Attached, error: unknown): void {
    entry.failures++;
    entry.pausedUntil = Date.now() + (entry.consumer.retryDelayMs ?? defaultRetryDelay)(entry.failures);
    entry.consumer.onError?.(error, entry.failures);
  }
}

const followers = new WeakMap<EventStore, StoreFollower>();

/**
 * The follower of `store` in this process: one loop that reads each batch once and offers it to
 * every consumer attached (projection runners, relays), each with its own checkpoint. It sleeps
 * until the store signals an append, so an idle store is not read (but for a rare safety poll).
 */
export function followerOf(store: EventStore, options: FollowerOptions = {}): Follower {
  let follower = followers.get(store);
  if (!follower) {
    follower = new StoreFollower(store, options.batchSize ?? 500, options.safetyPollMs ?? 30_000, () => {
      if (followers.get(store) === follower) followers.delete(store);
    });
    followers.set(store, follower);
  }
  return follower;
}
