/**
 * A sliding-window limit kept in memory: at most `limit` hits per key within `windowMs`. The hub
 * runs one content process per deployment today; behind several replicas each would count alone,
 * which still bounds a flood to `limit` × replicas.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit for `key`; null if allowed, otherwise the seconds until the next hit would be. */
  take(key: string): number | null {
    const now = this.now();
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil(((recent[0] as number) + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep(since);
    return null;
  }

  private sweep(since: number): void {
    for (const [key, times] of this.hits) if (!times.some((at) => at > since)) this.hits.delete(key);
  }
}
