import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createVerifier, signDevToken } from '@hub/auth';
import { startDirectory } from '@hub/directory';
import { kafkaEventBus } from '@hub/event-bus';
import { type EventEnvelope, hubCatalogue, type NewEvent } from '@hub/event-catalogue';
import { type EventStore, postgresEventStore } from '@hub/event-store';
import { startGateway } from '@hub/gateway';
import { readCheckedInSupergraph } from '@hub/gateway/compose';
import { readEverything, rebuildInsights, startInsights } from '@hub/insights';
import { liveClient, subscribe } from '@hub/live/testing';
import { centralOrganizationsBeforeMarch2025, provinces2008To2025 } from '@hub/reference-data';
import { dropDatabase, ensureDatabase, postgresClient, type SqlClient } from '@hub/sql';
import { ensureBroker } from '../../infra/kafka/broker.mjs';

/**
 * Insights at scale on PostgreSQL: N generated events (default 1,000,000; INSIGHTS_BENCH_EVENTS or
 * `--events=N` for a smaller run) over every ministry and province for two years, appended to the
 * content and press-orders stores beside the seeded directory. Measured: the rebuild rate
 * (`rebuildInsights`, events/s) against the stores' raw read rate in the same run; `scoreboard` for a
 * quarter through the gateway against the same query straight to the subgraph; event (published on
 * Kafka) → `scoreChanged` through the gateway against event → read model applied; RSS.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'insights-bench-secret';
const QUERIES = 200;
const CHANGES = 30;
const CHUNK = 1_000;
const FROM = Date.parse('2024-12-01T00:00:00+07:00');

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const round = (value: number): number => Math.round(value * 10) / 10;
const mb = (bytes: number): number => Math.round(bytes / 1_048_576);

function sizeFromArgs(): number {
  const arg = process.argv.find((value) => value.startsWith('--events='));
  const size = Number(arg?.slice('--events='.length) ?? process.env.INSIGHTS_BENCH_EVENTS ?? 1_000_000);
  if (!Number.isSafeInteger(size) || size < 1_000) throw new Error('the benchmark needs at least 1,000 events');
  return size;
}

/** A small deterministic generator, so two runs of one size see the same events. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Events of every kind insights counts, spread over two years and every ministry and province. */
function* generate(total: number, now: number): Generator<{ context: 'content' | 'press-orders'; event: NewEvent }> {
  const next = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const organizations = [
    ...provinces2008To2025.map((province) => province.id),
    ...centralOrganizationsBeforeMarch2025.filter((body) => body.kind !== 'GOVERNMENT_OFFICE').map((body) => body.id),
  ];
  const span = now - FROM;
  const policies: { id: string; organizationId: string }[] = [];
  const feedback: { id: string; policyId: string; organizationId: string }[] = [];
  const distributions: { id: string; organizationId: string; recipients: string[] }[] = [];
  const orders: { id: string; organizationId: string }[] = [];
  for (let n = 0; n < total; n++) {
    const at = new Date(FROM + (span * n) / total).toISOString();
    const organizationId = pick(organizations);
    const roll = next();
    const content = (type: string, data: Record<string, unknown>) =>
      ({ context: 'content', event: { id: randomUUID(), type, data, occurredAt: at, organizationId } }) as const;
    const pressOrder = (type: string, data: Record<string, unknown>) =>
      ({ context: 'press-orders', event: { id: randomUUID(), type, data, occurredAt: at, organizationId } }) as const;
    if (roll < 0.25 || policies.length === 0) {
      const named = policies.length > 0 && next() < 0.3 ? [pick(policies).id] : [];
      yield content('StatementReleased', {
        statementId: randomUUID(),
        organizationId,
        kind: next() < 0.1 ? 'PRESS_CONFERENCE' : 'PRESS_RELEASE',
        title: 'Thông cáo báo chí về chính sách',
        body: 'Nội dung thông cáo.',
        spokespersonId: randomUUID(),
        policyIds: named,
        releasedAt: at,
        embargoUntil: null,
      });
      if (policies.length === 0) policies.push({ id: randomUUID(), organizationId });
    } else if (roll < 0.28) {
      const policy = { id: randomUUID(), organizationId };
      policies.push(policy);
      if (policies.length > 5_000) policies.shift();
      yield content('ConsultationOpened', { policyId: policy.id, organizationId, opensAt: at, closesAt: at });
    } else if (roll < 0.31) {
      const policy = pick(policies);
      yield content('PolicyIssued', {
        policyId: policy.id,
        organizationId: policy.organizationId,
        documentNumber: '1/NĐ-CP',
        issuedAt: at,
        effectiveAt: at,
      });
    } else if (roll < 0.46) {
      const policy = pick(policies);
      const item = { id: randomUUID(), policyId: policy.id, organizationId: policy.organizationId };
      feedback.push(item);
      if (feedback.length > 20_000) feedback.shift();
      yield content('FeedbackSubmitted', {
        policyId: item.policyId,
        organizationId: item.organizationId,
        feedbackId: item.id,
        text: 'Góp ý',
        submittedAt: at,
        submitterOrganizationId: null,
      });
    } else if (roll < 0.57 && feedback.length > 0) {
      const item = pick(feedback);
      const about = { policyId: item.policyId, organizationId: item.organizationId, feedbackId: item.id };
      yield next() < 0.9
        ? content('FeedbackAnswered', { ...about, answer: 'Trả lời', answeredAt: at })
        : content('FeedbackHidden', { ...about, reason: 'Lộ thông tin cá nhân', hiddenAt: at });
    } else if (roll < 0.61) {
      const distribution = {
        id: randomUUID(),
        organizationId,
        recipients: Array.from({ length: 10 }, () => pick(organizations)),
      };
      distribution.recipients = [...new Set(distribution.recipients)];
      distributions.push(distribution);
      if (distributions.length > 5_000) distributions.shift();
      yield content('DistributionStarted', {
        distributionId: distribution.id,
        organizationId,
        statementId: null,
        policyId: null,
        recipientIds: distribution.recipients,
        recipientKinds: [],
        deliveredAt: at,
      });
    } else if (roll < 0.86 && distributions.length > 0) {
      const distribution = pick(distributions);
      yield content('DeliveryAcknowledged', {
        distributionId: distribution.id,
        organizationId: distribution.organizationId,
        recipientId: pick(distribution.recipients),
        statementId: null,
        policyId: null,
        acknowledgedAt: at,
      });
    } else if (roll < 0.93) {
      const order = { id: randomUUID(), organizationId };
      orders.push(order);
      if (orders.length > 5_000) orders.shift();
      const deadline = new Date(Date.parse(at) + (next() < 0.8 ? 3_600_000 : -3_600_000)).toISOString();
      yield pressOrder('DeliveryAccepted', {
        orderId: order.id,
        organizationId,
        ordererId: organizationId,
        newsroomId: 'press-vtv',
        acceptedAt: at,
        deliveredAt: at,
        deadline,
        onTime: deadline >= at,
        budget: 50_000_000,
      });
    } else if (orders.length > 0) {
      const order = pick(orders);
      yield pressOrder('PressOrderSettled', {
        orderId: order.id,
        organizationId: order.organizationId,
        ordererId: order.organizationId,
        newsroomId: 'press-vtv',
        amount: 45_000_000,
        budget: 50_000_000,
        settledAt: at,
      });
    } else {
      yield content('PlanAdopted', {
        planId: randomUUID(),
        organizationId,
        title: 'Kế hoạch truyền thông năm',
        policyId: null,
        year: new Date(at).getUTCFullYear(),
        goals: [],
        audiences: [],
        channels: ['PRESS'],
        regions: [],
        milestones: [],
        budget: 0,
        adoptedAt: at,
      });
    }
  }
}

