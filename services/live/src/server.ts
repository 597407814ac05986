import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Caller, callerFromAuthorizationHeader, type Verifier } from '@hub/auth';
import { formatError, type RequestContext, RequestLoaders, serveSubgraph } from '@hub/graphql-kit';
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

/** The live subgraph: HTTP for the gateway's federation queries, graphql-ws on the same port and path. */
export async function serveLive(options: LiveServerOptions): Promise<LiveServer> {
  return serveSubgraph<RequestContext & LiveContext>({
    name: 'live',
    schema: options.schema,
    verifier: options.verifier,
    host: options.host,
    port: options.port,
    context: (base) => ({ ...base, live: options.live }),
    attach(server) {
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
      return {
        async close() {
          await ws.dispose();
          await new Promise<void>((resolve) => wss.close(() => resolve()));
        },
      };
    },
  });
}
