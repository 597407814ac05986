import { createVerifier, signDevToken } from '@hub/auth';
import { startContent } from '@hub/content';
import { startDirectory } from '@hub/directory';
import { inProcessEventBus } from '@hub/event-bus';
import { hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore } from '@hub/event-store';
import { startPressOrders } from '@hub/press-orders';
import { type Context, contextTopic, type RunningRelay, startRelay } from '@hub/relay';
import { type CountingSqlClient, countingSql, pgliteClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the hub wires in embedded mode (services/gateway/src/hub.ts), on counting SQL clients:
// each service's store and read models share one database, and each store has its relay.
const SECRET = 'statements-test-secret';
const verifier = createVerifier({ mode: 'hs256', secret: SECRET });
type Role = 'ORG_EDITOR' | 'NEWSROOM_EDITOR';
const token = (org: string, roles: Role[]) => signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);
const LAO_CAI = 'prov-lao-cai';
const NEWSROOM = 'press-vtv';
/** The most a command may cost its service's database, the append and the inline read models included. */
const MAX_STATEMENTS = 8;
const READ_ALL = /^SELECT e\.tx::text AS tx, e\.global_position/;
/** What the relay writes once it has published a batch. */
const RELAY_CHECKPOINT = /^INSERT INTO relay_checkpoints/;
const followsTheCommand = (text: string) => READ_ALL.test(text) || RELAY_CHECKPOINT.test(text);

interface Service {
  readonly sql: CountingSqlClient;
  readonly store: EventStore;
  url: string;
}

type Gql = { data?: Record<string, { id: string } | null>; errors?: { message: string }[] };

async function post(url: string, query: string, input: Record<string, unknown>, bearer: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables: { input } }),
  });
  const body = (await response.json()) as Gql;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as Record<string, { id: string }>;
}

