import type { Verifier } from '@hub/auth';
import { CommandHandler } from '@hub/command-handling';
import type { EventStore } from '@hub/event-store';
import { serveSubgraph } from '@hub/graphql-kit';
import {
  type OwnReadModels,
  type ProjectionRunner,
  type ProjectionRunnerFactory,
  startReadModels,
} from '@hub/projections';
import type { SqlClient } from '@hub/sql';
import type { ContentContext } from './graphql/resolvers.js';
import { buildContentSchema } from './graphql/schema.js';
import { contentDirectory } from './projections/directory.js';
import { plansProjection } from './projections/plans.js';
import { policiesProjection } from './projections/policies.js';
import { statementsProjection } from './projections/statements.js';
import { ContentReadModel } from './read-model.js';
import { ContentService, type ContentServiceOptions } from './service.js';

export interface ContentDependencies {
  readonly sql: SqlClient;
  /** The content service's own event store. */
  readonly store: EventStore;
  /** The directory's event store: organizations and spokespersons are learnt from its events. */
  readonly directoryEvents: EventStore;
  readonly verifier: Verifier;
  /** Default: plain runners; a process among several instances passes leased ones. */
  readonly projectionRunners?: ProjectionRunnerFactory;
  readonly host?: string;
  readonly port?: number;
  readonly options?: ContentServiceOptions;
}

export interface RunningContent {
  readonly url: string;
  readonly service: ContentService;
  readonly projections: OwnReadModels;
  readonly directoryKnowledge: ProjectionRunner;
  stop(): Promise<void>;
}

export const contentProjections = [policiesProjection, statementsProjection, plansProjection];

/** Starts the content service: its read models and what it knows of the directory caught up first, then the subgraph. */
export async function startContent(deps: ContentDependencies): Promise<RunningContent> {
  const readModels = await startReadModels({
    sql: deps.sql,
    store: deps.store,
    projections: contentProjections,
    knowledge: { store: deps.directoryEvents, projections: [contentDirectory.projection] },
    projectionRunners: deps.projectionRunners,
  });
  const directoryKnowledge = readModels.knowledge as ProjectionRunner;
  const service = new ContentService(
    new ContentReadModel(deps.sql),
    new CommandHandler(deps.store),
    readModels.afterCommand,
    () => directoryKnowledge.settled(),
    deps.options,
  );
  const subgraph = await serveSubgraph<ContentContext>({
    name: 'content',
    schema: await buildContentSchema(),
    verifier: deps.verifier,
    host: deps.host,
    port: deps.port,
    context: (base) => ({ ...base, content: service }),
  });
  return {
    url: subgraph.url,
    service,
    projections: readModels.own,
    directoryKnowledge,
    async stop() {
      await subgraph.stop();
      await readModels.stop();
    },
  };
}
