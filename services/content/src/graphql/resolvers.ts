import { viewEvent } from '@hub/audience';
import { isAuthenticated } from '@hub/auth';
import {
  contactRef,
  fetchPage,
  HubEvent,
  LiaisonContactRef,
  OrganizationRef,
  organizationRef,
  pageOf,
  type RequestContext,
} from '@hub/graphql-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PolicyRow, TimelineEvent } from '../read-model.js';
import { type ContentService, viewerOf } from '../service.js';
import {
  AcknowledgeDeliveryInput,
  AdoptPlanInput,
  AnswerFeedbackInput,
  CloseConsultationInput,
  CommunicationPlan,
  CommunicationPlanConnection,
  CompleteMilestoneInput,
  Delivery,
  DistributeInput,
  Distribution,
  DraftPolicyInput,
  Feedback,
  FeedbackConnection,
  HideFeedbackInput,
  IssuePolicyInput,
  OpenConsultationInput,
  PlanMilestone,
  Policy,
  PolicyConnection,
  PolicyStatusEnum,
  ReleaseStatementInput,
  RevisePlanInput,
  Statement,
  StatementConnection,
  SubmitFeedbackInput,
  SupersedePolicyInput,
  toDelivery,
  toDistribution,
  toFeedback,
  toMilestone,
  toPlan,
  toPolicy,
  toStatement,
} from './types.js';

export interface ContentContext extends RequestContext {
  readonly content: ContentService;
}

const now = (): string => new Date().toISOString();

/** Policies by id as this request's caller may see them, batched per request. */
export function policyLoader(ctx: ContentContext) {
  return ctx.loaders.get<string, Policy | null>('policy', async (ids) => {
    const rows = await ctx.content.readModel.policiesByIds(ids, viewerOf(ctx.caller));
    return ids.map((id) => {
      const row = rows.get(id);
      return row ? toPolicy(row) : null;
    });
  });
}

/** Statements by id, only those visible to the caller now (embargo), batched per request. */
export function statementLoader(ctx: ContentContext) {
  return ctx.loaders.get<string, Statement | null>('statement', async (ids) => {
    const rows = await ctx.content.readModel.statementsByIds(ids, viewerOf(ctx.caller), now());
    return ids.map((id) => {
      const row = rows.get(id);
      return row ? toStatement(row) : null;
    });
  });
}

