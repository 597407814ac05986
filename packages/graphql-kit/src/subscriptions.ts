import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { type Caller, callerFromAuthorizationHeader, type Verifier } from '@hub/auth';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { RequestLoaders } from './context.js';
import { formatError } from './errors.js';
import type { Attachment } from './server.js';

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

/**
 * graphql-ws on a subgraph's own port and path, for the gateway's subscription transport: the
 * subscriber's token arrives in the connection's init payload and is verified here, so every
 * subgraph checks its subscribers itself. `context` adds the service's own things.
 */
export function graphqlWsAttachment(options: {
  readonly schema: GraphQLSchema;
  readonly verifier: Verifier;
  readonly context: (caller: Caller) => Record<string, unknown>;
}): (server: Server) => Attachment {
  return (server) => {
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
        context: (ctx) => {
          const caller = ctx.extra.caller ?? { kind: 'anonymous' as const };
          return { ...options.context(caller), caller, loaders: new RequestLoaders(), correlationId: randomUUID() };
        },
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
  };
}
