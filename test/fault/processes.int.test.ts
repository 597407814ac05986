import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { contentProjections } from '@hub/content';
import { directoryProjections } from '@hub/directory';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, postgresEventStore } from '@hub/event-store';
import { APPLICATION_AUDIT_TABLE } from '@hub/lease';
import { type Client, type LiveSubscription, liveClient, subscribe } from '@hub/live/testing';
import { ordersProjection } from '@hub/press-orders';
import { CHECKPOINT_TABLE, type Projection, ProjectionRunner } from '@hub/projections';
import { dropDatabase, postgresClient, type SqlClient } from '@hub/sql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../infra/kafka/broker.mjs';
import { buildForTests } from '../../scripts/build.mjs';
import { contentDirectory } from '../../services/content/src/projections/directory.js';
import { liveDirectory } from '../../services/live/src/knowledge/organizations.js';
import { pressOrdersDirectory } from '../../services/press-orders/src/projections/organizations.js';
import { Balancer, freePort, ServiceProcess } from './cluster.js';
import { ADMIN_URL, throwawayDatabase, until } from './fixture.js';

const SECRET = 'fault-processes-secret';
const base = `hub_fault_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
const SERVICE_DATABASES = ['directory', 'content', 'press-orders', 'live'];
const ORGS = ['prov-lao-cai', 'prov-ha-noi'];
const NEWSROOM = 'press-vtv';
/** Rounds of the workload per gateway before the kill, and after the replacements are up. */
const ROUNDS = 4;

const token = (org: string, roles: ('ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR')[]) =>
  signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);

type Gql<T> = { data?: T; errors?: { message: string }[] };

async function gql<T>(url: string, query: string, input: unknown, bearer: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables: { input } }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as Gql<T>;
    return body.errors ? undefined : body.data;
  } catch {
    // A request to a process that died is not acknowledged; the caller may never know its fate.
    return undefined;
  }
}

/** What the gateways acknowledged: each must be in the read models at the end. */
interface Acknowledged {
  contacts: string[];
  statements: string[];
  distributions: string[];
  orders: Map<string, string>;
  failures: number;
}

async function round(url: string, i: number, label: string, acked: Acknowledged): Promise<void> {
  const org = ORGS[i % ORGS.length] as string;
  const editor = await token(org, ['ORG_EDITOR']);
  const key = () => `${label}-${i}-${randomUUID()}`;
  const count = <T>(value: T | undefined): T | undefined => {
    if (value === undefined) acked.failures++;
    return value;
  };
  const contact = count(
    await gql<{ appointContact: { id: string } }>(
      url,
      'mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }',
      {
        organizationId: org,
        fullName: `Nguyễn Văn ${label} ${i}`,
        roles: ['FOCAL_POINT'],
        phone: '0912345678',
        idempotencyKey: key(),
      },
      editor,
    ),
  );
  if (contact) acked.contacts.push(contact.appointContact.id);

  const statement = count(
    await gql<{ releaseStatement: { id: string } }>(
      url,
      'mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }',
      {
        organizationId: org,
        kind: 'PRESS_RELEASE',
        title: `Thông cáo ${label} ${i}`,
        body: 'Nội dung',
        idempotencyKey: key(),
      },
      editor,
    ),
  );
  if (statement) {
    acked.statements.push(statement.releaseStatement.id);
    const distribution = count(
      await gql<{ distribute: { id: string } }>(
        url,
        'mutation ($input: DistributeInput!) { distribute(input: $input) { id } }',
        { statementId: statement.releaseStatement.id, recipientIds: [NEWSROOM], idempotencyKey: key() },
        editor,
      ),
    );
    if (distribution) acked.distributions.push(distribution.distribute.id);
  }

  const placed = count(
    await gql<{ placePressOrder: { id: string; status: string } }>(
      url,
      'mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id status } }',
      {
        ordererId: org,
        newsroomId: NEWSROOM,
        brief: `Phóng sự ${label} ${i}`,
        format: 'ARTICLE',
        quantity: 1,
        budget: 15_000_000,
        startsAt: new Date().toISOString(),
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        idempotencyKey: key(),
      },
      editor,
    ),
  );
  if (!placed) return;
  const orderId = placed.placePressOrder.id;
  acked.orders.set(orderId, placed.placePressOrder.status);
  const newsroom = await token(NEWSROOM, ['NEWSROOM_EDITOR']);
  const steps: [string, string, Record<string, unknown>, string][] = [
    ['acceptPressOrder', 'PressOrderActionInput', { orderId }, newsroom],
    [
      'submitDeliverables',
      'SubmitDeliverablesInput',
      {
        orderId,
        deliverables: [
          {
            format: 'ARTICLE',
            title: `Bài ${i}`,
            url: `https://vtv.vn/bai-${label}-${i}`,
            publishedAt: new Date().toISOString(),
          },
        ],
      },
      newsroom,
    ],
    ['acceptDelivery', 'PressOrderActionInput', { orderId }, editor],
    ['settlePressOrder', 'SettlePressOrderInput', { orderId, amount: 15_000_000 }, editor],
  ];
  for (const [mutation, input, variables, bearer] of steps) {
    const result = count(
      await gql<Record<string, { status: string }>>(
        url,
        `mutation ($input: ${input}!) { ${mutation}(input: $input) { id status } }`,
        { ...variables, idempotencyKey: key() },
        bearer,
      ),
    );
    if (!result) return;
    acked.orders.set(orderId, result[mutation]?.status as string);
  }
}

