import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DirectoryForTests,
  type PressOrdersHarness,
  startDirectoryForTests,
  startPressOrdersHarness,
} from './testing/harness.js';

type Order = {
  id: string;
  status: string;
  statusReason: string | null;
  budget: number;
  unitPrice: number | null;
  overdue: boolean;
  settledAmount: number | null;
  deliverables: { format: string; title: string; url: string; publishedAt: string }[];
  orderer: { id: string };
  newsroom: { id: string };
  policy: { id: string } | null;
  timeline: { type: string; organization: { id: string } | null; data: Record<string, unknown> }[];
};

const FIELDS = `id status statusReason budget unitPrice overdue settledAmount
  deliverables { format title url publishedAt } orderer { id } newsroom { id } policy { id }
  timeline { type organization { id } data }`;
const PLACE = `mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { ${FIELDS} } }`;
const action = (name: string, input = 'PressOrderActionInput') =>
  `mutation ($input: ${input}!) { ${name}(input: $input) { ${FIELDS} } }`;

const ORDERER = 'min-finance';
const NEWSROOM = 'press-vtv';
const day = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();

const orderInput = (change: Record<string, unknown> = {}) => ({
  ordererId: ORDERER,
  newsroomId: NEWSROOM,
  policyId: 'policy-vat-2026',
  brief: 'Loạt phóng sự về chính sách giảm thuế giá trị gia tăng 2%',
  format: 'VIDEO',
  quantity: 4,
  budget: 120_000_000,
  startsAt: iso(-1),
  deadline: iso(30),
  qualityCriteria: 'Full HD, phụ đề tiếng Việt',
  acceptanceMethod: 'Hội đồng nghiệm thu của Bộ Tài chính',
  budgetSource: 'Ngân sách nhà nước',
  paymentMethod: 'Chuyển khoản',
  ...change,
});

const deliverable = {
  format: 'VIDEO',
  title: 'Giảm thuế VAT: doanh nghiệp nói gì',
  url: 'https://vtv.vn/kinh-te/giam-thue-vat.htm',
  publishedAt: '2026-03-20T19:00:00+07:00',
};

let directory: DirectoryForTests;
beforeAll(async () => {
  directory = await startDirectoryForTests();
});
afterAll(async () => {
  await directory?.close();
});

