import type { Caller } from '@hub/auth';
import DataLoader from 'dataloader';

/**
 * DataLoaders live for one request, so batching never mixes callers and caching never outlives
 * the request that filled it.
 */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch) as unknown as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as unknown as DataLoader<K, V>;
  }
}

export interface RequestContext {
  readonly caller: Caller;
  /** The client's address as the gateway saw it (for per-caller limits on anonymous requests). */
  readonly clientAddress: string;
  readonly loaders: RequestLoaders;
  readonly correlationId: string;
}
