import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import { EventCatalogue, type NewEvent } from '@hub/event-catalogue';
import { postgresEventStore } from '@hub/event-store';
import type { HubConfig, RunningHub } from '@hub/gateway';
import { liveClient, subscribe } from '@hub/live/testing';
import { type Projection, runRebuildCli } from '@hub/projections';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlValue } from '@hub/sql';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { GraphqlClient } from '../../services/directory/src/cli/client.js';
import { parseCsv } from '../../services/directory/src/cli/csv.js';
import { BAD_EVERY, CONTACTS, generateCsv, networkQueryLatency, timedImport } from './directory.js';
import { ADMIN_URL, BENCH_SECRET, percentile, withHub } from './hub.js';
import { measureSubscriberLatency } from './live.js';
import { client, orderInput, PLACE, timed } from './press-orders.js';
import { saveResults } from './results.js';

/**
 * The event core's table (issue 12) in one run, `pnpm bench core`: every figure beside a baseline
 * measured in the same process at the same time, so a loaded machine shows in both:
 * - placePressOrder through the gateway at concurrency 16, embedded and local (PostgreSQL + Kafka),
 *   beside `{ __typename }` through the same gateway at the same concurrency;
 * - a 10,000-contact CSV import through the gateway with the CLI's own import function, beside
 *   plain INSERTs of the same rows into the same engine;
 * - mutation → 1,000 graphql-ws subscribers through the gateway, p99, beside a bare graphql-ws
 *   server that echoes an HTTP POST to 1,000 subscriptions shaped the same way;
 * - the all-provinces query through the gateway and straight to the directory, p50 ratio;
 * - a projection rebuild on PostgreSQL, events/s and peak RSS, beside reading the same rows raw.
 *
 * HUB_BENCH_REBUILD_EVENTS (default 1,000,000), HUB_BENCH_DIRECTORY_CONTACTS (default 10,000) and
 * HUB_BENCH_CORE_SECONDS (per throughput workload, default 6) run a smaller table.
 */

const CONCURRENCY = 16;
const THROUGHPUT_MS = Number(process.env.HUB_BENCH_CORE_SECONDS ?? 6) * 1000;
const SLICES = 6;
const WARMUP_MS = 500;
const REBUILD_EVENTS = Number(process.env.HUB_BENCH_REBUILD_EVENTS ?? 1_000_000);
const APPEND_BATCH = 1_000;
const SUBSCRIBERS = 1_000;
/** As in the live benchmark: 1,000 subscriptions over a few connections, as dashboards in a few browsers. */
const CONNECTIONS = 10;
const ECHOES = 30;

