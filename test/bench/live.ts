import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import type { HubConfig, RunningHub } from '@hub/gateway';
import { type Client, type LiveSubscription, liveClient, subscribe } from '@hub/live/testing';
import { BENCH_SECRET as SECRET, withHub } from './hub.js';
import { saveResults } from './results.js';

/**
 * The live network end to end: from the start of a mutation (appointContact through the gateway)
 * to its event reaching subscribers over graphql-ws through the gateway, p50/p99, with 1 and 1,000
 * concurrent subscribers, in embedded mode (in-process bus) and local mode (Kafka, PostgreSQL).
 * Baseline in the same run: the mutation's own round trip. Then one query through the gateway and
 * straight to the directory subgraph, p50/p99 and their ratio.
 */

const ORGANIZATION = 'prov-lao-cai';
const MUTATIONS = 30;
/** 1,000 subscriptions share this many connections, as dashboards behind a few browsers would. */
const CONNECTIONS = 10;
const QUERIES = 300;

const APPOINT = `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`;
const FEED = `subscription ($filter: EventFilter) { events(filter: $filter) { id type occurredAt data } }`;
const FEED_ENRICHED = `subscription ($filter: EventFilter) { events(filter: $filter) { id type organization { id name } } }`;
const QUERY = `query ($id: ID!) { organization(id: $id) { id name kind code status } }`;

interface LatencyRow {
  readonly mode: HubConfig['mode'];
  readonly subscribers: number;
  readonly selection: string;
  readonly deliveries: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The mutation's own HTTP round trip, measured in the same rounds. */
  readonly mutationP50Ms: number;
}