function planLoader(ctx: ContentContext) {
  return ctx.loaders.get<string, CommunicationPlan | null>('plan', async (ids) => {
    const at = now();
    const rows = new Map((await ctx.content.readModel.plans({ ids })).map((p) => [p.id, toPlan(p, at)]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** The lead organization's editors (and administrators) moderate feedback and so see hidden items. */
const moderates = (ctx: ContentContext, policy: Pick<PolicyRow, 'leadOrganizationId'>): boolean =>
  isAuthenticated(ctx.caller) &&
  (ctx.caller.roles.includes('ADMIN') ||
    (ctx.caller.organizationId === policy.leadOrganizationId && ctx.caller.roles.includes('ORG_EDITOR')));

@Resolver(() => Policy)
export class PolicyResolver {
  @Query(() => PolicyConnection)
  policies(
    @Ctx() ctx: ContentContext,
    @Arg('status', () => PolicyStatusEnum, { nullable: true }) status?: PolicyRow['status'] | null,
    @Arg('leadOrganizationId', () => ID, { nullable: true }) leadOrganizationId?: string | null,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<PolicyConnection> {
    return fetchPage(
      { first, after },
      (offset, limit) =>
        ctx.content.readModel.listPolicies({ status, leadOrganizationId, search }, viewerOf(ctx.caller), offset, limit),
      toPolicy,
    );
  }

  @Query(() => Policy, { nullable: true })
  policy(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<Policy | null> {
    return policyLoader(ctx).load(id);
  }

  @FieldResolver(() => OrganizationRef)
  leadOrganization(@Root() policy: Policy): OrganizationRef {
    return organizationRef(policy.leadOrganizationId);
  }

  @FieldResolver(() => FeedbackConnection)
  async feedback(
    @Root() policy: Policy,
    @Ctx() ctx: ContentContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<FeedbackConnection> {
    const all = await ctx.loaders
      .get<string, Feedback[]>('feedback-of-policy', async (ids) => {
        const byPolicy = await ctx.content.readModel.feedbackOfPolicies(ids);
        return ids.map((id) => (byPolicy.get(id) ?? []).map(toFeedback));
      })
      .load(policy.id);
    const visible = moderates(ctx, policy) ? all : all.filter((f) => !f.hidden);
    return pageOf(visible, { first, after });
  }

  // Each event as the audience rule lets the caller see it: raw, redacted, or left out.
  @FieldResolver(() => [HubEvent], { description: 'Every event of this policy, oldest first.' })
  async timeline(@Root() policy: Policy, @Ctx() ctx: ContentContext): Promise<HubEvent[]> {
    const events = await ctx.loaders
      .get<string, TimelineEvent[]>('timeline', async (ids) => {
        const byPolicy = await ctx.content.readModel.timelines(ids);
        return ids.map((id) => byPolicy.get(id) ?? []);
      })
      .load(policy.id);
    // Whoever resolves this policy may see it, so it is published unless the caller is its lead.
    const audience = {
      now: new Date(),
      publishedPolicies: new Set(policy.status === 'DRAFT' ? [] : [policy.id]),
    };
    return events.flatMap((event) => {
      const view = viewEvent(event, ctx.caller, audience);
      if (view === null) return [];
      return [
        Object.assign(new HubEvent(), {
          ...event,
          data: view.data,
          organization: event.organizationId ? organizationRef(event.organizationId) : null,
        }),
      ];
    });
  }

  @Mutation(() => Policy)
  async draftPolicy(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => DraftPolicyInput) input: DraftPolicyInput,
  ): Promise<Policy> {
    return toPolicy(await ctx.content.draftPolicy(ctx.caller, input));
  }

  @Mutation(() => Policy)
  async openConsultation(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => OpenConsultationInput) input: OpenConsultationInput,
  ): Promise<Policy> {
    return toPolicy(await ctx.content.openConsultation(ctx.caller, input));
  }

  @Mutation(() => Policy)
  async closeConsultation(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => CloseConsultationInput) input: CloseConsultationInput,
  ): Promise<Policy> {
    return toPolicy(await ctx.content.closeConsultation(ctx.caller, input));
  }

  @Mutation(() => Policy)
  async issuePolicy(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => IssuePolicyInput) input: IssuePolicyInput,
  ): Promise<Policy> {
    return toPolicy(await ctx.content.issuePolicy(ctx.caller, input));
  }

  @Mutation(() => Policy, { description: 'Marks an issued policy as replaced by another issued one.' })
  async supersedePolicy(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => SupersedePolicyInput) input: SupersedePolicyInput,
  ): Promise<Policy> {
    return toPolicy(await ctx.content.supersedePolicy(ctx.caller, input));
  }
}

@Resolver(() => Feedback)
export class FeedbackResolver {
  @FieldResolver(() => Policy)
  async policy(@Root() feedback: Feedback, @Ctx() ctx: ContentContext): Promise<Policy> {
    const found = await policyLoader(ctx).load(feedback.policyId);
    if (!found) throw new Error(`feedback ${feedback.id} names policy ${feedback.policyId}, which is not there`);
    return found;
  }

  @Mutation(() => Feedback, { description: 'Anonymous callers allowed; limited per caller and policy.' })
  async submitFeedback(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => SubmitFeedbackInput) input: SubmitFeedbackInput,
  ): Promise<Feedback> {
    return toFeedback(await ctx.content.submitFeedback(ctx.caller, ctx.clientAddress, input));
  }

  @Mutation(() => Feedback)
  async answerFeedback(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => AnswerFeedbackInput) input: AnswerFeedbackInput,
  ): Promise<Feedback> {
    return toFeedback(await ctx.content.answerFeedback(ctx.caller, input));
  }

  @Mutation(() => Feedback, { description: 'Moderation: hides feedback from the public, with a reason.' })
  async hideFeedback(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => HideFeedbackInput) input: HideFeedbackInput,
  ): Promise<Feedback> {
    return toFeedback(await ctx.content.hideFeedback(ctx.caller, input));
  }
}

