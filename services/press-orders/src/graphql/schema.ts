import { buildFederatedSchema } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import { PressOrderResolver, referenceResolvers } from './resolvers.js';

export const buildPressOrdersSchema = (): Promise<GraphQLSchema> =>
  buildFederatedSchema({ resolvers: [PressOrderResolver] }, referenceResolvers);
