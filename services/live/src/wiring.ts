import type { Verifier } from '@hub/auth';
import type { EventBus } from '@hub/event-bus';
import type { EventStore } from '@hub/event-store';
import { newProjectionRunner, type ProjectionRunnerFactory } from '@hub/projections';
import { BusProjectionRunner, CONTEXTS, contextTopic } from '@hub/relay';
import type { SqlClient } from '@hub/sql';
import { LiveFeed } from './feed.js';
import { buildLiveSchema } from './graphql/schema.js';
import { liveDirectory } from './knowledge/organizations.js';
import { statementsKnowledge } from './knowledge/statements.js';
import { serveLive } from './server.js';
import { LiveService } from './service.js';

/** Every context's topic: the live feed carries all of the hub's events. */
export const LIVE_TOPICS = CONTEXTS.map(contextTopic);

export interface LiveDependencies {
  /** The live network's own database: its knowledge of organizations and statements. */
  readonly sql: SqlClient;
  readonly bus: EventBus;
  /** The directory's event store, for the organization knowledge (provinces). */
  readonly directoryEvents: EventStore;
  readonly verifier: Verifier;
  /** Default: plain runners; a process among several instances passes leased ones. */
  readonly projectionRunners?: ProjectionRunnerFactory;
  readonly topics?: readonly string[];
  /** Put before every topic and consumer group name, so several hubs can share one Kafka cluster. */
  readonly topicPrefix?: string;
  /**
   * The bus-fed knowledge's consumer group prefix; default `<topicPrefix>projection.`. Instances
   * sharing a database each pass their own: each then sees every event and the inbox lets one apply it.
   */
  readonly groupPrefix?: string;
  readonly host?: string;
  readonly port?: number;
}

export interface RunningLive {
  readonly url: string;
  readonly feed: LiveFeed;
  stop(): Promise<void>;
}

/** Starts the live subgraph: knowledge caught up first, then the feed, then the server. */
export async function startLive(deps: LiveDependencies): Promise<RunningLive> {
  const organizations = (deps.projectionRunners ?? newProjectionRunner)({
    sql: deps.sql,
    store: deps.directoryEvents,
    projections: [liveDirectory.projection],
  });
  await organizations.catchUp();
  await organizations.start();
  const statements = new BusProjectionRunner({
    sql: deps.sql,
    bus: deps.bus,
    topics: [`${deps.topicPrefix ?? ''}${contextTopic('content')}`],
    groupPrefix: deps.groupPrefix ?? `${deps.topicPrefix ?? ''}projection.`,
    projections: [statementsKnowledge],
  });
  const feed = new LiveFeed({
    sql: deps.sql,
    bus: deps.bus,
    topics: deps.topics ?? LIVE_TOPICS.map((topic) => `${deps.topicPrefix ?? ''}${topic}`),
    organizations,
    statements,
  });
  try {
    await statements.start();
    await feed.start();
    const server = await serveLive({
      schema: await buildLiveSchema(),
      verifier: deps.verifier,
      live: new LiveService(feed),
      host: deps.host,
      port: deps.port,
    });
    return {
      url: server.url,
      feed,
      async stop() {
        await server.stop();
        await feed.stop();
        await statements.stop();
        await organizations.stop();
      },
    };
  } catch (error) {
    await feed.stop();
    await statements.stop();
    await organizations.stop();
    throw error;
  }
}
