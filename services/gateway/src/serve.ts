import { connect } from 'node:net';
import { verifierFromEnv } from '@hub/auth';
import { startContent } from '@hub/content';
import { startDirectory } from '@hub/directory';
import { type EventBus, kafkaEventBus } from '@hub/event-bus';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, kurrentDbEventStore, postgresEventStore } from '@hub/event-store';
import { INSIGHTS_TOPICS, startInsights } from '@hub/insights';
import { AdvisoryLease, LeasedProjectionRunner } from '@hub/lease';
import { startLive } from '@hub/live';
import {
  createLogger,
  HubMetrics,
  type Logger,
  lagBehind,
  observeChannels,
  type ReadinessCheck,
  serveOps,
} from '@hub/observability';
import { startPressOrders } from '@hub/press-orders';
import { CHECKPOINT_TABLE, type OwnReadModels, type ProjectionRunnerFactory } from '@hub/projections';
import { type Context, contextTopic, readRelayCheckpoint, startRelay } from '@hub/relay';
import { postgresClient, type SqlClient } from '@hub/sql';
import { readCheckedInSupergraph } from './compose.js';
import { startGateway } from './gateway.js';
import { serviceDatabase, webPage } from './hub.js';
import { type ProcessConfig, processConfigFromEnv } from './process-config.js';

/** What one process runs, given its configuration and plumbing; resolves to what stops it. */
export interface StartedService {
  readonly url: string;
  stop(): Promise<void>;
}

/** The plumbing every service process gets from `serveService`. */
export interface ServiceProcess {
  readonly config: ProcessConfig;
  readonly log: Logger;
  readonly metrics: HubMetrics;
  /** Adds what /readyz must find answering. */
  ready(check: ReadinessCheck): void;
  /** Runs `stop` when the process stops, before what was registered earlier. */
  onStop(stop: () => Promise<void>): void;
  /** The service's own database and event store. */
  storage(): Promise<{ readonly sql: SqlClient; readonly store: EventStore; readonly databaseUrl: string }>;
  /** The directory's event store, for services that keep knowledge of organizations. */
  directoryEvents(): Promise<EventStore>;
  bus(): EventBus;
  /** Leased runners on the service's database: one instance applies each projection at a time. */
  runners(databaseUrl: string, store: EventStore): ProjectionRunnerFactory;
  /**
   * Publishes the context's events to its topic, on one instance at a time: the holder of the
   * relay's lease (inline read models), or of the lease of the read models it waits for.
   */
  relay(context: Context, databaseUrl: string, readModels: OwnReadModels): Promise<void>;
}

interface ServiceEntry {
  readonly port: number;
  start(process: ServiceProcess): Promise<StartedService>;
}

/**
 * Every service that runs as a process of its own, by the name `start.js` takes: adding a service
 * is one entry here (and its Deployment in infra/).
 */
export const SERVICES: Readonly<Record<string, ServiceEntry>> = {
  directory: { port: 4001, start: (p) => contextService(p, 'directory', (deps) => startDirectory(deps)) },
  content: { port: 4002, start: (p) => contextService(p, 'content', startContent) },
  'press-orders': { port: 4003, start: (p) => contextService(p, 'press-orders', startPressOrders) },
  live: { port: 4004, start: startLiveProcess },
  insights: { port: 4006, start: startInsightsProcess },
  gateway: { port: 4000, start: startGatewayProcess },
};

/** Subgraphs the gateway composes, in the supergraph's names. */
export const SUBGRAPHS = Object.keys(SERVICES).filter((name) => name !== 'gateway');

interface ContextDependencies {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly directoryEvents: EventStore;
  readonly verifier: ReturnType<typeof verifierFromEnv>;
  readonly projectionRunners: ProjectionRunnerFactory;
  readonly host: string;
  readonly port: number;
}

/** A bounded context's service: its store and read models, its subgraph, and its relay to the bus. */
async function contextService(
  p: ServiceProcess,
  context: Context,
  start: (deps: ContextDependencies) => Promise<{ url: string; projections: OwnReadModels; stop(): Promise<void> }>,
): Promise<StartedService> {
  const { sql, store, databaseUrl } = await p.storage();
  const directoryEvents = context === 'directory' ? store : await p.directoryEvents();
  const running = await start({
    sql,
    store,
    directoryEvents,
    verifier: verifierFromEnv(),
    projectionRunners: p.runners(databaseUrl, store),
    host: p.config.host,
    port: p.config.port,
  });
  p.onStop(() => running.stop());
  await p.relay(context, databaseUrl, running.projections);
  return running;
}

