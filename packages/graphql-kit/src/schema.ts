import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import { type BuildSchemaOptions, buildSchema, createResolversMap } from 'type-graphql';
import { boundMutationInstants } from './input.js';
import { DateTimeScalar, JsonScalar, VndScalar } from './scalars.js';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

export type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

/**
 * type-graphql builds the types from the resolver classes; @apollo/subgraph turns the printed SDL
 * (with its @key directives) into a Federation v2 subgraph with the same resolvers.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck' | 'scalarsMap'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    ...options,
    scalarsMap: [],
    validate: false,
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [type, resolver] of Object.entries(referenceResolvers)) {
    resolvers[type] = { ...(resolvers[type] as object), ...resolver } as GraphQLResolverMap<unknown>[string];
  }
  for (const scalar of [DateTimeScalar, VndScalar, JsonScalar]) {
    if (schema.getType(scalar.name)) resolvers[scalar.name] = scalar;
  }
  const subgraph = buildSubgraphSchema([
    {
      typeDefs: gql`
        ${FEDERATION_LINK}
        ${printSchemaWithDirectives(schema)}
      `,
      resolvers,
    },
  ]);
  boundMutationInstants(subgraph);
  return subgraph;
}
export { printSubgraphSchema } from '@apollo/subgraph';
