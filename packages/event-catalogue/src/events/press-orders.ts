import type { EventDefinition, JsonSchema } from '../catalogue.js';
import { id, instant, object, optionalText } from './schema-parts.js';

export const deliverableFormats = ['ARTICLE', 'VIDEO', 'RADIO', 'INFOGRAPHIC', 'SOCIAL_POST'] as const;
export type DeliverableFormat = (typeof deliverableFormats)[number];

export const pressOrderStatuses = [
  'PLACED',
  'ACCEPTED',
  'DECLINED',
  'DELIVERED',
  'DELIVERY_ACCEPTED',
  'DELIVERY_REJECTED',
  'SETTLED',
  'CANCELLED',
] as const;
export type PressOrderStatus = (typeof pressOrderStatuses)[number];

/**
 * Every press-order event names the order, its orderer (also as `organizationId`: the order counts
 * towards the orderer's scoreboard) and its newsroom, so a consumer such as Insights can attribute
 * it to both sides without reading any other event.
 */
type OrderParties = {
  readonly orderId: string;
  readonly organizationId: string;
  readonly ordererId: string;
  readonly newsroomId: string;
};

export type Deliverable = {
  readonly format: DeliverableFormat;
  readonly title: string;
  readonly url: string;
  readonly publishedAt: string;
};

/** An order as Decree 32/2019/NĐ-CP requires it to be stated; carries all an inbox needs. */
export type PressOrderPlaced = OrderParties & {
  readonly policyId: string | null;
  readonly brief: string;
  readonly format: DeliverableFormat;
  readonly quantity: number;
  /** Total value in whole VND. */
  readonly budget: number;
  /** Whole VND per unit, when the total divides evenly or the orderer stated it. */
  readonly unitPrice: number | null;
  readonly qualityCriteria: string | null;
  /** How the result is tested and handed over (nghiệm thu). */
  readonly acceptanceMethod: string | null;
  readonly budgetSource: string | null;
  readonly paymentMethod: string | null;
  readonly startsAt: string;
  readonly deadline: string;
  readonly placedAt: string;
};
export type PressOrderAccepted = OrderParties & { readonly acceptedAt: string };
export type PressOrderDeclined = OrderParties & { readonly reason: string; readonly declinedAt: string };
export type DeliverablesSubmitted = OrderParties & {
  readonly deliverables: readonly Deliverable[];
  /** 1 for the first delivery, 2 after one rejection, … */
  readonly submission: number;
  readonly submittedAt: string;
  readonly deadline: string;
  readonly onTime: boolean;
};
export type DeliveryAccepted = OrderParties & {
  readonly acceptedAt: string;
  /** When the accepted delivery was submitted, against the deadline: "delivered on time". */
  readonly deliveredAt: string;
  readonly deadline: string;
  readonly onTime: boolean;
  readonly budget: number;
};
export type DeliveryRejected = OrderParties & { readonly reason: string; readonly rejectedAt: string };
export type PressOrderSettled = OrderParties & {
  /** Whole VND paid; never more than the budget. */
  readonly amount: number;
  readonly budget: number;
  readonly settledAt: string;
};
export type PressOrderCancelled = OrderParties & {
  readonly reason: string;
  readonly previousStatus: PressOrderStatus;
  readonly cancelledAt: string;
};

export interface PressOrderEventMap {
  PressOrderPlaced: PressOrderPlaced;
  PressOrderAccepted: PressOrderAccepted;
  PressOrderDeclined: PressOrderDeclined;
  DeliverablesSubmitted: DeliverablesSubmitted;
  DeliveryAccepted: DeliveryAccepted;
  DeliveryRejected: DeliveryRejected;
  PressOrderSettled: PressOrderSettled;
  PressOrderCancelled: PressOrderCancelled;
}

const vnd: JsonSchema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };
const reason: JsonSchema = { type: 'string', minLength: 1, maxLength: 2000 };
const format: JsonSchema = { enum: [...deliverableFormats] };
const parties = { orderId: id, organizationId: id, ordererId: id, newsroomId: id };
const partyKeys = ['orderId', 'organizationId', 'ordererId', 'newsroomId'];

const withParties = (properties: Record<string, JsonSchema>): JsonSchema =>
  object({ ...parties, ...properties }, [...partyKeys, ...Object.keys(properties)]);

const deliverable = object(
  {
    format,
    title: { type: 'string', minLength: 1, maxLength: 500 },
    url: { type: 'string', pattern: '^https?://', maxLength: 2000 },
    publishedAt: instant,
  },
  ['format', 'title', 'url', 'publishedAt'],
);

export const pressOrderEvents: EventDefinition[] = [
  {
    type: 'PressOrderPlaced',
    version: 1,
    schema: withParties({
      policyId: { type: ['string', 'null'], minLength: 1, maxLength: 100 },
      brief: { type: 'string', minLength: 1, maxLength: 4000 },
      format,
      quantity: { type: 'integer', minimum: 1, maximum: 100_000 },
      budget: vnd,
      unitPrice: { type: ['integer', 'null'], minimum: 1 },
      qualityCriteria: optionalText(4000),
      acceptanceMethod: optionalText(4000),
      budgetSource: optionalText(500),
      paymentMethod: optionalText(500),
      startsAt: instant,
      deadline: instant,
      placedAt: instant,
    }),
  },
  { type: 'PressOrderAccepted', version: 1, schema: withParties({ acceptedAt: instant }) },
  { type: 'PressOrderDeclined', version: 1, schema: withParties({ reason, declinedAt: instant }) },
  {
    type: 'DeliverablesSubmitted',
    version: 1,
    schema: withParties({
      deliverables: { type: 'array', items: deliverable, minItems: 1, maxItems: 100 },
      submission: { type: 'integer', minimum: 1 },
      submittedAt: instant,
      deadline: instant,
      onTime: { type: 'boolean' },
    }),
  },
  {
    type: 'DeliveryAccepted',
    version: 1,
    schema: withParties({
      acceptedAt: instant,
      deliveredAt: instant,
      deadline: instant,
      onTime: { type: 'boolean' },
      budget: vnd,
    }),
  },
  { type: 'DeliveryRejected', version: 1, schema: withParties({ reason, rejectedAt: instant }) },
  { type: 'PressOrderSettled', version: 1, schema: withParties({ amount: vnd, budget: vnd, settledAt: instant }) },
  {
    type: 'PressOrderCancelled',
    version: 1,
    schema: withParties({
      reason,
      previousStatus: { enum: [...pressOrderStatuses] },
      cancelledAt: instant,
    }),
  },
];