@Resolver(() => Statement)
export class StatementResolver {
  @Query(() => StatementConnection)
  statements(
    @Ctx() ctx: ContentContext,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string | null,
    @Arg('policyId', () => ID, { nullable: true }) policyId?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<StatementConnection> {
    return fetchPage(
      { first, after },
      (offset, limit) =>
        ctx.content.readModel.listStatements({ organizationId, policyId }, viewerOf(ctx.caller), now(), offset, limit),
      toStatement,
    );
  }

  @Query(() => Statement, { nullable: true, description: 'Null while under embargo for callers who may not see it.' })
  statement(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<Statement | null> {
    return statementLoader(ctx).load(id);
  }

  @FieldResolver(() => OrganizationRef)
  organization(@Root() statement: Statement): OrganizationRef {
    return organizationRef(statement.organizationId);
  }

  @FieldResolver(() => LiaisonContactRef, {
    nullable: true,
    description: "The organization's spokesperson at release (Decree 09/2017).",
  })
  spokesperson(@Root() statement: Statement): LiaisonContactRef {
    return contactRef(statement.spokespersonId);
  }

  @FieldResolver(() => [Policy])
  async policies(@Root() statement: Statement, @Ctx() ctx: ContentContext): Promise<Policy[]> {
    const found = await policyLoader(ctx).loadMany([...statement.policyIds]);
    return found.filter((p): p is Policy => p instanceof Policy);
  }

  @Mutation(() => Statement)
  async releaseStatement(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => ReleaseStatementInput) input: ReleaseStatementInput,
  ): Promise<Statement> {
    return toStatement(await ctx.content.releaseStatement(ctx.caller, input));
  }
}

@Resolver(() => Distribution)
export class DistributionResolver {
  @Query(() => Distribution, { nullable: true })
  async distribution(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<Distribution | null> {
    const row = (await ctx.content.readModel.distributionsByIds([id])).get(id);
    if (!row) return null;
    // Under embargo a distribution would reveal its statement; it shows only to those who may see it.
    if (row.statementId && !(await statementLoader(ctx).load(row.statementId))) return null;
    return toDistribution(row);
  }

  @FieldResolver(() => Statement, { nullable: true })
  statement(@Root() distribution: Distribution, @Ctx() ctx: ContentContext): Promise<Statement | null> | null {
    return distribution.statementId ? statementLoader(ctx).load(distribution.statementId) : null;
  }

  @FieldResolver(() => Policy, { nullable: true })
  policy(@Root() distribution: Distribution, @Ctx() ctx: ContentContext): Promise<Policy | null> | null {
    return distribution.policyId ? policyLoader(ctx).load(distribution.policyId) : null;
  }

  @FieldResolver(() => [Delivery])
  async deliveries(@Root() distribution: Distribution, @Ctx() ctx: ContentContext): Promise<Delivery[]> {
    return ctx.loaders
      .get<string, Delivery[]>('deliveries', async (ids) => {
        const byDistribution = await ctx.content.readModel.deliveriesOf(ids);
        return ids.map((id) => (byDistribution.get(id) ?? []).map(toDelivery));
      })
      .load(distribution.id);
  }

  @Mutation(() => Distribution, { description: 'One delivery per recipient: by id and/or every active one of a kind.' })
  async distribute(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => DistributeInput) input: DistributeInput,
  ): Promise<Distribution> {
    return toDistribution(await ctx.content.distribute(ctx.caller, input));
  }

