import { type Client, createClient } from 'graphql-ws';

export interface ApiError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly field?: string };
}

export interface ApiResult<T> {
  readonly data?: T | null;
  readonly errors?: readonly ApiError[];
}

const GRAPHQL_PATH = '/graphql';

/** One GraphQL request to the hub's gateway (same origin); a network failure becomes an error value. */
export async function request<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = null,
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    const response = await fetch(GRAPHQL_PATH, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as ApiResult<T>;
  } catch (error) {
    return { errors: [{ message: String(error), extensions: { code: 'NETWORK' } }] };
  }
}

let client: { readonly token: string | null; readonly client: Client } | null = null;

export type LiveStatus = 'connecting' | 'connected' | 'closed';
let liveStatus: LiveStatus = 'closed';
const statusListeners = new Set<(status: LiveStatus) => void>();
const setLiveStatus = (status: LiveStatus) => {
  liveStatus = status;
  for (const listener of statusListeners) listener(status);
};

/** Follows the live connection's state (shown to readers, so they know new items will arrive). */
export function onLiveStatus(listener: (status: LiveStatus) => void): () => void {
  statusListeners.add(listener);
  listener(liveStatus);
  return () => statusListeners.delete(listener);
}

/** The page's one graphql-ws connection, made again when the signed-in token changes. */
function liveClient(token: string | null): Client {
  if (client && client.token === token) return client.client;
  void client?.client.dispose();
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // A replaced connection's late "closed" must not hide that the new one is up.
  const report = (status: LiveStatus) => () => {
    if (client?.client === created) setLiveStatus(status);
  };
  const created: Client = createClient({
    url: url.toString(),
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    on: { connecting: report('connecting'), connected: report('connected'), closed: report('closed') },
  });
  client = { token, client: created };
  return client.client;
}

/** Follows a subscription until the returned function is called. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
  onData: (data: T) => void,
  onError: (errors: readonly ApiError[]) => void = () => {},
): () => void {
  return liveClient(token).subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors?.length) onError(result.errors as readonly ApiError[]);
        if (result.data) onData(result.data as T);
      },
      error: (error) => onError([{ message: String(error), extensions: { code: 'NETWORK' } }]),
      complete: () => {},
    },
  );
}