interface Row {
  readonly workload: string;
  readonly goal: string;
  readonly measured: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineMeasured: number;
  readonly baselineUnit: string;
  readonly note?: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** placePressOrder and `{ __typename }` through the gateway, interleaved so load drift hits both. */
async function placement(hub: RunningHub, mode: HubConfig['mode']): Promise<Row> {
  const token = await signDevToken({ sub: 'bench-officer', org: 'min-finance', roles: ['ORG_EDITOR'] }, BENCH_SECRET);
  const post = client(hub.url, token);
  const workloads = [() => post(PLACE, { input: orderInput() }), () => post('{ __typename }')];
  for (const step of workloads) await timed(step, CONCURRENCY, WARMUP_MS);
  const totals = workloads.map(() => ({ requests: 0, seconds: 0 }));
  for (let slice = 0; slice < SLICES; slice++) {
    for (const [i, step] of workloads.entries()) {
      const { requests, seconds } = await timed(step, CONCURRENCY, THROUGHPUT_MS / SLICES);
      const total = totals[i] as { requests: number; seconds: number };
      total.requests += requests;
      total.seconds += seconds;
    }
  }
  const [place, typename] = totals.map((t) => Math.round(t.requests / t.seconds)) as [number, number];
  return {
    workload: `placePressOrder through the gateway, concurrency ${CONCURRENCY}, ${mode}`,
    goal: mode === 'embedded' ? '≥ 400/s' : '≥ 600/s',
    measured: place,
    unit: 'commands/s',
    baseline: `{ __typename } through the gateway, concurrency ${CONCURRENCY}`,
    baselineMeasured: typename,
    baselineUnit: 'requests/s',
  };
}

/** A calendar date as written (Date would roll 2025-02-30 over into March). */
const isDate = (text: string | undefined): text is string =>
  text !== undefined &&
  /^\d{4}-\d{2}-\d{2}$/.test(text) &&
  new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/** The CLI's import through the gateway, then plain INSERTs of the same rows into PGlite. */
async function contactImport(hub: RunningHub): Promise<Row> {
  const token = await signDevToken({ sub: 'bench-importer', org: 'central-office', roles: ['ADMIN'] }, BENCH_SECRET);
  const graphql = new GraphqlClient(hub.url, token);
  const provinces: { organizations: { edges: { node: { id: string } }[] } } = await graphql.query(
    '{ organizations(kind: PROVINCE, status: ACTIVE, first: 34) { edges { node { id } } } }',
  );
  const text = generateCsv(provinces.organizations.edges.map((e) => e.node.id));
  const imported = await timedImport('import', text, graphql);
  const bad = CONTACTS / BAD_EVERY;
  if (imported.imported !== CONTACTS - bad) throw new Error(`import: ${JSON.stringify(imported)}`);

  const sql = await pgliteClient();
  try {
    await sql.exec(`CREATE TABLE bench_contacts (
      id uuid PRIMARY KEY, organization text NOT NULL, full_name text NOT NULL, title text, roles text[] NOT NULL,
      phone text, email text, appointed_from date)`);
    const rows = parseCsv(text).slice(1);
    const started = performance.now();
    for (const { fields } of rows) {
      const [organization, fullName, title, roles, phone, email, appointedFrom] = fields;
      const params: SqlValue[] = [
        randomUUID(),
        organization ?? '',
        fullName ?? '',
        title ?? null,
        (roles ?? '').split(';'),
        phone ?? null,
        email ?? null,
        // The bad dates of the generated file would fail the column; a raw insert stores them as NULL.
        isDate(appointedFrom) ? appointedFrom : null,
      ];
      await sql.query(
        'INSERT INTO bench_contacts (id, organization, full_name, title, roles, phone, email, appointed_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        params,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      workload: `CSV import of ${CONTACTS.toLocaleString('en')} contacts through the gateway, embedded`,
      goal: '≥ 1,500 rows/s',
      measured: imported.rowsPerSecond,
      unit: 'rows/s',
      baseline: 'raw INSERT of the same rows, one statement each, PGlite',
      baselineMeasured: Math.round(rows.length / seconds),
      baselineUnit: 'rows/s',
    };
  } finally {
    await sql.close();
  }
}

/**
 * A graphql-ws server that does nothing but echo: a POST to /publish reaches every subscription.
 * The same client shape as through the gateway: 1,000 subscriptions over CONNECTIONS sockets,
 * latency from the POST's start to each subscription's arrival.
 */
async function bareEcho(): Promise<number> {
  const listeners = new Set<(value: number) => void>();
  const schema = buildSchema('type Query { ok: Boolean } type Subscription { echo: Float }');
  const roots = {
    echo: () => {
      const queue: number[] = [];
      let wake: (() => void) | undefined;
      const listener = (value: number) => {
        queue.push(value);
        wake?.();
      };
      listeners.add(listener);
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        async next(): Promise<IteratorResult<{ echo: number }>> {
          while (queue.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          return { value: { echo: queue.shift() as number }, done: false };
        },
        async return(): Promise<IteratorResult<{ echo: number }>> {
          listeners.delete(listener);
          return { value: undefined, done: true };
        },
      };
    },
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      for (const listener of listeners) listener(Date.now());
      res.writeHead(204).end();
    });
  });
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  const endpoint = useServer({ schema, roots: { subscription: roots } }, sockets);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const clients = Array.from({ length: CONNECTIONS }, () => liveClient(url));
  const feeds = Array.from({ length: SUBSCRIBERS }, (_, i) =>
    subscribe(clients[i % CONNECTIONS] as ReturnType<typeof liveClient>, 'subscription { echo }'),
  );
  const publish = () => fetch(url.replace('/graphql', '/publish'), { method: 'POST', body: '{}' });
  try {
    while (listeners.size < SUBSCRIBERS) await new Promise((resolve) => setTimeout(resolve, 50));
    await publish();
    await Promise.all(feeds.map((feed) => feed.nth(1, 30_000)));
    const latencies: number[] = [];
    for (let n = 2; n <= ECHOES + 1; n++) {
      const started = performance.now();
      const waits = feeds.map((feed) => feed.nth(n, 30_000).then(() => latencies.push(performance.now() - started)));
      await publish();
      await Promise.all(waits);
    }
    return round1(percentile(latencies, 99));
  } finally {
    for (const feed of feeds) feed.close();
    await Promise.all(clients.map((c) => c.dispose()));
    await endpoint.dispose();
    sockets.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function subscribers(hub: RunningHub, mode: HubConfig['mode'], echoP99: number): Promise<Row> {
  const row = await measureSubscriberLatency(hub, mode, SUBSCRIBERS, false);
  return {
    workload: `mutation → ${SUBSCRIBERS.toLocaleString('en')} graphql-ws subscribers through the gateway, p99, ${mode === 'embedded' ? 'embedded' : 'Kafka'}`,
    goal: mode === 'embedded' ? '≤ 100 ms' : '≤ 200 ms',
    measured: row.p99Ms,
    unit: 'ms',
    baseline: `bare graphql-ws echo to ${SUBSCRIBERS.toLocaleString('en')} subscriptions, p99`,
    baselineMeasured: echoP99,
    baselineUnit: 'ms',
    note: `p50 ${row.p50Ms} ms; the mutation alone p50 ${row.mutationP50Ms} ms`,
  };
}

async function gatewayRatio(hub: RunningHub): Promise<Row> {
  const token = await signDevToken({ sub: 'bench-reader', org: 'central-office', roles: ['ADMIN'] }, BENCH_SECRET);
  const [direct, gateway] = await networkQueryLatency(hub, token);
  if (!direct || !gateway) throw new Error('the network query was not measured on both paths');
  return {
    workload: 'all-provinces query through the gateway vs direct, p50 ratio',
    goal: '≤ 1.25',
    measured: Math.round((gateway.p50Ms / direct.p50Ms) * 100) / 100,
    unit: '× direct',
    baseline: 'the same query straight to the directory subgraph, p50',
    baselineMeasured: direct.p50Ms,
    baselineUnit: 'ms',
    note: `through the gateway p50 ${gateway.p50Ms} ms`,
  };
}

const rebuildCatalogue = new EventCatalogue([
  {
    type: 'BenchContactAppointed',
    version: 1,
    schema: {
      type: 'object',
      properties: {
        contactId: { type: 'string' },
        organizationId: { type: 'string' },
        fullName: { type: 'string', minLength: 1 },
      },
      required: ['contactId', 'organizationId', 'fullName'],
      additionalProperties: false,
    },
  },
]);

/** A read model of the usual shape: one upserted row per event, keyed by what the event is about. */
const rebuildProjection: Projection = {
  name: 'bench_contacts',
  async setup(tx) {
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS bench_contacts (contact_id text PRIMARY KEY, organization_id text NOT NULL, full_name text NOT NULL)',
    );
  },
  async reset(tx) {
    await tx.exec('TRUNCATE bench_contacts');
  },
  handles: ['BenchContactAppointed'],
  async apply(event, tx) {
    const data = event.data as { contactId: string; organizationId: string; fullName: string };
    await tx.query(
      `INSERT INTO bench_contacts (contact_id, organization_id, full_name) VALUES ($1, $2, $3)
       ON CONFLICT (contact_id) DO UPDATE SET organization_id = excluded.organization_id, full_name = excluded.full_name`,
      [data.contactId, data.organizationId, data.fullName],
    );
  },
};