/** Longer than a projection waits to write a checkpoint that only skipped events moved. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('statements per command, embedded hub (deterministic counts, not timings)', () => {
  const services: Partial<Record<Context, Service>> = {};
  const stops: (() => Promise<void>)[] = [];
  const service = (context: Context) => services[context] as Service;

  beforeAll(async () => {
    const catalogue = hubCatalogue();
    for (const context of ['directory', 'content', 'press-orders'] as const) {
      const sql = countingSql(await pgliteClient());
      const store = await embeddedEventStore({ sql, catalogue });
      services[context] = { sql, store, url: '' };
      stops.push(async () => {
        await store.close();
        await sql.close();
      });
    }
    const directoryEvents = service('directory').store;
    const directory = await startDirectory({ ...service('directory'), verifier });
    const content = await startContent({ ...service('content'), directoryEvents, verifier });
    const pressOrders = await startPressOrders({ ...service('press-orders'), directoryEvents, verifier });
    stops.push(
      () => directory.stop(),
      () => content.stop(),
      () => pressOrders.stop(),
    );
    service('directory').url = directory.url;
    service('content').url = content.url;
    service('press-orders').url = pressOrders.url;
    const bus = inProcessEventBus();
    stops.push(() => bus.close());
    const relays: RunningRelay[] = [];
    for (const context of ['directory', 'content', 'press-orders'] as const) {
      const { sql, store } = service(context);
      relays.push(await startRelay({ name: context, store, sql, bus, topic: contextTopic(context) }));
    }
    stops.push(async () => {
      for (const relay of relays) await relay.stop();
    });
    await Promise.all(relays.map((relay) => relay.flush(120_000)));
  }, 300_000);

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  /**
   * The statements `command` sends to its service's database while it runs, and what follows
   * once it has answered (the follower's one read for the relay and the knowledge, the relay's
   * checkpoint), counted until everything is idle again.
   */
  async function measure(context: Context, command: () => Promise<unknown>) {
    await settle();
    const { sql } = service(context);
    sql.reset();
    await command();
    const answered = sql.count();
    await settle();
    const after = sql.count().log.slice(answered.log.length);
    return { answered, after };
  }

  /**
   * The command's own statements (those of the request) within the budget, in one transaction;
   * after the commit, the store's follower reads the new events once for all its consumers and
   * the relay writes its checkpoint once (these may come before or after the answer).
   */
  const expectWithinBudget = (measured: Awaited<ReturnType<typeof measure>>) => {
    const { answered, after } = measured;
    const all = [...answered.log, ...after];
    const own = answered.log.filter((text) => !followsTheCommand(text));
    expect(own.length, own.join('\n')).toBeLessThanOrEqual(MAX_STATEMENTS);
    expect(answered.transactions, 'one transaction: the append with its read models').toBe(1);
    expect(all.filter((text) => READ_ALL.test(text)).length, all.join('\n')).toBe(1);
    expect(all.filter((text) => RELAY_CHECKPOINT.test(text)).length, all.join('\n')).toBe(1);
    expect(
      after.filter((text) => !followsTheCommand(text)),
      'nothing else after the answer',
    ).toEqual([]);
    return own.length;
  };

  let spokesperson = '';
  let distributionId = '';

  it(`given an organization, when appointContact runs, then at most ${MAX_STATEMENTS} statements and one read of the log`, async () => {
    const measured = await measure('directory', async () => {
      const data = await post(
        service('directory').url,
        'mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }',
        { organizationId: LAO_CAI, fullName: 'Nguyễn Văn An', roles: ['SPOKESPERSON'], phone: '0912 345 678' },
        await token(LAO_CAI, ['ORG_EDITOR']),
      );
      spokesperson = data.appointContact?.id ?? '';
    });
    expect(spokesperson).not.toBe('');
    expectWithinBudget(measured);
  });

  it(`given a spokesperson, when releaseStatement runs, then at most ${MAX_STATEMENTS} statements and one read of the log`, async () => {
    let statementId = '';
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    const measured = await measure('content', async () => {
      const data = await post(
        service('content').url,
        'mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }',
        { organizationId: LAO_CAI, kind: 'PRESS_RELEASE', title: 'Thông cáo về mưa lũ', body: 'Nội dung' },
        editor,
      );
      statementId = data.releaseStatement?.id ?? '';
    });
    expectWithinBudget(measured);
    const distributed = await post(
      service('content').url,
      'mutation ($input: DistributeInput!) { distribute(input: $input) { id } }',
      { statementId, recipientIds: [NEWSROOM] },
      editor,
    );
    distributionId = distributed.distribute?.id ?? '';
  });

  it(`given a distribution, when acknowledgeDelivery runs, then at most ${MAX_STATEMENTS} statements and one read of the log`, async () => {
    const newsroomEditor = await token(NEWSROOM, ['NEWSROOM_EDITOR']);
    const measured = await measure('content', () =>
      post(
        service('content').url,
        'mutation ($input: AcknowledgeDeliveryInput!) { acknowledgeDelivery(input: $input) { id } }',
        { distributionId, recipientId: NEWSROOM },
        newsroomEditor,
      ),
    );
    expectWithinBudget(measured);
  });

  it(`given a ministry and a newsroom, when placePressOrder runs, then at most ${MAX_STATEMENTS} statements and one read of the log`, async () => {
    const day = 86_400_000;
    const measured = await measure('press-orders', async () =>
      post(
        service('press-orders').url,
        'mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id } }',
        {
          ordererId: 'min-finance',
          newsroomId: NEWSROOM,
          brief: 'Loạt phóng sự về chính sách giảm thuế giá trị gia tăng 2%',
          format: 'VIDEO',
          quantity: 4,
          budget: 120_000_000,
          startsAt: new Date(Date.now() - day).toISOString(),
          deadline: new Date(Date.now() + 30 * day).toISOString(),
          qualityCriteria: 'Full HD',
          acceptanceMethod: 'Hội đồng nghiệm thu',
          budgetSource: 'Ngân sách nhà nước',
          paymentMethod: 'Chuyển khoản',
        },
        await token('min-finance', ['ORG_EDITOR']),
      ),
    );
    expectWithinBudget(measured);
  });

  it('given an idle hub, when 5 s pass, then no service database is read or written', async () => {
    await settle();
    for (const context of ['directory', 'content', 'press-orders'] as const) service(context).sql.reset();

    await new Promise((resolve) => setTimeout(resolve, 5_000));

    for (const context of ['directory', 'content', 'press-orders'] as const) {
      expect(service(context).sql.count().log, context).toEqual([]);
    }
  });
});
