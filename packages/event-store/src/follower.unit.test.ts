import type { EventEnvelope } from '@hub/event-catalogue';
import { describe, expect, it, vi } from 'vitest';
import { memoryEventStore } from './adapters/memory.js';
import { compareCheckpoints, type FollowerConsumer, followerOf } from './follower.js';
import type { Checkpoint, EventStore } from './port.js';
import { counted, testCatalogue } from './testing/catalogue.js';

/** A store that counts its `readAll` calls. */
function countingReads(): { store: EventStore; reads: () => number } {
  const inner = memoryEventStore(testCatalogue());
  let reads = 0;
  const store: EventStore = {
    ...inner,
    readAll(from, limit) {
      reads++;
      return inner.readAll(from, limit);
    },
  };
  return { store, reads: () => reads };
}

function consumer(name: string, deliver?: (events: readonly EventEnvelope[]) => Promise<void>) {
  let checkpoint: Checkpoint | null = null;
  const received: string[] = [];
  const entry: FollowerConsumer = {
    name,
    checkpoint: () => checkpoint,
    async deliver(_from, events) {
      await deliver?.(events);
      received.push(...events.map((event) => event.id));
      checkpoint = events.at(-1)?.position ?? checkpoint;
    },
    retryDelayMs: () => 5,
  };
  return { entry, received };
}

describe('the follower of a store', () => {
  it('given three consumers, when events are appended one by one, then each append is read once and every consumer gets every event', async () => {
    const { store, reads } = countingReads();
    const consumers = [consumer('a'), consumer('b'), consumer('c')];
    const follower = followerOf(store);
    const detach = consumers.map(({ entry }) => follower.attach(entry));
    await vi.waitFor(() => expect(reads()).toBeGreaterThan(0));
    await follower.sync();
    const before = reads();

    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      ids.push(...(await store.append(`stream-${i}`, [counted(i)])).events.map((event) => event.id));
      await follower.sync();
    }

    for (const { received } of consumers) expect(received).toEqual(ids);
    expect(reads() - before).toBe(5);
    await Promise.all(detach.map((stop) => stop()));
  });

  it('given an idle store, when a second passes, then it is not read', async () => {
    const { store, reads } = countingReads();
    const { entry } = consumer('idle');
    const stop = followerOf(store).attach(entry);
    await vi.waitFor(() => expect(reads()).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = reads();

    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(reads()).toBe(before);
    await stop();
  });

  it('given a consumer that hangs, when events are appended, then the other consumers still get them', async () => {
    const { store } = countingReads();
    const hung = consumer('hung', () => new Promise(() => {}));
    const healthy = consumer('healthy');
    const follower = followerOf(store);
    follower.attach(hung.entry);
    const stop = follower.attach(healthy.entry);

    const appended = await store.append('stream', [counted(1), counted(2)]);

    await vi.waitFor(() => expect(healthy.received).toEqual(appended.events.map((event) => event.id)), {
      timeout: 5_000,
    });
    expect(hung.received).toEqual([]);
    await stop();
  });

  it('given checkpoints of every adapter’s form, when compared, then they order as the store reads them', () => {
    expect(compareCheckpoints(null, '1')).toBe(-1);
    expect(compareCheckpoints('9', '10')).toBe(-1);
    expect(compareCheckpoints('12:5', '11:900')).toBe(1);
    expect(compareCheckpoints('7:3', '7:3')).toBe(0);
  });
});
