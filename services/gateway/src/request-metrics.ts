import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { operationOf, publishHttpRequest } from '@hub/graphql-kit';

/**
 * Publishes each GraphQL request the gateway answers, with its operation name and duration, on the
 * same diagnostics channel as the subgraphs, for the process's metrics where it has them.
 */
export function requestMetrics(): GatewayPlugin {
  const started = new WeakMap<Request, number>();
  const operations = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onParams({ request, params }) {
      operations.set(request, operationOf(params));
    },
    onResponse({ request, response }) {
      const start = started.get(request);
      const operation = operations.get(request);
      // Health checks and other paths parse no GraphQL parameters: they are not operations.
      if (start === undefined || operation === undefined) return;
      publishHttpRequest({
        server: 'gateway',
        operation,
        status: response.status,
        durationMs: performance.now() - start,
      });
    },
  };
}