interface QueryRow {
  readonly path: 'gateway' | 'direct to subgraph';
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (ms: number): number => Math.round(ms * 10) / 10;

async function post(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${body.errors[0]?.message}`);
  return body.data;
}

export async function measureSubscriberLatency(
  hub: RunningHub,
  mode: HubConfig['mode'],
  subscribers: number,
  enriched: boolean,
): Promise<LatencyRow> {
  const editor = await signDevToken({ sub: 'bench-editor', org: ORGANIZATION, roles: ['ORG_EDITOR'] }, SECRET);
  const viewer = await signDevToken({ sub: 'bench-dashboard', org: 'min-finance', roles: ['VIEWER'] }, SECRET);
  const clients: Client[] = Array.from({ length: Math.min(CONNECTIONS, subscribers) }, () =>
    liveClient(hub.url, viewer),
  );
  const feeds: LiveSubscription<{ events: { data?: { contactId?: string } } }>[] = [];
  // Filtered to this run's organization and type, so events relayed by other runs do not count.
  const filter = { types: ['ContactAppointed'], organizationIds: [ORGANIZATION] };
  for (let i = 0; i < subscribers; i++) {
    feeds.push(subscribe(clients[i % clients.length]!, enriched ? FEED_ENRICHED : FEED, { filter }));
  }
  // Subscriptions are in place once an event reaches every one of them; stragglers of the warm-up
  // settle before counting starts.
  const deadline = Date.now() + 60_000;
  while (feeds.some((feed) => feed.received.length === 0)) {
    if (Date.now() > deadline) throw new Error('subscriptions did not start within 60 s');
    await post(hub.url, APPOINT, appointment(), editor);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const offsets = feeds.map((feed) => feed.received.length);

  const latencies: number[] = [];
  const mutationTimes: number[] = [];
  for (let n = 1; n <= MUTATIONS; n++) {
    const arrived = new Array<number>(subscribers);
    const started = performance.now();
    const waits = feeds.map((feed, i) =>
      feed.nth((offsets[i] ?? 0) + n, 30_000).then(() => {
        arrived[i] = performance.now();
      }),
    );
    await post(hub.url, APPOINT, appointment(), editor);
    mutationTimes.push(performance.now() - started);
    await Promise.all(waits);
    for (const at of arrived) latencies.push(at - started);
  }
  for (const feed of feeds) feed.close();
  await Promise.all(clients.map((client) => client.dispose()));
  return {
    mode,
    subscribers,
    selection: enriched ? 'with organization { name } (federation)' : 'event fields only',
    deliveries: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    mutationP50Ms: round(percentile(mutationTimes, 50)),
  };
}

const appointment = () => ({
  input: {
    organizationId: ORGANIZATION,
    fullName: 'Lê Thị Cẩm',
    roles: ['DUTY_OFFICER'],
    phone: '0912345678',
    idempotencyKey: randomUUID(),
  },
});

async function measureQueries(hub: RunningHub): Promise<QueryRow[]> {
  const token = await signDevToken({ sub: 'bench-reader', org: 'min-finance', roles: ['VIEWER'] }, SECRET);
  const urls = { gateway: hub.url, 'direct to subgraph': hub.subgraphUrls.directory ?? '' } as const;
  const times: Record<keyof typeof urls, number[]> = { gateway: [], 'direct to subgraph': [] };
  for (let i = 0; i < QUERIES + 20; i++) {
    // Alternating, so drift in the machine's load hits both paths alike; the first 20 warm up.
    for (const path of Object.keys(urls) as (keyof typeof urls)[]) {
      const started = performance.now();
      await post(urls[path], QUERY, { id: ORGANIZATION }, token);
      if (i >= 20) times[path].push(performance.now() - started);
    }
  }
  return (Object.keys(times) as (keyof typeof urls)[]).map((path) => ({
    path,
    requests: times[path].length,
    p50Ms: round(percentile(times[path], 50)),
    p99Ms: round(percentile(times[path], 99)),
  }));
}

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  loadAverage: { atStart: number; atEnd: number };
  latency: LatencyRow[];
  queries: QueryRow[];
  gatewayOverDirect: number;
}): string {
  return [
    `# Live network benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}); 1-minute load average ${report.loadAverage.atStart.toFixed(1)} at the start, ${report.loadAverage.atEnd.toFixed(1)} at the end. Latency runs from the start of an appointContact mutation through the gateway until the event reaches each subscriber (graphql-ws through the gateway; 1,000 subscriptions share ${CONNECTIONS} connections); ${MUTATIONS} mutations per row. The mutation's own round trip is the baseline: it already includes the directory's read-your-writes wait.`,
    '',
    '| mode | subscribers | selection | deliveries | p50 ms | p99 ms | mutation p50 ms |',
    '|---|---:|---|---:|---:|---:|---:|',
    ...report.latency.map(
      (r) =>
        `| ${r.mode} | ${r.subscribers} | ${r.selection} | ${r.deliveries} | ${r.p50Ms} | ${r.p99Ms} | ${r.mutationP50Ms} |`,
    ),
    '',
    `Query \`organization(id)\` (embedded mode), ${QUERIES} requests per path, alternating:`,
    '',
    '| path | requests | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...report.queries.map((r) => `| ${r.path} | ${r.requests} | ${r.p50Ms} | ${r.p99Ms} |`),
    '',
    `Gateway p50 / direct p50: ${report.gatewayOverDirect.toFixed(2)}`,
    '',
  ].join('\n');
}

export async function runLiveBench(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const latency: LatencyRow[] = [];
  let queries: QueryRow[] = [];
  for (const mode of ['embedded', 'local'] as const) {
    await withHub(mode, async (hub) => {
      for (const [subscribers, enriched] of [
        [1, false],
        [1, true],
        [1_000, false],
      ] as const) {
        const row = await measureSubscriberLatency(hub, mode, subscribers, enriched);
        latency.push(row);
        console.log(
          `${mode.padEnd(9)} ${String(subscribers).padStart(5)} subscribers, ${row.selection}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms`,
        );
      }
      if (mode === 'embedded') queries = await measureQueries(hub);
    });
  }
  const direct = queries.find((row) => row.path === 'direct to subgraph');
  const gateway = queries.find((row) => row.path === 'gateway');
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
    latency,
    queries,
    gatewayOverDirect: gateway && direct ? gateway.p50Ms / direct.p50Ms : Number.NaN,
  };
  console.table(latency);
  console.table(queries);
  console.log(`gateway p50 / direct p50: ${report.gatewayOverDirect.toFixed(2)}`);

  await saveResults('live', report, markdown(report));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runLiveBench();
}
