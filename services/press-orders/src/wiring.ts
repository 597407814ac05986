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
import type { PressOrdersContext } from './graphql/resolvers.js';
import { buildPressOrdersSchema } from './graphql/schema.js';
import { ordersProjection } from './projections/orders.js';
import { pressOrdersDirectory } from './projections/organizations.js';
import { PressOrdersReadModel } from './read-model.js';
import { PressOrdersService } from './service.js';

export interface PressOrdersDependencies {
  readonly sql: SqlClient;
  readonly store: EventStore;
  /** The directory's event store: organizations' kinds and standing are learnt from its events. */
  readonly directoryEvents: EventStore;
  readonly verifier: Verifier;
  /** Default: plain runners; a process among several instances passes leased ones. */
  readonly projectionRunners?: ProjectionRunnerFactory;
  readonly host?: string;
  readonly port?: number;
}

export interface RunningPressOrders {
  readonly url: string;
  readonly service: PressOrdersService;
  readonly projections: OwnReadModels;
  readonly directoryKnowledge: ProjectionRunner;
  stop(): Promise<void>;
}

/** Starts press orders: own read model and knowledge of the directory caught up first, then the subgraph. */
export async function startPressOrders(deps: PressOrdersDependencies): Promise<RunningPressOrders> {
  const readModels = await startReadModels({
    sql: deps.sql,
    store: deps.store,
    projections: [ordersProjection],
    knowledge: { store: deps.directoryEvents, projections: [pressOrdersDirectory.projection] },
    projectionRunners: deps.projectionRunners,
  });
  const service = new PressOrdersService(
    new PressOrdersReadModel(deps.sql),
    new CommandHandler(deps.store),
    readModels.afterCommand,
  );
  const subgraph = await serveSubgraph<PressOrdersContext>({
    name: 'press-orders',
    schema: await buildPressOrdersSchema(),
    verifier: deps.verifier,
    host: deps.host,
    port: deps.port,
    context: (base) => ({ ...base, pressOrders: service }),
  });
  return {
    url: subgraph.url,
    service,
    projections: readModels.own,
    directoryKnowledge: readModels.knowledge as ProjectionRunner,
    async stop() {
      await subgraph.stop();
      await readModels.stop();
    },
  };
}
