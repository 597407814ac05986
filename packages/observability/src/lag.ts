import type { Checkpoint, EventStore } from '@hub/event-store';
import type { Lag } from './metrics.js';

/** Lag counts stop here: past it, a follower is far behind and the exact number does not matter. */
export const LAG_COUNT_LIMIT = 1000;

/** How far `checkpoint` is behind the store's newest event, read from the store itself. */
export async function lagBehind(store: EventStore, checkpoint: Checkpoint | null, now = Date.now()): Promise<Lag> {
  const { events } = await store.readAll(checkpoint, LAG_COUNT_LIMIT);
  const oldest = events[0];
  return {
    events: events.length,
    seconds: oldest ? Math.max(0, (now - Date.parse(oldest.recordedAt)) / 1000) : 0,
  };
}
