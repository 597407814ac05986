import { randomUUID } from 'node:crypto';
import { type Caller, isAuthenticated, type Role, requireRole, type UserCaller } from '@hub/auth';
import { type CommandContext, type CommandHandler, type CommandResult, deterministicId } from '@hub/command-handling';
import { badInput, HubError } from '@hub/errors';
import type { Deliverable, DeliverableFormat, OrganizationKind, PressOrderStatus } from '@hub/event-catalogue';
import { instantInput as instant, optionalText, requiredText } from '@hub/graphql-kit';
import { type PressOrderCommand, pressOrderDecider } from './domain/press-order.js';
import { pressOrderStream } from './events.js';
import type { PressOrderRow, PressOrdersReadModel, Totals } from './read-model.js';

export interface PlacePressOrder {
  readonly ordererId: string;
  readonly newsroomId: string;
  readonly policyId?: string | null;
  readonly brief: string;
  readonly format: DeliverableFormat;
  readonly quantity: number;
  readonly budget: number;
  readonly startsAt: string;
  readonly deadline: string;
  readonly unitPrice?: number | null;
  readonly qualityCriteria?: string | null;
  readonly acceptanceMethod?: string | null;
  readonly budgetSource?: string | null;
  readonly paymentMethod?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface PressOrderAction {
  readonly orderId: string;
  readonly reason?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface SubmitDeliverables {
  readonly orderId: string;
  readonly deliverables: readonly Deliverable[];
  readonly idempotencyKey?: string | null;
}

export interface SettlePressOrder {
  readonly orderId: string;
  readonly amount: number;
  readonly idempotencyKey?: string | null;
}

export interface Page {
  readonly offset: number;
  readonly limit: number;
}

/** Waits until the read model has applied a command's events, so a mutation can answer with what it wrote. */
export type ReadYourWrites = (result: CommandResult<unknown>) => Promise<void>;

/** Who may commission the press under Decree 32/2019: ministries, government agencies and provinces. */
export const ORDERER_KINDS: readonly OrganizationKind[] = [
  'GOVERNMENT_OFFICE',
  'MINISTRY',
  'MINISTERIAL_AGENCY',
  'GOVERNMENT_AGENCY',
  'PROVINCE',
];

const ORDERER_ROLES: readonly Role[] = ['ORG_EDITOR'];
const NEWSROOM_ROLES: readonly Role[] = ['NEWSROOM_EDITOR'];
type Side = 'orderer' | 'newsroom';
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An action as a use case states it; the status seen and the time are added when it is sent. */
type Action = DistributiveOmit<Exclude<PressOrderCommand, { type: 'PlaceOrder' }>, 'seen' | 'at'>;

const notFoundAt = (field: string, message: string) => new HubError('NOT_FOUND', message, { field });

function reasonOf(value: string | null | undefined): string {
  return optionalText(value, 'input.reason', { max: 2000, multiline: true }) ?? '';
}

/**
 * The press-orders use cases: authorize the side that may act, turn input into a command, let the
 * decider rule on the order's own events, and answer from the read model once it has caught up.
 *
 * Reading: press orders are business between an orderer and a newsroom. Signed-in users see the
 * orders their organization placed or received (administrators see all); anonymous callers get
 * UNAUTHENTICATED; a newsroom's inbox is for that newsroom's users.
 */
export class PressOrdersService {
  constructor(
    readonly readModel: PressOrdersReadModel,
    private readonly commands: CommandHandler,
    private readonly caughtUp: ReadYourWrites,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async placeOrder(caller: Caller, input: PlacePressOrder): Promise<PressOrderRow> {
    const user = requireRole(caller, ORDERER_ROLES, input.ordererId);
    const brief = requiredText(input.brief, 'input.brief', { max: 4000, multiline: true });
    if (brief.length === 0) throw badInput('input.brief', 'brief must not be empty');
    const policyId = optionalText(input.policyId, 'input.policyId', { max: 100, multiline: true });
    const startsAt = instant(input.startsAt, 'input.startsAt');
    const deadline = instant(input.deadline, 'input.deadline');
    await this.requireParties(input.ordererId, input.newsroomId);
    const orderId = input.idempotencyKey
      ? deterministicId(['press-order', user.userId, input.idempotencyKey])
      : randomUUID();
    const evenUnitPrice = input.budget % input.quantity === 0 ? input.budget / input.quantity : null;
    const command: PressOrderCommand = {
      type: 'PlaceOrder',
      orderId,
      ordererId: input.ordererId,
      newsroomId: input.newsroomId,
      policyId,
      brief,
      format: input.format,
      quantity: input.quantity,
      budget: input.budget,
      unitPrice: input.unitPrice ?? evenUnitPrice,
      qualityCriteria: optionalText(input.qualityCriteria, 'input.qualityCriteria', { max: 4000, multiline: true }),
      acceptanceMethod: optionalText(input.acceptanceMethod, 'input.acceptanceMethod', { max: 4000, multiline: true }),
      budgetSource: optionalText(input.budgetSource, 'input.budgetSource', { max: 500, multiline: true }),
      paymentMethod: optionalText(input.paymentMethod, 'input.paymentMethod', { max: 500, multiline: true }),
      startsAt,
      deadline,
      at: this.now().toISOString(),
    };
    const result = await this.commands.handle(
      pressOrderDecider,
      pressOrderStream(orderId),
      command,
      this.context(user, input.ordererId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.orderNow(orderId);
  }

  acceptOrder(caller: Caller, input: PressOrderAction): Promise<PressOrderRow> {
    return this.act(caller, 'newsroom', input, { type: 'AcceptOrder' });
  }

  declineOrder(caller: Caller, input: PressOrderAction): Promise<PressOrderRow> {
    return this.act(caller, 'newsroom', input, { type: 'DeclineOrder', reason: reasonOf(input.reason) });
  }

  submitDeliverables(caller: Caller, input: SubmitDeliverables): Promise<PressOrderRow> {
    const deliverables = input.deliverables.map((d, index) => ({
      format: d.format,
      title: requiredText(d.title, `input.deliverables.${index}.title`, { max: 500 }),
      url: requiredText(d.url, `input.deliverables.${index}.url`, { max: 2000 }),
      publishedAt: instant(d.publishedAt, `input.deliverables.${index}.publishedAt`),
    }));
    return this.act(caller, 'newsroom', input, { type: 'SubmitDeliverables', deliverables });
  }

  acceptDelivery(caller: Caller, input: PressOrderAction): Promise<PressOrderRow> {
    return this.act(caller, 'orderer', input, { type: 'AcceptDelivery' });
  }

  rejectDelivery(caller: Caller, input: PressOrderAction): Promise<PressOrderRow> {
    return this.act(caller, 'orderer', input, {
      type: 'RejectDelivery',
      reason: reasonOf(input.reason),
    });
  }

  settleOrder(caller: Caller, input: SettlePressOrder): Promise<PressOrderRow> {
    return this.act(caller, 'orderer', input, { type: 'SettleOrder', amount: input.amount });
  }

  cancelOrder(caller: Caller, input: PressOrderAction): Promise<PressOrderRow> {
    return this.act(caller, 'orderer', input, { type: 'CancelOrder', reason: reasonOf(input.reason) });
  }

  /** Orders the caller may see, filtered; newest first. */
  listOrders(
    caller: Caller,
    filter: { ordererId?: string | null; newsroomId?: string | null; status?: PressOrderStatus | null },
    page: Page,
  ) {
    return this.readModel.listOrders({ ...filter, visibleTo: visibleTo(caller) }, page);
  }

  /** A newsroom's inbox: for that newsroom's users (any role) and administrators. */
  assignments(caller: Caller, newsroomId: string, status: PressOrderStatus | null | undefined, page: Page) {
    requireRole(caller, [], newsroomId);
    return this.readModel.listOrders({ newsroomId, status, visibleTo: null }, page);
  }

  /** The orders among `ids` the caller may see; others are left out, as if they did not exist. */
  async visibleOrders(caller: Caller, ids: readonly string[]): Promise<Map<string, PressOrderRow>> {
    const scope = visibleTo(caller);
    const rows = await this.readModel.ordersByIds(ids);
    if (scope === null) return rows;
    return new Map([...rows].filter(([, row]) => row.ordererId === scope || row.newsroomId === scope));
  }

  totals(caller: Caller, filter: { ordererId?: string | null; newsroomId?: string | null }): Promise<Totals> {
    return this.readModel.totals({ ...filter, visibleTo: visibleTo(caller) }, this.at());
  }

  async orderNow(id: string): Promise<PressOrderRow> {
    const row = (await this.readModel.ordersByIds([id])).get(id);
    if (!row) throw notFoundAt('input.orderId', `press order ${id} does not exist`);
    return row;
  }

  private async act(
    caller: Caller,
    side: Side,
    input: { readonly orderId: string; readonly idempotencyKey?: string | null },
    action: Action,
  ): Promise<PressOrderRow> {
    const signedIn = requireRole(caller, []);
    // Who placed and who received an order never changes, so the read model can say who may act.
    const order = await this.orderNow(input.orderId);
    const scope = visibleTo(signedIn);
    // One who is not a party learns nothing, not even that the order exists: the same answer as for none.
    if (scope !== null && scope !== order.ordererId && scope !== order.newsroomId) {
      throw notFoundAt('input.orderId', `press order ${order.id} does not exist`);
    }
    const organizationId = side === 'orderer' ? order.ordererId : order.newsroomId;
    if (scope !== null && scope !== organizationId) {
      throw new HubError('FORBIDDEN', `only the ${side} of this order may do this`, { field: 'input.orderId' });
    }
    const user = requireRole(signedIn, side === 'orderer' ? ORDERER_ROLES : NEWSROOM_ROLES);
    // Decided on the status this request read: if a racing command moved the order on, it conflicts.
    const command = { ...action, seen: order.status, at: this.at() } as PressOrderCommand;
    const result = await this.commands.handle(
      pressOrderDecider,
      pressOrderStream(order.id),
      command,
      this.context(user, organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.orderNow(order.id);
  }

  private async requireParties(ordererId: string, newsroomId: string): Promise<void> {
    const known = await this.readModel.organizations([ordererId, newsroomId], this.at());
    const orderer = known.get(ordererId);
    if (!orderer) throw notFoundAt('input.ordererId', `organization ${ordererId} is not in the directory`);
    if (!orderer.active) throw badInput('input.ordererId', `${orderer.name} no longer stands on its own`);
    if (!orderer.kind || !ORDERER_KINDS.includes(orderer.kind)) {
      throw badInput('input.ordererId', `${orderer.name} is not a ministry, government agency or province`);
    }
    const newsroom = known.get(newsroomId);
    if (!newsroom) throw notFoundAt('input.newsroomId', `organization ${newsroomId} is not in the directory`);
    if (!newsroom.active) throw badInput('input.newsroomId', `${newsroom.name} no longer stands on its own`);
    if (newsroom.kind !== 'PRESS_AGENCY') throw badInput('input.newsroomId', `${newsroom.name} is not a press agency`);
  }

  private at(): string {
    return this.now().toISOString();
  }

  private context(user: UserCaller, organizationId: string, idempotencyKey?: string | null): CommandContext {
    return {
      actor: { userId: user.userId, organizationId: user.organizationId },
      organizationId,
      idempotencyKey: idempotencyKey ?? null,
    };
  }
}

/** The organization whose orders the caller may see; null for administrators (all of them). */
function visibleTo(caller: Caller): string | null {
  if (!isAuthenticated(caller)) {
    throw new HubError('UNAUTHENTICATED', 'sign in to see press orders: send Authorization: Bearer <token>');
  }
  return caller.roles.includes('ADMIN') ? null : caller.organizationId;
}
