import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { type Caller, callerFromAuthorizationHeader, type Verifier } from '@hub/auth';
import type { GraphQLSchema } from 'graphql';
import { type RequestContext, RequestLoaders } from './context.js';
import { formatError } from './errors.js';
import { operationOf, publishHttpRequest } from './instrumentation.js';

export interface SubgraphServer {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
}

/** Something served beside GraphQL over HTTP on the same port (the live subgraph's WebSockets). */
export interface Attachment {
  close(): Promise<void>;
}

export interface ServeSubgraphOptions<C extends RequestContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly verifier: Verifier;
  readonly host?: string;
  /** 0 picks a free port (embedded mode runs every subgraph in one process). */
  readonly port?: number;
  /** Adds the service's own things (read-model access, command handlers) to each request's context. */
  readonly context: (base: RequestContext) => C;
  readonly attach?: (server: Server) => Attachment;
  /** Serves plain HTTP paths beside /graphql (a CSV export); resolves to false for a path it does not know. */
  readonly http?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

/** The largest request body a subgraph, and so the gateway, accepts. */
export const MAX_BODY_BYTES = 2_000_000;
// The gateway keeps connections to subgraphs alive between requests. A server that closes an idle
// connection just as the gateway reuses it makes that request fail (ECONNRESET), so subgraphs keep
// idle connections longer than the gateway's pool does.
const KEEP_ALIVE_MS = 65_000;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The gateway in front puts the one client address it trusts here; were there several, the last
// is the one a proxy appended, the others the client's own claims.
const clientAddressOf = (req: IncomingMessage): string => {
  const forwarded = req.headers['x-forwarded-for'];
  const appended = typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : undefined;
  return appended || req.socket.remoteAddress || 'unknown';
};

/**
 * A subgraph on its own port, GraphQL at /graphql: Apollo Server behind a plain node HTTP server,
 * so the server's keep-alive can be set and other protocols can share the port.
 */
export async function serveSubgraph<C extends RequestContext>(
  options: ServeSubgraphOptions<C>,
): Promise<SubgraphServer> {
  const apollo = new ApolloServer<C>({
    schema: options.schema,
    formatError: (formatted, error) => formatError(formatted, error),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Traces are for Apollo's hosted studio, which the hub does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const contextOf = async (req: IncomingMessage): Promise<C> => {
    const caller: Caller = await callerFromAuthorizationHeader(options.verifier, req.headers.authorization);
    const correlation = req.headers['x-correlation-id'];
    return options.context({
      caller,
      clientAddress: clientAddressOf(req),
      loaders: new RequestLoaders(),
      correlationId: typeof correlation === 'string' && correlation.length <= 100 ? correlation : randomUUID(),
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname !== '/graphql') {
      if (options.http && (await options.http(req, res, url))) return;
      res.writeHead(404).end();
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const text = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown = text;
    if (text !== '' && headers.get('content-type')?.includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed JSON body');
        return;
      }
    }
    const started = performance.now();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => contextOf(req),
    });
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    const record = () =>
      publishHttpRequest({
        server: options.name,
        operation: operationOf(body),
        status: res.statusCode,
        durationMs: performance.now() - started,
      });
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      record();
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    record();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const tooLarge = error instanceof BodyTooLarge;
      if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500, { 'content-type': 'text/plain' });
      res.end(tooLarge ? 'request body too large' : 'internal error');
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  const attachment = options.attach?.(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    name: options.name,
    url: `http://${host}:${address.port}/graphql`,
    async stop() {
      await attachment?.close();
      // Requests in flight finish (the gateway stopped sending new ones first); idle sockets close now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(grace);
      await apollo.stop();
    },
  };
}
