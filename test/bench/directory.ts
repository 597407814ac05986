import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
// The CLI's modules are not part of @hub/directory's public surface; the bench drives them as the command does.
import { GraphqlClient } from '../../services/directory/src/cli/client.js';
import { formatCsv } from '../../services/directory/src/cli/csv.js';
import { formatRejection, type ImportReport, importContacts } from '../../services/directory/src/cli/import.js';
import { saveResults } from './results.js';

/**
 * The directory end to end in one process (embedded mode): the rate of a 10,000-contact CSV import
 * through the gateway, and the latency of the all-provinces network query sent straight to the
 * directory subgraph and through the gateway, so the gateway's share shows as a ratio.
 */

/**
 * The workload. HUB_BENCH_DIRECTORY_CONTACTS (a multiple of 100) runs a smaller one: in the
 * one-process hub every appointment currently takes a few hundred milliseconds (see the report).
 */
export const CONTACTS = Number(process.env.HUB_BENCH_DIRECTORY_CONTACTS ?? 10_000);
/** One row in a hundred is bad, at a fixed offset so they spread over every province. */
export const BAD_EVERY = 100;
const CONCURRENCY = 16;
const WARMUP_RUNS = 30;
const RUNS = 300;
/** Direct and gateway runs alternate in slices, so load drift on a shared machine hits both alike. */
const SLICES = 10;

const NETWORK_QUERY = `{ organizations(kind: PROVINCE, status: ACTIVE, first: 34) {
  edges { node { name code spokesperson { fullName phone email } focalPoints { fullName phone email } } }
} }`;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thanh', 'Quốc', 'Ngọc', 'Hữu', 'Thu', 'Đức', 'Hoài'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dung', 'Em', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Khoa', 'Lan', 'Linh'];
const BAD_KINDS = [
  (row: string[]) => row.splice(4, 1, '0912 ABC 678'),
  (row: string[]) => row.splice(3, 1, 'PRESS_OFFICER'),
  (row: string[]) => row.splice(5, 1, 'không-phải-email'),
  (row: string[]) => row.splice(6, 1, '2025-02-30'),
  (row: string[]) => row.splice(1, 1, ''),
];

/**
 * Contacts spread evenly over the provinces: per province one spokesperson, two focal points and
 * other staff, each with a distinct mobile number, as a province's liaison network looks.
 */
export function generateCsv(provinces: readonly string[]): string {
  const rows: string[][] = [['organization', 'full_name', 'title', 'roles', 'phone', 'email', 'appointed_from']];
  for (let i = 0; i < CONTACTS; i++) {
    const province = provinces[i % provinces.length] as string;
    const nth = Math.floor(i / provinces.length);
    const roles =
      nth === 0
        ? 'SPOKESPERSON'
        : nth <= 2
          ? 'FOCAL_POINT'
          : ['COMMUNICATIONS_OFFICER', 'EDITOR', 'DUTY_OFFICER'][nth % 3];
    const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[Math.floor(i / 7) % MIDDLE.length]} ${GIVEN[Math.floor(i / 3) % GIVEN.length]}`;
    const row = [
      province,
      name,
      nth === 0 ? 'Người phát ngôn, Chánh Văn phòng UBND' : 'Chuyên viên',
      roles as string,
      `09${String(i).padStart(8, '0')}`,
      `canbo${i}@${province.replace(/^prov-/, '')}.gov.vn`,
      `2025-${String(7 + (i % 6)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    ];
    const bad = i % BAD_EVERY === BAD_EVERY - 1 ? BAD_KINDS[Math.floor(i / BAD_EVERY) % BAD_KINDS.length] : undefined;
    bad?.(row);
    rows.push(row);
  }
  return formatCsv(rows);
}

