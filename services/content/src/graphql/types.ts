import {
  communicationChannels,
  organizationKinds,
  type PlanRegion as PlanRegionData,
  regionKinds,
  statementKinds,
} from '@hub/event-catalogue';
import { connectionOf, DateTimeScalar, VndScalar } from '@hub/graphql-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  DeliveryRow,
  DistributionRow,
  FeedbackRow,
  MilestoneRow,
  PlanRow,
  PolicyRow,
  StatementRow,
} from '../read-model.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const PolicyStatusEnum = enumOf([
  'DRAFT',
  'IN_CONSULTATION',
  'CONSULTATION_CLOSED',
  'ISSUED',
  'SUPERSEDED',
] as const);
export const StatementKindEnum = enumOf(statementKinds);
export const DeliveryStatusEnum = enumOf(['DELIVERED', 'ACKNOWLEDGED'] as const);
export const OrganizationKindEnum = enumOf(organizationKinds);
export const CommunicationChannelEnum = enumOf(communicationChannels);
export const RegionKindEnum = enumOf(regionKinds);
registerEnumType(PolicyStatusEnum, { name: 'PolicyStatus' });
registerEnumType(StatementKindEnum, { name: 'StatementKind' });
registerEnumType(DeliveryStatusEnum, { name: 'DeliveryStatus' });
registerEnumType(OrganizationKindEnum, { name: 'OrganizationKind' });
registerEnumType(CommunicationChannelEnum, { name: 'CommunicationChannel' });
registerEnumType(RegionKindEnum, { name: 'RegionKind' });

/** A policy; nested fields (feedback, timeline, organization) are resolved per request in batches. */
@ObjectType('Policy')
@Directive('@key(fields: "id")')
export class Policy implements PolicyRow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true, description: 'e.g. 12/NQ-CP once issued' })
  documentNumber!: string | null;

  @Field(() => PolicyStatusEnum)
  status!: PolicyRow['status'];

  @Field(() => String, { nullable: true })
  summary!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  consultationOpensAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  consultationClosesAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  issuedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  effectiveAt!: string | null;

  leadOrganizationId!: string;
  supersededById!: string | null;
  draftedAt!: string;
}

export const toPolicy = (row: PolicyRow): Policy => Object.assign(new Policy(), row);

export const PolicyConnection = connectionOf(Policy, 'Policy');
export type PolicyConnection = InstanceType<typeof PolicyConnection>;

/** Comment from the public consultation on a draft policy. */
@ObjectType('Feedback')
export class Feedback implements FeedbackRow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  text!: string;

  @Field(() => DateTimeScalar)
  submittedAt!: string;

  @Field(() => String, { nullable: true })
  answer!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  answeredAt!: string | null;

  @Field(() => Boolean, { description: "Hidden by moderation: shown only to the lead organization's editors." })
  hidden!: boolean;

  policyId!: string;
}

export const toFeedback = (row: FeedbackRow): Feedback => Object.assign(new Feedback(), row);

export const FeedbackConnection = connectionOf(Feedback, 'Feedback');
export type FeedbackConnection = InstanceType<typeof FeedbackConnection>;

@ObjectType('Statement')
@Directive('@key(fields: "id")')
export class Statement implements StatementRow {
  @Field(() => ID)
  id!: string;

  @Field(() => StatementKindEnum)
  kind!: StatementRow['kind'];

  @Field(() => String)
  title!: string;

  @Field(() => String)
  body!: string;

  @Field(() => DateTimeScalar)
  releasedAt!: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Before this time only its organization and its recipients can see the statement.',
  })
  embargoUntil!: string | null;

  organizationId!: string;
  spokespersonId!: string;
  policyIds!: readonly string[];
}

export const toStatement = (row: StatementRow): Statement => Object.assign(new Statement(), row);

export const StatementConnection = connectionOf(Statement, 'Statement');
export type StatementConnection = InstanceType<typeof StatementConnection>;

