import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import { CommandHandler } from '@hub/command-handling';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
import { ProjectionRunner } from '@hub/projections';
import { communes2025 } from '@hub/reference-data';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
// The directory's seed and CLI modules are not part of its public surface; the bench drives them as the service does.
import { GraphqlClient } from '../../services/directory/src/cli/client.js';
import { formatCsv } from '../../services/directory/src/cli/csv.js';
import { importContacts } from '../../services/directory/src/cli/import.js';
import { seedCommunes, seedNationalStructure } from '../../services/directory/src/seed.js';
import { directoryProjections } from '../../services/directory/src/wiring.js';
import { saveResults } from './results.js';

/**
 * The grassroots level's costs: the directory's first-start seeding with and without the 3,321
 * communes (PGlite and PostgreSQL), a 3,321-row import of commune focal points through the gateway
 * (beside its dry run), and the commune list and a province's children through the gateway
 * (beside the 34-province list on the same path).
 */

const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONCURRENCY = 16;
const WARMUP_RUNS = 20;
const RUNS = 200;
const SLICES = 10;

const round2 = (n: number) => Math.round(n * 100) / 100;
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;

interface SeedMeasurement {
  readonly engine: string;
  readonly seeded: string;
  readonly events: number;
  readonly appendSeconds: number;
  readonly projectSeconds: number;
  readonly totalSeconds: number;
  readonly restartMs: number;
}

async function freshStore(
  engine: 'embedded' | 'postgres',
): Promise<{ sql: SqlClient; store: EventStore; drop: () => Promise<void> }> {
  const catalogue = hubCatalogue();
  if (engine === 'embedded') {
    const sql = await pgliteClient();
    const store = await embeddedEventStore({ sql, catalogue });
    return { sql, store, drop: async () => undefined };
  }
  const database = `hub_bench_grassroots_${process.pid}_${Date.now()}`;
  await ensureDatabase(ADMIN_URL, database);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const sql = postgresClient({ connectionString: url.toString() });
  const store = await postgresEventStore({ sql, catalogue });
  return { sql, store, drop: () => dropDatabase(ADMIN_URL, database) };
}

/** A first start's seeding into an empty store, the directory's read models brought up to date, then a restart's. */
async function measureSeed(engine: 'embedded' | 'postgres', withCommunes: boolean): Promise<SeedMeasurement> {
  const { sql, store, drop } = await freshStore(engine);
  try {
    const projections = new ProjectionRunner({ sql, store, projections: directoryProjections });
    await projections.catchUp();
    const seed = async (commands: CommandHandler) => {
      await seedNationalStructure(commands);
      if (withCommunes) await seedCommunes(commands, store);
    };
    const started = performance.now();
    await seed(new CommandHandler(store));
    const appended = performance.now();
    await projections.catchUp();
    const projected = performance.now();
    await seed(new CommandHandler(store));
    const restartMs = performance.now() - projected;
    return {
      engine,
      seeded: withCommunes ? 'national structure + 3,321 communes' : 'national structure (baseline)',
      events: (await store.count()) ?? 0,
      appendSeconds: round2((appended - started) / 1000),
      projectSeconds: round2((projected - appended) / 1000),
      totalSeconds: round2((projected - started) / 1000),
      restartMs: round2(restartMs),
    };
  } finally {
    await store.close();
    await sql.close();
    await drop();
  }
}

/** One focal point per commune, as the provinces would send them: by code, or by name without its kind. */
function focalPointCsv(): string {
  const rows: string[][] = [['organization', 'commune', 'full_name', 'roles', 'phone']];
  communes2025().forEach((unit, i) => {
    rows.push([
      `PROVINCE:${unit.provinceCode}`,
      i % 2 === 0 ? unit.code : unit.shortName,
      `Cán bộ đầu mối ${unit.shortName}`,
      'FOCAL_POINT',
      `09${String(10_000_000 + i).slice(-8)}`,
    ]);
  });
  return formatCsv(rows);
}

