import type { IncomingMessage, Server } from 'node:http';
import { type GatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

/**
 * How the gateway reaches subgraphs that serve subscriptions: queries over HTTP as usual,
 * subscriptions over graphql-ws on the same path. The subscriber's token travels in the
 * connection's init payload, one upstream connection per distinct token, so the subgraph checks
 * every subscriber itself.
 */
export function subscriptionTransportEntries(subgraphNames: readonly string[]) {
  return Object.fromEntries(
    subgraphNames.map((name) => [
      name,
      {
        options: {
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            options: { connectionParams: { authorization: '{context.hubAuthorization}' } },
          },
        },
      },
    ]),
  );
}

/** The header a client's own authorization arrives in, from an HTTP request or a WebSocket's init payload. */
export const authorizationOfConnection = (
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  upgrade: IncomingMessage,
): string | undefined => {
  const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (typeof fromParams === 'string' && fromParams !== '') return fromParams;
  return upgrade.headers.authorization;
};

export interface WebSocketEndpoint {
  close(): Promise<void>;
}

/**
 * graphql-ws for clients on the gateway's own port and path. Each connection gets a Request
 * carrying its token and address, so entity fetches for subscription events go out with the
 * subscriber's authorization just as an HTTP query's would.
 */
export function serveGraphQLOverWebSocket(
  server: Server,
  runtime: GatewayRuntime,
  clientAddress: (request: IncomingMessage) => string,
): WebSocketEndpoint {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const endpoint = useServer(
    getGraphQLWSOptions<Record<string, unknown>, { request: IncomingMessage }>(runtime, (ctx) => {
      const upgrade = ctx.extra.request;
      const headers = new Headers();
      const authorization = authorizationOfConnection(ctx.connectionParams, upgrade);
      if (authorization) headers.set('authorization', authorization);
      const correlation = upgrade.headers['x-correlation-id'];
      if (typeof correlation === 'string') headers.set('x-correlation-id', correlation);
      headers.set('x-forwarded-for', clientAddress(upgrade));
      return { request: new Request(`http://gateway${upgrade.url ?? '/graphql'}`, { headers }) };
    }),
    wss,
  );
  return {
    async close() {
      await endpoint.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
