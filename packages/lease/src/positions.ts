import type { Checkpoint } from '@hub/event-store';

/**
 * Orders two positions of the same store. Checkpoints are opaque to most of the hub, but every
 * adapter writes them as numbers joined by ':' that order from left to right: `tx:position` for
 * the SQL stores, `commit:prepare` for KurrentDB, a single count in memory.
 */
export function comparePositions(a: Checkpoint, b: Checkpoint): number {
  const left = a.split(':').map(BigInt);
  const right = b.split(':').map(BigInt);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? 0n;
    const y = right[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
