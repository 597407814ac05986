import type { Verifier } from '@hub/auth';
import { graphqlWsAttachment, type RequestContext, serveSubgraph } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
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

/** The live subgraph: HTTP for the gateway's federation queries, graphql-ws on the same port and path. */
export async function serveLive(options: LiveServerOptions): Promise<LiveServer> {
  return serveSubgraph<RequestContext & LiveContext>({
    name: 'live',
    schema: options.schema,
    verifier: options.verifier,
    host: options.host,
    port: options.port,
    context: (base) => ({ ...base, live: options.live }),
    attach: graphqlWsAttachment({
      schema: options.schema,
      verifier: options.verifier,
      context: () => ({ live: options.live }),
    }),
  });
}
