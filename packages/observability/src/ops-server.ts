import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubMetrics } from './metrics.js';

/** One thing a process needs to be ready: resolves when it is, throws saying why not. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface LagLimits {
  /** HUB_READY_MAX_LAG_EVENTS: default 1,000. */
  readonly events: number;
  /** HUB_READY_MAX_LAG_SECONDS: default 30. */
  readonly seconds: number;
}

export interface OpsServerOptions {
  readonly host?: string;
  readonly port: number;
  readonly metrics: HubMetrics;
  readonly checks: readonly ReadinessCheck[];
  readonly maxLag: LagLimits;
  /** How long one check may take before it counts as failed; default 2 s. */
  readonly checkTimeoutMs?: number;
}

export interface OpsServer {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The checks `/readyz` runs: the process's own, then every follower's lag against the limits. */
export async function readiness(
  options: OpsServerOptions,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  const checks: Record<string, string> = {};
  const results = await Promise.all([
    ...options.checks.map(async (check) => {
      try {
        await withTimeout(check.check(), timeoutMs, check.name);
        return [check.name, 'ok'] as const;
      } catch (error) {
        return [check.name, messageOf(error)] as const;
      }
    }),
    ...options.metrics.followers.map(async (source) => {
      const name = `${source.kind}:${source.name}`;
      try {
        const lag = await withTimeout(source.lag(), timeoutMs, name);
        if (lag.events > options.maxLag.events) return [name, `${lag.events} events behind`] as const;
        if (lag.seconds > options.maxLag.seconds) return [name, `${Math.round(lag.seconds)} s behind`] as const;
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, messageOf(error)] as const;
      }
    }),
  ]);
  for (const [name, result] of results) checks[name] = result;
  return { ready: results.every(([, result]) => result === 'ok'), checks };
}

/**
 * The operations port of a process, apart from the traffic it serves: /healthz (the process
 * answers), /readyz (what it depends on answers and it keeps up) and /metrics (Prometheus).
 */
export async function serveOps(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      readiness(options).then(
        ({ ready, checks }) => json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks }),
        (error: unknown) => json(503, { status: 'not ready', error: messageOf(error) }),
      );
      return;
    }
    if (path === '/metrics') {
      options.metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(messageOf(error)),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '::', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