async function startLiveProcess(p: ServiceProcess): Promise<StartedService> {
  const { sql, databaseUrl } = await p.storage();
  const directoryEvents = await p.directoryEvents();
  const live = await startLive({
    sql,
    bus: p.bus(),
    directoryEvents,
    verifier: verifierFromEnv(),
    projectionRunners: p.runners(databaseUrl, directoryEvents),
    topicPrefix: p.config.topicPrefix,
    // Every instance waits for its own knowledge of each statement before fanning it out.
    groupPrefix: `${p.config.topicPrefix}live.${p.config.instance}.`,
    host: p.config.host,
    port: p.config.port,
  });
  p.onStop(() => live.stop());
  p.metrics.countLiveSubscribers(() => live.feed.subscribers);
  return live;
}

/** Insights folds every context's events from the bus; its instances share the read model's consumer group. */
async function startInsightsProcess(p: ServiceProcess): Promise<StartedService> {
  const { sql } = await p.storage();
  const prefix = p.config.topicPrefix;
  const insights = await startInsights({
    sql,
    bus: p.bus(),
    verifier: verifierFromEnv(),
    topics: INSIGHTS_TOPICS.map((topic) => `${prefix}${topic}`),
    groupPrefix: `${prefix}projection.`,
    host: p.config.host,
    port: p.config.port,
  });
  p.onStop(() => insights.stop());
  return insights;
}

async function startGatewayProcess(p: ServiceProcess): Promise<StartedService> {
  const missing = SUBGRAPHS.filter((name) => !p.config.subgraphUrls[name]);
  if (missing.length > 0)
    throw new Error(
      `the gateway needs ${missing.map((name) => `HUB_${name.toUpperCase().replaceAll('-', '_')}_URL`).join(', ')}`,
    );
  const gateway = await startGateway({
    host: p.config.host,
    port: p.config.port,
    supergraph: await readCheckedInSupergraph(),
    subgraphUrls: p.config.subgraphUrls,
    development: p.config.development,
    trustProxy: p.config.trustProxy,
    introspection: p.config.introspection,
    // Subscribers' tokens are checked at the gateway before a subscription starts.
    verifier: verifierFromEnv(),
    web: webPage(p.config),
    subscriptionSubgraphs: ['live', 'insights'],
    // The insights exports (CSV) are plain HTTP beside GraphQL, served on the gateway's port as in the one-process hub.
    httpPaths: { '/insights/': new URL(p.config.subgraphUrls.insights ?? '').origin },
  });
  p.onStop(() => gateway.stop());
  p.ready({
    name: 'gateway',
    async check() {
      const response = await fetch(new URL('/healthz', gateway.url.replace('[::]', '127.0.0.1')));
      if (!response.ok) throw new Error(`gateway /healthz answered ${response.status}`);
    },
  });
  return gateway;
}

