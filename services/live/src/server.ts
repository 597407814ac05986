import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { type Caller, callerFromAuthorizationHeader, type Verifier } from '@hub/auth';
import { formatError, RequestLoaders } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { LiveContext } from './graphql/resolvers.js';
import type { LiveService } from './service.js';

export interface LiveServerOptions {
  readonly schema: GraphQLSchema;
  readonly verifier: Verifier;
  readonly live: LiveService;
  readonly host?: string;
  readonly port?: number;
}

export interface LiveServer {
  readonly url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

/** What a connection authenticated as, kept on the socket for all its subscriptions. */
type ConnectionExtra = {
  readonly request: IncomingMessage;
  caller?: Caller;
  authError?: GraphQLError;
};

const authorizationOf = (ctx: WsContext<Record<string, unknown> | undefined, unknown>, request: IncomingMessage) => {
  const fromParams = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
  if (typeof fromParams === 'string' && fromParams !== '') return fromParams;
  return request.headers.authorization;
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new GraphQLError('request body too large', { extensions: { code: 'BAD_REQUEST' } });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The live subgraph on one port and path: HTTP POST for the gateway's federation queries (Apollo
 * Server), graphql-ws for subscriptions. Apollo's standalone server cannot carry WebSockets, hence
 * a plain node server in front of both.
 */
export async function serveLive(options: LiveServerOptions): Promise<LiveServer> {
  const apollo = new ApolloServer<LiveContext>({
    schema: options.schema,
    formatError: (formatted, error) => formatError(formatted, error),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://live');
    if (url.pathname !== '/graphql') {
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
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => ({
        live: options.live,
        caller: await callerFromAuthorizationHeader(options.verifier, req.headers.authorization),
      }),
    });
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(error instanceof GraphQLError ? 413 : 500, { 'content-type': 'text/plain' });
      res.end(error instanceof GraphQLError ? error.message : 'internal error');
    });
  });
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const ws = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema: options.schema,
      async onConnect(ctx) {
        try {
          ctx.extra.caller = await callerFromAuthorizationHeader(
            options.verifier,
            authorizationOf(ctx, ctx.extra.request),
          );
        } catch (error) {
          // Refused per subscription, with a typed error, rather than by closing the socket.
          const formatted = formatError({ message: String(error) }, error);
          ctx.extra.authError = new GraphQLError(formatted.message, { extensions: formatted.extensions });
        }
        return true;
      },
      onSubscribe(ctx) {
        if (ctx.extra.authError) return [ctx.extra.authError];
        return undefined;
      },
      context: (ctx): LiveContext & Record<string, unknown> => ({
        live: options.live,
        caller: ctx.extra.caller ?? { kind: 'anonymous' },
        loaders: new RequestLoaders(),
        correlationId: randomUUID(),
      }),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return result;
        return {
          ...result,
          errors: result.errors.map((error) => {
            const formatted = formatError(error.toJSON(), error);
            return new GraphQLError(formatted.message, { path: formatted.path, extensions: formatted.extensions });
          }),
        };
      },
    },
    wss,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/graphql`,
    async stop() {
      await ws.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await apollo.stop();
    },
  };
}
