import { channel } from 'node:diagnostics_channel';

/** One GraphQL request a server answered, published on `httpChannel` once its response ended. */
export interface HttpRequestRecord {
  readonly server: string;
  /** The request's operationName; `anonymous` when it named none. */
  readonly operation: string;
  readonly status: number;
  readonly durationMs: number;
}

/** GraphQL over HTTP as a Node diagnostics channel, for the process's metrics where it has them. */
export const httpChannel = channel('hub:graphql-http');

export function operationOf(body: unknown): string {
  const name = (body as { readonly operationName?: unknown } | null)?.operationName;
  // Names come from clients: keep metric labels few and bounded.
  return typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'anonymous';
}

export function publishHttpRequest(record: HttpRequestRecord): void {
  if (httpChannel.hasSubscribers) httpChannel.publish(record);
}
