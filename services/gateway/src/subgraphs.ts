import { buildContentSchema } from '@hub/content';
import { buildDirectorySchema } from '@hub/directory';
import { printSubgraphSchema } from '@hub/graphql-kit';
import { buildInsightsSchema } from '@hub/insights';
import { buildLiveSchema } from '@hub/live';
import { buildPressOrdersSchema } from '@hub/press-orders';
import type { GraphQLSchema } from 'graphql';

/** Every subgraph the gateway federates, with the port it listens on in local mode. */
export interface SubgraphDefinition {
  readonly name: string;
  readonly localPort: number;
  readonly buildSchema: () => Promise<GraphQLSchema>;
}

export const subgraphs: readonly SubgraphDefinition[] = [
  { name: 'directory', localPort: 4001, buildSchema: buildDirectorySchema },
  { name: 'content', localPort: 4002, buildSchema: buildContentSchema },
  { name: 'press-orders', localPort: 4003, buildSchema: buildPressOrdersSchema },
  { name: 'live', localPort: 4005, buildSchema: buildLiveSchema },
  { name: 'insights', localPort: 4006, buildSchema: buildInsightsSchema },
];

export const localUrl = (subgraph: SubgraphDefinition): string => `http://127.0.0.1:${subgraph.localPort}/graphql`;

export async function subgraphSdl(subgraph: SubgraphDefinition): Promise<string> {
  return printSubgraphSchema(await subgraph.buildSchema());
}
