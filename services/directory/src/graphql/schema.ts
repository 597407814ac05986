import { buildFederatedSchema } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import { OrganizationResolver, referenceResolvers } from './resolvers.js';

export const buildDirectorySchema = (): Promise<GraphQLSchema> =>
  buildFederatedSchema({ resolvers: [OrganizationResolver] }, referenceResolvers);
