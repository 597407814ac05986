import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { type Caller, callerFromAuthorizationHeader, type Verifier } from '@hub/auth';
import type { GraphQLSchema } from 'graphql';
import { type RequestContext, RequestLoaders } from './context.js';
import { formatError } from './errors.js';

export interface SubgraphServer {
  readonly name: string;
  readonly url: string;
  stop(): Promise<void>;
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
}

export async function serveSubgraph<C extends RequestContext>(
  options: ServeSubgraphOptions<C>,
): Promise<SubgraphServer> {
  const server = new ApolloServer<C>({
    schema: options.schema,
    formatError: (formatted, error) => formatError(formatted, error),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    // Traces are for Apollo's hosted studio, which the hub does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    async context({ req }) {
      const header = req.headers.authorization;
      const caller: Caller = await callerFromAuthorizationHeader(options.verifier, header);
      const correlation = req.headers['x-correlation-id'];
      const forwarded = req.headers['x-forwarded-for'];
      const clientAddress =
        (typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined) ||
        req.socket.remoteAddress ||
        'unknown';
      return options.context({
        caller,
        clientAddress,
        loaders: new RequestLoaders(),
        correlationId: typeof correlation === 'string' && correlation.length <= 100 ? correlation : randomUUID(),
      });
    },
  });
  return {
    name: options.name,
    url: `${url.replace(/\/$/, '')}/graphql`,
    stop: () => server.stop(),
  };
}