/** A broker is reachable when it accepts a TCP connection; the client library reports the rest. */
function reachable(address: string, timeoutMs = 1_500): Promise<void> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`${address} did not accept a connection within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
  });
}

async function openStore(config: ProcessConfig, sql: SqlClient, kurrentDbUrl: string | undefined): Promise<EventStore> {
  const catalogue = hubCatalogue();
  if (config.eventStore === 'kurrentdb') {
    if (!kurrentDbUrl) throw new Error('HUB_EVENT_STORE=kurrentdb needs KURRENTDB_URL');
    return kurrentDbEventStore({ connectionString: kurrentDbUrl, catalogue });
  }
  return postgresEventStore({ sql, catalogue });
}

/**
 * Starts one service alone in this process, configured from the environment, with its operations
 * port (/healthz, /readyz, /metrics), JSON logs and, when configured, traces.
 */
export async function serveService(service: string, env: NodeJS.ProcessEnv = process.env) {
  const entry = SERVICES[service];
  if (!entry) throw new Error(`unknown service ${service}: one of ${Object.keys(SERVICES).join(', ')}`);
  const config = processConfigFromEnv(service, entry.port, SUBGRAPHS, env);
  const log = createLogger(service, config.instance);
  const metrics = new HubMetrics({ service, instance: config.instance });
  const stops: (() => Promise<void>)[] = [];
  const checks: ReadinessCheck[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => log.error({ error: String(error) }, 'stopping failed'));
    }
  };
  const unobserve = observeChannels(metrics, log);
  stops.push(async () => unobserve());

  let storage: Awaited<ReturnType<ServiceProcess['storage']>> | undefined;
  let directoryStore: EventStore | undefined;
  let bus: EventBus | undefined;
  const p: ServiceProcess = {
    config,
    log,
    metrics,
    ready: (check) => checks.push(check),
    onStop: (stop) => stops.push(stop),
    async storage() {
      if (storage) return storage;
      const databaseUrl = await serviceDatabase(config.postgresUrl, service);
      const sql = postgresClient({ connectionString: databaseUrl, applicationName: `hub-${service}` });
      stops.push(() => sql.close());
      const store = await openStore(config, sql, config.kurrentDbUrl);
      stops.push(() => store.close());
      checks.push({ name: 'database', check: async () => void (await sql.query('SELECT 1')) });
      checks.push({ name: 'event store', check: async () => void (await store.readAll(null, 1)) });
      storage = { sql, store, databaseUrl };
      return storage;
    },
    async directoryEvents() {
      if (directoryStore) return directoryStore;
      const sql = postgresClient({
        connectionString: await serviceDatabase(config.postgresUrl, 'directory'),
        applicationName: `hub-${service}-directory-events`,
        max: 4,
      });
      stops.push(() => sql.close());
      const store = await openStore(config, sql, config.directoryKurrentDbUrl);
      stops.push(() => store.close());
      checks.push({ name: 'directory event store', check: async () => void (await store.readAll(null, 1)) });
      directoryStore = store;
      return store;
    },
    bus() {
      if (bus) return bus;
      const created = kafkaEventBus({
        brokers: config.kafkaBrokers,
        clientId: `hub-${service}-${config.instance}`,
        log: ({ level, message, ...rest }) => log[level]({ ...rest, component: 'bus' }, message),
      });
      stops.push(() => created.close());
      checks.push({
        name: 'bus',
        check: () => Promise.any(config.kafkaBrokers.map((broker) => reachable(broker))).then(() => undefined),
      });
      bus = created;
      return created;
    },
    runners(databaseUrl, store) {
      return (options) => {
        const names = options.projections.map((projection) => projection.name);
        const runner = new LeasedProjectionRunner({
          ...options,
          lease: new AdvisoryLease({
            connectionString: databaseUrl,
            name: `projections:${names.join('+')}`,
            retryMs: config.leaseRetryMs,
            log: ({ level, lease, message }) => log[level]({ lease }, message),
          }),
          auditInstance: config.auditApplications ? config.instance : undefined,
          logger: ({ level, projection, message }) => log[level]({ projection }, message),
        });
        for (const name of names) {
          metrics.follow({
            kind: 'projection',
            name,
            async lag() {
              const { rows } = await options.sql.query<{ checkpoint: string | null }>(
                `SELECT checkpoint FROM ${CHECKPOINT_TABLE} WHERE name = $1`,
                [name],
              );
              return lagBehind(store, rows[0]?.checkpoint ?? null);
            },
          });
        }
        return runner;
      };
    },
    async relay(context, databaseUrl, readModels) {
      const { sql, store } = await p.storage();
      const topic = `${p.config.topicPrefix}${contextTopic(context)}`;
      const eventBus = p.bus();
      metrics.follow({
        kind: 'relay',
        name: context,
        lag: async () => lagBehind(store, await readRelayCheckpoint(sql, context)),
      });
      const runner = readModels.runner;
      // Inline read models hold an event from its commit: the relay needs only a lease of its own.
      // Otherwise it waits for the read models before each publish, so it runs where they are applied.
      if (runner && !(runner instanceof LeasedProjectionRunner))
        throw new Error('the relay follows the leased projections');
      const lease =
        runner?.lease ??
        new AdvisoryLease({
          connectionString: databaseUrl,
          name: `relay:${context}`,
          retryMs: config.leaseRetryMs,
          log: ({ level, lease: leaseName, message }) => log[level]({ lease: leaseName }, message),
        });
      await lease.hold(async () => {
        const relay = await startRelay({
          name: context,
          store,
          sql,
          bus: eventBus,
          topic,
          readModelsCaughtUp: runner ? () => runner.catchUp() : undefined,
          logger: ({ level, relay: name, message }) => log[level]({ relay: name }, message),
        });
        return () => relay.stop();
      });
      if (!runner) {
        stops.push(() => lease.stop());
        await lease.start();
      }
    },
  };

  try {
    const started = await entry.start(p);
    const ops = await serveOps({ host: config.host, port: config.opsPort, metrics, checks, maxLag: config.maxLag });
    stops.push(() => ops.stop());
    log.info({ url: started.url, ops: ops.url, port: config.port, opsPort: config.opsPort }, `${service} ready`);
    return { config, url: started.url, opsUrl: ops.url, log, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
