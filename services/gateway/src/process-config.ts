import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LagLimits } from '@hub/observability';

/** Everything one service process reads from its environment (README, "Production"). */
export interface ProcessConfig {
  readonly service: string;
  /** HUB_INSTANCE: this process among the service's instances; default the host name and a random suffix. */
  readonly instance: string;
  /** HUB_HOST: default all interfaces. */
  readonly host: string;
  /** HUB_PORT: the service's own traffic (GraphQL); default the service's port in `SERVICES`. */
  readonly port: number;
  /** HUB_OPS_PORT: /healthz, /readyz and /metrics; default 9464. */
  readonly opsPort: number;
  /** HUB_EVENT_STORE: postgres (default) or kurrentdb. */
  readonly eventStore: 'postgres' | 'kurrentdb';
  /** KURRENTDB_URL: the service's KurrentDB when HUB_EVENT_STORE=kurrentdb. */
  readonly kurrentDbUrl: string | undefined;
  /** HUB_DIRECTORY_KURRENTDB_URL: the directory's KurrentDB, for services that follow it; default KURRENTDB_URL. */
  readonly directoryKurrentDbUrl: string | undefined;
  /** HUB_PG_URL: the base URL; each service uses its own database `<base>_<service>`. */
  readonly postgresUrl: string;
  /** KAFKA_BROKERS: comma-separated `host:port`. */
  readonly kafkaBrokers: readonly string[];
  /** HUB_TOPIC_PREFIX: before every Kafka topic and consumer group, so several hubs can share one cluster; default none. */
  readonly topicPrefix: string;
  /** HUB_<SERVICE>_URL: where the gateway finds each subgraph, e.g. HUB_PRESS_ORDERS_URL. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly maxLag: LagLimits;
  /** HUB_LEASE_RETRY_MS: how often a standby instance tries to take a projection lease over; default 1,000. */
  readonly leaseRetryMs: number;
  /** HUB_AUDIT_APPLICATIONS=true: record which instance applied each event to each projection. */
  readonly auditApplications: boolean;
  readonly trustProxy: boolean;
  /** HUB_INTROSPECTION=true: the gateway answers introspection; otherwise only in development. */
  readonly introspection: boolean;
  readonly development: boolean;
}

const envName = (service: string) => `HUB_${service.toUpperCase().replaceAll('-', '_')}_URL`;

function portOf(value: string | undefined, fallback: number, name: string): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${name} must be a port number, got ${value}`);
  return port;
}

function positive(value: string | undefined, fallback: number, name: string): number {
  const number = Number(value ?? fallback);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number, got ${value}`);
  return number;
}

export function processConfigFromEnv(
  service: string,
  defaultPort: number,
  subgraphs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessConfig {
  const eventStore = env.HUB_EVENT_STORE ?? 'postgres';
  if (eventStore !== 'postgres' && eventStore !== 'kurrentdb') {
    throw new Error(`HUB_EVENT_STORE must be postgres or kurrentdb, got ${eventStore}`);
  }
  if (eventStore === 'kurrentdb' && !env.KURRENTDB_URL)
    throw new Error('HUB_EVENT_STORE=kurrentdb needs KURRENTDB_URL');
  const subgraphUrls: Record<string, string> = {};
  for (const name of subgraphs) {
    const url = env[envName(name)];
    if (url) subgraphUrls[name] = url;
  }
  return {
    service,
    instance: env.HUB_INSTANCE || `${hostname()}-${randomUUID().slice(0, 8)}`,
    host: env.HUB_HOST || '::',
    port: portOf(env.HUB_PORT, defaultPort, 'HUB_PORT'),
    opsPort: portOf(env.HUB_OPS_PORT, 9464, 'HUB_OPS_PORT'),
    eventStore,
    kurrentDbUrl: env.KURRENTDB_URL,
    directoryKurrentDbUrl: env.HUB_DIRECTORY_KURRENTDB_URL ?? env.KURRENTDB_URL,
    postgresUrl: env.HUB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/hub',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    topicPrefix: env.HUB_TOPIC_PREFIX ?? '',
    subgraphUrls,
    maxLag: {
      events: positive(env.HUB_READY_MAX_LAG_EVENTS, 1000, 'HUB_READY_MAX_LAG_EVENTS'),
      seconds: positive(env.HUB_READY_MAX_LAG_SECONDS, 30, 'HUB_READY_MAX_LAG_SECONDS'),
    },
    leaseRetryMs: positive(env.HUB_LEASE_RETRY_MS, 1000, 'HUB_LEASE_RETRY_MS'),
    auditApplications: env.HUB_AUDIT_APPLICATIONS === 'true',
    trustProxy: env.HUB_TRUST_PROXY === 'true',
    introspection: env.HUB_INTROSPECTION === 'true' || env.NODE_ENV === 'development',
    development: env.NODE_ENV === 'development',
  };
}

/** The variable the gateway reads a subgraph's URL from. */
export const subgraphUrlVariable = envName;