  @Mutation(() => Distribution)
  async acknowledgeDelivery(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => AcknowledgeDeliveryInput) input: AcknowledgeDeliveryInput,
  ): Promise<Distribution> {
    return toDistribution(await ctx.content.acknowledgeDelivery(ctx.caller, input));
  }
}

@Resolver(() => Delivery)
export class DeliveryResolver {
  @FieldResolver(() => OrganizationRef)
  recipient(@Root() delivery: Delivery): OrganizationRef {
    return organizationRef(delivery.recipientId);
  }
}

@Resolver(() => CommunicationPlan)
export class PlanResolver {
  @Query(() => CommunicationPlanConnection, { description: "An organization's communication plans, newest first." })
  async communicationPlans(
    @Ctx() ctx: ContentContext,
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('year', () => Int, { nullable: true }) year?: number | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<CommunicationPlanConnection> {
    const at = now();
    const rows = await ctx.content.readModel.plans({ organizationId, year });
    return pageOf(
      rows.map((row) => toPlan(row, at)),
      { first, after },
    );
  }

  @Query(() => CommunicationPlan, { nullable: true })
  communicationPlan(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<CommunicationPlan | null> {
    return planLoader(ctx).load(id);
  }

  @Query(() => [PlanMilestone], { description: 'Milestones past their due date and not completed, earliest first.' })
  async overdueMilestones(
    @Ctx() ctx: ContentContext,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string | null,
  ): Promise<PlanMilestone[]> {
    const at = now();
    const rows = await ctx.content.readModel.overdueMilestones(organizationId ?? null, at);
    return rows.map((row) => toMilestone(row, at));
  }

  @FieldResolver(() => OrganizationRef)
  organization(@Root() plan: CommunicationPlan): OrganizationRef {
    return organizationRef(plan.organizationId);
  }

  @FieldResolver(() => Policy, { nullable: true })
  policy(@Root() plan: CommunicationPlan, @Ctx() ctx: ContentContext): Promise<Policy | null> | null {
    return plan.policyId ? policyLoader(ctx).load(plan.policyId) : null;
  }

  @Mutation(() => CommunicationPlan, {
    description: 'Directive 07/CT-TTg: a communication plan for a policy or a year.',
  })
  async adoptPlan(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => AdoptPlanInput) input: AdoptPlanInput,
  ): Promise<CommunicationPlan> {
    return toPlan(await ctx.content.adoptPlan(ctx.caller, input), now());
  }

  @Mutation(() => CommunicationPlan)
  async revisePlan(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => RevisePlanInput) input: RevisePlanInput,
  ): Promise<CommunicationPlan> {
    return toPlan(await ctx.content.revisePlan(ctx.caller, input), now());
  }

  @Mutation(() => CommunicationPlan)
  async completeMilestone(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => CompleteMilestoneInput) input: CompleteMilestoneInput,
  ): Promise<CommunicationPlan> {
    return toPlan(await ctx.content.completeMilestone(ctx.caller, input), now());
  }
}

@Resolver(() => PlanMilestone)
export class MilestoneResolver {
  @FieldResolver(() => CommunicationPlan)
  async plan(@Root() milestone: PlanMilestone, @Ctx() ctx: ContentContext): Promise<CommunicationPlan> {
    const plan = await planLoader(ctx).load(milestone.planId);
    if (!plan) throw new Error(`milestone ${milestone.id} names plan ${milestone.planId}, which is not there`);
    return plan;
  }
}

/** Federation: other subgraphs (press orders) refer to policies and statements by id. */
export const referenceResolvers = {
  Policy: {
    __resolveReference: (reference: { id: string }, ctx: ContentContext) => policyLoader(ctx).load(reference.id),
  },
  Statement: {
    __resolveReference: (reference: { id: string }, ctx: ContentContext) => statementLoader(ctx).load(reference.id),
  },
};
