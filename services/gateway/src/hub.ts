import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { verifierFromEnv } from '@hub/auth';
import { startContent } from '@hub/content';
import { startDirectory } from '@hub/directory';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { startPressOrders } from '@hub/press-orders';
import { ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
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
  const url = new URL(config.postgresUrl);
  const database = `${url.pathname.slice(1) || 'hub'}_${service.replaceAll('-', '_')}`;
  const admin = new URL(config.postgresUrl);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), database);
  url.pathname = `/${database}`;
  const sql = postgresClient({ connectionString: url.toString(), applicationName: `hub-${service}` });
  const store = await postgresEventStore({ sql, catalogue });
  return { sql, store, close: closeBoth(store, sql) };
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

    const subgraphUrls = { directory: directory.url, content: content.url, 'press-orders': pressOrders.url };
    const gateway = await startGateway({
      host: config.host ?? '::',
      port: config.port,
      supergraph: await readCheckedInSupergraph(),
      subgraphUrls,
      development: config.development,
    });
    stops.push(() => gateway.stop());
    return { url: gateway.url, gateway, subgraphUrls, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