for (const engine of ['embedded', 'postgres'] as const) {
  describe(`press orders (${engine})`, () => {
    let hub: PressOrdersHarness;
    let ordererEditor: string;
    let newsroomEditor: string;
    let otherNewsroomEditor: string;
    let ordererViewer: string;
    let admin: string;

    beforeAll(async () => {
      hub = await startPressOrdersHarness(engine, directory.store);
      ordererEditor = await hub.token(ORDERER, ['ORG_EDITOR']);
      newsroomEditor = await hub.token(NEWSROOM, ['NEWSROOM_EDITOR']);
      otherNewsroomEditor = await hub.token('press-vov', ['NEWSROOM_EDITOR']);
      ordererViewer = await hub.token(ORDERER, ['VIEWER']);
      admin = await hub.token('gov-office', ['ADMIN']);
    });
    afterAll(async () => {
      await hub?.close();
    });

    const place = async (change: Record<string, unknown> = {}, token = ordererEditor) =>
      hub.gql<{ placePressOrder: Order }>(PLACE, { input: orderInput(change) }, token);
    const placed = async (change: Record<string, unknown> = {}) => {
      const result = await place(change);
      expect(result.errors).toBeUndefined();
      return result.data?.placePressOrder as Order;
    };
    const act = (name: string, input: Record<string, unknown>, token: string, type?: string) =>
      hub.gql<Record<string, Order>>(action(name, type), { input }, token);
    const done = async (name: string, input: Record<string, unknown>, token: string, type?: string) => {
      const result = await act(name, input, token, type);
      expect(result.errors).toBeUndefined();
      return result.data?.[name] as Order;
    };
    /** Runs a failing mutation and checks it appended nothing. */
    const refused = async (run: () => Promise<{ errors?: { extensions?: { code?: string; field?: string } }[] }>) => {
      const before = await hub.store.count();
      const result = await run();
      expect(await hub.store.count()).toBe(before);
      return { code: result.errors?.[0]?.extensions?.code, field: result.errors?.[0]?.extensions?.field };
    };
    const submit = (orderId: string, token = newsroomEditor, deliverables = [deliverable]) =>
      act('submitDeliverables', { orderId, deliverables }, token, 'SubmitDeliverablesInput');
    const settle = (orderId: string, amount: number, token = ordererEditor) =>
      act('settlePressOrder', { orderId, amount }, token, 'SettlePressOrderInput');

    it('walks the whole lifecycle: placed, accepted, delivered, rejected, delivered again, accepted (nghiệm thu), settled', async () => {
      const order = await placed();
      expect(order).toMatchObject({
        status: 'PLACED',
        budget: 120_000_000,
        unitPrice: 30_000_000,
        overdue: false,
        orderer: { id: ORDERER },
        newsroom: { id: NEWSROOM },
        policy: { id: 'policy-vat-2026' },
      });
      expect((await done('acceptPressOrder', { orderId: order.id }, newsroomEditor)).status).toBe('ACCEPTED');
      const first = (await submit(order.id)).data?.submitDeliverables;
      expect(first?.status).toBe('DELIVERED');
      expect(first?.deliverables).toEqual([{ ...deliverable, publishedAt: '2026-03-20T12:00:00.000Z' }]);
      const rejected = await done('rejectDelivery', { orderId: order.id, reason: 'Thiếu phụ đề' }, ordererEditor);
      expect(rejected).toMatchObject({ status: 'DELIVERY_REJECTED', statusReason: 'Thiếu phụ đề' });
      const second = [deliverable, { ...deliverable, title: 'Phần 2', url: 'http://vtv.vn/phan-2.htm' }];
      expect((await submit(order.id, newsroomEditor, second)).data?.submitDeliverables?.deliverables).toHaveLength(2);
      expect((await done('acceptDelivery', { orderId: order.id }, ordererEditor)).status).toBe('DELIVERY_ACCEPTED');
      const settled = await settle(order.id, 118_500_000);
      expect(settled.errors).toBeUndefined();
      const final = settled.data?.settlePressOrder as Order;
      expect(final).toMatchObject({ status: 'SETTLED', settledAmount: 118_500_000, overdue: false });
      expect(final.timeline.map((e) => [e.type, e.organization?.id])).toEqual([
        ['PressOrderPlaced', ORDERER],
        ['PressOrderAccepted', NEWSROOM],
        ['DeliverablesSubmitted', NEWSROOM],
        ['DeliveryRejected', ORDERER],
        ['DeliverablesSubmitted', NEWSROOM],
        ['DeliveryAccepted', ORDERER],
        ['PressOrderSettled', ORDERER],
      ]);
      expect(final.timeline[4]?.data).toMatchObject({ submission: 2, onTime: true, newsroomId: NEWSROOM });
    });

    it('declines with a reason and cancels before delivery, each with its reason', async () => {
      const declined = await done(
        'declinePressOrder',
        { orderId: (await placed()).id, reason: 'Không đủ nhân lực' },
        newsroomEditor,
      );
      expect(declined).toMatchObject({ status: 'DECLINED', statusReason: 'Không đủ nhân lực' });
      const accepted = await placed();
      await done('acceptPressOrder', { orderId: accepted.id }, newsroomEditor);
      const cancelled = await done('cancelPressOrder', { orderId: accepted.id, reason: 'Đổi kế hoạch' }, ordererEditor);
      expect(cancelled).toMatchObject({ status: 'CANCELLED', statusReason: 'Đổi kế hoạch' });
      expect(cancelled.timeline.at(-1)?.data).toMatchObject({ previousStatus: 'ACCEPTED' });
    });

    it('refuses the wrong side or role with FORBIDDEN, anonymous callers with UNAUTHENTICATED, and appends nothing', async () => {
      const order = await placed();
      expect(await refused(() => place({}, newsroomEditor))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refused(() => place({}, ordererViewer))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refused(() => place({}, otherNewsroomEditor))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refused(() => place({}, ''))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await refused(() => act('acceptPressOrder', { orderId: order.id }, ordererEditor))).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(
        await refused(() => act('declinePressOrder', { orderId: order.id, reason: 'x' }, ordererEditor)),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        await refused(() => act('cancelPressOrder', { orderId: order.id, reason: 'x' }, newsroomEditor)),
      ).toMatchObject({ code: 'FORBIDDEN' });
      await done('acceptPressOrder', { orderId: order.id }, newsroomEditor);
      expect(await refused(() => submit(order.id, ordererEditor))).toMatchObject({ code: 'FORBIDDEN' });
      await submit(order.id);
      expect(await refused(() => act('acceptDelivery', { orderId: order.id }, newsroomEditor))).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(
        await refused(() => act('rejectDelivery', { orderId: order.id, reason: 'x' }, newsroomEditor)),
      ).toMatchObject({ code: 'FORBIDDEN' });
      await done('acceptDelivery', { orderId: order.id }, ordererEditor);
      expect(await refused(() => settle(order.id, 1, newsroomEditor))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refused(() => act('acceptPressOrder', { orderId: 'no-such-order' }, newsroomEditor))).toEqual({
        code: 'NOT_FOUND',
        field: 'input.orderId',
      });
    });

    it('answers a caller who is no party to an order exactly as if it did not exist, naming no party', async () => {
      const order = await placed();
      const answers = [];
      for (const [orderId, token] of [
        [order.id, otherNewsroomEditor],
        [order.id, await hub.token('prov-ha-noi', ['ORG_EDITOR'])],
        ['no-such-order', otherNewsroomEditor],
      ] as const) {
        for (const name of ['acceptPressOrder', 'cancelPressOrder']) {
          const before = await hub.store.count();
          const result = await act(name, { orderId, reason: 'x' }, token);
          expect(await hub.store.count()).toBe(before);
          const error = result.errors?.[0];
          expect(error?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.orderId' });
          answers.push(error?.message.replace(orderId, '<id>'));
          expect(JSON.stringify(result.errors)).not.toMatch(new RegExp(`${ORDERER}|${NEWSROOM}`));
        }
      }
      expect(new Set(answers).size).toBe(1);
      const wrongSide = await act('cancelPressOrder', { orderId: order.id, reason: 'x' }, newsroomEditor);
      expect(wrongSide.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(wrongSide.errors)).not.toMatch(new RegExp(`${ORDERER}|${NEWSROOM}`));
    });

    it('refuses invalid orders with BAD_USER_INPUT naming the field, and appends nothing', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ budget: 0 }, 'input.budget'],
        [{ budget: -5 }, 'input.budget'],
        [{ quantity: 0 }, 'input.quantity'],
        [{ deadline: iso(-2) }, 'input.deadline'],
        [{ unitPrice: 1_000 }, 'input.unitPrice'],
        [{ brief: '   ' }, 'input.brief'],
        [{ newsroomId: 'prov-lao-cai' }, 'input.newsroomId'],
        [{ ordererId: 'press-vov', newsroomId: NEWSROOM }, 'input.ordererId'],
        [{ ordererId: 'min-planning-investment' }, 'input.ordererId'],
        [{ ordererId: 'prov-yen-bai' }, 'input.ordererId'],
      ];
      for (const [change, field] of cases) {
        expect(await refused(() => place(change, admin)), JSON.stringify(change)).toEqual({
          code: 'BAD_USER_INPUT',
          field,
        });
      }
      expect(await refused(() => place({ newsroomId: 'press-nowhere' }, admin))).toEqual({
        code: 'NOT_FOUND',
        field: 'input.newsroomId',
      });
      // A whole VND only: the scalar refuses fractions before the service sees them.
      expect(await refused(() => place({ budget: 1.5 }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('follows the directory: an organization dissolved in the past stops, one dissolved from next month still stands', async () => {
      const dissolve = async (organizationId: string, effectiveAt: string) => {
        const appended = await directory.store.append(`organization-${organizationId}`, [
          { type: 'OrganizationDissolved', data: { organizationId, effectiveAt, reason: 'Sắp xếp cơ quan báo chí' } },
        ]);
        await hub.pressOrders.directoryKnowledge.waitFor(appended.events[0] as never);
      };
      await dissolve('press-tuoi-tre', iso(-1));
      await dissolve('press-thanh-nien', iso(30));
      expect(await refused(() => place({ newsroomId: 'press-tuoi-tre' }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.newsroomId',
      });
      expect((await placed({ newsroomId: 'press-thanh-nien' })).newsroom.id).toBe('press-thanh-nien');
    });

    it('refuses deliverables that are not http(s), settlements above the budget, and actions on settled or cancelled orders', async () => {
      const order = await placed();
      await done('acceptPressOrder', { orderId: order.id }, newsroomEditor);
      expect(
        await refused(() => submit(order.id, newsroomEditor, [{ ...deliverable, url: 'ftp://vtv.vn/a' }])),
      ).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.deliverables.0.url',
      });
      await submit(order.id);
      expect(await refused(() => settle(order.id, 100))).toEqual({ code: 'CONFLICT', field: 'input.orderId' });
      await done('acceptDelivery', { orderId: order.id }, ordererEditor);
      expect(await refused(() => settle(order.id, 120_000_001))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.amount',
      });
      expect(await refused(() => settle(order.id, 0))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.amount' });
      await settle(order.id, 120_000_000);
      expect(await refused(() => settle(order.id, 1))).toEqual({ code: 'CONFLICT', field: 'input.orderId' });
      expect(await refused(() => act('cancelPressOrder', { orderId: order.id, reason: 'x' }, ordererEditor))).toEqual({
        code: 'CONFLICT',
        field: 'input.orderId',
      });

      const cancelled = await placed();
      await done('cancelPressOrder', { orderId: cancelled.id, reason: 'Đổi kế hoạch' }, ordererEditor);
      expect(await refused(() => act('acceptPressOrder', { orderId: cancelled.id }, newsroomEditor))).toEqual({
        code: 'CONFLICT',
        field: 'input.orderId',
      });
      expect(await refused(() => act('cancelPressOrder', { orderId: order.id }, ordererEditor))).toEqual({
        code: 'CONFLICT',
        field: 'input.orderId',
      });
      const fresh = await placed();
      expect(await refused(() => act('cancelPressOrder', { orderId: fresh.id }, ordererEditor))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.reason',
      });
      expect(await refused(() => act('declinePressOrder', { orderId: fresh.id }, newsroomEditor))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.reason',
      });
    });

    it('marks an order overdue once its deadline passes without an accepted delivery', async () => {
      const late = await placed({ startsAt: iso(-10), deadline: iso(-1) });
      expect(late.overdue).toBe(true);
      await done('acceptPressOrder', { orderId: late.id }, newsroomEditor);
      await submit(late.id);
      const accepted = await done('acceptDelivery', { orderId: late.id }, ordererEditor);
      expect(accepted.overdue).toBe(false);
      expect(accepted.timeline.at(-1)?.data).toMatchObject({ onTime: false });
    });

    it('replays a keyed placement: the same order, nothing appended twice', async () => {
      const first = await placed({ idempotencyKey: 'vat-series' });
      const before = await hub.store.count();
      const again = await placed({ idempotencyKey: 'vat-series' });
      expect(again.id).toBe(first.id);
      expect(await hub.store.count()).toBe(before);
    });

    it('shows each organization only its own orders, the inbox only to its newsroom, and totals per side', async () => {
      const list = `query ($o: ID, $n: ID, $s: PressOrderStatus) {
        pressOrders(ordererId: $o, newsroomId: $n, status: $s, first: 500) { totalCount edges { node { id orderer { id } newsroom { id } } } }
      }`;
      const own = await placed({ newsroomId: 'press-vov' });
      const theirs = await hub.gql<{ pressOrders: { totalCount: number; edges: { node: { id: string } }[] } }>(
        list,
        {},
        otherNewsroomEditor,
      );
      expect(theirs.data?.pressOrders.edges.map((e) => e.node.id)).toEqual([own.id]);
      const vtv = await hub.gql<{ pressOrders: { totalCount: number } }>(list, { n: 'press-vov' }, newsroomEditor);
      expect(vtv.data?.pressOrders.totalCount).toBe(0);
      const all = await hub.gql<{ pressOrders: { totalCount: number } }>(list, {}, admin);
      const ministry = await hub.gql<{ pressOrders: { totalCount: number } }>(list, { o: ORDERER }, ordererViewer);
      expect(ministry.data?.pressOrders.totalCount).toBe(all.data?.pressOrders.totalCount);
      expect((await hub.gql(list, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      const single = await hub.gql<{ pressOrder: { id: string } | null }>(
        'query ($id: ID!) { pressOrder(id: $id) { id } }',
        { id: own.id },
        newsroomEditor,
      );
      expect(single.data?.pressOrder).toBeNull();

      const inbox = `query ($n: ID!, $s: PressOrderStatus, $after: String) {
        assignments(newsroomId: $n, status: $s, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } }
      }`;
      type Inbox = {
        assignments: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: { node: { id: string; status: string } }[];
        };
      };
      const placedOnly = await hub.gql<Inbox>(inbox, { n: NEWSROOM, s: 'PLACED' }, newsroomEditor);
      expect(placedOnly.data?.assignments.totalCount).toBeGreaterThan(0);
      expect(placedOnly.data?.assignments.edges.every((e) => e.node.status === 'PLACED')).toBe(true);
      const page1 = await hub.gql<Inbox>(inbox, { n: NEWSROOM }, newsroomEditor);
      expect(page1.data?.assignments.pageInfo.hasNextPage).toBe(true);
      const page2 = await hub.gql<Inbox>(
        inbox,
        { n: NEWSROOM, after: page1.data?.assignments.pageInfo.endCursor },
        newsroomEditor,
      );
      const ids = [...(page1.data?.assignments.edges ?? []), ...(page2.data?.assignments.edges ?? [])].map(
        (e) => e.node.id,
      );
      expect(ids).toHaveLength(4);
      expect(new Set(ids).size).toBe(4);
      expect((await hub.gql(inbox, { n: NEWSROOM }, otherNewsroomEditor)).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );

      const totals = `query ($o: ID, $n: ID) { pressOrderTotals(ordererId: $o, newsroomId: $n) {
        orders committedOrders committed acceptedOrders accepted settledOrders settled overdueOrders } }`;
      const vov = await hub.gql<{ pressOrderTotals: Record<string, number> }>(
        totals,
        { n: 'press-vov' },
        otherNewsroomEditor,
      );
      expect(vov.data?.pressOrderTotals).toEqual({
        orders: 1,
        committedOrders: 1,
        committed: 120_000_000,
        acceptedOrders: 0,
        accepted: 0,
        settledOrders: 0,
        settled: 0,
        overdueOrders: 0,
      });
      const finance = await hub.gql<{ pressOrderTotals: Record<string, number> }>(
        totals,
        { o: ORDERER },
        ordererViewer,
      );
      // Settled so far in this suite: 118,500,000 and 120,000,000 VND.
      expect(finance.data?.pressOrderTotals).toMatchObject({ settledOrders: 2, settled: 238_500_000 });
      expect(finance.data?.pressOrderTotals.accepted).toBeGreaterThanOrEqual(240_000_000);
    });
    it('answers a page of orders with their timelines in the same number of statements for 2 rows as for 20', async () => {
      const page = `query ($first: Int) { pressOrders(first: $first) { edges { node { id timeline { type } policy { id } } } } }`;
      for (let i = 0; i < 20; i++) await placed();
      const statementsFor = async (first: number) => {
        const before = hub.pressOrders.service.readModel.queries;
        const result = await hub.gql<{ pressOrders: { edges: unknown[] } }>(page, { first }, admin);
        expect(result.data?.pressOrders.edges).toHaveLength(first);
        return hub.pressOrders.service.readModel.queries - before;
      };
      // The page, its count, and one batch of timelines.
      expect(await statementsFor(2)).toBe(3);
      expect(await statementsFor(20)).toBe(3);
    });

    it('lets exactly one of a concurrent accept and cancel win, 50 times over; the loser gets CONFLICT and changes nothing', async () => {
      const winners = { accept: 0, cancel: 0 };
      for (let round = 0; round < 50; round++) {
        const order = await placed();
        hub.gate.arm(`press-order-${order.id}`, 2);
        const [accept, cancel] = await Promise.all([
          act('acceptPressOrder', { orderId: order.id }, newsroomEditor),
          act('cancelPressOrder', { orderId: order.id, reason: 'Đổi kế hoạch' }, ordererEditor),
        ]);
        hub.gate.disarm(`press-order-${order.id}`);
        const outcomes = [accept, cancel].map((r) =>
          r.errors ? { code: r.errors[0]?.extensions?.code, field: r.errors[0]?.extensions?.field } : 'won',
        );
        expect(
          outcomes.filter((o) => o === 'won'),
          `round ${round}`,
        ).toHaveLength(1);
        expect(outcomes.find((o) => o !== 'won')).toEqual({ code: 'CONFLICT', field: 'input.orderId' });
        const stream = await hub.store.readStream(`press-order-${order.id}`);
        const winner = accept.errors ? 'cancel' : 'accept';
        winners[winner]++;
        expect(stream.events.map((e) => e.type)).toEqual([
          'PressOrderPlaced',
          winner === 'accept' ? 'PressOrderAccepted' : 'PressOrderCancelled',
        ]);
      }
      expect(winners.accept + winners.cancel).toBe(50);
    });
  });
}
