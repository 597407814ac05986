import { buildFederatedSchema } from '@hub/graphql-kit';
import type { GraphQLSchema } from 'graphql';
import {
  DeliveryResolver,
  DistributionResolver,
  FeedbackResolver,
  MilestoneResolver,
  PlanResolver,
  PolicyResolver,
  referenceResolvers,
  StatementResolver,
} from './resolvers.js';

export const buildContentSchema = (): Promise<GraphQLSchema> =>
  buildFederatedSchema(
    {
      resolvers: [
        PolicyResolver,
        FeedbackResolver,
        StatementResolver,
        DistributionResolver,
        DeliveryResolver,
        PlanResolver,
        MilestoneResolver,
      ],
    },
    referenceResolvers,
  );
