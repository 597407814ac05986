import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { EventCatalogue, type NewEvent } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient, type SqlValue } from '@hub/sql';
import { saveResults } from './results.js';

/**
 * Event-store throughput on PGlite (embedded) and PostgreSQL, next to a baseline of plain INSERTs
 * of the same rows into a table with the same columns in the same engine, so the store's own
 * cost (validation, concurrency check, watermark column, NOTIFY) shows as a ratio.
 */

const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Each write workload runs this long in total, split over ROUNDS interleaved slices. */
const WORKLOAD_MS = 3_000;
const ROUNDS = 6;
const WARMUP_MS = 300;
const BATCH = 100;

const catalogue = new EventCatalogue([
  {
    type: 'BenchStatementReleased',
    version: 1,
    schema: {
      type: 'object',
      properties: {
        statementId: { type: 'string', format: 'uuid' },
        title: { type: 'string', minLength: 1 },
        channel: { enum: ['press-conference', 'portal', 'press-release'] },
        provinceCode: { type: 'string', pattern: '^[0-9]{2}$' },
      },
      required: ['statementId', 'title', 'channel', 'provinceCode'],
      additionalProperties: false,
    },
  },
]);

const newEvent = (): NewEvent => ({
  id: randomUUID(),
  type: 'BenchStatementReleased',
  organizationId: 'org-ubnd-lao-cai',
  actor: { userId: 'user-spokesperson', organizationId: 'org-ubnd-lao-cai' },
  data: {
    statementId: randomUUID(),
    title: 'Thông cáo báo chí về việc sắp xếp đơn vị hành chính cấp tỉnh',
    channel: 'press-release',
    provinceCode: '15',
  },
});

interface Measurement {
  readonly engine: 'embedded' | 'postgres';
  readonly workload: string;
  readonly concurrency: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

interface Workload {
  readonly name: string;
  readonly concurrency: number;
  /** Writes once and says how many events (rows) it wrote. */
  readonly step: (worker: number) => Promise<number>;
}

/** Runs `step` in `concurrency` loops until the time is up. */
async function timed(workload: Workload, ms: number): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const deadline = started + ms;
  let events = 0;
  await Promise.all(
    Array.from({ length: workload.concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const written = await workload.step(worker);
        events += written;
      }
    }),
  );
  return { events, seconds: (performance.now() - started) / 1000 };
}

const RAW_TABLE = `
CREATE TABLE bench_raw_events (
  global_position bigserial PRIMARY KEY,
  tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
)`;

/** A multi-VALUES INSERT of the rows the store would write, with the same parameters per row. */
function rawInsert(stream: string, firstRevision: number, rows: number): [string, SqlValue[]] {
  const params: SqlValue[] = [];
  const values: string[] = [];
  for (let i = 0; i < rows; i++) {
    const event = newEvent();
    const id = event.id ?? randomUUID();
    const metadata = {
      occurredAt: new Date().toISOString(),
      actor: event.actor ?? null,
      organizationId: event.organizationId ?? null,
      correlationId: id,
      causationId: null,
    };
    const n = params.push(stream, firstRevision + i, id, event.type, 1, event.data, metadata);
    values.push(`($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`);
  }
  const text = `INSERT INTO bench_raw_events (stream_id, revision, event_id, type, schema_version, data, metadata)
    VALUES ${values.join(', ')}`;
  return [text, params];
}

async function measureEngine(
  engine: Measurement['engine'],
  sql: SqlClient,
  store: EventStore,
  record: (m: Measurement) => void,
): Promise<void> {
  const appendTo = (prefix: string, size: number) => {
    const revisions = new Map<number, number>();
    const streams = new Map<number, string>();
    return async (worker: number) => {
      const stream = streams.get(worker) ?? `${prefix}-${worker}-${randomUUID()}`;
      streams.set(worker, stream);
      const events = Array.from({ length: size }, newEvent);
      const result = await store.append(stream, events, { expected: revisions.get(worker) ?? 'no_stream' });
      revisions.set(worker, result.nextExpectedRevision);
      return size;
    };
  };
  const rawTo = (size: number) => {
    let revision = 0;
    return async (worker: number) => {
      const [text, params] = rawInsert(`raw-${worker}`, revision, size);
      revision += size;
      await sql.query(text, params);
      return size;
    };
  };
  await sql.exec(RAW_TABLE);
  const workloads: Workload[] = [
    { name: 'append 1 event', concurrency: 1, step: appendTo('single', 1) },
    { name: 'raw INSERT 1 row', concurrency: 1, step: rawTo(1) },
    { name: 'append 1 event', concurrency: 16, step: appendTo('single16', 1) },
    { name: 'raw INSERT 1 row', concurrency: 16, step: rawTo(1) },
    { name: `append ${BATCH}-event batch`, concurrency: 1, step: appendTo('batch', BATCH) },
    { name: `raw INSERT ${BATCH}-row VALUES`, concurrency: 1, step: rawTo(BATCH) },
  ];

  // The machines running this are shared, so load drifts over a run. Interleaving the store's
  // workloads with their baselines in short slices exposes both to the same drift.
  for (const workload of workloads) await timed(workload, WARMUP_MS);
  const totals = workloads.map(() => ({ events: 0, seconds: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, workload] of workloads.entries()) {
      const slice = await timed(workload, WORKLOAD_MS / ROUNDS);
      const total = totals[i] as { events: number; seconds: number };
      total.events += slice.events;
      total.seconds += slice.seconds;
    }
  }
  for (const [i, workload] of workloads.entries()) {
    const { events, seconds } = totals[i] as { events: number; seconds: number };
    record({
      engine,
      workload: workload.name,
      concurrency: workload.concurrency,
      events,
      seconds,
      eventsPerSecond: Math.round(events / seconds),
    });
  }

  // PostgreSQL shows committed events to readAll only once older transactions (in any database
  // on the server) end, so a pass can come up short on a busy server: time a complete pass.
  const total = (await store.count()) ?? 0;
  let read = 0;
  let seconds = 0;
  for (let pass = 0; read < total; pass++) {
    if (pass === 10) throw new Error(`${engine}: readAll returned ${read} of ${total} events`);
    if (pass > 0) await sleep(250);
    const started = performance.now();
    read = 0;
    for (let checkpoint: string | null = null; ; ) {
      const slice = await store.readAll(checkpoint, 1000);
      if (slice.events.length === 0) break;
      read += slice.events.length;
      checkpoint = slice.checkpoint;
    }
    seconds = (performance.now() - started) / 1000;
  }
  record({
    engine,
    workload: 'readAll (pages of 1000)',
    concurrency: 1,
    events: read,
    seconds,
    eventsPerSecond: Math.round(read / seconds),
  });
}

