import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { communes2025 } from '@hub/reference-data';
import { pgliteClient } from '@hub/sql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GraphqlClient, type GraphqlResponse } from '../../services/directory/src/cli/client.js';
import { formatCsv } from '../../services/directory/src/cli/csv.js';
import { importContacts } from '../../services/directory/src/cli/import.js';
import { freePort } from './cluster.js';
import { until } from './fixture.js';

const root = join(import.meta.dirname, '..', '..');
const SECRET = 'fault-import-kill-secret';
/** One focal point for each of the first communes: rows of many organizations, as a national list has. */
const ROWS = 3_000;
/** The hub is killed once this many rows are acknowledged, while the next batches are in flight. */
const KILL_AFTER = 800;

/** The whole hub in embedded mode, as `npm start` runs it, on a data folder that outlives it. */
class Hub {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, ['scripts/hub.mjs', 'start'], {
      cwd: root,
      env: { ...process.env, HUB_PORT: String(this.port), HUB_DATA_DIR: this.dataDir, HUB_JWT_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.child = child;
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`the hub exited early:\n${this.output}`);
        return fetch(`http://127.0.0.1:${this.port}/healthz`).then(
          (response) => response.status === 200,
          () => false,
        );
      },
      // A first start seeds the national structure and the 3,321 communes, and every service
      // learns them: minutes on a loaded shared machine.
      600_000,
      'the hub healthy',
    ).catch((error: unknown) => {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; its output ends:\n${this.output.slice(-3_000)}`,
      );
    });
  }

  /** What a crash does: no signal handler runs, nothing is flushed or closed. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

type Answers = { appointContacts?: { contact: { id: string } | null }[] };

/** A client that notes every row the hub acknowledged: its idempotency key and its contact. */
class AcknowledgingClient extends GraphqlClient {
  readonly acknowledged = new Map<string, string>();

  constructor(
    url: string,
    token: string,
    private readonly onAcknowledged: (count: number) => void = () => {},
  ) {
    super(url, token);
  }

  override async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<T>> {
    const body = await super.request<T>(query, variables);
    const answers = (body.data as Answers | null | undefined)?.appointContacts;
    const inputs = variables.inputs as { idempotencyKey: string }[] | undefined;
    if (answers && inputs) {
      for (const [index, answer] of answers.entries()) {
        if (answer.contact) this.acknowledged.set(inputs[index]?.idempotencyKey as string, answer.contact.id);
      }
      this.onAcknowledged(this.acknowledged.size);
    }
    return body;
  }
}

let dataDir: string;
let hub: Hub;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hub-fault-import-'));
  hub = new Hub(await freePort(), dataDir);
});

afterAll(async () => {
  await hub?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('given a bulk import through the gateway, when the hub is SIGKILLed midway and the import is run again after a restart, then no acknowledged row is lost and none is applied twice', async () => {
  const rows = communes2025()
    .slice(0, ROWS)
    .map((commune, i) => [commune.id, `Đầu Mối Xã Số ${i}`, 'FOCAL_POINT', `0912${String(i).padStart(6, '0')}`]);
  const csv = formatCsv([['organization', 'full_name', 'roles', 'phone'], ...rows]);
  const token = await signDevToken({ sub: 'national-importer', org: 'gov-office', roles: ['ADMIN'] }, SECRET);

  await hub.start();
  let killing: Promise<void> | undefined;
  const first = new AcknowledgingClient(hub.url, token, (count) => {
    killing ??= count >= KILL_AFTER ? hub.kill() : undefined;
  });
  const interrupted = await importContacts({ text: csv, client: first, batchSize: 100, concurrency: 2 }).then(
    () => 'finished',
    (error: unknown) => (error instanceof Error ? error.constructor.name : String(error)),
  );
  await killing;
  expect(interrupted, 'the import cannot finish without the hub').toBe('HubUnavailableError');
  expect(first.acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(first.acknowledged.size).toBeLessThan(ROWS);

  await hub.start();
  const second = new AcknowledgingClient(hub.url, token);
  const report = await importContacts({ text: csv, client: second, batchSize: 100, concurrency: 2 });
  expect(report.rejected).toEqual([]);
  expect(report.imported + report.alreadyPresent).toBe(ROWS);
  // Rows committed before the kill but never answered are found again, not appointed again.
  expect(report.imported).toBeLessThanOrEqual(ROWS - first.acknowledged.size);
  for (const [key, id] of first.acknowledged) {
    const again = second.acknowledged.get(key);
    if (again !== undefined) expect(again, `row ${key}`).toBe(id);
  }
  const third = await importContacts({ text: csv, client: new GraphqlClient(hub.url, token) });
  expect(third).toMatchObject({ imported: 0, alreadyPresent: ROWS, rejected: [] });
  await hub.stop();

  const sql = await pgliteClient({ dataDir: join(dataDir, 'directory') });
  try {
    const events = await sql.query<{ appointed: number; contacts: number }>(
      `SELECT count(*)::int AS appointed, count(DISTINCT data->>'contactId')::int AS contacts
         FROM es_events WHERE type = 'ContactAppointed'`,
    );
    expect(events.rows[0]).toEqual({ appointed: ROWS, contacts: ROWS });
    const { rows: contacts } = await sql.query<{ contact_id: string }>('SELECT contact_id FROM dir_contacts');
    expect(contacts).toHaveLength(ROWS);
    const stored = new Set(contacts.map((row) => row.contact_id));
    expect([...first.acknowledged.values()].filter((id) => !stored.has(id))).toEqual([]);
    console.log(
      `import kill: ${first.acknowledged.size} of ${ROWS} rows acknowledged before the SIGKILL; the second run appointed ${report.imported} and found ${report.alreadyPresent} present`,
    );
  } finally {
    await sql.close();
  }
}, 1_800_000);