/** Peak resident set size while `work` runs, sampled every 50 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  let peakBytes = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await work();
    return { result, peakBytes: Math.max(peakBytes, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

export async function rebuild(): Promise<Row[]> {
  const database = `hub_bench_rebuild_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(ADMIN_URL, database);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const sql = postgresClient({ connectionString: url.toString(), max: 4, applicationName: 'hub-bench-rebuild' });
  try {
    const store = await postgresEventStore({ sql, catalogue: rebuildCatalogue });
    const filling = performance.now();
    for (let written = 0; written < REBUILD_EVENTS; written += APPEND_BATCH) {
      const events: NewEvent[] = Array.from({ length: Math.min(APPEND_BATCH, REBUILD_EVENTS - written) }, (_, i) => ({
        type: 'BenchContactAppointed',
        organizationId: `prov-${(written + i) % 34}`,
        // One contact in ten is appointed again, so the rebuild updates rows as well as inserting them.
        data: {
          contactId: `c-${(written + i) % Math.ceil(REBUILD_EVENTS * 0.9)}`,
          organizationId: `prov-${(written + i) % 34}`,
          fullName: 'Nguyễn Thị Minh Khai',
        },
      }));
      await store.append(`bench-contacts-${written / APPEND_BATCH}`, events, { expected: 'no_stream' });
      if ((written / APPEND_BATCH) % 100 === 99) {
        process.stderr.write(`  rebuild: ${written + APPEND_BATCH} events written\n`);
      }
    }
    process.stderr.write(
      `  rebuild: ${REBUILD_EVENTS} events written in ${((performance.now() - filling) / 1000).toFixed(0)} s\n`,
    );

    const rssBefore = process.memoryUsage.rss();
    const raw = await peakRss(async () => {
      const started = performance.now();
      let after = 0;
      let read = 0;
      for (;;) {
        const page = await sql.query<{ global_position: string | number }>(
          'SELECT * FROM es_events WHERE global_position > $1 ORDER BY global_position LIMIT 1000',
          [after],
        );
        if (page.rows.length === 0) break;
        read += page.rows.length;
        after = Number(page.rows.at(-1)?.global_position);
      }
      if (read !== REBUILD_EVENTS) throw new Error(`raw read found ${read} events`);
      return (performance.now() - started) / 1000;
    });
    const output = {
      text: '',
      write(chunk: string) {
        output.text += chunk;
        return true;
      },
    };
    const replay = await peakRss(async () => {
      const started = performance.now();
      const code = await runRebuildCli({
        sql,
        store,
        projections: [rebuildProjection],
        argv: ['--all', '--no-progress'],
        output,
      });
      if (code !== 0) throw new Error(`rebuild failed: ${output.text}`);
      return (performance.now() - started) / 1000;
    });
    await store.close();
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    const size = REBUILD_EVENTS.toLocaleString('en');
    return [
      {
        workload: `projection rebuild from ${size} events on PostgreSQL`,
        goal: '≥ 30,000 events/s',
        measured: Math.round(REBUILD_EVENTS / replay.result),
        unit: 'events/s',
        baseline: 'raw read of the same events (SELECT * in pages of 1,000)',
        baselineMeasured: Math.round(REBUILD_EVENTS / raw.result),
        baselineUnit: 'events/s',
      },
      {
        workload: `projection rebuild from ${size} events, peak RSS of the process`,
        goal: '< 1 GB',
        measured: mb(replay.peakBytes),
        unit: 'MB',
        baseline: 'peak RSS during the raw read',
        baselineMeasured: mb(raw.peakBytes),
        baselineUnit: 'MB',
        note: `${mb(rssBefore)} MB before either`,
      },
    ];
  } finally {
    await sql.close();
    await dropDatabase(ADMIN_URL, database);
  }
}

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  node: string;
  loadAverage: { atStart: number; atEnd: number };
  rows: Row[];
  failures: string[];
}): string {
  return [
    `# Event core benchmark (issue 12), ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}; 1-minute load average ${report.loadAverage.atStart.toFixed(1)} at the start, ${report.loadAverage.atEnd.toFixed(1)} at the end. Each baseline ran in the same process, interleaved with its figure where the workload allows. Throughputs run ${THROUGHPUT_MS / 1000} s per workload in ${SLICES} slices.`,
    '',
    '| workload | goal (2 cores) | measured | baseline | baseline measured | note |',
    '|---|---:|---:|---|---:|---|',
    ...report.rows.map(
      (r) =>
        `| ${r.workload} | ${r.goal} | ${r.measured} ${r.unit} | ${r.baseline} | ${r.baselineMeasured} ${r.baselineUnit} | ${r.note ?? ''} |`,
    ),
    '',
    ...report.failures.map((failure) => `- ${failure}`),
    '',
  ].join('\n');
}

export async function runCoreBench(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const rows: Row[] = [];
  const failures: string[] = [];
  // A workload that fails is reported as such, and the rest of the table is still measured.
  const measure = async (name: string, work: () => Promise<Row | Row[]>) => {
    try {
      for (const row of [await work()].flat()) {
        rows.push(row);
        console.log(
          `${row.workload}: ${row.measured} ${row.unit} (goal ${row.goal}); ${row.baseline}: ${row.baselineMeasured} ${row.baselineUnit}`,
        );
      }
    } catch (error) {
      const message = `${name} failed: ${error instanceof Error ? error.message : String(error)}`;
      failures.push(message);
      console.error(message);
    }
  };
  // First, while the process is small, so its peak RSS is the rebuild's own.
  await measure('rebuild', rebuild);
  let echoP99 = Number.NaN;
  await measure('bare echo', async () => {
    echoP99 = await bareEcho();
    return [];
  });
  for (const mode of ['embedded', 'local'] as const) {
    await measure(`${mode} hub`, () =>
      withHub(mode, async (hub) => {
        await measure(`placement, ${mode}`, () => placement(hub, mode));
        await measure(`subscribers, ${mode}`, () => subscribers(hub, mode, echoP99));
        if (mode === 'embedded') {
          await measure('gateway ratio', () => gatewayRatio(hub));
          await measure('import', () => contactImport(hub));
        }
        return [];
      }),
    );
  }
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
    rows,
    failures,
  };
  console.table(rows.map((r) => ({ ...r, measured: `${r.measured} ${r.unit}` })));
  await saveResults('core', report, markdown(report));
  if (failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runCoreBench();
}
