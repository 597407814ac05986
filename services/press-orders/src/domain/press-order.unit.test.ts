import { fold } from '@hub/command-handling';
import type { PressOrderStatus } from '@hub/event-catalogue';
import { describe, expect, it } from 'vitest';
import type { PressOrderEvent } from '../events.js';
import { type PressOrderCommand, pressOrderDecider } from './press-order.js';

const AT = '2026-03-02T02:00:00.000Z';
const parties = {
  orderId: 'order-1',
  organizationId: 'min-finance',
  ordererId: 'min-finance',
  newsroomId: 'press-vtv',
};

const place: Extract<PressOrderCommand, { type: 'PlaceOrder' }> = {
  type: 'PlaceOrder',
  orderId: 'order-1',
  ordererId: 'min-finance',
  newsroomId: 'press-vtv',
  policyId: 'policy-vat',
  brief: 'Phóng sự về chính sách giảm thuế giá trị gia tăng',
  format: 'VIDEO',
  quantity: 4,
  budget: 120_000_000,
  unitPrice: 30_000_000,
  qualityCriteria: 'Full HD, phụ đề tiếng Việt',
  acceptanceMethod: 'Hội đồng nghiệm thu của Bộ',
  budgetSource: 'Ngân sách nhà nước',
  paymentMethod: 'Chuyển khoản',
  startsAt: '2026-03-01T00:00:00.000Z',
  deadline: '2026-04-01T00:00:00.000Z',
  at: AT,
};

