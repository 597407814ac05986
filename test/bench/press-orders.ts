import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
import { saveResults } from './results.js';

/**
 * Press orders in the embedded hub: placing orders at concurrency 16 straight to the subgraph and
 * through the gateway, and a newsroom's inbox over 10,000 orders (p50/p99), each next to a
 * baseline measured in the same run: the same HTTP round trip carrying only `{ __typename }`.
 */

const SECRET = 'press-orders-bench-secret';
const ORDERER = 'min-finance';
const NEWSROOM = 'press-vtv';
const INBOX_ORDERS = 10_000;
const CONCURRENCY = 16;
/** Each placement workload runs this long in total, split over ROUNDS interleaved slices. */
const WORKLOAD_MS = 6_000;
const ROUNDS = 6;
const WARMUP_MS = 500;
const QUERIES = 200;

export const PLACE = `mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id status } }`;
const INBOX_DIRECT = `query ($n: ID!, $after: String) {
  assignments(newsroomId: $n, first: 50, after: $after) {
    totalCount edges { node { id status brief budget deadline overdue orderer { id } } }
  }
}`;
const INBOX_GATEWAY = `query ($n: ID!, $after: String) {
  assignments(newsroomId: $n, first: 50, after: $after) {
    totalCount edges { node { id status brief budget deadline overdue orderer { id name kind } newsroom { name } } }
  }
}`;

interface Throughput {
  readonly workload: string;
  readonly concurrency: number;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
}

interface Latency {
  readonly workload: string;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export type Client = (query: string, variables?: Record<string, unknown>) => Promise<void>;

export function client(url: string, token: string): Client {
  return async (query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (body.errors) throw new Error(`${url}: ${body.errors.map((e) => e.message).join('; ')}`);
  };
}

let sequence = 0;
export const orderInput = () => ({
  ordererId: ORDERER,
  newsroomId: NEWSROOM,
  brief: `Phóng sự số ${++sequence} về chính sách thuế giá trị gia tăng`,
  format: 'ARTICLE',
  quantity: 2,
  budget: 30_000_000,
  startsAt: '2026-01-01T00:00:00+07:00',
  deadline: '2027-01-01T00:00:00+07:00',
});

/** Runs `step` in `concurrency` loops until the time is up. */
export async function timed(step: () => Promise<void>, concurrency: number, ms: number) {
  const started = performance.now();
  const deadline = started + ms;
  let requests = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await step();
        requests++;
      }
    }),
  );
  return { requests, seconds: (performance.now() - started) / 1000 };
}

