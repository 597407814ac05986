import { type Client, createClient, type FormattedExecutionResult } from 'graphql-ws';

export type { Client };

import WebSocket from 'ws';

export interface LiveSubscription<T> {
  /** Every result received so far, in order. */
  readonly received: FormattedExecutionResult<T, unknown>[];
  /** Resolves with the n-th result (1-based) once it has arrived, or rejects after `timeoutMs`. */
  nth(n: number, timeoutMs?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** Resolves when the server ends the subscription (after an error result, for example). */
  readonly completed: Promise<void>;
  close(): void;
}

/** A graphql-ws client in node, authenticating with a bearer token in the init payload. */
export function liveClient(httpUrl: string, token?: string): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: true,
    retryAttempts: 0,
  });
}

export function subscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): LiveSubscription<T> {
  const received: FormattedExecutionResult<T, unknown>[] = [];
  const waiters = new Set<() => void>();
  let complete = (): void => {};
  let fail = (_error: unknown): void => {};
  const completed = new Promise<void>((resolve, reject) => {
    complete = resolve;
    fail = reject;
  });
  completed.catch(() => undefined);
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next(result) {
        received.push(result);
        for (const wake of waiters) wake();
      },
      error: (error) => fail(error),
      complete: () => complete(),
    },
  );
  return {
    received,
    completed,
    nth(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const result = received[n - 1];
          if (!result) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(result);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`result ${n} did not arrive within ${timeoutMs} ms (got ${received.length})`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close: unsubscribe,
  };
}