@ObjectType('Delivery')
export class Delivery implements DeliveryRow {
  @Field(() => DeliveryStatusEnum)
  get status(): 'DELIVERED' | 'ACKNOWLEDGED' {
    return this.acknowledgedAt === null ? 'DELIVERED' : 'ACKNOWLEDGED';
  }

  @Field(() => DateTimeScalar)
  deliveredAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  acknowledgedAt!: string | null;

  distributionId!: string;
  recipientId!: string;
}

export const toDelivery = (row: DeliveryRow): Delivery => Object.assign(new Delivery(), row);

@ObjectType('Distribution')
export class Distribution implements DistributionRow {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  recipientCount!: number;

  @Field(() => Int)
  acknowledgedCount!: number;

  @Field(() => Number, { description: 'Acknowledged deliveries over all deliveries, 0 to 1.' })
  get acknowledgedRate(): number {
    return this.recipientCount === 0 ? 0 : this.acknowledgedCount / this.recipientCount;
  }

  @Field(() => DateTimeScalar)
  deliveredAt!: string;

  organizationId!: string;
  statementId!: string | null;
  policyId!: string | null;
}

export const toDistribution = (row: DistributionRow): Distribution => Object.assign(new Distribution(), row);

@ObjectType('PlanRegion', { description: 'Where a plan reaches; border, island and remote areas are counted apart.' })
export class PlanRegion implements PlanRegionData {
  @Field(() => RegionKindEnum)
  kind!: PlanRegionData['kind'];

  @Field(() => String, { nullable: true, description: 'The province it lies in, when it lies in one.' })
  provinceId!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@ObjectType('PlanMilestone')
export class PlanMilestone implements MilestoneRow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => DateTimeScalar)
  dueAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt!: string | null;

  planId!: string;
  /** When "overdue" is judged: the request's present. */
  asOf!: string;

  @Field(() => Boolean)
  get overdue(): boolean {
    return this.completedAt === null && Date.parse(this.dueAt) < Date.parse(this.asOf);
  }
}

export const toMilestone = (row: MilestoneRow, asOf: string): PlanMilestone =>
  Object.assign(new PlanMilestone(), row, { asOf });

/** A communication plan (Directive 07/CT-TTg): for one policy, or an organization's annual plan. */
@ObjectType('CommunicationPlan')
export class CommunicationPlan {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { nullable: true, description: 'The year of an annual plan.' })
  year!: number | null;

  @Field(() => [String])
  goals!: string[];

  @Field(() => [String])
  audiences!: string[];

  @Field(() => [CommunicationChannelEnum])
  channels!: PlanRow['channels'][number][];

  @Field(() => [PlanRegion])
  regions!: PlanRegion[];

  @Field(() => [PlanMilestone])
  milestones!: PlanMilestone[];

  @Field(() => VndScalar)
  budget!: number;

  @Field(() => DateTimeScalar)
  adoptedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  revisedAt!: string | null;

  organizationId!: string;
  policyId!: string | null;
}

export const toPlan = (row: PlanRow, asOf: string): CommunicationPlan =>
  Object.assign(new CommunicationPlan(), {
    ...row,
    goals: [...row.goals],
    audiences: [...row.audiences],
    channels: [...row.channels],
    regions: row.regions.map((r) => Object.assign(new PlanRegion(), r)),
    milestones: row.milestones.map((m) => toMilestone(m, asOf)),
  });

export const CommunicationPlanConnection = connectionOf(CommunicationPlan, 'CommunicationPlan');
export type CommunicationPlanConnection = InstanceType<typeof CommunicationPlanConnection>;

// --- inputs

@InputType('DraftPolicyInput')
export class DraftPolicyInput {
  @Field(() => String)
  title!: string;

  @Field(() => ID)
  leadOrganizationId!: string;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('OpenConsultationInput')
export class OpenConsultationInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => DateTimeScalar)
  opensAt!: string;

  @Field(() => DateTimeScalar)
  closesAt!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('SubmitFeedbackInput')
export class SubmitFeedbackInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => String)
  text!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('AnswerFeedbackInput')
