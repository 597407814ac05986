import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signDevToken } from '@hub/auth';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
import { saveResults } from './results.js';

/**
 * Content in the embedded hub: distributing one statement to every press agency (≈900: the
 * directory's own plus registered ones) as one command, every newsroom acknowledging, and the
 * policies list over 10,000 policies straight to the subgraph and through the gateway. Each sits
 * next to a baseline from the same run: the same HTTP round trip carrying only `{ __typename }`.
 */

const SECRET = 'content-bench-secret';
const MINISTRY = 'min-culture-sports-tourism';
const EXTRA_PRESS_AGENCIES = 860;
const DISTRIBUTIONS = 5;
const POLICIES = 10_000;
const CONCURRENCY = 16;
const QUERIES = 200;

type Result<T> = { data?: T; errors?: { message: string }[] };

function client(url: string, token?: string) {
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as Result<T>;
    if (result.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  };
}

async function timedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const percentile = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2));
};

async function pool(count: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

interface Latency {
  readonly workload: string;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const latency = (workload: string, samples: readonly number[]): Latency => ({
  workload,
  requests: samples.length,
  p50Ms: percentile(samples, 50),
  p99Ms: percentile(samples, 99),
});

async function measure(hub: RunningHub) {
  const directUrl = hub.subgraphUrls.content as string;
  const admin = await signDevToken({ sub: 'bench-admin', org: 'gov-office', roles: ['ADMIN'] }, SECRET);
  const editor = await signDevToken({ sub: 'bench-officer', org: MINISTRY, roles: ['ORG_EDITOR'] }, SECRET);
  const viaGateway = client(hub.url, editor);
  const direct = client(directUrl, editor);

  // Press agencies beyond the directory's reference data, up to the ≈880 of the real network.
  const registered: string[] = [];
  const registerAsAdmin = client(hub.url, admin);
  await pool(EXTRA_PRESS_AGENCIES, 8, async (i) => {
    const created = await registerAsAdmin<{ registerOrganization: { id: string } }>(
      `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
      { input: { name: `Tạp chí thử nghiệm số ${i + 1}`, kind: 'PRESS_AGENCY' } },
    );
    registered.push(created.registerOrganization.id);
  });
  await viaGateway(`mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`, {
    input: { organizationId: MINISTRY, fullName: 'Người phát ngôn', roles: ['SPOKESPERSON'] },
  });

  const distributeSamples: number[] = [];
  const baselineSamples: number[] = [];
  let recipients = 0;
  let distributionId = '';
  for (let i = 0; i < DISTRIBUTIONS; i++) {
    const released = await direct<{ releaseStatement: { id: string } }>(
      `mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }`,
      { input: { organizationId: MINISTRY, kind: 'PRESS_RELEASE', title: `Thông cáo số ${i + 1}`, body: 'Nội dung' } },
    );
    distributeSamples.push(
      await timedMs(async () => {
        const done = await direct<{ distribute: { id: string; recipientCount: number } }>(
          `mutation ($input: DistributeInput!) { distribute(input: $input) { id recipientCount } }`,
          { input: { statementId: released.releaseStatement.id, recipientKinds: ['PRESS_AGENCY'] } },
        );
        recipients = done.distribute.recipientCount;
        distributionId = done.distribute.id;
      }),
    );
    baselineSamples.push(await timedMs(() => direct('{ __typename }')));
  }
  process.stderr.write(`distributed ${DISTRIBUTIONS}× to ${recipients} press agencies\n`);

  // Every recipient of the last distribution acknowledges, one after another, with its own token.
  const { distribution } = await direct<{ distribution: { deliveries: { recipient: { id: string } }[] } }>(
    `query ($id: ID!) { distribution(id: $id) { deliveries { recipient { id } } } }`,
    { id: distributionId },
  );
  const acknowledgeSamples: number[] = [];
  const allAcknowledged = await timedMs(async () => {
    for (const { recipient } of distribution.deliveries) {
      const token = await signDevToken(
        { sub: `editor-${recipient.id}`, org: recipient.id, roles: ['NEWSROOM_EDITOR'] },
        SECRET,
      );
      const acknowledge = client(directUrl, token);
      acknowledgeSamples.push(
        await timedMs(() =>
          acknowledge(`mutation ($input: AcknowledgeDeliveryInput!) { acknowledgeDelivery(input: $input) { id } }`, {
            input: { distributionId, recipientId: recipient.id },
          }),
        ),
      );
    }
  });
  process.stderr.write(
    `${distribution.deliveries.length} acknowledgements in ${(allAcknowledged / 1000).toFixed(1)} s\n`,
  );
  const counted = await direct<{ distribution: { acknowledgedCount: number; recipientCount: number } }>(
    `query ($id: ID!) { distribution(id: $id) { acknowledgedCount recipientCount } }`,
    { id: distributionId },
  );
  if (counted.distribution.acknowledgedCount !== counted.distribution.recipientCount) {
    throw new Error(`acknowledged ${counted.distribution.acknowledgedCount} of ${counted.distribution.recipientCount}`);
  }

  // 10,000 policies, drafted straight to the subgraph.
  const draftStarted = performance.now();
  await pool(POLICIES, CONCURRENCY, async (i) => {
    await direct(`mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }`, {
      input: { title: `Dự thảo chính sách số ${i + 1} về truyền thông cơ sở`, leadOrganizationId: MINISTRY },
    });
    if ((i + 1) % 2_000 === 0) process.stderr.write(`${i + 1} policies drafted\n`);
  });
  const draftSeconds = (performance.now() - draftStarted) / 1000;
  process.stderr.write(`drafted ${POLICIES} policies in ${draftSeconds.toFixed(1)} s\n`);

  const LIST_DIRECT = `{ policies(first: 50) { totalCount edges { node { id title status documentNumber leadOrganization { id } } } } }`;
  const LIST_GATEWAY = `{ policies(first: 50) { totalCount edges { node { id title status documentNumber leadOrganization { id name kind } } } } }`;
  const SEARCH = `{ policies(search: "chinh sach so 9999", first: 50) { totalCount edges { node { id title } } } }`;
  const workloads: [string, () => Promise<unknown>][] = [
    ['policies first page direct', () => direct(LIST_DIRECT)],
    ['policies first page via gateway (organization from the directory)', () => viaGateway(LIST_GATEWAY)],
    ['policies search direct', () => direct(SEARCH)],
    ['policies search via gateway', () => viaGateway(SEARCH)],
    ['baseline { __typename } direct', () => direct('{ __typename }')],
    ['baseline { __typename } via gateway', () => viaGateway('{ __typename }')],
  ];
  const samples = workloads.map(() => [] as number[]);
  // Interleaved, so load drift on a shared machine hits every workload alike.
  for (let i = 0; i < QUERIES; i++) {
    for (const [w, [, run]] of workloads.entries()) samples[w]?.push(await timedMs(run));
  }
  const listed = await direct<{ policies: { totalCount: number } }>(LIST_DIRECT);

  return {
    pressAgencies: recipients,
    policies: listed.policies.totalCount,
    draftsPerSecond: Math.round(POLICIES / draftSeconds),
    allAcknowledgedSeconds: Number((allAcknowledged / 1000).toFixed(2)),
    latencies: [
      latency(`distribute to all ${recipients} press agencies (one command)`, distributeSamples),
      latency('baseline { __typename } direct (beside distribute)', baselineSamples),
      latency('acknowledgeDelivery (one newsroom)', acknowledgeSamples),
      ...workloads.map(([name], w) => latency(name, samples[w] ?? [])),
    ],
  };
}

type Report = Awaited<ReturnType<typeof measure>> & {
  date: string;
  cores: number;
  cpu: string;
  node: string;
  platform: string;
};

function markdown(report: Report): string {
  return [
    `# Content benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}, ${report.platform}. The embedded hub (PGlite, every service and the gateway in one process); every mutation waits for its read model (read-your-writes). One statement is distributed to all ${report.pressAgencies} active press agencies by kind (one command, one event), ${DISTRIBUTIONS} times; then every recipient of the last one acknowledges, one after another: all ${report.pressAgencies} in ${report.allAcknowledgedSeconds} s. ${report.policies} policies were drafted at ${report.draftsPerSecond}/s (concurrency ${CONCURRENCY}); list queries ask for 50 per page, ${QUERIES} times each, interleaved. The baseline is the same HTTP round trip carrying only \`{ __typename }\`.`,
    '',
    '| workload | requests | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...report.latencies.map((l) => `| ${l.workload} | ${l.requests} | ${l.p50Ms} | ${l.p99Ms} |`),
    '',
  ].join('\n');
}

export async function runContentBench(): Promise<void> {
  const previousSecret = process.env.HUB_JWT_SECRET;
  process.env.HUB_JWT_SECRET = SECRET;
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-content-'));
  let hub: RunningHub | undefined;
  try {
    hub = await startHub(
      configFromEnv({ HUB_MODE: 'embedded', HUB_PORT: '0', HUB_HOST: '127.0.0.1', HUB_DATA_DIR: dataDir }),
    );
    const measured = await measure(hub);
    const cpus = os.cpus();
    const report: Report = {
      date: new Date().toISOString().slice(0, 10),
      cores: cpus.length,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      ...measured,
    };
    console.log(
      `${report.pressAgencies} press agencies, all acknowledged in ${report.allAcknowledgedSeconds} s; ${report.policies} policies drafted at ${report.draftsPerSecond}/s`,
    );
    console.table(report.latencies);
    await saveResults('content', report, markdown(report));
  } finally {
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runContentBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
