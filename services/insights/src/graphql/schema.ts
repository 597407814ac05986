import { buildFederatedSchema } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import type { PubSub } from 'type-graphql';
import { IndicatorValueResolver, InsightsResolver } from './resolvers.js';

/** type-graphql asks for a PubSub once a schema has subscriptions; scoreChanged brings its own source. */
const unusedPubSub: PubSub = {
  publish() {
    throw new Error('insights publishes score changes through its watch, not a PubSub');
  },
  subscribe() {
    throw new Error('insights subscribes through its watch, not a PubSub');
  },
};

export const buildInsightsSchema = (): Promise<GraphQLSchema> =>
  buildFederatedSchema({ resolvers: [InsightsResolver, IndicatorValueResolver], pubSub: unusedPubSub });
