import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { verifierConfigFromEnv, verifierFromEnv } from '@hub/auth';
import { startContent } from '@hub/content';
import { startDirectory } from '@hub/directory';
import { type EventBus, inProcessEventBus, kafkaEventBus } from '@hub/event-bus';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { startInsights } from '@hub/insights';
import { startLive } from '@hub/live';
import { startPressOrders } from '@hub/press-orders';
import type { OwnReadModels } from '@hub/projections';
import { type Context, contextTopic, type RunningRelay, startRelay } from '@hub/relay';
import { ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
import { createWebHandler, oidcSettingsFromEnv } from '@hub/web';
import { readCheckedInSupergraph } from './compose.js';
import type { HubConfig } from './config.js';
import { type RunningGateway, startGateway } from './gateway.js';

/** A service's storage: its event store and the SQL database its read models live in. */
export interface ServiceStorage {
  readonly sql: SqlClient;
  readonly store: EventStore;
  close(): Promise<void>;
}

const closeBoth = (store: EventStore, sql: SqlClient) => async () => {
  await store.close();
  await sql.close();
};

/** A service's own PostgreSQL database, `<base>_<service>`, created if missing; resolves to its URL. */
export async function serviceDatabase(postgresUrl: string, service: string): Promise<string> {
  const url = new URL(postgresUrl);
  const database = `${url.pathname.slice(1) || 'hub'}_${service.replaceAll('-', '_')}`;
  const admin = new URL(postgresUrl);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), database);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function storageFor(config: HubConfig, service: string): Promise<ServiceStorage> {
  const catalogue = hubCatalogue();
  if (config.mode === 'embedded') {
    const dataDir = join(config.dataDir, service);
    await mkdir(dataDir, { recursive: true });
    // PGlite allows one instance per folder, so the event store and read models share it.
    const sql = await pgliteClient({ dataDir });
    const store = await embeddedEventStore({ sql, catalogue });
    return { sql, store, close: closeBoth(store, sql) };
  }
  const sql = postgresClient({
    connectionString: await serviceDatabase(config.postgresUrl, service),
    applicationName: `hub-${service}`,
  });
  const store = await postgresEventStore({ sql, catalogue });
  return { sql, store, close: closeBoth(store, sql) };
}

/**
 * Embedded mode: one in-process bus for every service of the process, which reads what it no
 * longer holds back from each topic's event store; local mode: Kafka.
 */
function busFor(config: HubConfig, stores: Readonly<Record<string, EventStore>>): EventBus {
  if (config.mode === 'embedded') return inProcessEventBus({ sources: stores });
  return kafkaEventBus({ brokers: config.kafkaBrokers, clientId: 'hub' });
}

/** A started service and its storage, as its relay needs them. */
interface Relayed {
  readonly storage: ServiceStorage;
  readonly service: { readonly projections: OwnReadModels };
}

/**
 * Each context's relay from its event store to its topic, checkpointed in the context's own
 * database; an event goes out once its own service's read models hold it (inline ones do from
 * the commit).
 */
async function startRelays(bus: EventBus, contexts: Readonly<Partial<Record<Context, Relayed>>>) {
  const relays: RunningRelay[] = [];
  for (const [context, { storage, service }] of Object.entries(contexts) as [Context, Relayed][]) {
    relays.push(
      await startRelay({
        name: context,
        store: storage.store,
        sql: storage.sql,
        bus,
        topic: contextTopic(context),
        readModelsCaughtUp: service.projections.inline ? undefined : () => service.projections.catchUp(),
      }),
    );
  }
  const stop = async () => {
    for (const relay of relays) await relay.stop();
  };
  // Live subscribers join at the end of each topic: the backlog (a first start's reference data)
  // goes out before, so it never stands between them and the events they subscribed for.
  try {
    await Promise.all(relays.map((relay) => relay.flush(120_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/** The page at `/`; development lets it make tokens, signed as the HS256 verifier expects them. */
export function webPage(config: { readonly development: boolean }) {
  const verification = verifierConfigFromEnv();
  return createWebHandler({
    development: config.development,
    devTokenSecret: config.development && verification.mode === 'hs256' ? verification.secret : undefined,
    oidc: oidcSettingsFromEnv(),
  });
}

export interface RunningHub {
  readonly url: string;
  readonly gateway: RunningGateway;
  readonly subgraphUrls: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Starts every service and the gateway in this process (embedded and local modes). */
export async function startHub(config: HubConfig): Promise<RunningHub> {
  const verifier = verifierFromEnv();
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const directoryStorage = await storageFor(config, 'directory');
    stops.push(() => directoryStorage.close());
    const directory = await startDirectory({ ...directoryStorage, verifier });
    stops.push(() => directory.stop());
    const contentStorage = await storageFor(config, 'content');
    stops.push(() => contentStorage.close());
    const content = await startContent({ ...contentStorage, verifier, directoryEvents: directoryStorage.store });
    stops.push(() => content.stop());

    const pressOrdersStorage = await storageFor(config, 'press-orders');
    stops.push(() => pressOrdersStorage.close());
    const pressOrders = await startPressOrders({
      ...pressOrdersStorage,
      verifier,
      directoryEvents: directoryStorage.store,
    });
    stops.push(() => pressOrders.stop());

    const bus = busFor(config, {
      [contextTopic('directory')]: directoryStorage.store,
      [contextTopic('content')]: contentStorage.store,
      [contextTopic('press-orders')]: pressOrdersStorage.store,
    });
    stops.push(() => bus.close());
    stops.push(
      await startRelays(bus, {
        directory: { storage: directoryStorage, service: directory },
        content: { storage: contentStorage, service: content },
        'press-orders': { storage: pressOrdersStorage, service: pressOrders },
      }),
    );
    const liveStorage = await storageFor(config, 'live');
    stops.push(() => liveStorage.close());
    const live = await startLive({ sql: liveStorage.sql, bus, directoryEvents: directoryStorage.store, verifier });
    stops.push(() => live.stop());
    const insightsStorage = await storageFor(config, 'insights');
    stops.push(() => insightsStorage.close());
    const insights = await startInsights({ sql: insightsStorage.sql, bus, verifier });
    stops.push(() => insights.stop());

    const subgraphUrls = {
      directory: directory.url,
      content: content.url,
      'press-orders': pressOrders.url,
      live: live.url,
      insights: insights.url,
    };
    const gateway = await startGateway({
      host: config.host ?? '::',
      port: config.port,
      supergraph: await readCheckedInSupergraph(),
      subgraphUrls,
      development: config.development,
      trustProxy: config.trustProxy,
      web: webPage(config),
      introspection: config.introspection,
      verifier,
      subscriptionSubgraphs: ['live', 'insights'],
      // The insights exports (CSV) are plain HTTP beside GraphQL, served on the gateway's port.
      httpPaths: { '/insights/': new URL(insights.url).origin },
    });
    stops.push(() => gateway.stop());
    return { url: gateway.url, gateway, subgraphUrls, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