const placed: PressOrderEvent = {
  type: 'PressOrderPlaced',
  data: {
    ...parties,
    policyId: 'policy-vat',
    brief: place.brief,
    format: 'VIDEO',
    quantity: 4,
    budget: 120_000_000,
    unitPrice: 30_000_000,
    qualityCriteria: place.qualityCriteria,
    acceptanceMethod: place.acceptanceMethod,
    budgetSource: place.budgetSource,
    paymentMethod: place.paymentMethod,
    startsAt: place.startsAt,
    deadline: place.deadline,
    placedAt: AT,
  },
};
const deliverable = {
  format: 'VIDEO' as const,
  title: 'Giảm thuế VAT: doanh nghiệp nói gì',
  url: 'https://vtv.vn/giam-thue-vat.htm',
  publishedAt: '2026-03-20T12:00:00.000Z',
};
const accepted: PressOrderEvent = { type: 'PressOrderAccepted', data: { ...parties, acceptedAt: AT } };
const submitted = (at: string, submission = 1, onTime = true): PressOrderEvent => ({
  type: 'DeliverablesSubmitted',
  data: { ...parties, deliverables: [deliverable], submission, submittedAt: at, deadline: place.deadline, onTime },
});
const rejected: PressOrderEvent = {
  type: 'DeliveryRejected',
  data: { ...parties, reason: 'Thiếu phụ đề', rejectedAt: AT },
};
const deliveryAccepted: PressOrderEvent = {
  type: 'DeliveryAccepted',
  data: {
    ...parties,
    acceptedAt: AT,
    deliveredAt: '2026-03-20T00:00:00.000Z',
    deadline: place.deadline,
    onTime: true,
    budget: 120_000_000,
  },
};
const settled: PressOrderEvent = {
  type: 'PressOrderSettled',
  data: { ...parties, amount: 100_000_000, budget: 120_000_000, settledAt: AT },
};
const cancelled: PressOrderEvent = {
  type: 'PressOrderCancelled',
  data: { ...parties, reason: 'Đổi kế hoạch', previousStatus: 'PLACED', cancelledAt: AT },
};
const declined: PressOrderEvent = {
  type: 'PressOrderDeclined',
  data: { ...parties, reason: 'Không đủ nhân lực', declinedAt: AT },
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An action taken on the status its user saw; unless a test says otherwise, the current one. */
type Action = DistributiveOmit<Exclude<PressOrderCommand, { type: 'PlaceOrder' }>, 'seen'> & {
  seen?: PressOrderStatus;
};

function given(events: readonly PressOrderEvent[]) {
  const state = fold(pressOrderDecider, events);
  return {
    when(sent: PressOrderCommand | Action) {
      const command = (sent.type === 'PlaceOrder' ? sent : { seen: state.status, ...sent }) as PressOrderCommand;
      const decision = pressOrderDecider.decide(command, state);
      return {
        thenEvents(expected: readonly PressOrderEvent[]) {
          expect(decision).toEqual({ ok: true, value: expected });
          const after = fold(pressOrderDecider, expected, state);
          return { status: after.status, state: after };
        },
        thenError(code: string, field: string) {
          if (decision.ok) throw new Error(`expected ${code}, got events ${JSON.stringify(decision.value)}`);
          expect({ code: decision.error.code, field: decision.error.field }).toEqual({ code, field });
          return decision.error;
        },
      };
    },
  };
}

const at = (iso: string) => ({ at: iso });

describe('press order lifecycle: every transition', () => {
  it('given no order, when the orderer places one, then PressOrderPlaced carries all an inbox needs and the order is PLACED', () => {
    const { status } = given([]).when(place).thenEvents([placed]);
    expect(status).toBe('PLACED');
  });

  it('given a placed order, when the newsroom accepts, then PressOrderAccepted and ACCEPTED', () => {
    expect(
      given([placed])
        .when({ type: 'AcceptOrder', ...at(AT) })
        .thenEvents([accepted]).status,
    ).toBe('ACCEPTED');
  });

  it('given a placed order, when the newsroom declines with a reason, then PressOrderDeclined and DECLINED', () => {
    const { status } = given([placed])
      .when({ type: 'DeclineOrder', reason: 'Không đủ nhân lực', ...at(AT) })
      .thenEvents([declined]);
    expect(status).toBe('DECLINED');
  });

  it('given an accepted order, when deliverables arrive before the deadline, then DeliverablesSubmitted on time and DELIVERED', () => {
    const { state } = given([placed, accepted])
      .when({ type: 'SubmitDeliverables', deliverables: [deliverable], at: '2026-03-20T00:00:00.000Z' })
      .thenEvents([submitted('2026-03-20T00:00:00.000Z')]);
    expect(state).toMatchObject({ status: 'DELIVERED', submissions: 1, deliverables: [deliverable] });
  });

  it('given an accepted order, when deliverables arrive after the deadline, then the submission is marked late', () => {
    given([placed, accepted])
      .when({ type: 'SubmitDeliverables', deliverables: [deliverable], at: '2026-04-02T00:00:00.000Z' })
      .thenEvents([submitted('2026-04-02T00:00:00.000Z', 1, false)]);
  });

  it('given a delivery, when the orderer accepts it (nghiệm thu), then DeliveryAccepted says whether it was on time', () => {
    const { status } = given([placed, accepted, submitted('2026-03-20T00:00:00.000Z')])
      .when({ type: 'AcceptDelivery', ...at(AT) })
      .thenEvents([deliveryAccepted]);
    expect(status).toBe('DELIVERY_ACCEPTED');
  });

  it('given a delivery, when the orderer rejects it with a reason, then DELIVERY_REJECTED and the newsroom may deliver again', () => {
    const { status } = given([placed, accepted, submitted(AT)])
      .when({ type: 'RejectDelivery', reason: 'Thiếu phụ đề', ...at(AT) })
      .thenEvents([rejected]);
    expect(status).toBe('DELIVERY_REJECTED');
    const again = given([placed, accepted, submitted(AT), rejected])
      .when({ type: 'SubmitDeliverables', deliverables: [deliverable], at: AT })
      .thenEvents([submitted(AT, 2)]);
    expect(again.state).toMatchObject({ status: 'DELIVERED', submissions: 2 });
  });

  it('given an accepted delivery, when the orderer settles within the budget, then PressOrderSettled and SETTLED', () => {
    const { state } = given([placed, accepted, submitted(AT), deliveryAccepted])
      .when({ type: 'SettleOrder', amount: 100_000_000, ...at(AT) })
      .thenEvents([settled]);
    expect(state).toMatchObject({ status: 'SETTLED', settledAmount: 100_000_000 });
  });

  it('given a placed or accepted order, when the orderer cancels with a reason, then PressOrderCancelled names the status it left', () => {
    given([placed])
      .when({ type: 'CancelOrder', reason: 'Đổi kế hoạch', ...at(AT) })
      .thenEvents([cancelled]);
    const { status } = given([placed, accepted])
      .when({ type: 'CancelOrder', reason: 'Đổi kế hoạch', ...at(AT) })
      .thenEvents([{ type: 'PressOrderCancelled', data: { ...cancelled.data, previousStatus: 'ACCEPTED' } }]);
    expect(status).toBe('CANCELLED');
  });
});

describe('press order rules: each violation names the field and decides nothing', () => {
  const invalidPlacements: [string, Partial<typeof place>, string][] = [
    ['a zero budget', { budget: 0, unitPrice: null }, 'input.budget'],
    ['a fractional budget', { budget: 1.5, unitPrice: null }, 'input.budget'],
    ['a zero quantity', { quantity: 0, unitPrice: null }, 'input.quantity'],
    ['a deadline equal to the start', { deadline: place.startsAt }, 'input.deadline'],
    ['a deadline before the start', { deadline: '2026-02-01T00:00:00.000Z' }, 'input.deadline'],
    ['a unit price that does not multiply to the budget', { unitPrice: 25_000_000 }, 'input.unitPrice'],
    ['a newsroom that is the orderer itself', { newsroomId: 'min-finance' }, 'input.newsroomId'],
    ['an empty brief', { brief: '' }, 'input.brief'],
  ];
  for (const [what, change, field] of invalidPlacements) {
    it(`given no order, when placed with ${what}, then BAD_USER_INPUT on ${field}`, () => {
      given([])
        .when({ ...place, ...change })
        .thenError('BAD_USER_INPUT', field);
    });
  }

  it('given a placed order, when it is placed again, then CONFLICT', () => {
    given([placed]).when(place).thenError('CONFLICT', 'input.orderId');
  });

  it('given no order, when any action is taken, then NOT_FOUND on input.orderId', () => {
    given([])
      .when({ type: 'AcceptOrder', ...at(AT) })
      .thenError('NOT_FOUND', 'input.orderId');
  });

  it('given a delivery, when a deliverable URL is not http(s), then BAD_USER_INPUT names that deliverable', () => {
    for (const url of ['ftp://vtv.vn/a', 'javascript:alert(1)', 'vtv.vn/a']) {
      given([placed, accepted])
        .when({
          type: 'SubmitDeliverables',
          deliverables: [deliverable, { ...deliverable, url }],
          at: AT,
        })
        .thenError('BAD_USER_INPUT', 'input.deliverables.1.url');
    }
  });

  it('given an accepted order, when no deliverable is submitted, then BAD_USER_INPUT on input.deliverables', () => {
    given([placed, accepted])
      .when({ type: 'SubmitDeliverables', deliverables: [], at: AT })
      .thenError('BAD_USER_INPUT', 'input.deliverables');
  });

  it('given an accepted delivery, when the settlement exceeds the budget by one đồng, then BAD_USER_INPUT on input.amount', () => {
    const error = given([placed, accepted, submitted(AT), deliveryAccepted])
      .when({ type: 'SettleOrder', amount: 120_000_001, ...at(AT) })
      .thenError('BAD_USER_INPUT', 'input.amount');
    expect(error.details.budget).toBe(120_000_000);
    given([placed, accepted, submitted(AT), deliveryAccepted])
      .when({ type: 'SettleOrder', amount: 120_000_000, ...at(AT) })
      .thenEvents([{ type: 'PressOrderSettled', data: { ...settled.data, amount: 120_000_000 } }]);
  });

  it('given a decline, rejection or cancellation without a reason, then BAD_USER_INPUT on input.reason', () => {
    given([placed])
      .when({ type: 'DeclineOrder', reason: '', ...at(AT) })
      .thenError('BAD_USER_INPUT', 'input.reason');
    given([placed])
      .when({ type: 'CancelOrder', reason: '', ...at(AT) })
      .thenError('BAD_USER_INPUT', 'input.reason');
    given([placed, accepted, submitted(AT)])
      .when({ type: 'RejectDelivery', reason: '', ...at(AT) })
      .thenError('BAD_USER_INPUT', 'input.reason');
  });

  const actions: Action[] = [
    { type: 'AcceptOrder', ...at(AT) },
    { type: 'DeclineOrder', reason: 'r', ...at(AT) },
    { type: 'SubmitDeliverables', deliverables: [deliverable], ...at(AT) },
    { type: 'AcceptDelivery', ...at(AT) },
    { type: 'RejectDelivery', reason: 'r', ...at(AT) },
    { type: 'SettleOrder', amount: 1, ...at(AT) },
    { type: 'CancelOrder', reason: 'r', ...at(AT) },
  ];
  const histories: [PressOrderStatus, PressOrderEvent[]][] = [
    ['PLACED', [placed]],
    ['ACCEPTED', [placed, accepted]],
    ['DECLINED', [placed, declined]],
    ['DELIVERED', [placed, accepted, submitted(AT)]],
    ['DELIVERY_REJECTED', [placed, accepted, submitted(AT), rejected]],
    ['DELIVERY_ACCEPTED', [placed, accepted, submitted(AT), deliveryAccepted]],
    ['SETTLED', [placed, accepted, submitted(AT), deliveryAccepted, settled]],
    ['CANCELLED', [placed, cancelled]],
  ];
  const allowed: Record<PressOrderCommand['type'], PressOrderStatus[]> = {
    PlaceOrder: [],
    AcceptOrder: ['PLACED'],
    DeclineOrder: ['PLACED'],
    SubmitDeliverables: ['ACCEPTED', 'DELIVERY_REJECTED'],
    AcceptDelivery: ['DELIVERED'],
    RejectDelivery: ['DELIVERED'],
    SettleOrder: ['DELIVERY_ACCEPTED'],
    CancelOrder: ['PLACED', 'ACCEPTED'],
  };

  it('given an order in any status, when an action its status does not allow is sent, then CONFLICT names input.orderId and the status', () => {
    let refused = 0;
    for (const [status, history] of histories) {
      for (const action of actions) {
        const decision = pressOrderDecider.decide(
          { ...action, seen: status } as PressOrderCommand,
          fold(pressOrderDecider, history),
        );
        if (allowed[action.type].includes(status)) {
          expect(decision.ok, `${action.type} from ${status}`).toBe(true);
          continue;
        }
        refused++;
        expect(decision.ok, `${action.type} from ${status}`).toBe(false);
        if (decision.ok) continue;
        expect(decision.error.code).toBe('CONFLICT');
        expect(decision.error.field).toBe('input.orderId');
        expect(decision.error.details.status).toBe(status);
      }
    }
    // 8 statuses × 7 actions, minus the 9 allowed pairs.
    expect(refused).toBe(47);
  });

  it('given a settled or cancelled order, when anything is sent, then nothing happens to it', () => {
    for (const [status, history] of histories.filter(([s]) => s === 'SETTLED' || s === 'CANCELLED')) {
      for (const action of actions) {
        given(history)
          .when({ ...action, seen: status })
          .thenError('CONFLICT', 'input.orderId');
      }
    }
  });

  it('given an order accepted meanwhile, when a cancel decided on the PLACED status it saw arrives, then CONFLICT although ACCEPTED allows cancelling', () => {
    const error = given([placed, accepted])
      .when({ type: 'CancelOrder', reason: 'Đổi kế hoạch', seen: 'PLACED', ...at(AT) })
      .thenError('CONFLICT', 'input.orderId');
    expect(error.message).toContain('changed from PLACED to ACCEPTED');
  });

  it('given an order cancelled meanwhile, when an accept arrives, then CONFLICT because the order is CANCELLED', () => {
    const error = given([placed, cancelled])
      .when({ type: 'AcceptOrder', seen: 'PLACED', ...at(AT) })
      .thenError('CONFLICT', 'input.orderId');
    expect(error.message).toContain('is CANCELLED');
  });
});
