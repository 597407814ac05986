import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Verifier } from '@hub/auth';
import { MAX_BODY_BYTES } from '@hub/graphql-kit';
import { hubScalarResolvers, inputEdgePlugin, subscriberAuthenticationPlugin } from './edge.js';
import { queryLimitPlugins } from './limits.js';
import { requestMetrics } from './request-metrics.js';
import { serveGraphQLOverWebSocket, subscriptionTransportEntries } from './subscriptions.js';

export interface GatewayOptions {
  readonly host: string;
  readonly port: number;
  readonly supergraph: string;
  /** Where each subgraph answers now; overrides the URLs composed into the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly development?: boolean;
  /** Keep an X-Forwarded-For from a reverse proxy in front of the gateway (HUB_TRUST_PROXY). */
  readonly trustProxy?: boolean;
  /** Subgraphs whose subscriptions the gateway reaches over graphql-ws; default the live subgraph. */
  readonly subscriptionSubgraphs?: readonly string[];
  /** The web page and its assets (services/web); returns true when it answered the request. */
  readonly web?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Checks subscribers' tokens at the edge (UNAUTHENTICATED before any subscription starts). */
  readonly verifier?: Verifier;
  /** Answer introspection queries (HUB_INTROSPECTION=true); off by default outside development. */
  readonly introspection?: boolean;
  /** Plain HTTP paths passed through to a subgraph's server: path prefix → that server's origin. */
  readonly httpPaths?: Readonly<Record<string, string>>;
}

export interface RunningGateway {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

/** Points each `@join__graph` at the URL the subgraph listens on in this process or cluster. */
export function withSubgraphUrls(supergraph: string, urls: Readonly<Record<string, string>>): string {
  return supergraph.replace(/@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g, (whole, name: string) => {
    const url = urls[name];
    return url ? `@join__graph(name: "${name}", url: "${url}")` : whole;
  });
}

const GRAPHQL_PATH = '/graphql';

const PASSED_HEADERS = ['authorization', 'x-correlation-id', 'x-forwarded-for', 'accept'];

/** A GET or HEAD passed to a subgraph's own HTTP server, its answer streamed back as it is. */
async function passThrough(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  try {
    const headers = new Headers();
    for (const name of PASSED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const answer = await fetch(url, { method: req.method, headers });
    const passed: Record<string, string> = {};
    for (const name of ['content-type', 'content-disposition', 'cache-control']) {
      const value = answer.headers.get(name);
      if (value) passed[name] = value;
    }
    res.writeHead(answer.status, passed);
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('subgraph unavailable');
  }
}

/** The subscription transport forwards this as the subscriber's token (subscriptions.ts). */
const forwardSubscriberToken: GatewayPlugin = {
  onContextBuilding({ context, extendContext }) {
    extendContext({ hubAuthorization: context.request?.headers.get('authorization') ?? '' });
  },
};

/**
 * The federated gateway clients talk to: /graphql for queries and mutations, and for
 * subscriptions over graphql-ws (WebSocket upgrade) or SSE (Accept: text/event-stream); /healthz
 * for orchestration (200 only once the supergraph is loaded and a query has gone through); the
 * web page at / when one is given.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const supergraph = withSubgraphUrls(options.supergraph, options.subgraphUrls);
  const development = options.development ?? false;
  const introspection = options.introspection ?? development;
  const verifier = options.verifier;
  const runtime = createGatewayRuntime({
    supergraph,
    additionalResolvers: hubScalarResolvers,
    ...(introspection ? {} : { disableIntrospection: { disableIf: () => true } }),
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: development,
    maskedErrors: !development,
    logging: development ? 'warn' : 'error',
    // A request id costs a child logger per request; nothing in the hub reads it (correlation ids do that job).
    requestId: false,
    transportEntries: subscriptionTransportEntries(options.subscriptionSubgraphs ?? ['live']),
    plugins: () => [
      ...queryLimitPlugins(development),
      inputEdgePlugin(),
      ...(verifier ? [subscriberAuthenticationPlugin(verifier)] : []),
      forwardSubscriberToken,
      requestMetrics(),
    ],
    propagateHeaders: {
      fromClientToSubgraphs({ request }) {
        const headers: Record<string, string> = {};
        for (const name of ['authorization', 'x-correlation-id', 'x-forwarded-for']) {
          const value = request.headers.get(name);
          if (value) headers[name] = value;
        }
        return headers;
      },
    },
  });
  const trustProxy = options.trustProxy ?? false;
  // Subgraphs limit anonymous callers per address, so they must learn the client's, not ours.
  // Behind a trusted proxy that is the entry the proxy appended, the last one: anything before it
  // came from the client and may be made up to dodge the limit.
  const clientAddress = (req: IncomingMessage): string => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    const appended = typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
    return trustProxy && appended ? appended : address;
  };
  const httpPrefixes = Object.keys(options.httpPaths ?? {});
  let ready = false;
  const server = createServer((req, res) => {
    if (req.url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ready ? 'ok' : 'starting' }));
      return;
    }
    // The same body limit as the subgraphs': a larger request could never be served anyway.
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('request body too large');
      req.resume();
      return;
    }
    if (req.method === 'POST' && req.headers['content-length'] === undefined) {
      res.writeHead(411, { 'content-type': 'text/plain', connection: 'close' }).end('content-length required');
      req.resume();
      return;
    }
    // GraphQL requests, nearly all the traffic, never concern the page: spare them its URL parsing.
    const graphql = req.url === GRAPHQL_PATH && req.method === 'POST';
    if (!graphql && options.web?.(req, res)) return;
    req.headers['x-forwarded-for'] = clientAddress(req);
    if (!graphql && httpPrefixes.length > 0) {
      // Dot segments resolved first, so "/insights/../graphql" is not passed through.
      const target = new URL(req.url ?? '/', 'http://gateway');
      const prefix = httpPrefixes.find((path) => target.pathname.startsWith(path));
      if (prefix && options.httpPaths) {
        void passThrough(req, res, `${options.httpPaths[prefix]}${target.pathname}${target.search}`);
        return;
      }
    }
    void runtime(req, res);
  });
  const webSockets = serveGraphQLOverWebSocket(server, runtime, clientAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/graphql`;
  const warmUp = await runtime.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  if (!warmUp.ok) throw new Error(`gateway did not answer its first query: HTTP ${warmUp.status}`);
  ready = true;
  return {
    url,
    server,
    async stop() {
      ready = false;
      // Subscriptions never finish on their own: they end with the gateway.
      await webSockets.close();
      // Let requests in flight finish (a mutation that was acknowledged must reach its client);
      // idle keep-alive sockets close now, stragglers after a grace period.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(grace);
      await runtime.dispose();
    },
  };
}