async function latencies(run: () => Promise<void>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function measure(hub: RunningHub) {
  const orderer = await signDevToken({ sub: 'bench-officer', org: ORDERER, roles: ['ORG_EDITOR'] }, SECRET);
  const reader = await signDevToken({ sub: 'bench-editor', org: NEWSROOM, roles: ['NEWSROOM_EDITOR'] }, SECRET);
  const directUrl = hub.subgraphUrls['press-orders'];
  if (!directUrl) throw new Error('the hub runs no press-orders subgraph');
  const placeDirect = client(directUrl, orderer);
  const placeGateway = client(hub.url, orderer);

  const throughputs: Throughput[] = [];
  const workloads = [
    { name: 'placePressOrder direct', step: () => placeDirect(PLACE, { input: orderInput() }) },
    { name: 'placePressOrder via gateway', step: () => placeGateway(PLACE, { input: orderInput() }) },
    { name: 'baseline { __typename } direct', step: () => placeDirect('{ __typename }') },
    { name: 'baseline { __typename } via gateway', step: () => placeGateway('{ __typename }') },
  ];
  for (const workload of workloads) await timed(workload.step, CONCURRENCY, WARMUP_MS);
  // Interleaved slices expose every workload to the same load drift on a shared machine.
  const totals = workloads.map(() => ({ requests: 0, seconds: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, workload] of workloads.entries()) {
      const slice = await timed(workload.step, CONCURRENCY, WORKLOAD_MS / ROUNDS);
      const total = totals[i] as { requests: number; seconds: number };
      total.requests += slice.requests;
      total.seconds += slice.seconds;
    }
  }
  for (const [i, workload] of workloads.entries()) {
    const { requests, seconds } = totals[i] as { requests: number; seconds: number };
    throughputs.push({
      workload: workload.name,
      concurrency: CONCURRENCY,
      requests,
      seconds,
      perSecond: Math.round(requests / seconds),
    });
  }

  // Fill the inbox up to 10,000 orders.
  const remaining = Math.max(0, INBOX_ORDERS - sequence);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < remaining) {
        next++;
        await placeDirect(PLACE, { input: orderInput() });
      }
    }),
  );
  process.stderr.write(`inbox holds ${sequence} orders\n`);

  const readDirect = client(directUrl, reader);
  const readGateway = client(hub.url, reader);
  const deepCursor = Buffer.from(`o:${sequence - 51}`).toString('base64url');
  const queries = [
    { name: 'inbox first page direct', run: () => readDirect(INBOX_DIRECT, { n: NEWSROOM }) },
    { name: 'inbox first page via gateway', run: () => readGateway(INBOX_GATEWAY, { n: NEWSROOM }) },
    { name: 'inbox last page direct', run: () => readDirect(INBOX_DIRECT, { n: NEWSROOM, after: deepCursor }) },
    {
      name: 'inbox last page via gateway',
      run: () => readGateway(INBOX_GATEWAY, { n: NEWSROOM, after: deepCursor }),
    },
    { name: 'baseline { __typename } direct', run: () => readDirect('{ __typename }') },
    { name: 'baseline { __typename } via gateway', run: () => readGateway('{ __typename }') },
  ];
  for (const query of queries) await latencies(query.run, 10);
  const samples = queries.map((): number[] => []);
  // Interleaved in rounds as well, for the same reason as above.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, query] of queries.entries()) {
      samples[i]?.push(...(await latencies(query.run, Math.ceil(QUERIES / ROUNDS))));
    }
  }
  const latencyResults: Latency[] = queries.map((query, i) => {
    const sorted = [...(samples[i] ?? [])].sort((a, b) => a - b);
    return {
      workload: query.name,
      requests: sorted.length,
      p50Ms: Number(percentile(sorted, 50).toFixed(2)),
      p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    };
  });
  return { throughputs, latencies: latencyResults, inboxOrders: sequence };
}

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  inboxOrders: number;
  throughputs: Throughput[];
  latencies: Latency[];
}): string {
  return [
    `# Press-orders benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}, ${report.platform}. The embedded hub (PGlite, every service and the gateway in one process). Placements run ${WORKLOAD_MS / 1000} s per workload at concurrency ${CONCURRENCY}, in ${ROUNDS} slices interleaved with the others after a ${WARMUP_MS} ms warm-up; each placement waits for its read model (read-your-writes). The baseline is the same HTTP round trip carrying only \`{ __typename }\`.`,
    '',
    '| workload | concurrency | requests | seconds | requests/s |',
    '|---|---:|---:|---:|---:|',
    ...report.throughputs.map(
      (t) => `| ${t.workload} | ${t.concurrency} | ${t.requests} | ${t.seconds.toFixed(2)} | ${t.perSecond} |`,
    ),
    '',
    `Newsroom inbox (\`assignments\`, 50 per page) over ${report.inboxOrders} orders, one request at a time; through the gateway each order also resolves its orderer and newsroom from the directory.`,
    '',
    '| query | requests | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...report.latencies.map((l) => `| ${l.workload} | ${l.requests} | ${l.p50Ms} | ${l.p99Ms} |`),
    '',
  ].join('\n');
}

export async function runPressOrdersBench(): Promise<void> {
  const previousSecret = process.env.HUB_JWT_SECRET;
  process.env.HUB_JWT_SECRET = SECRET;
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-press-orders-'));
  let hub: RunningHub | undefined;
  try {
    hub = await startHub(
      configFromEnv({ HUB_MODE: 'embedded', HUB_PORT: '0', HUB_HOST: '127.0.0.1', HUB_DATA_DIR: dataDir }),
    );
    const measured = await measure(hub);
    const cpus = os.cpus();
    const report = {
      date: new Date().toISOString().slice(0, 10),
      cores: cpus.length,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      ...measured,
    };
    console.table(report.throughputs.map((t) => ({ ...t, seconds: Number(t.seconds.toFixed(2)) })));
    console.table(report.latencies);
    await saveResults('press-orders', report, markdown(report));
  } finally {
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runPressOrdersBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
