import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, HubError, ok, type Result } from '@hub/errors';
import type { Deliverable, DeliverableFormat, PressOrderStatus } from '@hub/event-catalogue';
import type { PressOrderEvent } from '../events.js';

/**
 * One press order is the consistency boundary: every transition of the Decree 32/2019 lifecycle
 * (order → accept → deliver → nghiệm thu → settle) is decided against the order's own events, so
 * two conflicting commands on one order cannot both win.
 */
export interface PressOrderState {
  readonly exists: boolean;
  readonly id: string;
  readonly ordererId: string;
  readonly newsroomId: string;
  readonly status: PressOrderStatus;
  readonly budget: number;
  readonly deadline: string;
  readonly submissions: number;
  /** When the latest delivery was submitted. */
  readonly deliveredAt: string | null;
  readonly deliverables: readonly Deliverable[];
  readonly settledAmount: number | null;
}

export const initialPressOrder: PressOrderState = {
  exists: false,
  id: '',
  ordererId: '',
  newsroomId: '',
  status: 'PLACED',
  budget: 0,
  deadline: '',
  submissions: 0,
  deliveredAt: null,
  deliverables: [],
  settledAmount: null,
};

export type PressOrderCommand =
  | {
      readonly type: 'PlaceOrder';
      readonly orderId: string;
      readonly ordererId: string;
      readonly newsroomId: string;
      readonly policyId: string | null;
      readonly brief: string;
      readonly format: DeliverableFormat;
      readonly quantity: number;
      readonly budget: number;
      readonly unitPrice: number | null;
      readonly qualityCriteria: string | null;
      readonly acceptanceMethod: string | null;
      readonly budgetSource: string | null;
      readonly paymentMethod: string | null;
      readonly startsAt: string;
      readonly deadline: string;
      readonly at: string;
    }
  | OrderAction<{ readonly type: 'AcceptOrder' }>
  | OrderAction<{ readonly type: 'DeclineOrder'; readonly reason: string }>
  | OrderAction<{ readonly type: 'SubmitDeliverables'; readonly deliverables: readonly Deliverable[] }>
  | OrderAction<{ readonly type: 'AcceptDelivery' }>
  | OrderAction<{ readonly type: 'RejectDelivery'; readonly reason: string }>
  | OrderAction<{ readonly type: 'SettleOrder'; readonly amount: number }>
  | OrderAction<{ readonly type: 'CancelOrder'; readonly reason: string }>;

/**
 * An action on an existing order, taken on the status its user saw. If the order has moved on
 * since (another command won a race), the action no longer means what its user meant: it is a
 * CONFLICT even where the new status would allow it, so of two racing commands only one wins.
 */
type OrderAction<T> = T & { readonly seen: PressOrderStatus; readonly at: string };

type Decision = Result<readonly PressOrderEvent[], HubError>;

/** The statuses each command may start from; any other status is a CONFLICT with the order's state. */
const ALLOWED_FROM: Record<Exclude<PressOrderCommand['type'], 'PlaceOrder'>, readonly PressOrderStatus[]> = {
  AcceptOrder: ['PLACED'],
  DeclineOrder: ['PLACED'],
  SubmitDeliverables: ['ACCEPTED', 'DELIVERY_REJECTED'],
  AcceptDelivery: ['DELIVERED'],
  RejectDelivery: ['DELIVERED'],
  SettleOrder: ['DELIVERY_ACCEPTED'],
  CancelOrder: ['PLACED', 'ACCEPTED'],
};

const MAX_QUANTITY = 100_000;
const isWholePositive = (value: number): boolean => Number.isSafeInteger(value) && value > 0;
const notAfter = (a: string, b: string): boolean => Date.parse(a) <= Date.parse(b);

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function placeRuleBroken(command: Extract<PressOrderCommand, { type: 'PlaceOrder' }>): HubError | null {
  if (command.ordererId === command.newsroomId)
    return badInput('input.newsroomId', 'an organization cannot commission itself');
  if (!isWholePositive(command.quantity) || command.quantity > MAX_QUANTITY)
    return badInput('input.quantity', `quantity must be a whole number from 1 to ${MAX_QUANTITY}`);
  if (!isWholePositive(command.budget)) return badInput('input.budget', 'budget must be a whole number of VND above 0');
  if (command.unitPrice !== null) {
    if (!isWholePositive(command.unitPrice))
      return badInput('input.unitPrice', 'unit price must be a whole number of VND above 0');
    if (command.unitPrice * command.quantity !== command.budget)
      return badInput('input.unitPrice', 'unit price times quantity must equal the budget');
  }
  if (notAfter(command.deadline, command.startsAt))
    return badInput('input.deadline', 'the deadline must come after the start');
  if (command.brief.length === 0) return badInput('input.brief', 'brief must not be empty');
  return null;
}

const orderIsNot = (state: PressOrderState, action: string): HubError =>
  conflict(`cannot ${action}: order ${state.id} is ${state.status}`, {
    field: 'input.orderId',
    status: state.status,
  });

const ACTIONS: Record<Exclude<PressOrderCommand['type'], 'PlaceOrder'>, string> = {
  AcceptOrder: 'accept the order',
  DeclineOrder: 'decline the order',
  SubmitDeliverables: 'submit deliverables',
  AcceptDelivery: 'accept the delivery',
  RejectDelivery: 'reject the delivery',
  SettleOrder: 'settle the order',
  CancelOrder: 'cancel the order',
};

