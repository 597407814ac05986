import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { dropDatabase } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../../infra/kafka/broker.mjs';
import { buildForTests } from '../../../scripts/build.mjs';

const root = join(import.meta.dirname, '..', '..', '..');
const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const base = `hub_start_${randomUUID().replaceAll('-', '').slice(0, 10)}`;

interface Span {
  readonly service: string;
  readonly scope: string;
  readonly name: string;
  readonly traceId: string;
}

/** An OTLP/HTTP receiver: what a collector would get from the process. */
async function collector(): Promise<{ url: string; spans: Span[]; server: Server }> {
  const spans: Span[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const json = JSON.parse(body) as {
        resourceSpans?: {
          resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
          scopeSpans?: { scope?: { name: string }; spans?: { name: string; traceId: string }[] }[];
        }[];
      };
      for (const resource of json.resourceSpans ?? []) {
        const service =
          resource.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push({ service, scope: scope.scope?.name ?? '', ...span });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a service in a process of its own (built JavaScript)', () => {
  let broker: BrokerHandle;
  let child: ChildProcess;
  let insights: ChildProcess | undefined;
  let insightsPort: number;
  let insightsOpsPort: number;
  let gateway: ChildProcess | undefined;
  let gatewayPort: number;
  let gatewayOpsPort: number;
  let sink: Awaited<ReturnType<typeof collector>>;
  const output: string[] = [];
  let port: number;
  let opsPort: number;

  beforeAll(async () => {
    await buildForTests();
    broker = await ensureBroker();
    sink = await collector();
    [port, opsPort] = [await freePort(), await freePort()];
    const environment = {
      ...process.env,
      NODE_ENV: 'production',
      HUB_JWT_SECRET: 'start-test-secret',
      HUB_PG_URL: `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${base}`,
      KAFKA_BROKERS: broker.brokers.join(','),
      HUB_TOPIC_PREFIX: `${base}.`,
      HUB_HOST: '127.0.0.1',
      HUB_PORT: String(port),
      HUB_OPS_PORT: String(opsPort),
      HUB_INSTANCE: 'directory-test',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    child = spawn(process.execPath, [join(root, 'services', 'gateway', 'dist', 'start.js'), 'directory'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: environment,
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
    await until(
      async () => ((await fetch(`http://127.0.0.1:${opsPort}/readyz`)).status === 200 ? true : undefined),
      180_000,
      'the directory ready',
    );
    [insightsPort, insightsOpsPort] = [await freePort(), await freePort()];
    insights = spawn(process.execPath, [join(root, 'services', 'gateway', 'dist', 'start.js'), 'insights'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...environment,
        HUB_PORT: String(insightsPort),
        HUB_OPS_PORT: String(insightsOpsPort),
        HUB_INSTANCE: 'insights-test',
      },
    });
    await until(
      async () => ((await fetch(`http://127.0.0.1:${insightsOpsPort}/readyz`)).status === 200 ? true : undefined),
      180_000,
      'insights ready',
    );
    // A gateway in front of them: only the directory and insights are asked for here, the other subgraphs are never reached.
    [gatewayPort, gatewayOpsPort] = [await freePort(), await freePort()];
    gateway = spawn(process.execPath, [join(root, 'services', 'gateway', 'dist', 'start.js'), 'gateway'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...environment,
        HUB_PORT: String(gatewayPort),
        HUB_OPS_PORT: String(gatewayOpsPort),
        HUB_INSTANCE: 'gateway-test',
        HUB_DIRECTORY_URL: `http://127.0.0.1:${port}/graphql`,
        HUB_CONTENT_URL: 'http://127.0.0.1:9/graphql',
        HUB_PRESS_ORDERS_URL: 'http://127.0.0.1:9/graphql',
        HUB_LIVE_URL: 'http://127.0.0.1:9/graphql',
        HUB_INSIGHTS_URL: `http://127.0.0.1:${insightsPort}/graphql`,
      },
    });
    await until(
      async () => ((await fetch(`http://127.0.0.1:${gatewayOpsPort}/readyz`)).status === 200 ? true : undefined),
      180_000,
      'the gateway ready',
    );
  }, 420_000);

  afterAll(async () => {
    for (const process of [gateway, insights, child]) {
      if (!process || process.exitCode !== null) continue;
      const exited = new Promise((resolve) => process.once('exit', resolve));
      process.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => sink?.server.close(resolve));
    await dropDatabase(ADMIN_URL, `${base}_directory`);
    await dropDatabase(ADMIN_URL, `${base}_insights`);
    await broker?.stop();
  }, 60_000);

  it('given the directory started with `node services/gateway/dist/start.js directory`, then it answers GraphQL, and its operations port health, readiness and metrics', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query Province { organization(id: "prov-lao-cai") { name } }',
        operationName: 'Province',
      }),
    });
    expect(await response.json()).toEqual({ data: { organization: { name: 'Tỉnh Lào Cai' } } });

    expect((await fetch(`http://127.0.0.1:${opsPort}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).json()) as {
      checks: Record<string, string>;
    };
    // The directory's read models are applied in each append's transaction: they cannot lag, so
    // only the relay's lag is a readiness check.
    expect(ready.checks).toEqual({
      database: 'ok',
      'event store': 'ok',
      bus: 'ok',
      'relay:directory': 'ok',
    });
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    // The first start seeds the reference data through the command handler.
    expect(metrics).toMatch(
      /hub_commands_total\{command="RegisterOrganization",outcome="ok",service="directory",instance="directory-test"\} \d+/,
    );
    expect(metrics).toContain(
      'hub_http_request_duration_seconds_count{service="directory",instance="directory-test",server="directory",operation="Province",status="200"} 1',
    );
    expect(metrics).toContain(
      'hub_follower_lag_events{kind="relay",name="directory",service="directory",instance="directory-test"} 0',
    );

    const logged = output.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.find((line) => line.msg === 'command handled')).toMatchObject({
      service: 'directory',
      instance: 'directory-test',
      command: 'RegisterOrganization',
      correlationId: expect.any(String),
    });
  });

  it('given an OTLP endpoint, when a query is served, then its trace holds the HTTP request and the PostgreSQL queries behind it, and relayed events leave Kafka spans', async () => {
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ organization(id: "prov-ha-noi") { name } }' }),
    });
    const served = await until(
      async () => sink.spans.find((span) => span.scope.endsWith('instrumentation-http') && span.name === 'POST'),
      30_000,
      'the request span',
    );
    const queries = sink.spans.filter(
      (span) => span.traceId === served.traceId && span.scope.endsWith('instrumentation-pg'),
    );
    expect(queries.length).toBeGreaterThan(0);
    expect(sink.spans.some((span) => span.scope.endsWith('instrumentation-kafkajs'))).toBe(true);
  });

  it('given the gateway in a process of its own, when a query goes through it, then one trace holds the gateway, the directory and its PostgreSQL queries', async () => {
    const response = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ organization(id: "prov-lao-cai") { name } }' }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const joined = await until(
      async () => {
        const traces = new Set(sink.spans.filter((span) => span.service === 'hub-gateway').map((span) => span.traceId));
        const directory = sink.spans.find(
          (span) =>
            span.service === 'hub-directory' && span.scope.endsWith('instrumentation-pg') && traces.has(span.traceId),
        );
        return directory?.traceId;
      },
      30_000,
      'a trace across the gateway and the directory',
    );
    const services = new Set(sink.spans.filter((span) => span.traceId === joined).map((span) => span.service));
    expect([...services].sort()).toEqual(['hub-directory', 'hub-gateway']);
  });

  it('given insights started with `node services/gateway/dist/start.js insights`, then it answers its indicators, and its operations port readiness and metrics', async () => {
    const response = await fetch(`http://127.0.0.1:${insightsPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ indicators { code } }' }),
    });
    const body = (await response.json()) as { data?: { indicators: { code: string }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.indicators.map((indicator) => indicator.code)).toContain('GRASSROOTS_FOCAL_POINTS');
    const ready = await fetch(`http://127.0.0.1:${insightsOpsPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toMatchObject({
      database: 'ok',
      bus: 'ok',
    });
    expect(await (await fetch(`http://127.0.0.1:${insightsOpsPort}/metrics`)).text()).toContain(
      'service="insights",instance="insights-test"',
    );
  });

  it('given the gateway in a process of its own, then it serves the web page at / and composes insights', async () => {
    const page = await fetch(`http://127.0.0.1:${gatewayPort}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<!doctype html>/i);
    const response = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ indicators { code } }' }),
    });
    const body = (await response.json()) as { data?: { indicators: { code: string }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.indicators.length).toBeGreaterThan(0);
  });
});
