import type { Verifier } from '@hub/auth';
import { CommandHandler } from '@hub/command-handling';
import type { EventStore } from '@hub/event-store';
import { serveSubgraph } from '@hub/graphql-kit';
import { type OwnReadModels, type ProjectionRunnerFactory, startReadModels } from '@hub/projections';
import type { SqlClient } from '@hub/sql';
import type { DirectoryContext } from './graphql/resolvers.js';
import { buildDirectorySchema } from './graphql/schema.js';
import { contactsProjection } from './projections/contacts.js';
import { organizationsProjection } from './projections/organizations.js';
import { DirectoryReadModel } from './read-model.js';
import { seedReferenceData } from './seed.js';
import { DirectoryService } from './service.js';

export interface DirectoryDependencies {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly verifier: Verifier;
  /** Default: plain runners; a process among several instances passes leased ones. */
  readonly projectionRunners?: ProjectionRunnerFactory;
  readonly host?: string;
  readonly port?: number;
}

export interface RunningDirectory {
  readonly url: string;
  readonly service: DirectoryService;
  readonly projections: OwnReadModels;
  stop(): Promise<void>;
}

/** The seed's thousands of events are applied well within this, even on a loaded machine. */
const SEED_APPLIED_TIMEOUT_MS = 300_000;

export const directoryProjections = [organizationsProjection, contactsProjection];

/** Starts the directory: read models caught up first, then the subgraph. */
export async function startDirectory(deps: DirectoryDependencies): Promise<RunningDirectory> {
  const readModels = await startReadModels({
    sql: deps.sql,
    store: deps.store,
    projections: directoryProjections,
    projectionRunners: deps.projectionRunners,
  });
  const commands = new CommandHandler(deps.store);
  const seeded = await seedReferenceData(commands, deps.store);
  const service = new DirectoryService(new DirectoryReadModel(deps.sql), commands, readModels.afterCommand);
  const subgraph = await serveSubgraph<DirectoryContext>({
    name: 'directory',
    schema: await buildDirectorySchema(),
    verifier: deps.verifier,
    host: deps.host,
    port: deps.port,
    context: (base) => ({ ...base, directory: service }),
  });
  // Read models that are not inline must hold the seed's events before serving too. catchUp alone
  // may stop short of events a long transaction elsewhere in the cluster still hides (see the
  // event store's readAll); the last seeded event is waited for by id.
  if (seeded.last && readModels.own.runner) {
    await readModels.own.runner.catchUp();
    await readModels.own.runner.waitFor(seeded.last, { timeoutMs: SEED_APPLIED_TIMEOUT_MS });
  }
  return {
    url: subgraph.url,
    service,
    projections: readModels.own,
    async stop() {
      await subgraph.stop();
      await readModels.stop();
    },
  };
}
