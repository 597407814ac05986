import type { Verifier } from '@hub/auth';
import { CommandHandler } from '@hub/command-handling';
import type { EventStore } from '@hub/event-store';
import { serveSubgraph } from '@hub/graphql-kit';
import { newProjectionRunner, type ProjectionRunner, type ProjectionRunnerFactory } from '@hub/projections';
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
  readonly projections: ProjectionRunner;
  stop(): Promise<void>;
}

/** The seed's thousands of events are applied well within this, even on a loaded machine. */
const SEED_APPLIED_TIMEOUT_MS = 300_000;

export const directoryProjections = [organizationsProjection, contactsProjection];

/** Starts the directory: read models caught up first, then the subgraph. */
export async function startDirectory(deps: DirectoryDependencies): Promise<RunningDirectory> {
  const projections = (deps.projectionRunners ?? newProjectionRunner)({
    sql: deps.sql,
    store: deps.store,
    projections: directoryProjections,
  });
  await projections.catchUp();
  await projections.start();
  const commands = new CommandHandler(deps.store);
  const seeded = await seedReferenceData(commands, deps.store);
  const service = new DirectoryService(new DirectoryReadModel(deps.sql), commands, async (result) => {
    const last = result.events.at(-1);
    if (!last) return;
    // A replayed command's events were appended earlier and are applied already, unless the first
    // request is still in flight; the runner only remembers recent ids, so do not insist.
    if (result.replayed) await projections.waitFor(last, { timeoutMs: 2_000 }).catch(() => undefined);
    else await projections.waitFor(last);
  });
  const subgraph = await serveSubgraph<DirectoryContext>({
    name: 'directory',
    schema: await buildDirectorySchema(),
    verifier: deps.verifier,
    host: deps.host,
    port: deps.port,
    context: (base) => ({ ...base, directory: service }),
  });
  // A mutation waits for its own events; the seed's events must be readable before serving too.
  // catchUp alone may stop short of events a long transaction elsewhere in the cluster still
  // hides (see the event store's readAll); the last seeded event is waited for by id.
  if (seeded.last) {
    await projections.catchUp();
    await projections.waitFor(seeded.last, { timeoutMs: SEED_APPLIED_TIMEOUT_MS });
  }
  return {
    url: subgraph.url,
    service,
    projections,
    async stop() {
      await subgraph.stop();
      await projections.stop();
    },
  };
}
