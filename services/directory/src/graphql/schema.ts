import { buildFederatedSchema } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import { ContactResolver, OrganizationResolver, referenceResolvers } from './resolvers.js';

export const buildDirectorySchema = (): Promise<GraphQLSchema> =>
  buildFederatedSchema({ resolvers: [OrganizationResolver, ContactResolver] }, referenceResolvers);