async function fill(stores: Record<'content' | 'press-orders', EventStore>, total: number, now: number): Promise<void> {
  const pending: Record<'content' | 'press-orders', NewEvent[]> = { content: [], 'press-orders': [] };
  let chunks = 0;
  const flush = async (context: 'content' | 'press-orders') => {
    if (pending[context].length === 0) return;
    await stores[context].append(`bench-${context}-${chunks++}`, pending[context]);
    pending[context] = [];
  };
  let written = 0;
  for (const { context, event } of generate(total, now)) {
    pending[context].push(event);
    if (pending[context].length >= CHUNK) await flush(context);
    if (++written % 100_000 === 0) console.log(`  generated ${written} events`);
  }
  await flush('content');
  await flush('press-orders');
}

async function readRate(stores: readonly EventStore[]): Promise<number> {
  const started = performance.now();
  let events = 0;
  for (const store of stores) events += await readEverything(store, await store.count(), 5_000, async () => {});
  return events / ((performance.now() - started) / 1000);
}

async function timed(url: string, query: string, variables: Record<string, unknown>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return performance.now() - started;
}

export async function runInsightsBench(): Promise<void> {
  const total = sizeFromArgs();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const prefix = `hub_bench_insights_${randomUUID().slice(0, 8)}`;
  const names = ['directory', 'content', 'press_orders', 'insights'];
  const clients: SqlClient[] = [];
  const open = async (name: string) => {
    await ensureDatabase(ADMIN_URL, `${prefix}_${name}`);
    const client = postgresClient({ connectionString: `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${prefix}_${name}` });
    clients.push(client);
    return client;
  };
  const catalogue = hubCatalogue();
  const verifier = createVerifier({ mode: 'hs256', secret: SECRET });
  const stores: EventStore[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  try {
    const directorySql = await open('directory');
    const directoryStore = await postgresEventStore({ sql: directorySql, catalogue });
    stores.push(directoryStore);
    const directory = await startDirectory({ sql: directorySql, store: directoryStore, verifier });
    await directory.stop();
    const content = await postgresEventStore({ sql: await open('content'), catalogue });
    const pressOrders = await postgresEventStore({ sql: await open('press_orders'), catalogue });
    stores.push(content, pressOrders);
    console.log(
      `generating ${total} events over ${provinces2008To2025.length} provinces and the ministries, two years`,
    );
    await fill({ content, 'press-orders': pressOrders }, total, Date.now());

    const readPerSecond = await readRate(stores);
    const insightsSql = await open('insights');
    peakRss = process.memoryUsage().rss;
    const report = await rebuildInsights({
      sql: insightsSql,
      stores: [
        { name: 'directory', store: directoryStore },
        { name: 'content', store: content },
        { name: 'press-orders', store: pressOrders },
      ],
      progress: process.stderr,
    });
    if (report.events !== total + ((await directoryStore.count()) ?? 0))
      throw new Error(`the rebuild read ${report.events} events`);
    const rebuildPerSecond = report.events / (report.durationMs / 1000);
    const rebuildRss = peakRss;
    console.log(
      `rebuild: ${report.events} events in ${(report.durationMs / 1000).toFixed(1)} s, ${Math.round(rebuildPerSecond)} ev/s (raw read ${Math.round(readPerSecond)} ev/s)`,
    );

    const broker = await ensureBroker();
    const bus = kafkaEventBus({ brokers: broker.brokers, clientId: 'insights-bench' });
    const topic = `bench.insights.${randomUUID().slice(0, 8)}`;
    const insights = await startInsights({ sql: insightsSql, bus, verifier, topics: [topic] });
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      supergraph: await readCheckedInSupergraph(),
      subgraphUrls: { insights: insights.url },
      subscriptionSubgraphs: ['insights'],
    });
    try {
      const query = `query ($period: String!) { scoreboard(period: $period, first: 100) { totalCount edges { node { organization { id } score rank values { indicator { code } value numerator denominator } } } } }`;
      const viaGateway: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        viaGateway.push(await timed(gateway.url, query, { period: '2025-Q3' }));
        direct.push(await timed(insights.url, query, { period: '2025-Q3' }));
      }

      const vietnamNow = new Date(Date.now() + 7 * 3_600_000);
      const quarter = `${vietnamNow.getUTCFullYear()}-Q${Math.floor(vietnamNow.getUTCMonth() / 3) + 1}`;
      const client = liveClient(
        gateway.url,
        await signDevToken({ sub: 'bench', org: 'agency-government-office', roles: ['VIEWER'] }, SECRET),
      );
      const changes = subscribe<{ scoreChanged: { organization: { id: string } } }>(
        client,
        'subscription ($period: String!) { scoreChanged(period: $period) { organization { id } score } }',
        { period: quarter },
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const toScore: number[] = [];
      const toApplied: number[] = [];
      const ministries = ['min-finance', 'min-health', 'min-justice', 'min-education-training'];
      for (let i = 0; i < CHANGES; i++) {
        const organizationId = ministries[i % ministries.length] as string;
        const event: EventEnvelope = {
          id: randomUUID(),
          type: 'FeedbackSubmitted',
          schemaVersion: 1,
          stream: `bench-live-${i}`,
          revision: 0,
          position: String(i),
          occurredAt: new Date().toISOString(),
          recordedAt: new Date().toISOString(),
          actor: null,
          organizationId,
          correlationId: randomUUID(),
          causationId: null,
          data: {
            policyId: 'bench',
            organizationId,
            feedbackId: randomUUID(),
            text: 'Góp ý',
            submittedAt: new Date().toISOString(),
            submitterOrganizationId: null,
          },
        };
        const before = changes.received.length;
        const started = performance.now();
        const applied = insights.projections
          .waitFor(event, { timeoutMs: 10_000 })
          .then(() => performance.now() - started);
        await bus.publish(topic, [event]);
        toApplied.push(await applied);
        for (let n = before + 1; ; n++) {
          const received = await changes.nth(n, 10_000);
          if (received.data?.scoreChanged.organization.id === organizationId) break;
        }
        toScore.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      changes.close();
      await client.dispose();

      const cpus = os.cpus();
      const result = {
        date: new Date().toISOString().slice(0, 10),
        cores: cpus.length,
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        node: process.version,
        loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
        events: report.events,
        rebuild: {
          eventsPerSecond: Math.round(rebuildPerSecond),
          seconds: round(report.durationMs / 1000),
          baselineReadPerSecond: Math.round(readPerSecond),
        },
        scoreboardQuarter: {
          requests: QUERIES,
          gatewayP50Ms: round(percentile(viaGateway, 50)),
          gatewayP99Ms: round(percentile(viaGateway, 99)),
          directP50Ms: round(percentile(direct, 50)),
          directP99Ms: round(percentile(direct, 99)),
        },
        scoreChanged: {
          events: CHANGES,
          p50Ms: round(percentile(toScore, 50)),
          p99Ms: round(percentile(toScore, 99)),
          appliedP50Ms: round(percentile(toApplied, 50)),
          appliedP99Ms: round(percentile(toApplied, 99)),
        },
        rssMb: { peakDuringRebuild: mb(rebuildRss), atEnd: mb(process.memoryUsage().rss) },
      };
      console.log(JSON.stringify(result, null, 2));
      const folder = join(ROOT, 'bench-results');
      await mkdir(folder, { recursive: true });
      const base = join(folder, `${result.date}-${result.cores}cores-insights`);
      await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
      await writeFile(
        `${base}.md`,
        [
          `# Insights benchmark, ${result.date}`,
          '',
          `${result.cores} cores (${result.cpu}), Node ${result.node}; 1-minute load average ${result.loadAverage.atStart.toFixed(1)} at the start, ${result.loadAverage.atEnd.toFixed(1)} at the end (the machine is shared). ${result.events.toLocaleString('en')} events (seeded directory + generated content and press-order events over two years), PostgreSQL, Kafka.`,
          '',
          '| measure | value | baseline in the same run |',
          '|---|---:|---|',
          `| rebuild (\`rebuildInsights\`) | ${result.rebuild.eventsPerSecond} events/s (${result.rebuild.seconds} s) | reading the stores alone: ${result.rebuild.baselineReadPerSecond} events/s |`,
          `| scoreboard 2025-Q3 through the gateway, p50 / p99 | ${result.scoreboardQuarter.gatewayP50Ms} / ${result.scoreboardQuarter.gatewayP99Ms} ms | straight to the subgraph: ${result.scoreboardQuarter.directP50Ms} / ${result.scoreboardQuarter.directP99Ms} ms |`,
          `| event on Kafka → scoreChanged through the gateway, p50 / p99 | ${result.scoreChanged.p50Ms} / ${result.scoreChanged.p99Ms} ms | event → read model applied: ${result.scoreChanged.appliedP50Ms} / ${result.scoreChanged.appliedP99Ms} ms |`,
          `| RSS | peak ${result.rssMb.peakDuringRebuild} MB during the rebuild, ${result.rssMb.atEnd} MB at the end | |`,
          '',
        ].join('\n'),
      );
      console.log(`saved ${base}.json and .md`);
    } finally {
      await gateway.stop();
      await insights.stop();
      await bus.close();
      await broker.stop();
    }
  } finally {
    clearInterval(sampler);
    for (const store of stores) await store.close();
    for (const client of clients) await client.close();
    for (const name of names) await dropDatabase(ADMIN_URL, `${prefix}_${name}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runInsightsBench();
}