interface ImportMeasurement {
  readonly run: string;
  readonly rows: number;
  readonly imported: number;
  readonly alreadyPresent: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

async function timedImport(
  run: string,
  text: string,
  client: GraphqlClient,
  dryRun: boolean,
): Promise<ImportMeasurement> {
  const started = performance.now();
  const report = await importContacts({ text, client, concurrency: CONCURRENCY, dryRun });
  const seconds = (performance.now() - started) / 1000;
  return {
    run,
    rows: report.rows,
    imported: report.imported,
    alreadyPresent: report.alreadyPresent,
    rejected: report.rejected.length,
    seconds: round2(seconds),
    rowsPerSecond: Math.round(report.rows / seconds),
  };
}

interface Latency {
  readonly query: string;
  readonly path: string;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const QUERIES: Record<string, string> = {
  'organizations(kind: PROVINCE, first: 34) (baseline)':
    '{ organizations(kind: PROVINCE, status: ACTIVE, first: 34) { totalCount edges { node { id code name island } } } }',
  'organizations(kind: COMMUNE, first: 100)':
    '{ organizations(kind: COMMUNE, status: ACTIVE, first: 100) { totalCount edges { node { id code name island } } } }',
  "Thanh Hóa's children (166 communes)":
    '{ organization(id: "prov-thanh-hoa") { children(kind: COMMUNE, first: 200) { totalCount edges { node { id code name island } } } } }',
};

async function timeQuery(url: string, token: string, query: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = await response.text();
  if (!response.ok || body.includes('"errors"')) throw new Error(`query failed at ${url}: ${body.slice(0, 300)}`);
  return performance.now() - started;
}

async function measureLatency(hub: RunningHub, token: string): Promise<Latency[]> {
  const paths = [
    { path: 'direct (subgraph)', url: hub.subgraphUrls.directory as string },
    { path: 'through the gateway', url: hub.url },
  ];
  const results: Latency[] = [];
  for (const [name, query] of Object.entries(QUERIES)) {
    const samples = new Map<string, number[]>(paths.map((p) => [p.path, []]));
    for (const p of paths) for (let i = 0; i < WARMUP_RUNS; i++) await timeQuery(p.url, token, query);
    // Alternating slices, so load drift on a shared machine hits both paths alike.
    for (let slice = 0; slice < SLICES; slice++) {
      for (const p of paths) {
        for (let i = 0; i < RUNS / SLICES; i++) samples.get(p.path)?.push(await timeQuery(p.url, token, query));
      }
    }
    for (const p of paths) {
      const sorted = [...(samples.get(p.path) ?? [])].sort((a, b) => a - b);
      results.push({
        query: name,
        path: p.path,
        runs: sorted.length,
        p50Ms: round2(percentile(sorted, 50)),
        p99Ms: round2(percentile(sorted, 99)),
      });
    }
  }
  return results;
}

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  load: string;
  node: string;
  seeds: SeedMeasurement[];
  imports: ImportMeasurement[];
  latency: Latency[];
}): string {
  return [
    `# Grassroots benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), load average before the run ${report.load}, Node.js ${report.node}.`,
    '',
    "Seeding on a first start into an empty store (the directory's own read models brought up to date; the other services' projections are not included), then a restart's seeding:",
    '',
    '| engine | seeded | events | append s | project s | total s | restart ms |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...report.seeds.map(
      (s) =>
        `| ${s.engine} | ${s.seeded} | ${s.events} | ${s.appendSeconds} | ${s.projectSeconds} | ${s.totalSeconds} | ${s.restartMs} |`,
    ),
    '',
    `A focal point for each of the 3,321 communes (organization \`PROVINCE:code\`, commune by code or by name without its kind), through the gateway of a one-process embedded hub with an ADMIN token, ${CONCURRENCY} mutations in flight; the dry run (checks and lookups, nothing sent) is the baseline:`,
    '',
    '| run | rows | imported | already present | rejected | seconds | rows/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...report.imports.map(
      (m) =>
        `| ${m.run} | ${m.rows} | ${m.imported} | ${m.alreadyPresent} | ${m.rejected} | ${m.seconds} | ${m.rowsPerSecond} |`,
    ),
    '',
    `Queries one at a time after the import, ${WARMUP_RUNS} warm-up runs per path, then ${RUNS} runs per path in ${SLICES} alternating slices:`,
    '',
    '| query | path | runs | p50 ms | p99 ms |',
    '|---|---|---:|---:|---:|',
    ...report.latency.map((l) => `| ${l.query} | ${l.path} | ${l.runs} | ${l.p50Ms} | ${l.p99Ms} |`),
    '',
  ].join('\n');
}

export async function runGrassrootsBench(): Promise<void> {
  const load = os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  const seeds: SeedMeasurement[] = [];
  for (const engine of ['embedded', 'postgres'] as const) {
    for (const withCommunes of [false, true]) {
      const measured = await measureSeed(engine, withCommunes);
      console.log(
        `seed ${engine.padEnd(8)} ${measured.seeded.padEnd(36)} ${measured.totalSeconds} s (append ${measured.appendSeconds} s, project ${measured.projectSeconds} s), restart ${measured.restartMs} ms`,
      );
      seeds.push(measured);
    }
  }

  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-grassroots-'));
  const secret = randomBytes(32).toString('hex');
  const previousSecret = process.env.HUB_JWT_SECRET;
  process.env.HUB_JWT_SECRET = secret;
  let hub: RunningHub | undefined;
  try {
    hub = await startHub({
      ...configFromEnv({}),
      mode: 'embedded',
      port: 0,
      host: '127.0.0.1',
      dataDir,
      development: false,
    });
    const token = await signDevToken({ sub: 'bench-importer', org: 'central-office', roles: ['ADMIN'] }, secret);
    const client = new GraphqlClient(hub.url, token);
    const text = focalPointCsv();
    const imports: ImportMeasurement[] = [];
    for (const [run, dryRun] of [
      ['dry run (baseline)', true],
      ['first import', false],
      ['same file again', false],
    ] as const) {
      const measured = await timedImport(run, text, client, dryRun);
      console.log(
        `import ${run.padEnd(20)} ${measured.rows} rows  ${measured.seconds} s  ${measured.rowsPerSecond} rows/s`,
      );
      imports.push(measured);
    }
    const first = imports[1] as ImportMeasurement;
    if (first.imported !== 3_321 || first.rejected !== 0)
      throw new Error(`expected 3,321 imported, got ${JSON.stringify(first)}`);

    const latency = await measureLatency(hub, token);
    for (const l of latency) console.log(`${l.query} ${l.path}: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms`);

    const cpus = os.cpus();
    const report = {
      date: new Date().toISOString().slice(0, 10),
      cores: cpus.length,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      load,
      node: process.version,
      seeds,
      imports,
      latency,
    };
    await saveResults('grassroots', report, markdown(report));
  } finally {
    await hub?.stop();
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runGrassrootsBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
