import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { configFromEnv, type RunningHub, startHub } from '@hub/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'press-orders-e2e-secret';
const MINISTRY = 'min-culture-sports-tourism';
const NEWSROOM = 'press-vov';

type Result<T> = { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

const ORDER = `id status overdue budget settledAmount
  orderer { id name kind } newsroom { id name kind } policy { id }
  deliverables { title url }
  timeline { type organization { id name } }`;

describe('press orders through the gateway', () => {
  let hub: RunningHub;
  let dataDir: string;
  let ministry: string;
  let newsroom: string;
  const previousSecret = process.env.HUB_JWT_SECRET;

  beforeAll(async () => {
    process.env.HUB_JWT_SECRET = SECRET;
    dataDir = await mkdtemp(join(tmpdir(), 'hub-press-orders-e2e-'));
    hub = await startHub(
      configFromEnv({ HUB_MODE: 'embedded', HUB_PORT: '0', HUB_HOST: '127.0.0.1', HUB_DATA_DIR: dataDir }),
    );
    ministry = await signDevToken({ sub: 'officer-bvhttdl', org: MINISTRY, roles: ['ORG_EDITOR'] }, SECRET);
    newsroom = await signDevToken({ sub: 'editor-vov', org: NEWSROOM, roles: ['NEWSROOM_EDITOR'] }, SECRET);
  });
  afterAll(async () => {
    await hub?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
  });

  const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<Result<T>> => {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Result<T>;
  };
  const mutate = async (name: string, inputType: string, input: Record<string, unknown>, token: string) => {
    const result = await gql<Record<string, Record<string, unknown>>>(
      `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${ORDER} } }`,
      { input },
      token,
    );
    expect(result.errors).toBeUndefined();
    return result.data?.[name] as Record<string, unknown>;
  };

  it('runs the whole lifecycle with the ministry’s and the newsroom’s tokens, resolving organizations from the directory and the policy from content', async () => {
    const drafted = await gql<{ draftPolicy: { id: string } }>(
      'mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }',
      { input: { title: 'Chiến lược phát triển văn hóa Việt Nam đến năm 2030', leadOrganizationId: MINISTRY } },
      ministry,
    );
    expect(drafted.errors).toBeUndefined();
    const policyId = drafted.data?.draftPolicy.id as string;
    const placed = await mutate(
      'placePressOrder',
      'PlacePressOrderInput',
      {
        ordererId: MINISTRY,
        newsroomId: NEWSROOM,
        policyId,
        brief: 'Chuỗi chương trình phát thanh về Chiến lược phát triển văn hóa đến năm 2030',
        format: 'RADIO',
        quantity: 10,
        budget: 250_000_000,
        startsAt: new Date(Date.now() - 86_400_000).toISOString(),
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        idempotencyKey: 'culture-2030-radio',
      },
      ministry,
    );
    expect(placed).toMatchObject({
      status: 'PLACED',
      orderer: { id: MINISTRY, kind: 'MINISTRY' },
      newsroom: { id: NEWSROOM, kind: 'PRESS_AGENCY' },
      policy: { id: policyId },
    });
    expect((placed.orderer as { name: string }).name).toMatch(/^Bộ Văn hóa/);
    const orderId = placed.id as string;

    const inbox = await gql<{ assignments: { totalCount: number; edges: { node: { id: string } }[] } }>(
      'query ($n: ID!) { assignments(newsroomId: $n, status: PLACED) { totalCount edges { node { id } } } }',
      { n: NEWSROOM },
      newsroom,
    );
    expect(inbox.data?.assignments.edges.map((e) => e.node.id)).toEqual([orderId]);
    const notTheirs = await gql(
      'query ($n: ID!) { assignments(newsroomId: $n) { totalCount } }',
      { n: NEWSROOM },
      ministry,
    );
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const wrongSide = await gql(
      'mutation ($input: PressOrderActionInput!) { acceptPressOrder(input: $input) { id } }',
      { input: { orderId } },
      ministry,
    );
    expect(wrongSide.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await mutate('acceptPressOrder', 'PressOrderActionInput', { orderId }, newsroom);
    const deliverable = {
      format: 'RADIO',
      title: 'Văn hóa soi đường cho quốc dân đi — kỳ 1',
      url: 'https://vov.vn/van-hoa/ky-1.vov',
      publishedAt: new Date().toISOString(),
    };
    await mutate('submitDeliverables', 'SubmitDeliverablesInput', { orderId, deliverables: [deliverable] }, newsroom);
    await mutate('rejectDelivery', 'PressOrderActionInput', { orderId, reason: 'Thiếu kỳ 2' }, ministry);
    await mutate(
      'submitDeliverables',
      'SubmitDeliverablesInput',
      {
        orderId,
        deliverables: [deliverable, { ...deliverable, title: 'kỳ 2', url: 'https://vov.vn/van-hoa/ky-2.vov' }],
      },
      newsroom,
    );
    await mutate('acceptDelivery', 'PressOrderActionInput', { orderId }, ministry);
    const over = await gql(
      'mutation ($input: SettlePressOrderInput!) { settlePressOrder(input: $input) { id } }',
      { input: { orderId, amount: 250_000_001 } },
      ministry,
    );
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    const settled = await mutate(
      'settlePressOrder',
      'SettlePressOrderInput',
      { orderId, amount: 245_000_000 },
      ministry,
    );

    expect(settled).toMatchObject({ status: 'SETTLED', settledAmount: 245_000_000, overdue: false });
    expect(settled.deliverables).toHaveLength(2);
    const timeline = settled.timeline as { type: string; organization: { id: string; name: string } }[];
    expect(timeline.map((e) => [e.type, e.organization.id])).toEqual([
      ['PressOrderPlaced', MINISTRY],
      ['PressOrderAccepted', NEWSROOM],
      ['DeliverablesSubmitted', NEWSROOM],
      ['DeliveryRejected', MINISTRY],
      ['DeliverablesSubmitted', NEWSROOM],
      ['DeliveryAccepted', MINISTRY],
      ['PressOrderSettled', MINISTRY],
    ]);
    expect(timeline.every((e) => e.organization.name.length > 0)).toBe(true);

    const totals = await gql<{ pressOrderTotals: Record<string, number> }>(
      'query ($o: ID) { pressOrderTotals(ordererId: $o) { orders committed accepted settled } }',
      { o: MINISTRY },
      ministry,
    );
    expect(totals.data?.pressOrderTotals).toEqual({
      orders: 1,
      committed: 250_000_000,
      accepted: 250_000_000,
      settled: 245_000_000,
    });

    // One request: the order from press orders, its organizations from the directory, its policy from content.
    const joined = await gql<{ pressOrder: Record<string, { name?: string; title?: string }> }>(
      'query ($id: ID!) { pressOrder(id: $id) { orderer { name } newsroom { name } policy { title } } }',
      { id: orderId },
      ministry,
    );
    expect(joined.errors).toBeUndefined();
    expect(joined.data?.pressOrder.policy?.title).toBe('Chiến lược phát triển văn hóa Việt Nam đến năm 2030');
    expect(joined.data?.pressOrder.newsroom?.name).toMatch(/Tiếng nói Việt Nam/);

    const anonymous = await gql('query ($id: ID!) { pressOrder(id: $id) { id } }', { id: orderId });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
