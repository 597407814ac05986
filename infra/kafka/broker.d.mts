// Types for broker.mjs, which stays plain JavaScript so scripts can run it without a build step.

export interface BrokerLayout {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly runDir: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly log4jPath: string;
  readonly pidPath: string;
  readonly logPath: string;
  readonly clusterIdPath: string;
  readonly lockPath: string;
  readonly leasesDir: string;
  readonly ephemeralPath: string;
}

export type Log = (message: string) => void;

export interface BrokerHandle {
  /** Bootstrap addresses, `host:port`. */
  readonly brokers: string[];
  /** Whether this call started the broker (false: one was already answering). */
  readonly startedByUs: boolean;
  /** Releases this lease; stops the broker when an ensureBroker() started it and no lease is left. */
  stop(): Promise<void>;
}

export function brokerLayout(port?: number): BrokerLayout;
export function fetchJars(options?: { log?: Log }): string;
export function probeBroker(options?: { host?: string; port?: number; timeoutMs?: number }): Promise<string[] | null>;
export function startBroker(options?: {
  port?: number;
  log?: Log;
}): Promise<{ pid: number; brokers: string[]; startedInMs: number }>;
export function stopBroker(options?: { port?: number }): Promise<{ stopped: boolean; pid?: number; killed?: boolean }>;
export function brokerStatus(options?: {
  port?: number;
}): Promise<{ port: number; answering: boolean; brokers: string[]; pid: number | null }>;
export function ensureBroker(options?: { port?: number; log?: Log }): Promise<BrokerHandle>;

/** A new Kafka cluster id that the storage tool's argument parser cannot take for an option. */
export function newClusterId(draw?: () => Uint8Array): string;