async function benchEmbedded(record: (m: Measurement) => void): Promise<void> {
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-es-'));
  try {
    const sql = await pgliteClient({ dataDir });
    try {
      const store = await embeddedEventStore({ sql, catalogue });
      await measureEngine('embedded', sql, store, record);
      await store.close();
    } finally {
      await sql.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function benchPostgres(record: (m: Measurement) => void): Promise<void> {
  const database = `hub_bench_es_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await ensureDatabase(ADMIN_URL, database);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    // 16 writers plus the reader and spare connections for the pool.
    const sql = postgresClient({ connectionString: url.toString(), max: 20, applicationName: 'hub-bench' });
    try {
      const store = await postgresEventStore({ sql, catalogue });
      await measureEngine('postgres', sql, store, record);
      await store.close();
    } finally {
      await sql.close();
    }
  } finally {
    await dropDatabase(ADMIN_URL, database);
  }
}

const rateOf = (results: Measurement[], engine: string, workload: string, concurrency = 1): number => {
  const found = results.find((m) => m.engine === engine && m.workload === workload && m.concurrency === concurrency);
  if (!found) throw new Error(`no measurement for ${engine} ${workload}`);
  return found.eventsPerSecond;
};

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  loadAverage: { atStart: number; atEnd: number };
  results: Measurement[];
  ratios: Record<string, number>;
}): string {
  const lines = [
    `# Event-store benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}, ${report.platform}; 1-minute load average ${report.loadAverage.atStart.toFixed(1)} at the start, ${report.loadAverage.atEnd.toFixed(1)} at the end. Each write workload runs ${WORKLOAD_MS / 1000} s in ${ROUNDS} slices interleaved with the others (so load drift on a shared machine hits all alike), after a ${WARMUP_MS} ms warm-up; "raw INSERT" writes the same rows and columns into a plain table (primary key only) in the same engine.`,
    '',
    '| engine | workload | concurrency | events | seconds | events/s |',
    '|---|---|---:|---:|---:|---:|',
    ...report.results.map(
      (m) =>
        `| ${m.engine} | ${m.workload} | ${m.concurrency} | ${m.events} | ${m.seconds.toFixed(2)} | ${m.eventsPerSecond} |`,
    ),
    '',
    '| ratio | value |',
    '|---|---:|',
    ...Object.entries(report.ratios).map(([name, value]) => `| ${name} | ${value.toFixed(2)} |`),
    '',
  ];
  return lines.join('\n');
}

export async function runEventStoreBench(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const results: Measurement[] = [];
  const record = (m: Measurement) => {
    results.push(m);
    console.log(
      `${m.engine.padEnd(9)} ${`${m.workload} ×${m.concurrency}`.padEnd(32)} ${String(m.eventsPerSecond).padStart(8)} events/s`,
    );
  };
  await benchEmbedded(record);
  await benchPostgres(record);

  const batchRatio = (engine: string) =>
    rateOf(results, engine, `append ${BATCH}-event batch`) / rateOf(results, engine, `raw INSERT ${BATCH}-row VALUES`);
  const singleRatio = (engine: string) =>
    rateOf(results, engine, 'append 1 event') / rateOf(results, engine, 'raw INSERT 1 row');
  const ratios = {
    'postgres batch append / raw batch INSERT': batchRatio('postgres'),
    'postgres single append / raw single INSERT': singleRatio('postgres'),
    'embedded batch append / raw batch INSERT': batchRatio('embedded'),
    'embedded single append / raw single INSERT': singleRatio('embedded'),
  };
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
    results,
    ratios,
  };

  console.table(results.map((m) => ({ ...m, seconds: Number(m.seconds.toFixed(2)) })));
  console.table(Object.entries(ratios).map(([ratio, value]) => ({ ratio, value: Number(value.toFixed(2)) })));

  await saveResults('event-store', report, markdown(report));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runEventStoreBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