export interface Latency {
  readonly path: 'direct (subgraph)' | 'through the gateway';
  readonly url: string;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

/** Nearest-rank percentile of sorted samples. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;

const round2 = (n: number) => Math.round(n * 100) / 100;

async function networkQuery(url: string, token: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: NETWORK_QUERY }),
  });
  const body = await response.text();
  const ms = performance.now() - started;
  if (!response.ok || body.includes('"errors"'))
    throw new Error(`network query failed at ${url}: ${body.slice(0, 300)}`);
  return { ms, body };
}

export async function networkQueryLatency(hub: RunningHub, token: string): Promise<Latency[]> {
  const paths = [
    { path: 'direct (subgraph)' as const, url: hub.subgraphUrls.directory as string, samples: [] as number[] },
    { path: 'through the gateway' as const, url: hub.url, samples: [] as number[] },
  ];
  // Both paths must answer the same question the same way, or the comparison means nothing.
  const answers = await Promise.all(
    paths.map(async (p) => JSON.stringify(JSON.parse((await networkQuery(p.url, token)).body))),
  );
  if (answers[0] !== answers[1]) throw new Error('the subgraph and the gateway answer the network query differently');
  for (const p of paths) for (let i = 0; i < WARMUP_RUNS; i++) await networkQuery(p.url, token);
  for (let slice = 0; slice < SLICES; slice++) {
    for (const p of paths) {
      for (let i = 0; i < RUNS / SLICES; i++) p.samples.push((await networkQuery(p.url, token)).ms);
    }
  }
  return paths.map(({ path, url, samples }) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      path,
      url,
      runs: sorted.length,
      p50Ms: round2(percentile(sorted, 50)),
      p99Ms: round2(percentile(sorted, 99)),
      meanMs: round2(sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length),
      maxMs: round2(sorted.at(-1) as number),
    };
  });
}

export interface ImportMeasurement {
  readonly run: string;
  readonly rows: number;
  readonly imported: number;
  readonly alreadyPresent: number;
  readonly rejected: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

export async function timedImport(run: string, text: string, client: GraphqlClient): Promise<ImportMeasurement> {
  const started = performance.now();
  let reported = 0;
  const report: ImportReport = await importContacts({
    text,
    client,
    concurrency: CONCURRENCY,
    // A line per tenth, so a slow run shows it is moving.
    onProgress: (done, total) => {
      if (total === 0 || done < reported + total / 10) return;
      reported = done;
      const seconds = (performance.now() - started) / 1000;
      console.log(`  ${run}: ${done}/${total} sent, ${seconds.toFixed(0)} s, ${Math.round(done / seconds)} rows/s`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  // Generated bad rows sit on line i + 2 for i ≡ -1 (mod BAD_EVERY); anything else is a finding.
  const unexpected = report.rejected.filter((r) => (r.line - 2) % BAD_EVERY !== BAD_EVERY - 1);
  for (const r of unexpected) console.log(`  unexpected rejection: ${formatRejection(r)}`);
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

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  imports: ImportMeasurement[];
  latency: Latency[];
  ratios: Record<string, number>;
}): string {
  return [
    `# Directory benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}, ${report.platform}. The hub runs in this process in embedded mode (PGlite in a temporary folder). The import sends a generated CSV of ${CONTACTS} contacts over the 34 provinces (1 in ${BAD_EVERY} rows bad: phone, role, e-mail, date, missing name) through the gateway with an ADMIN token, ${CONCURRENCY} mutations in flight, one organization's rows at a time; the second run imports the same file again.`,
    '',
    '| run | rows | imported | already present | rejected | seconds | rows/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...report.imports.map(
      (m) =>
        `| ${m.run} | ${m.rows} | ${m.imported} | ${m.alreadyPresent} | ${m.rejected} | ${m.seconds.toFixed(2)} | ${m.rowsPerSecond} |`,
    ),
    '',
    `All-provinces network query (34 provinces with spokesperson and focal points), one request at a time, ${WARMUP_RUNS} warm-up runs per path, then ${RUNS} runs per path in ${SLICES} alternating slices.`,
    '',
    '| path | runs | p50 ms | p99 ms | mean ms | max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...report.latency.map((l) => `| ${l.path} | ${l.runs} | ${l.p50Ms} | ${l.p99Ms} | ${l.meanMs} | ${l.maxMs} |`),
    '',
    '| ratio | value |',
    '|---|---:|',
    ...Object.entries(report.ratios).map(([name, value]) => `| ${name} | ${value.toFixed(2)} |`),
    '',
  ].join('\n');
}

export async function runDirectoryBench(): Promise<void> {
  if (!Number.isSafeInteger(CONTACTS) || CONTACTS < BAD_EVERY || CONTACTS % BAD_EVERY !== 0) {
    throw new Error(`HUB_BENCH_DIRECTORY_CONTACTS must be a positive multiple of ${BAD_EVERY}, got ${CONTACTS}`);
  }
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-directory-'));
  const secret = randomBytes(32).toString('hex');
  const previousSecret = process.env.HUB_JWT_SECRET;
  process.env.HUB_JWT_SECRET = secret;
  let hub: RunningHub | undefined;
  try {
    // The defaults for everything else, whatever the environment of the machine running the bench says.
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
    const provinces: { organizations: { edges: { node: { id: string } }[] } } = await client.query(
      '{ organizations(kind: PROVINCE, status: ACTIVE, first: 34) { edges { node { id } } } }',
    );
    const ids = provinces.organizations.edges.map((e) => e.node.id);
    if (ids.length !== 34) throw new Error(`expected 34 active provinces, the directory lists ${ids.length}`);
    const text = generateCsv(ids);
    const bad = CONTACTS / BAD_EVERY;

    const imports: ImportMeasurement[] = [];
    const first = await timedImport('first import', text, client);
    console.log(
      `import      ${first.rows} rows  ${first.seconds.toFixed(1)} s  ${first.rowsPerSecond} rows/s  rejected ${first.rejected}`,
    );
    if (first.imported !== CONTACTS - bad || first.rejected !== bad) {
      throw new Error(`expected ${CONTACTS - bad} imported and ${bad} rejected, got ${JSON.stringify(first)}`);
    }
    imports.push(first);
    const again = await timedImport('same file again', text, client);
    console.log(`re-import   ${again.rows} rows  ${again.seconds.toFixed(1)} s  ${again.rowsPerSecond} rows/s`);
    if (again.imported !== 0 || again.alreadyPresent !== CONTACTS - bad) {
      throw new Error(`a second import should append nothing, got ${JSON.stringify(again)}`);
    }
    imports.push(again);

    const latency = await networkQueryLatency(hub, token);
    for (const l of latency) {
      console.log(`${l.path.padEnd(20)} p50 ${l.p50Ms} ms  p99 ${l.p99Ms} ms  (${l.runs} runs)`);
    }
    const [direct, gateway] = latency as [Latency, Latency];
    const ratios = {
      'gateway / direct, p50': gateway.p50Ms / direct.p50Ms,
      'gateway / direct, p99': gateway.p99Ms / direct.p99Ms,
    };

    const cpus = os.cpus();
    const report = {
      date: new Date().toISOString().slice(0, 10),
      cores: cpus.length,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      imports,
      latency,
      ratios,
    };
    console.table(imports);
    console.table(latency.map(({ url: _url, ...l }) => l));
    console.table(Object.entries(ratios).map(([ratio, value]) => ({ ratio, value: round2(value) })));

    await saveResults('directory', report, markdown(report));
  } finally {
    await hub?.stop();
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runDirectoryBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
