import type { Verifier } from '@hub/auth';
import type { EventBus } from '@hub/event-bus';
import { graphqlWsAttachment, type RequestContext, serveSubgraph } from '@hub/graphql-kit';
import { BusProjectionRunner, CONTEXTS, contextTopic } from '@hub/relay';
import type { SqlClient } from '@hub/sql';
import { insightsHttp } from './export.js';
import type { InsightsContext } from './graphql/resolvers.js';
import { buildInsightsSchema } from './graphql/schema.js';
import { insightsProjection } from './projection.js';
import { InsightsService } from './service.js';
import { ScoreWatch } from './watch.js';

/** Insights folds every context's events. */
export const INSIGHTS_TOPICS = CONTEXTS.map(contextTopic);

export interface InsightsDependencies {
  /** Insights' own database: its read model only. */
  readonly sql: SqlClient;
  readonly bus: EventBus;
  readonly verifier: Verifier;
  readonly topics?: readonly string[];
  readonly host?: string;
  readonly port?: number;
  readonly clock?: () => Date;
}

export interface RunningInsights {
  readonly url: string;
  readonly service: InsightsService;
  readonly projections: BusProjectionRunner;
  stop(): Promise<void>;
}

/** Starts insights: the read model consuming the bus, the score watch, then the subgraph (GraphQL, graphql-ws, CSV). */
export async function startInsights(deps: InsightsDependencies): Promise<RunningInsights> {
  const topics = deps.topics ?? INSIGHTS_TOPICS;
  const projections = new BusProjectionRunner({
    sql: deps.sql,
    bus: deps.bus,
    topics,
    projections: [insightsProjection],
  });
  const service = new InsightsService(deps.sql, deps.clock);
  const watch = new ScoreWatch({
    service,
    bus: deps.bus,
    topics,
    projections,
    handles: new Set(insightsProjection.handles),
    log: (message) => process.stderr.write(`${new Date().toISOString()} insights: ${message}\n`),
  });
  try {
    await projections.start();
    await watch.start();
    const schema = await buildInsightsSchema();
    const server = await serveSubgraph<RequestContext & InsightsContext>({
      name: 'insights',
      schema,
      verifier: deps.verifier,
      host: deps.host,
      port: deps.port,
      context: (base) => ({ ...base, insights: service, watch }),
      attach: graphqlWsAttachment({ schema, verifier: deps.verifier, context: () => ({ insights: service, watch }) }),
      http: insightsHttp(service),
    });
    return {
      url: server.url,
      service,
      projections,
      async stop() {
        await server.stop();
        await watch.stop();
        await projections.stop();
      },
    };
  } catch (error) {
    await watch.stop();
    await projections.stop();
    throw error;
  }
}
