import { HubError } from '@hub/errors';

/**
 * A subscriber's queue as an async iterator. A subscriber that falls this far behind is cut off
 * with an error rather than let its queue grow without bound; it can resubscribe.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private failure: unknown;
  private done = false;

  constructor(
    private readonly onClose: () => void,
    private readonly maxQueued = 10_000,
  ) {}

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.fail(new HubError('CONFLICT', `subscriber fell ${this.maxQueued} events behind; subscribe again`));
      return;
    }
    this.queue.push(value);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.failure = error;
    this.queue.length = 0;
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      this.finish();
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.failure !== undefined && !this.done) {
      this.finish();
      return Promise.reject(this.failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    this.queue.length = 0;
    const resolve = this.waiting;
    this.waiting = undefined;
    this.failWaiting = undefined;
    resolve?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
  }
}
