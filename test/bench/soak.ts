import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
import { saveResults } from './results.js';

/**
 * The embedded hub under a long mixed workload: HUB_SOAK_COMMANDS commands (default 100,000)
 * straight to the subgraphs, in rounds of four (appoint a contact, place a press order, accept it,
 * draft a policy), sampling the process's RSS as it goes. Memory is bounded when every sample after
 * the warm-up (the first fifth of the commands) stays within ±15 % of the first one after it.
 * The baseline beside it is the RSS of the same hub started and idle, before the first command.
 */

const SECRET = 'soak-bench-secret';
const COMMANDS = Number(process.env.HUB_SOAK_COMMANDS ?? 100_000);
const CONCURRENCY = 8;
const SAMPLES = 40;
const WARMUP_SHARE = 0.2;
const TOLERANCE = 0.15;

const ORGANIZATION = 'prov-lao-cai';
const ORDERER = 'min-finance';
const NEWSROOM = 'press-vtv';
const MINISTRY = 'min-culture-sports-tourism';

const APPOINT = `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`;
const PLACE = `mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id } }`;
const ACCEPT = `mutation ($input: PressOrderActionInput!) { acceptPressOrder(input: $input) { id } }`;
const DRAFT = `mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }`;

type Client = <T>(query: string, input: Record<string, unknown>) => Promise<T>;

function client(url: string | undefined, token: string): Client {
  if (!url) throw new Error('the hub runs no such subgraph');
  return async <T>(query: string, input: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { input: { ...input, idempotencyKey: randomUUID() } } }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as T;
  };
}

interface Sample {
  readonly commands: number;
  readonly seconds: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

function sample(commands: number, started: number): Sample {
  const memory = process.memoryUsage();
  return {
    commands,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
  };
}

async function soak(hub: RunningHub) {
  const sign = (sub: string, org: string, role: 'ORG_EDITOR' | 'NEWSROOM_EDITOR') =>
    signDevToken({ sub, org, roles: [role] }, SECRET);
  const directory = client(hub.subgraphUrls.directory, await sign('soak-officer', ORGANIZATION, 'ORG_EDITOR'));
  const orderer = client(hub.subgraphUrls['press-orders'], await sign('soak-orderer', ORDERER, 'ORG_EDITOR'));
  const newsroom = client(hub.subgraphUrls['press-orders'], await sign('soak-editor', NEWSROOM, 'NEWSROOM_EDITOR'));
  const content = client(hub.subgraphUrls.content, await sign('soak-drafter', MINISTRY, 'ORG_EDITOR'));

  let sent = 0;
  let failed = 0;
  let firstError: string | null = null;
  const attempt = async (command: () => Promise<unknown>): Promise<void> => {
    sent++;
    try {
      await command();
    } catch (error) {
      failed++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  };
  // Four commands a round: appointContact, placePressOrder, acceptPressOrder, draftPolicy.
  const round = async (n: number): Promise<void> => {
    await attempt(() =>
      directory(APPOINT, {
        organizationId: ORGANIZATION,
        fullName: `Cán bộ trực số ${n}`,
        roles: ['DUTY_OFFICER'],
        phone: '0912345678',
      }),
    );
    let orderId: string | undefined;
    await attempt(async () => {
      const placed = await orderer<{ placePressOrder: { id: string } }>(PLACE, {
        ordererId: ORDERER,
        newsroomId: NEWSROOM,
        brief: `Phóng sự số ${n} về chính sách thuế giá trị gia tăng`,
        format: 'ARTICLE',
        quantity: 1,
        budget: 10_000_000,
        startsAt: '2026-01-01T00:00:00+07:00',
        deadline: '2027-01-01T00:00:00+07:00',
      });
      orderId = placed.placePressOrder.id;
    });
    await attempt(() => {
      if (orderId === undefined) throw new Error('no order to accept');
      return newsroom(ACCEPT, { orderId });
    });
    await attempt(() =>
      content(DRAFT, { title: `Dự thảo chính sách số ${n} về truyền thông cơ sở`, leadOrganizationId: MINISTRY }),
    );
  };

  const rounds = Math.ceil(COMMANDS / 4);
  const every = Math.max(1, Math.floor(rounds / SAMPLES));
  const started = performance.now();
  const samples: Sample[] = [sample(0, started)];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < rounds) {
        const n = next++;
        await round(n);
        if ((n + 1) % every === 0) samples.push(sample(sent, started));
      }
    }),
  );
  samples.push(sample(sent, started));
  return { samples, sent, failed, firstError, seconds: (performance.now() - started) / 1000 };
}

