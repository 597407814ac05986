/**
 * Subscribers indexed by the values their filters name, so an event reaches only those it may
 * match: a thousand subscribers to other organizations cost nothing. Each subscriber sits under the
 * keys of one filter list (or among those without any); the caller still applies its whole filter
 * to the subscribers this hands out. Keys are `<what>:<value>`, e.g. `organization:org-moh`.
 */
export class MatchIndex<S> {
  private readonly unfiltered = new Set<S>();
  private readonly byKey = new Map<string, Set<S>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** `keys` null or empty: the subscriber may match any event. Returns its removal. */
  add(subscriber: S, keys: readonly string[] | null): () => void {
    const distinct = [...new Set(keys ?? [])];
    if (distinct.length === 0) this.unfiltered.add(subscriber);
    for (const key of distinct) {
      let subscribers = this.byKey.get(key);
      if (subscribers === undefined) {
        subscribers = new Set();
        this.byKey.set(key, subscribers);
      }
      subscribers.add(subscriber);
    }
    this.count++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.count--;
      if (distinct.length === 0) this.unfiltered.delete(subscriber);
      for (const key of distinct) {
        const subscribers = this.byKey.get(key);
        subscribers?.delete(subscriber);
        if (subscribers?.size === 0) this.byKey.delete(key);
      }
    };
  }

  /**
   * The subscribers an event with these keys may match, each once: an event has one value per
   * list a filter can name, and a subscriber sits under one list.
   */
  *candidates(keys: readonly string[]): Iterable<S> {
    yield* this.unfiltered;
    for (const key of keys) {
      const subscribers = this.byKey.get(key);
      if (subscribers) yield* subscribers;
    }
  }
}
