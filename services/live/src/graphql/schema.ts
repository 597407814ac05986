import { buildFederatedSchema } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import type { PubSub } from 'type-graphql';
import { LiveResolver } from './resolvers.js';

/**
 * type-graphql insists on a PubSub once a schema has subscriptions, but every subscription here
 * brings its own `subscribe` (the live feed), so this one is never used.
 */
const unusedPubSub: PubSub = {
  publish() {
    throw new Error('the live subgraph publishes through its feed, not a PubSub');
  },
  subscribe() {
    throw new Error('the live subgraph subscribes through its feed, not a PubSub');
  },
};

export function buildLiveSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [LiveResolver], pubSub: unusedPubSub });
}