function verdict(samples: readonly Sample[], commands: number) {
  const after = samples.filter((s) => s.commands >= commands * WARMUP_SHARE);
  const reference = after[0]?.rssMb ?? Number.NaN;
  const lowest = Math.min(...after.map((s) => s.rssMb));
  const highest = Math.max(...after.map((s) => s.rssMb));
  const within = lowest >= reference * (1 - TOLERANCE) && highest <= reference * (1 + TOLERANCE);
  return { referenceMb: reference, lowestMb: lowest, highestMb: highest, within };
}

export async function runSoakBench(): Promise<void> {
  if (!Number.isSafeInteger(COMMANDS) || COMMANDS < 4) {
    throw new RangeError(`HUB_SOAK_COMMANDS must be a whole number ≥ 4, got ${process.env.HUB_SOAK_COMMANDS}`);
  }
  const previousSecret = process.env.HUB_JWT_SECRET;
  process.env.HUB_JWT_SECRET = SECRET;
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-soak-'));
  let hub: RunningHub | undefined;
  try {
    hub = await startHub(
      configFromEnv({ HUB_MODE: 'embedded', HUB_PORT: '0', HUB_HOST: '127.0.0.1', HUB_DATA_DIR: dataDir }),
    );
    const idleRssMb = mb(process.memoryUsage().rss);
    const run = await soak(hub);
    const cpus = os.cpus();
    const report = {
      date: new Date().toISOString().slice(0, 10),
      cores: os.availableParallelism(),
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      commands: run.sent,
      failed: run.failed,
      firstError: run.firstError,
      seconds: Math.round(run.seconds),
      commandsPerSecond: Math.round(run.sent / run.seconds),
      idleRssMb,
      ...verdict(run.samples, run.sent),
      samples: run.samples,
    };
    console.log(`nproc ${report.cores}; ${report.commands} commands in ${report.seconds} s (${report.failed} failed)`);
    console.table(report.samples);
    console.log(
      `RSS after warm-up: ${report.lowestMb}–${report.highestMb} MB against ${report.referenceMb} MB (±${TOLERANCE * 100} %): ${report.within ? 'bounded' : 'NOT bounded'}; idle hub (baseline) ${idleRssMb} MB`,
    );
    await saveResults('soak', report, markdown(report));
  } finally {
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
  }
}

function markdown(report: {
  date: string;
  cores: number;
  cpu: string;
  node: string;
  platform: string;
  commands: number;
  failed: number;
  firstError: string | null;
  seconds: number;
  commandsPerSecond: number;
  idleRssMb: number;
  referenceMb: number;
  lowestMb: number;
  highestMb: number;
  within: boolean;
  samples: readonly Sample[];
}): string {
  return [
    `# Soak benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}, ${report.platform}. The embedded hub (PGlite, every service and the gateway in one process) takes ${report.commands} commands straight to the subgraphs at concurrency ${CONCURRENCY}, in rounds of appointContact, placePressOrder, acceptPressOrder and draftPolicy: ${report.seconds} s, ${report.commandsPerSecond} commands/s, ${report.failed} failed${report.firstError ? ` (first: ${report.firstError})` : ''}.`,
    '',
    '| figure | RSS MB |',
    '|---|---:|',
    `| baseline: the idle hub before the first command | ${report.idleRssMb} |`,
    `| first sample after the warm-up (${WARMUP_SHARE * 100} % of the commands) | ${report.referenceMb} |`,
    `| lowest after the warm-up | ${report.lowestMb} |`,
    `| highest after the warm-up | ${report.highestMb} |`,
    '',
    `Verdict: ${report.within ? 'within' : 'NOT within'} ±${TOLERANCE * 100} % of the first sample after the warm-up.`,
    '',
    '| commands | seconds | RSS MB | heap used MB |',
    '|---:|---:|---:|---:|',
    ...report.samples.map((s) => `| ${s.commands} | ${s.seconds} | ${s.rssMb} | ${s.heapUsedMb} |`),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runSoakBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