export class AnswerFeedbackInput {
  @Field(() => ID)
  feedbackId!: string;

  @Field(() => String)
  answer!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('HideFeedbackInput')
export class HideFeedbackInput {
  @Field(() => ID)
  feedbackId!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('CloseConsultationInput')
export class CloseConsultationInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('IssuePolicyInput')
export class IssuePolicyInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => String)
  documentNumber!: string;

  @Field(() => DateTimeScalar)
  issuedAt!: string;

  @Field(() => DateTimeScalar)
  effectiveAt!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('SupersedePolicyInput')
export class SupersedePolicyInput {
  @Field(() => ID)
  policyId!: string;

  @Field(() => ID)
  supersededById!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('ReleaseStatementInput')
export class ReleaseStatementInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => StatementKindEnum)
  kind!: StatementRow['kind'];

  @Field(() => String)
  title!: string;

  @Field(() => String)
  body!: string;

  @Field(() => [ID], { nullable: true })
  policyIds?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true })
  embargoUntil?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('DistributeInput')
export class DistributeInput {
  @Field(() => ID, { nullable: true })
  statementId?: string | null;

  @Field(() => ID, { nullable: true })
  policyId?: string | null;

  @Field(() => [ID], { nullable: true })
  recipientIds?: string[] | null;

  @Field(() => [OrganizationKindEnum], { nullable: true })
  recipientKinds?: (typeof organizationKinds)[number][] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Narrows recipientKinds to units under those organizations (e.g. every COMMUNE of one province).',
  })
  withinOrganizationIds?: string[] | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('AcknowledgeDeliveryInput')
export class AcknowledgeDeliveryInput {
  @Field(() => ID)
  distributionId!: string;

  @Field(() => ID)
  recipientId!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('PlanRegionInput')
export class PlanRegionInput {
  @Field(() => RegionKindEnum)
  kind!: PlanRegionData['kind'];

  @Field(() => ID, { nullable: true })
  provinceId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('PlanMilestoneInput')
export class PlanMilestoneInput {
  @Field(() => ID, { nullable: true, description: 'An existing milestone when revising; omit for a new one.' })
  id?: string | null;

  @Field(() => String)
  title!: string;

  @Field(() => DateTimeScalar)
  dueAt!: string;
}

@InputType('AdoptPlanInput')
export class AdoptPlanInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => ID, { nullable: true, description: 'The policy the plan communicates; omit for an annual plan.' })
  policyId?: string | null;

  @Field(() => Int, { nullable: true, description: 'The year of an annual plan.' })
  year?: number | null;

  @Field(() => [String], { nullable: true })
  goals?: string[] | null;

  @Field(() => [String], { nullable: true })
  audiences?: string[] | null;

  @Field(() => [CommunicationChannelEnum])
  channels!: PlanRow['channels'][number][];

  @Field(() => [PlanRegionInput], { nullable: true })
  regions?: PlanRegionInput[] | null;

  @Field(() => [PlanMilestoneInput], { nullable: true })
  milestones?: PlanMilestoneInput[] | null;

  @Field(() => VndScalar)
  budget!: number;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('RevisePlanInput')
export class RevisePlanInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => ID, { nullable: true })
  policyId?: string | null;

  @Field(() => Int, { nullable: true })
  year?: number | null;

  @Field(() => [String], { nullable: true })
  goals?: string[] | null;

  @Field(() => [String], { nullable: true })
  audiences?: string[] | null;

  @Field(() => [CommunicationChannelEnum])
  channels!: PlanRow['channels'][number][];

  @Field(() => [PlanRegionInput], { nullable: true })
  regions?: PlanRegionInput[] | null;

  @Field(() => [PlanMilestoneInput], { nullable: true })
  milestones?: PlanMilestoneInput[] | null;

  @Field(() => VndScalar)
  budget!: number;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('CompleteMilestoneInput')
export class CompleteMilestoneInput {
  @Field(() => ID)
  planId!: string;

  @Field(() => ID)
  milestoneId!: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}