let broker: BrokerHandle;
let logDir: string;
const processes: ServiceProcess[] = [];
const balancers: Balancer[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  await buildForTests();
  broker = await ensureBroker();
  logDir = await mkdtemp(join(tmpdir(), 'hub-fault-processes-'));
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await Promise.all(processes.map((process) => process.stop()));
  await Promise.all(balancers.map((balancer) => balancer.close()));
  for (const service of [...SERVICE_DATABASES, 'insights'])
    await dropDatabase(ADMIN_URL, `${base}_${service.replace('-', '_')}`);
  await broker?.stop();
  await rm(logDir, { recursive: true, force: true });
}, 120_000);

const databaseUrl = (service: string) => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${base}_${service.replace('-', '_')}`;
  return url.toString();
};

/** Every read model table of a database, in a stable order, to compare with a rebuild's. */
async function tables(sql: SqlClient, names: readonly string[]): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const name of names) {
    const { rows } = await sql.query(`SELECT to_jsonb(t) AS row FROM ${name} t`);
    dump[name] = rows.map((row) => JSON.stringify(row.row)).sort();
  }
  return dump;
}

const INFRASTRUCTURE = new Set([CHECKPOINT_TABLE, 'relay_checkpoints', APPLICATION_AUDIT_TABLE, 'projection_inbox']);

/** Replays the stores into a fresh database and compares every table the replay wrote with the live one. */
async function expectEqualToRebuild(service: string, runners: { store: EventStore; projections: Projection[] }[]) {
  const rebuilt = await throwawayDatabase('hub_fault_rebuilt');
  const live = postgresClient({ connectionString: databaseUrl(service), max: 2 });
  try {
    for (const { store, projections } of runners) {
      await new ProjectionRunner({ sql: rebuilt.sql, store, projections, logger: () => {} }).catchUp();
    }
    const { rows } = await rebuilt.sql.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    const names = rows.map((row) => row.name).filter((name) => !INFRASTRUCTURE.has(name));
    expect(names.length, service).toBeGreaterThan(0);
    expect(await tables(live, names), service).toEqual(await tables(rebuilt.sql, names));
  } finally {
    await live.close();
    await rebuilt.drop();
  }
}

it('given two instances of every service and two gateways as processes, when one of each is killed with SIGKILL midway through a mixed workload, then nothing acknowledged is lost, read models equal a rebuild, no event is applied twice or by two instances at once, and the surviving gateway’s subscribers miss nothing', async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HUB_JWT_SECRET: SECRET,
    HUB_PG_URL: `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${base}`,
    KAFKA_BROKERS: broker.brokers.join(','),
    HUB_TOPIC_PREFIX: `${base}.`,
    HUB_LEASE_RETRY_MS: '300',
    HUB_AUDIT_APPLICATIONS: 'true',
    HUB_LOG_LEVEL: 'warn',
  };
  const pair = async (service: string) => {
    const ports = [await freePort(), await freePort()];
    return Promise.all(
      ports.map(
        async (port, i) => new ServiceProcess(service, `${service}-${i + 1}`, port, await freePort(), env, logDir),
      ),
    );
  };
  const directory = await pair('directory');
  const content = await pair('content');
  const pressOrders = await pair('press-orders');
  const live = await pair('live');
  const insights = await pair('insights');
  const all = [...directory, ...content, ...pressOrders, ...live, ...insights];
  processes.push(...all);
  // The directory first: the others follow its store, which its first start seeds.
  for (const p of directory) p.start();
  await Promise.all(directory.map((p) => p.ready()));
  // The second instances join once the first are ready, as a rolling start brings them up. Two
  // insights instances joining one Kafka consumer group at the very same moment failed one start
  // on a loaded machine once, for a reason not yet known (the log tail is in the error now); the
  // kill and takeover this test is about are the same either way.
  for (const round of [0, 1]) {
    const instances = [content, pressOrders, live, insights].map((pair) => pair[round] as ServiceProcess);
    for (const p of instances) p.start();
    await Promise.all(instances.map((p) => p.ready()));
  }

  const balanced: Record<string, string> = {};
  for (const [name, instances] of [
    ['DIRECTORY', directory],
    ['CONTENT', content],
    ['PRESS_ORDERS', pressOrders],
    ['INSIGHTS', insights],
  ] as const) {
    const balancer = new Balancer(instances.map((p) => p.port));
    balancers.push(balancer);
    balanced[`HUB_${name}_URL`] = await balancer.listen();
  }
  // Subscriptions stay with the live instance their gateway reaches, as with session affinity.
  const gateways = await Promise.all(
    [0, 1].map(
      async (i) =>
        new ServiceProcess(
          'gateway',
          `gateway-${i + 1}`,
          await freePort(),
          await freePort(),
          { ...env, ...balanced, HUB_LIVE_URL: (live[i] as ServiceProcess).url },
          logDir,
        ),
    ),
  );
  processes.push(...gateways);
  for (const g of gateways) g.start();
  await Promise.all(gateways.map((g) => g.ready()));
  const [gatewayA, gatewayB] = gateways as [ServiceProcess, ServiceProcess];

  // Spokespersons first: a statement needs one (Decree 09/2017).
  for (const org of ORGS) {
    const appointed = await gql<{ appointContact: { id: string } }>(
      gatewayB.url,
      'mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }',
      { organizationId: org, fullName: 'Phạm Thị Người Phát Ngôn', roles: ['SPOKESPERSON'] },
      await token(org, ['ORG_EDITOR']),
    );
    expect(appointed, org).toBeDefined();
  }

  const admin = await token('org-government-office', ['ADMIN']);
  const subscriptions: LiveSubscription<{ events: { id: string } }>[] = [];
  for (const g of gateways) {
    const client = liveClient(g.url, admin);
    clients.push(client);
    subscriptions.push(subscribe<{ events: { id: string } }>(client, 'subscription { events { id } }', {}));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  const acked: Acknowledged = { contacts: [], statements: [], distributions: [], orders: new Map(), failures: 0 };
  let killedAt = Number.POSITIVE_INFINITY;
  let phase: 'before' | 'after' | 'done' = 'before';
  const rounds = { A: 0, B: 0 };
  const drive = async (label: 'A' | 'B', url: string) => {
    for (let i = 0; phase !== 'done'; i++) {
      const failuresBefore = acked.failures;
      await round(url, i, label, acked);
      rounds[label]++;
      // A gateway that is down fails at once: wait for its replacement instead of spinning.
      if (acked.failures - failuresBefore >= 3) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const workload = Promise.all([drive('A', gatewayA.url), drive('B', gatewayB.url)]);

  await until(async () => rounds.A >= ROUNDS && rounds.B >= ROUNDS, 300_000, 'the first rounds');
  const killed = [gatewayA, directory[0], content[0], pressOrders[0], live[0], insights[0]] as ServiceProcess[];
  killedAt = Date.now();
  await Promise.all(killed.map((p) => p.kill()));
  const afterKill = { ...rounds };
  // Replacements take the same ports, as a restarted pod keeps its Service.
  for (const p of killed) p.start();
  await Promise.all(killed.map((p) => p.ready()));
  phase = 'after';
  const afterReplacement = { ...rounds };
  await until(
    async () => rounds.B >= afterKill.B + ROUNDS && rounds.A >= afterReplacement.A + 2,
    300_000,
    'the last rounds',
  );
  phase = 'done';
  await workload;

  // Every acknowledged mutation is there, through either gateway.
  const check = async <T>(query: string, ids: readonly string[]) => {
    for (const id of ids) {
      const result = await gql<Record<string, T | null>>(gatewayB.url, query, id, admin);
      expect(result && Object.values(result)[0], `${query} ${id}`).toBeTruthy();
    }
  };
  expect(acked.contacts.length).toBeGreaterThanOrEqual(2 * ROUNDS);
  const byId = (field: string, selection: string) => `query ($input: ID!) { ${field}(id: $input) { ${selection} } }`;
  const listed = new Set<string>();
  for (const org of ORGS) {
    const result = await gql<{ contacts: { edges: { node: { id: string } }[] } }>(
      gatewayB.url,
      'query ($input: ID!) { contacts(organizationId: $input, first: 500) { edges { node { id } } } }',
      org,
      admin,
    );
    for (const edge of result?.contacts.edges ?? []) listed.add(edge.node.id);
  }
  expect(acked.contacts.filter((id) => !listed.has(id))).toEqual([]);
  await check(byId('statement', 'id'), acked.statements);
  await check(byId('distribution', 'id'), acked.distributions);
  for (const [orderId, status] of acked.orders) {
    const result = await gql<{ pressOrder: { status: string } | null }>(
      gatewayA.url,
      byId('pressOrder', 'status'),
      orderId,
      admin,
    );
    // A later step may have taken effect with its answer lost in the kill; never an earlier one.
    const order = ['PLACED', 'ACCEPTED', 'DELIVERED', 'DELIVERY_ACCEPTED', 'SETTLED'];
    expect(order.indexOf(result?.pressOrder?.status ?? ''), orderId).toBeGreaterThanOrEqual(order.indexOf(status));
  }

  const catalogue = hubCatalogue();
  const stores: Record<string, { sql: SqlClient; store: EventStore }> = {};
  for (const service of ['directory', 'content', 'press-orders']) {
    const sql = postgresClient({ connectionString: databaseUrl(service), max: 2 });
    stores[service] = { sql, store: await postgresEventStore({ sql, catalogue }) };
  }
  try {
    const storeOf = (service: string) => (stores[service] as { store: EventStore }).store;
    // Caught up: every projection's checkpoint is at the end of the store it follows.
    let lagging = '';
    await until(
      async () => {
        for (const service of [...SERVICE_DATABASES]) {
          const sql = postgresClient({ connectionString: databaseUrl(service), max: 1 });
          try {
            const { rows } = await sql.query<{ checkpoint: string | null; name: string }>(
              `SELECT name, checkpoint FROM ${CHECKPOINT_TABLE}`,
            );
            for (const row of rows) {
              if (row.name === 'live.statements') continue;
              const followsDirectory = ['content.directory', 'press-orders.organizations', 'live.organizations'];
              const store = followsDirectory.includes(row.name) ? storeOf('directory') : storeOf(service);
              const next = (await store.readAll(row.checkpoint, 1)).events[0];
              if (next) {
                lagging = `${service} ${row.name} at ${row.checkpoint ?? '(start)'}, next ${next.type} at ${next.position}`;
                return false;
              }
            }
          } finally {
            await sql.close();
          }
        }
        return true;
      },
      60_000,
      () => `every projection caught up (still behind: ${lagging})`,
    );

    // The subscribers of the surviving gateway got every event recorded after the kill.
    const afterTheKill: string[] = [];
    for (const service of ['directory', 'content', 'press-orders']) {
      for (let from: string | null = null; ; ) {
        const slice = await storeOf(service).readAll(from, 1_000);
        if (slice.events.length === 0) break;
        afterTheKill.push(...slice.events.filter((e) => Date.parse(e.recordedAt) > killedAt).map((e) => e.id));
        from = slice.checkpoint;
      }
    }
    expect(afterTheKill.length).toBeGreaterThan(10);
    const survivor = subscriptions[1] as LiveSubscription<{ events: { id: string } }>;
    const seen = () => new Set(survivor.received.map((result) => result.data?.events.id));
    await until(async () => afterTheKill.every((id) => seen().has(id)), 60_000, 'the survivor saw every event');
    expect(afterTheKill.filter((id) => !seen().has(id))).toEqual([]);

    // No event applied twice, and each projection applied by one instance at a time: in the order
    // of application, an instance never applies again once another has.
    for (const service of SERVICE_DATABASES) {
      const sql = postgresClient({ connectionString: databaseUrl(service), max: 1 });
      try {
        // A service whose read models are all its own applies them inline, in each append's
        // transaction: nothing is applied asynchronously there, and so nothing is audited.
        const { rows: audit } = await sql.query<{ table: string | null }>('SELECT to_regclass($1)::text AS table', [
          APPLICATION_AUDIT_TABLE,
        ]);
        if (audit[0]?.table === null) {
          expect(service).toBe('directory');
          continue;
        }
        const twice = await sql.query(
          `SELECT projection, event_id FROM ${APPLICATION_AUDIT_TABLE} GROUP BY 1, 2 HAVING count(*) > 1`,
        );
        expect(twice.rows, service).toEqual([]);
        const { rows } = await sql.query<{ projection: string; instance: string }>(
          `SELECT projection, instance FROM ${APPLICATION_AUDIT_TABLE} ORDER BY seq`,
        );
        const runs = new Map<string, string[]>();
        for (const { projection, instance } of rows) {
          const list = runs.get(projection) ?? [];
          if (list.at(-1) !== instance) list.push(instance);
          runs.set(projection, list);
        }
        for (const [projection, instances] of runs) {
          expect(new Set(instances).size, `${service} ${projection}: ${instances.join(' → ')}`).toBe(instances.length);
        }
      } finally {
        await sql.close();
      }
    }

    // Every read model equals a rebuild from the stores.
    await expectEqualToRebuild('directory', [{ store: storeOf('directory'), projections: directoryProjections }]);
    await expectEqualToRebuild('content', [
      { store: storeOf('content'), projections: contentProjections },
      { store: storeOf('directory'), projections: [contentDirectory.projection] },
    ]);
    await expectEqualToRebuild('press-orders', [
      { store: storeOf('press-orders'), projections: [ordersProjection] },
      { store: storeOf('directory'), projections: [pressOrdersDirectory.projection] },
    ]);
    await expectEqualToRebuild('live', [{ store: storeOf('directory'), projections: [liveDirectory.projection] }]);
    console.log(
      `fault test: ${acked.contacts.length} contacts, ${acked.statements.length} statements, ${acked.orders.size} press orders acknowledged; ${acked.failures} requests unacknowledged around the kill; ${afterTheKill.length} events after the kill all seen by the surviving gateway's subscriber`,
    );
  } finally {
    for (const { sql, store } of Object.values(stores)) {
      await store.close();
      await sql.close();
    }
  }
}, 900_000);