export function decide(command: PressOrderCommand, state: PressOrderState): Decision {
  if (command.type === 'PlaceOrder') {
    if (state.exists) return err(conflict(`order ${command.orderId} is already placed`, { field: 'input.orderId' }));
    const broken = placeRuleBroken(command);
    if (broken) return err(broken);
    const { type: _type, at, orderId, ...rest } = command;
    return ok([
      {
        type: 'PressOrderPlaced',
        data: { orderId, organizationId: command.ordererId, ...rest, placedAt: at },
      },
    ]);
  }

  if (!state.exists) return err(new HubError('NOT_FOUND', 'press order does not exist', { field: 'input.orderId' }));
  if (!ALLOWED_FROM[command.type].includes(state.status)) return err(orderIsNot(state, ACTIONS[command.type]));
  if (command.seen !== state.status) {
    return err(
      conflict(
        `cannot ${ACTIONS[command.type]}: order ${state.id} changed from ${command.seen} to ${state.status} meanwhile`,
        {
          field: 'input.orderId',
          status: state.status,
        },
      ),
    );
  }
  const parties = {
    orderId: state.id,
    organizationId: state.ordererId,
    ordererId: state.ordererId,
    newsroomId: state.newsroomId,
  };

  switch (command.type) {
    case 'AcceptOrder':
      return ok([{ type: 'PressOrderAccepted', data: { ...parties, acceptedAt: command.at } }]);
    case 'DeclineOrder':
      if (command.reason.length === 0) return err(badInput('input.reason', 'say why the order is declined'));
      return ok([{ type: 'PressOrderDeclined', data: { ...parties, reason: command.reason, declinedAt: command.at } }]);
    case 'SubmitDeliverables': {
      if (command.deliverables.length === 0)
        return err(badInput('input.deliverables', 'submit at least one deliverable'));
      for (const [index, deliverable] of command.deliverables.entries()) {
        if (!httpUrl(deliverable.url))
          return err(badInput(`input.deliverables.${index}.url`, 'a deliverable URL must be http or https'));
        if (deliverable.title.length === 0)
          return err(badInput(`input.deliverables.${index}.title`, 'a deliverable needs a title'));
      }
      return ok([
        {
          type: 'DeliverablesSubmitted',
          data: {
            ...parties,
            deliverables: command.deliverables,
            submission: state.submissions + 1,
            submittedAt: command.at,
            deadline: state.deadline,
            onTime: notAfter(command.at, state.deadline),
          },
        },
      ]);
    }
    case 'AcceptDelivery': {
      const deliveredAt = state.deliveredAt ?? command.at;
      return ok([
        {
          type: 'DeliveryAccepted',
          data: {
            ...parties,
            acceptedAt: command.at,
            deliveredAt,
            deadline: state.deadline,
            onTime: notAfter(deliveredAt, state.deadline),
            budget: state.budget,
          },
        },
      ]);
    }
    case 'RejectDelivery':
      if (command.reason.length === 0) return err(badInput('input.reason', 'say why the delivery is rejected'));
      return ok([{ type: 'DeliveryRejected', data: { ...parties, reason: command.reason, rejectedAt: command.at } }]);
    case 'SettleOrder':
      if (!isWholePositive(command.amount))
        return err(badInput('input.amount', 'the amount must be a whole number of VND above 0'));
      if (command.amount > state.budget)
        return err(
          badInput('input.amount', `a settlement cannot exceed the budget of ${state.budget} VND`, {
            budget: state.budget,
          }),
        );
      return ok([
        {
          type: 'PressOrderSettled',
          data: { ...parties, amount: command.amount, budget: state.budget, settledAt: command.at },
        },
      ]);
    case 'CancelOrder':
      if (command.reason.length === 0) return err(badInput('input.reason', 'say why the order is cancelled'));
      return ok([
        {
          type: 'PressOrderCancelled',
          data: { ...parties, reason: command.reason, previousStatus: state.status, cancelledAt: command.at },
        },
      ]);
  }
}

export function evolve(state: PressOrderState, event: PressOrderEvent): PressOrderState {
  switch (event.type) {
    case 'PressOrderPlaced':
      return {
        ...initialPressOrder,
        exists: true,
        id: event.data.orderId,
        ordererId: event.data.ordererId,
        newsroomId: event.data.newsroomId,
        status: 'PLACED',
        budget: event.data.budget,
        deadline: event.data.deadline,
      };
    case 'PressOrderAccepted':
      return { ...state, status: 'ACCEPTED' };
    case 'PressOrderDeclined':
      return { ...state, status: 'DECLINED' };
    case 'DeliverablesSubmitted':
      return {
        ...state,
        status: 'DELIVERED',
        submissions: event.data.submission,
        deliveredAt: event.data.submittedAt,
        deliverables: event.data.deliverables,
      };
    case 'DeliveryAccepted':
      return { ...state, status: 'DELIVERY_ACCEPTED' };
    case 'DeliveryRejected':
      return { ...state, status: 'DELIVERY_REJECTED' };
    case 'PressOrderSettled':
      return { ...state, status: 'SETTLED', settledAmount: event.data.amount };
    case 'PressOrderCancelled':
      return { ...state, status: 'CANCELLED' };
  }
}

export const pressOrderDecider: Decider<PressOrderCommand, PressOrderState, PressOrderEvent> = {
  initialState: initialPressOrder,
  decide,
  evolve,
};
