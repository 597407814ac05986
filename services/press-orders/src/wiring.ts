import type { Verifier } from '@hub/auth';
import { CommandHandler } from '@hub/command-handling';
import type { EventStore } from '@hub/event-store';
import { serveSubgraph } from '@hub/graphql-kit';
import { newProjectionRunner, type ProjectionRunner, type ProjectionRunnerFactory } from '@hub/projections';
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
  readonly projections: ProjectionRunner;
  readonly directoryKnowledge: ProjectionRunner;
  stop(): Promise<void>;
}

/** Starts press orders: own read model and knowledge of the directory caught up first, then the subgraph. */
export async function startPressOrders(deps: PressOrdersDependencies): Promise<RunningPressOrders> {
  const directoryKnowledge = (deps.projectionRunners ?? newProjectionRunner)({
    sql: deps.sql,
    store: deps.directoryEvents,
    projections: [pressOrdersDirectory.projection],
  });
  const projections = (deps.projectionRunners ?? newProjectionRunner)({
    sql: deps.sql,
    store: deps.store,
    projections: [ordersProjection],
  });
  // Both runners share one checkpoint table; setting it up one after the other avoids a race on CREATE.
  await directoryKnowledge.catchUp();
  await projections.catchUp();
  await directoryKnowledge.start();
  await projections.start();
  const service = new PressOrdersService(
    new PressOrdersReadModel(deps.sql),
    new CommandHandler(deps.store),
    async (result) => {
      const last = result.events.at(-1);
      if (!last) return;
      // A replayed command's events were appended earlier and are applied already, unless the first
      // request is still in flight; the runner only remembers recent ids, so do not insist.
      if (result.replayed) await projections.waitFor(last, { timeoutMs: 2_000 }).catch(() => undefined);
      else await projections.waitFor(last);
    },
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
    projections,
    directoryKnowledge,
    async stop() {
      await subgraph.stop();
      await projections.stop();
      await directoryKnowledge.stop();
    },
  };
}
