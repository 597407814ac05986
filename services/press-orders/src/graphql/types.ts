import { deliverableFormats, pressOrderStatuses } from '@hub/event-catalogue';
import { connectionOf, DateTimeScalar, VndScalar } from '@hub/graphql-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { PressOrderRow } from '../read-model.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const DeliverableFormatEnum = enumOf(deliverableFormats);
export const PressOrderStatusEnum = enumOf(pressOrderStatuses);
registerEnumType(DeliverableFormatEnum, { name: 'DeliverableFormat' });
registerEnumType(PressOrderStatusEnum, { name: 'PressOrderStatus' });

/** A policy as press orders see it: only its key; the gateway gets the rest from content. */
@ObjectType('Policy')
@Directive('@key(fields: "id", resolvable: false)')
export class PolicyRef {
  @Field(() => ID)
  id!: string;
}

export const policyRef = (id: string): PolicyRef => Object.assign(new PolicyRef(), { id });

@ObjectType('Deliverable')
export class Deliverable {
  @Field(() => DeliverableFormatEnum)
  format!: PressOrderRow['format'];

  @Field(() => String)
  title!: string;

  @Field(() => String)
  url!: string;

  @Field(() => DateTimeScalar)
  publishedAt!: string;
}

/** The GraphQL PressOrder is the read-model row; related entities resolve through loaders. */
@ObjectType('PressOrder', { description: 'A commission of a press agency under Decree 32/2019/NĐ-CP (đặt hàng).' })
@Directive('@key(fields: "id")')
export class PressOrder implements PressOrderRow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  brief!: string;

  @Field(() => DeliverableFormatEnum)
  format!: PressOrderRow['format'];

  @Field(() => Int)
  quantity!: number;

  @Field(() => VndScalar, { description: 'Total value in whole VND.' })
  budget!: number;

  @Field(() => VndScalar, {
    nullable: true,
    description: 'Whole VND per unit, when stated or when the total divides evenly.',
  })
  unitPrice!: number | null;

  @Field(() => String, { nullable: true, description: 'Quality and acceptance criteria.' })
  qualityCriteria!: string | null;

  @Field(() => String, { nullable: true, description: 'How the result is tested and handed over (nghiệm thu).' })
  acceptanceMethod!: string | null;

  @Field(() => String, { nullable: true })
  budgetSource!: string | null;

  @Field(() => String, { nullable: true })
  paymentMethod!: string | null;

  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar)
  deadline!: string;

  @Field(() => DateTimeScalar)
  placedAt!: string;

  @Field(() => PressOrderStatusEnum)
  status!: PressOrderRow['status'];

  @Field(() => String, {
    nullable: true,
    description: 'Why the order was declined or cancelled, or its latest delivery rejected.',
  })
  statusReason!: string | null;

  @Field(() => [Deliverable], { description: 'The latest delivery.' })
  deliverables!: PressOrderRow['deliverables'];

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the latest delivery was submitted.' })
  deliveredAt!: string | null;

  @Field(() => VndScalar, { nullable: true })
  settledAmount!: number | null;

  ordererId!: string;
  newsroomId!: string;
  policyId!: string | null;
}

export const toPressOrder = (row: PressOrderRow): PressOrder => Object.assign(new PressOrder(), row);

export const PressOrderConnection = connectionOf(PressOrder, 'PressOrder');
export type PressOrderConnection = InstanceType<typeof PressOrderConnection>;

@ObjectType('PressOrderTotals', {
  description: 'Orders and whole VND committed (not declined or cancelled), accepted (nghiệm thu passed) and settled.',
})
export class PressOrderTotals {
  @Field(() => Int)
  orders!: number;

  @Field(() => Int)
  committedOrders!: number;

  @Field(() => VndScalar)
  committed!: number;

  @Field(() => Int)
  acceptedOrders!: number;

  @Field(() => VndScalar)
  accepted!: number;

  @Field(() => Int)
  settledOrders!: number;

  @Field(() => VndScalar)
  settled!: number;

  @Field(() => Int)
  overdueOrders!: number;
}

@InputType('PlacePressOrderInput')
export class PlacePressOrderInput {
  @Field(() => ID)
  ordererId!: string;

  @Field(() => ID)
  newsroomId!: string;

  @Field(() => ID, { nullable: true })
  policyId?: string | null;

  @Field(() => String)
  brief!: string;

  @Field(() => DeliverableFormatEnum)
  format!: PressOrderRow['format'];

  @Field(() => Int)
  quantity!: number;

  @Field(() => VndScalar)
  budget!: number;

  @Field(() => DateTimeScalar)
  startsAt!: string;

  @Field(() => DateTimeScalar)
  deadline!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;

  @Field(() => VndScalar, { nullable: true, description: 'If given, times quantity must equal the budget.' })
  unitPrice?: number | null;

  @Field(() => String, { nullable: true })
  qualityCriteria?: string | null;

  @Field(() => String, { nullable: true, description: 'How the result is tested and handed over (nghiệm thu).' })
  acceptanceMethod?: string | null;

  @Field(() => String, { nullable: true })
  budgetSource?: string | null;

  @Field(() => String, { nullable: true })
  paymentMethod?: string | null;
}

@InputType('PressOrderActionInput')
export class PressOrderActionInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('DeliverableInput')
export class DeliverableInput {
  @Field(() => DeliverableFormatEnum)
  format!: PressOrderRow['format'];

  @Field(() => String)
  title!: string;

  @Field(() => String)
  url!: string;

  @Field(() => DateTimeScalar)
  publishedAt!: string;
}

@InputType('SubmitDeliverablesInput')
export class SubmitDeliverablesInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => [DeliverableInput])
  deliverables!: DeliverableInput[];

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('SettlePressOrderInput')
export class SettlePressOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => VndScalar)
  amount!: number;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}
