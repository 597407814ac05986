import { deciderSpec } from '@hub/command-handling/testing';
import { describe, it } from 'vitest';
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
  policyId: null,
  brief: 'Loạt bài về chính sách giảm thuế giá trị gia tăng',
  format: 'ARTICLE',
  quantity: 2,
  budget: 30_000_000,
  unitPrice: null,
  qualityCriteria: null,
  acceptanceMethod: null,
  budgetSource: null,
  paymentMethod: null,
  startsAt: '2026-03-01T00:00:00.000Z',
  deadline: '2026-04-01T00:00:00.000Z',
  at: AT,
};
const placed: PressOrderEvent = {
  type: 'PressOrderPlaced',
  data: {
    ...parties,
    policyId: null,
    brief: place.brief,
    format: 'ARTICLE',
    quantity: 2,
    budget: 30_000_000,
    unitPrice: null,
    qualityCriteria: null,
    acceptanceMethod: null,
    budgetSource: null,
    paymentMethod: null,
    startsAt: place.startsAt,
    deadline: place.deadline,
    placedAt: AT,
  },
};

// The same rules as press-order.unit.test.ts, written with the shared given/when/then.
describe('press order decider, given/when/then', () => {
  const spec = deciderSpec(pressOrderDecider);

  it('given nothing, when placed, then PressOrderPlaced with what the inbox needs', () => {
    spec.given().when(place).emits(placed);
  });

  it('given a placed order, when placed again, then CONFLICT on input.orderId', () => {
    spec.given(placed).when(place).refuses('CONFLICT', 'input.orderId');
  });

  it('given a placed order, when the newsroom accepts, then PressOrderAccepted', () => {
    spec
      .given(placed)
      .when({ type: 'AcceptOrder', seen: 'PLACED', at: AT })
      .emits({ type: 'PressOrderAccepted', data: { ...parties, acceptedAt: AT } });
  });

  it('given nothing, when accepted, then NOT_FOUND on input.orderId', () => {
    spec.given().when({ type: 'AcceptOrder', seen: 'PLACED', at: AT }).refuses('NOT_FOUND', 'input.orderId');
  });
});
