import type { Checkpoint, EventStore, SubscribeOptions, Subscription } from './port.js';

/** Something that says "new events may be there"; returns a function that stops listening. */
export type Wakeup = (onWake: () => void) => () => void;

/**
 * A subscription built on `readAll`: catch up in batches, then sleep until woken (or until the
 * poll interval passes, which covers a lost notification). Because it only ever follows
 * `readAll`, it inherits that method's no-skip guarantee.
 */
export function followAll(
  store: Pick<EventStore, 'readAll'>,
  wakeup: Wakeup,
  options: SubscribeOptions,
  pollMs = 500,
): Subscription {
  const batchSize = options.batchSize ?? 500;
  let checkpoint: Checkpoint | null = options.from ?? null;
  let closed = false;
  let wake: (() => void) | undefined;
  let pending = false;
  const stopWaking = wakeup(() => {
    pending = true;
    wake?.();
  });

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (pending || closed) return resolve();
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    try {
      while (!closed) {
        pending = false;
        const slice = await store.readAll(checkpoint, batchSize);
        for (const event of slice.events) {
          if (closed) return;
          await options.onEvent(event);
          checkpoint = event.position;
        }
        if (slice.events.length < batchSize) await sleep();
      }
    } catch (error) {
      if (!closed) options.onError?.(error);
    } finally {
      stopWaking();
    }
  })();

  return {
    checkpoint: () => checkpoint,
    async close() {
      closed = true;
      wake?.();
      await loop;
    },
  };
}

/** A tiny in-process signal: adapters call `emit` after a commit; subscriptions listen. */
export class Signal {
  private readonly listeners = new Set<() => void>();
  readonly listen: Wakeup = (onWake) => {
    this.listeners.add(onWake);
    return () => this.listeners.delete(onWake);
  };
  emit(): void {
    for (const listener of this.listeners) listener();
  }
}
