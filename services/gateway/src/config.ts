import { resolve } from 'node:path';

export type HubMode = 'embedded' | 'local';

/** Everything the start command reads from the environment, with its default. */
export interface HubConfig {
  readonly mode: HubMode;
  /** HUB_PORT: the gateway's port. */
  readonly port: number;
  /** HUB_HOST: the interface to bind; unset binds all (IPv4 and IPv6), so localhost works either way. */
  readonly host: string | undefined;
  /** HUB_DATA_DIR: embedded mode keeps its databases here. */
  readonly dataDir: string;
  /** HUB_PG_URL: local mode's PostgreSQL (one database per service is derived from it). */
  readonly postgresUrl: string;
  /** KAFKA_BROKERS: local mode's Kafka bootstrap brokers, comma-separated `host:port`. */
  readonly kafkaBrokers: readonly string[];
  /** HUB_TRUST_PROXY=true: keep the X-Forwarded-For of a reverse proxy in front of the gateway. */
  readonly trustProxy?: boolean;
  /** HUB_INTROSPECTION=true: answer introspection queries; otherwise only in development. */
  readonly introspection?: boolean;
  /** NODE_ENV=development: GraphiQL, unmasked errors and field suggestions. Off unless asked for. */
  readonly development: boolean;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const mode = env.HUB_MODE ?? 'embedded';
  if (mode !== 'embedded' && mode !== 'local') {
    throw new Error(`HUB_MODE must be embedded or local, got ${mode}`);
  }
  const port = Number(env.HUB_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`HUB_PORT must be a port number, got ${env.HUB_PORT}`);
  return {
    mode,
    port,
    host: env.HUB_HOST || undefined,
    dataDir: resolve(env.HUB_DATA_DIR ?? '.hub-data'),
    postgresUrl: env.HUB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/hub',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== ''),
    trustProxy: env.HUB_TRUST_PROXY === 'true',
    introspection: env.HUB_INTROSPECTION === 'true' || env.NODE_ENV === 'development',
    development: env.NODE_ENV === 'development',
  };
}
