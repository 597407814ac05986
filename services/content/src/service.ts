import { createHash, randomUUID } from 'node:crypto';
import { type Caller, isAuthenticated, ROLES, requireRole, type UserCaller } from '@hub/auth';
import { type CommandContext, type CommandHandler, type CommandResult, deterministicId } from '@hub/command-handling';
import { badInput, forbidden, notFound } from '@hub/errors';
import {
  type CommunicationChannel,
  communicationChannels,
  type OrganizationKind,
  organizationKinds,
  type PlanContent,
  type PlanRegion,
  regionKinds,
  type StatementKind,
  statementKinds,
} from '@hub/event-catalogue';
import { optionalText, requiredText } from '@hub/graphql-kit';
import { deliveryDecider, distributionDecider } from './domain/distribution.js';
import { documentNumberDecider, documentNumberStream } from './domain/document-number.js';
import { planDecider } from './domain/plan.js';
import { type PolicyState, policyDecider } from './domain/policy.js';
import { statementDecider } from './domain/statement.js';
import { deliveryStream, distributionStream, planStream, policyStream, statementStream } from './events.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import type {
  ContentReadModel,
  DistributionRow,
  FeedbackRow,
  PlanRow,
  PolicyRow,
  StatementRow,
  Viewer,
} from './read-model.js';

type Keyed = { readonly idempotencyKey?: string | null };

export type DraftPolicy = Keyed & {
  readonly title: string;
  readonly leadOrganizationId: string;
  readonly summary?: string | null;
};
export type OpenConsultation = Keyed & {
  readonly policyId: string;
  readonly opensAt: string;
  readonly closesAt: string;
};
export type SubmitFeedback = Keyed & { readonly policyId: string; readonly text: string };
export type AnswerFeedback = Keyed & { readonly feedbackId: string; readonly answer: string };
export type HideFeedback = Keyed & { readonly feedbackId: string; readonly reason: string };
export type CloseConsultation = Keyed & { readonly policyId: string };
export type IssuePolicy = Keyed & {
  readonly policyId: string;
  readonly documentNumber: string;
  readonly issuedAt: string;
  readonly effectiveAt: string;
};
export type SupersedePolicy = Keyed & { readonly policyId: string; readonly supersededById: string };
export type ReleaseStatement = Keyed & {
  readonly organizationId: string;
  readonly kind: StatementKind;
  readonly title: string;
  readonly body: string;
  readonly policyIds?: readonly string[] | null;
  readonly embargoUntil?: string | null;
};
export type Distribute = Keyed & {
  readonly statementId?: string | null;
  readonly policyId?: string | null;
  readonly recipientIds?: readonly string[] | null;
  readonly recipientKinds?: readonly OrganizationKind[] | null;
  /** Narrows recipientKinds to the units under these organizations (every COMMUNE of one province). */
  readonly withinOrganizationIds?: readonly string[] | null;
};
export type AcknowledgeDelivery = Keyed & { readonly distributionId: string; readonly recipientId: string };
export type MilestoneInput = { readonly id?: string | null; readonly title: string; readonly dueAt: string };
export type PlanInput = {
  readonly title: string;
  readonly policyId?: string | null;
  readonly year?: number | null;
  readonly goals?: readonly string[] | null;
  readonly audiences?: readonly string[] | null;
  readonly channels: readonly CommunicationChannel[];
  readonly regions?:
    | readonly { kind: PlanRegion['kind']; provinceId?: string | null; description?: string | null }[]
    | null;
  readonly milestones?: readonly MilestoneInput[] | null;
  readonly budget: number;
};
export type AdoptPlan = Keyed & PlanInput & { readonly organizationId: string };
export type RevisePlan = Keyed & PlanInput & { readonly planId: string; readonly reason?: string | null };
export type CompleteMilestone = Keyed & { readonly planId: string; readonly milestoneId: string };

/** Waits until the read model has applied a command's events, so a mutation can answer with what it wrote. */
export type ReadYourWrites = (result: CommandResult<unknown>) => Promise<void>;

export interface ContentServiceOptions {
  readonly now?: () => Date;
  /** Feedback submissions allowed per caller per policy within `feedbackWindowMs`; default 5. */
  readonly feedbackLimit?: number;
  readonly feedbackWindowMs?: number;
}

const EDITORS = ['ADMIN', 'ORG_EDITOR'] as const;
/** Sees everything: for lookups that precede an authorization check of their own. */
const SYSTEM: Viewer = { organizationId: null, admin: true };

export const viewerOf = (caller: Caller): Viewer =>
  isAuthenticated(caller)
    ? { organizationId: caller.organizationId, admin: caller.roles.includes('ADMIN') }
    : { organizationId: null, admin: false };

/** Legacy-encoded text often has the Icelandic Ð (U+00D0) where Vietnamese Đ (U+0110) is meant. */
const documentNumberOf = (value: string): string => value.normalize('NFC').trim().replaceAll('\u00d0', 'Đ');

/**
 * The content service's use cases: authorize, turn input into a valid command, let the decider
 * rule, and answer from the read model once it has caught up. Facts about organizations and
 * spokespersons come from the directory's events, folded into this service's own tables.
 */
export class ContentService {
  private readonly now: () => Date;
  private readonly feedbackLimiter: SlidingWindowLimiter;

  constructor(
    readonly readModel: ContentReadModel,
    private readonly commands: CommandHandler,
    private readonly caughtUp: ReadYourWrites,
    /** Applies the directory's events seen so far, so a designation made a moment ago counts. */
    private readonly directoryCaughtUp: () => Promise<void>,
    options: ContentServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.feedbackLimiter = new SlidingWindowLimiter(
      options.feedbackLimit ?? 5,
      options.feedbackWindowMs ?? 60_000,
      () => this.now().getTime(),
    );
  }

  // --- policies

  async draftPolicy(caller: Caller, input: DraftPolicy): Promise<PolicyRow> {
    const user = requireRole(caller, EDITORS, input.leadOrganizationId);
    const title = requiredText(input.title, 'input.title', { max: 500 });
    const summary = optionalText(input.summary, 'input.summary', { max: 5000 });
    const at = this.instant();
    // An organization's standing rarely changes: catch up with the directory only when it looks unknown.
    let lead = await this.readModel.organizationAt(input.leadOrganizationId, at);
    if (lead.status !== 'ACTIVE') {
      await this.directoryCaughtUp();
      lead = await this.readModel.organizationAt(input.leadOrganizationId, at);
    }
    if (lead.status !== 'ACTIVE') {
      throw badInput(
        'input.leadOrganizationId',
        `organization ${input.leadOrganizationId} is ${lead.status.toLowerCase()}`,
      );
    }
    const policyId = this.newId('policy', user, input.idempotencyKey);
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policyId),
      { type: 'DraftPolicy', policyId, organizationId: input.leadOrganizationId, title, summary, at },
      this.context(user, input.leadOrganizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.policy(result.state.id);
  }

  async openConsultation(caller: Caller, input: OpenConsultation): Promise<PolicyRow> {
    const { policy, user } = await this.editorOf(caller, input.policyId);
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policy.id),
      { type: 'OpenConsultation', opensAt: input.opensAt, closesAt: input.closesAt, at: this.instant() },
      this.context(user, policy.leadOrganizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.policy(policy.id);
  }

  /**
   * Anyone may comment, signed in or not (Decision 407/QĐ-TTg). A caller (user id, else client
   * address) gets at most `feedbackLimit` submissions per policy per window; more is FORBIDDEN
   * with details.retryAfterSeconds.
   */
  async submitFeedback(caller: Caller, clientAddress: string, input: SubmitFeedback): Promise<FeedbackRow> {
    const feedbackText = requiredText(input.text, 'input.text', { max: 5000 });
    const policy = (await this.readModel.policiesByIds([input.policyId], viewerOf(caller))).get(input.policyId);
    if (!policy) throw notFound('Policy', input.policyId);
    const who = isAuthenticated(caller) ? `user:${caller.userId}` : `address:${clientAddress}`;
    const retryAfter = this.feedbackLimiter.take(`${policy.id}\u0000${who}`);
    if (retryAfter !== null) {
      throw forbidden(`too many feedback submissions, try again in ${retryAfter} s`, {
        retryAfterSeconds: retryAfter,
      });
    }
    // Anonymous citizens are told apart by a digest of their address: enough to keep their
    // idempotency keys apart, without writing addresses into the event log.
    const actor = isAuthenticated(caller)
      ? { userId: caller.userId, organizationId: caller.organizationId }
      : {
          userId: `anonymous:${createHash('sha256').update(clientAddress).digest('hex').slice(0, 16)}`,
          organizationId: null,
        };
    const feedbackId = input.idempotencyKey
      ? deterministicId(['feedback', actor.userId, input.idempotencyKey])
      : randomUUID();
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policy.id),
      {
        type: 'SubmitFeedback',
        feedbackId,
        text: feedbackText,
        submitterOrganizationId: actor.organizationId,
        at: this.instant(),
      },
      { actor, organizationId: policy.leadOrganizationId, idempotencyKey: input.idempotencyKey ?? null },
    );
    await this.caughtUp(result);
    return this.feedback(feedbackId);
  }

  async answerFeedback(caller: Caller, input: AnswerFeedback): Promise<FeedbackRow> {
    const answer = requiredText(input.answer, 'input.answer', { max: 5000 });
    const feedback = await this.feedback(input.feedbackId);
    const { policy, user } = await this.editorOf(caller, feedback.policyId);
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policy.id),
      { type: 'AnswerFeedback', feedbackId: feedback.id, answer, at: this.instant() },
      this.context(user, policy.leadOrganizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.feedback(feedback.id);
  }

  async hideFeedback(caller: Caller, input: HideFeedback): Promise<FeedbackRow> {
    const reason = requiredText(input.reason, 'input.reason', { max: 1000 });
    const feedback = await this.feedback(input.feedbackId);
    const { policy, user } = await this.editorOf(caller, feedback.policyId);
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policy.id),
      { type: 'HideFeedback', feedbackId: feedback.id, reason, at: this.instant() },
      this.context(user, policy.leadOrganizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.feedback(feedback.id);
  }

  async closeConsultation(caller: Caller, input: CloseConsultation): Promise<PolicyRow> {
    const { policy, user } = await this.editorOf(caller, input.policyId);
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policy.id),
      { type: 'CloseConsultation', at: this.instant() },
      this.context(user, policy.leadOrganizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.policy(policy.id);
  }

  async issuePolicy(caller: Caller, input: IssuePolicy): Promise<PolicyRow> {
    const { policy, user } = await this.editorOf(caller, input.policyId);
    const documentNumber = documentNumberOf(input.documentNumber);
    const heldBy = await this.readModel.policyIssuedAs(documentNumber);
    const issue = {
      type: 'IssuePolicy',
      documentNumber,
      issuedAt: input.issuedAt,
      effectiveAt: input.effectiveAt,
      documentNumberHeldBy: heldBy,
    } as const;
    // Refused input is refused before the number is taken, so it writes nothing.
    const issuing = this.context(user, policy.leadOrganizationId, input.idempotencyKey);
    await this.commands.check(policyDecider, policyStream(policy.id), issue, issuing);
    const number = { documentNumber, policyId: policy.id, organizationId: policy.leadOrganizationId };
    const register = documentNumberStream(documentNumber);
    const context = this.context(user, policy.leadOrganizationId, null);
    // The number's own stream decides who holds it, so racing issuances cannot both take it; an
    // issuance that still fails (the policy changed meanwhile) gives the number back.
    await this.commands.handle(documentNumberDecider, register, { type: 'Reserve', ...number }, context);
    let result: CommandResult<PolicyState>;
    try {
      result = await this.commands.handle(policyDecider, policyStream(policy.id), issue, issuing);
    } catch (error) {
      await this.commands.handle(documentNumberDecider, register, { type: 'Release', ...number }, context);
      throw error;
    }
    await this.caughtUp(result);
    return this.policy(policy.id);
  }

  async supersedePolicy(caller: Caller, input: SupersedePolicy): Promise<PolicyRow> {
    const { policy, user } = await this.editorOf(caller, input.policyId);
    const successor = (await this.readModel.policiesByIds([input.supersededById], SYSTEM)).get(input.supersededById);
    if (!successor) throw notFound('Policy', input.supersededById);
    if (successor.status !== 'ISSUED') {
      throw badInput('input.supersededById', 'a policy is superseded by one that has been issued');
    }
    const result = await this.commands.handle(
      policyDecider,
      policyStream(policy.id),
      { type: 'SupersedePolicy', supersededById: successor.id, at: this.instant() },
      this.context(user, policy.leadOrganizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.policy(policy.id);
  }

  // --- statements and distribution

  async releaseStatement(caller: Caller, input: ReleaseStatement): Promise<StatementRow> {
    const user = requireRole(caller, EDITORS, input.organizationId);
    if (!statementKinds.includes(input.kind)) throw badInput('input.kind', 'unknown statement kind');
    const title = requiredText(input.title, 'input.title', { max: 500 });
    const statementBody = requiredText(input.body, 'input.body', { max: 100_000, multiline: true });
    const policyIds = [...new Set(input.policyIds ?? [])];
    if (policyIds.length > 50) throw badInput('input.policyIds', 'a statement names at most 50 policies');
    const known = await this.readModel.policiesByIds(policyIds, SYSTEM);
    const unknown = policyIds.filter((id) => !known.has(id) || known.get(id)?.status === 'DRAFT');
    if (unknown.length > 0) {
      throw badInput('input.policyIds', `no published policy ${unknown.join(', ')}`, { policyIds: unknown });
    }
    const at = this.instant();
    await this.directoryCaughtUp();
    const organization = await this.readModel.organizationAt(input.organizationId, at);
    const statementId = this.newId('statement', user, input.idempotencyKey);
    const result = await this.commands.handle(
      statementDecider,
      statementStream(statementId),
      {
        type: 'ReleaseStatement',
        statementId,
        organizationId: input.organizationId,
        organization,
        kind: input.kind,
        title,
        body: statementBody,
        policyIds,
        embargoUntil: input.embargoUntil ?? null,
        at,
      },
      this.context(user, input.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    const statement = (await this.readModel.statementsByIds([statementId], viewerOf(caller), at)).get(statementId);
    if (!statement) throw notFound('Statement', statementId);
    return statement;
  }

  /** One command, one event, whatever the number of recipients (all ≈880 press agencies included). */
  async distribute(caller: Caller, input: Distribute): Promise<DistributionRow> {
    if (input.statementId && input.policyId) {
      throw badInput('input.policyId', 'distribute a statement or a policy, not both at once');
    }
    const at = this.instant();
    let organizationId: string;
    if (input.statementId) {
      const statement = (await this.readModel.statementsForDecision([input.statementId])).get(input.statementId);
      if (!statement) throw notFound('Statement', input.statementId);
      organizationId = statement.organizationId;
    } else if (input.policyId) {
      const policy = (await this.readModel.policiesByIds([input.policyId], SYSTEM)).get(input.policyId);
      if (!policy) throw notFound('Policy', input.policyId);
      if (policy.status !== 'ISSUED') throw badInput('input.policyId', 'only an issued policy is distributed');
      organizationId = policy.leadOrganizationId;
    } else {
      throw badInput('input.statementId', 'name the statement or the issued policy to distribute');
    }
    const user = requireRole(caller, EDITORS, organizationId);
    const recipientIds = [...new Set(input.recipientIds ?? [])];
    const recipientKinds = [...new Set(input.recipientKinds ?? [])];
    if (recipientKinds.some((kind) => !organizationKinds.includes(kind))) {
      throw badInput('input.recipientKinds', 'unknown organization kind');
    }
    const within = [...new Set(input.withinOrganizationIds ?? [])];
    if (within.length > 0 && recipientKinds.length === 0) {
      throw badInput('input.withinOrganizationIds', 'name the recipientKinds to look for under these organizations');
    }
    await this.directoryCaughtUp();
    if (within.length > 0) {
      const known = new Set(await this.readModel.activeOrganizations(within, [], at));
      const unknown = within.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw badInput(
          'input.withinOrganizationIds',
          `not active organizations of the directory: ${unknown.join(', ')}`,
          {
            withinOrganizationIds: unknown,
          },
        );
      }
    }
    const active = await this.readModel.activeOrganizations(recipientIds, recipientKinds, at, within);
    const activeSet = new Set(active);
    const inactive = recipientIds.filter((id) => !activeSet.has(id));
    if (inactive.length > 0) {
      throw badInput(
        'input.recipientIds',
        `not active organizations of the directory: ${inactive.slice(0, 10).join(', ')}`,
        {
          recipientIds: inactive,
        },
      );
    }
    const distributionId = this.newId('distribution', user, input.idempotencyKey);
    const result = await this.commands.handle(
      distributionDecider,
      distributionStream(distributionId),
      {
        type: 'Distribute',
        distributionId,
        organizationId,
        statementId: input.statementId ?? null,
        policyId: input.policyId ?? null,
        recipientIds: active,
        recipientKinds,
        at,
      },
      this.context(user, organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.distribution(distributionId);
  }

  /** A user of the recipient organization (any role; administrators too) confirms receipt. */
  async acknowledgeDelivery(caller: Caller, input: AcknowledgeDelivery): Promise<DistributionRow> {
    const user = requireRole(caller, ROLES, input.recipientId);
    // The recipients were fixed when the distribution started and are in the read model since.
    const found = await this.readModel.distributionTo(input.distributionId, input.recipientId);
    if (!found) throw notFound('Distribution', input.distributionId);
    const { distribution, isRecipient } = found;
    const result = await this.commands.handle(
      deliveryDecider,
      deliveryStream(distribution.id, input.recipientId),
      { type: 'AcknowledgeDelivery', distribution, recipientId: input.recipientId, isRecipient, at: this.instant() },
      this.context(user, distribution.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.distribution(distribution.id);
  }

  // --- communication plans

  async adoptPlan(caller: Caller, input: AdoptPlan): Promise<PlanRow> {
    const user = requireRole(caller, EDITORS, input.organizationId);
    const planId = this.newId('plan', user, input.idempotencyKey);
    const content = await this.planContent(input, {});
    const result = await this.commands.handle(
      planDecider,
      planStream(planId),
      { type: 'AdoptPlan', planId, organizationId: input.organizationId, content, at: this.instant() },
      this.context(user, input.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.plan(planId);
  }

  async revisePlan(caller: Caller, input: RevisePlan): Promise<PlanRow> {
    const plan = await this.plan(input.planId);
    const user = requireRole(caller, EDITORS, plan.organizationId);
    const known = Object.fromEntries(plan.milestones.map((m) => [m.id, m]));
    const content = await this.planContent(input, known);
    const result = await this.commands.handle(
      planDecider,
      planStream(plan.id),
      {
        type: 'RevisePlan',
        content,
        reason: optionalText(input.reason, 'input.reason', { max: 1000 }),
        at: this.instant(),
      },
      this.context(user, plan.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.plan(plan.id);
  }

  async completeMilestone(caller: Caller, input: CompleteMilestone): Promise<PlanRow> {
    const plan = await this.plan(input.planId);
    const user = requireRole(caller, EDITORS, plan.organizationId);
    const result = await this.commands.handle(
      planDecider,
      planStream(plan.id),
      { type: 'CompleteMilestone', milestoneId: input.milestoneId, at: this.instant() },
      this.context(user, plan.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.plan(plan.id);
  }

  // --- reads the mutations answer with

  async policy(id: string): Promise<PolicyRow> {
    const row = (await this.readModel.policiesByIds([id], SYSTEM)).get(id);
    if (!row) throw notFound('Policy', id);
    return row;
  }

  async feedback(id: string): Promise<FeedbackRow> {
    const row = (await this.readModel.feedbackByIds([id])).get(id);
    if (!row) throw notFound('Feedback', id);
    return row;
  }

  async distribution(id: string): Promise<DistributionRow> {
    const row = (await this.readModel.distributionsByIds([id])).get(id);
    if (!row) throw notFound('Distribution', id);
    return row;
  }

  async plan(id: string): Promise<PlanRow> {
    const [row] = await this.readModel.plans({ ids: [id] });
    if (!row) throw notFound('Plan', id);
    return row;
  }

  private async editorOf(caller: Caller, policyId: string): Promise<{ policy: PolicyRow; user: UserCaller }> {
    const policy = (await this.readModel.policiesByIds([policyId], viewerOf(caller))).get(policyId);
    if (!policy) throw notFound('Policy', policyId);
    return { policy, user: requireRole(caller, EDITORS, policy.leadOrganizationId) };
  }

  private async planContent(input: PlanInput, known: Readonly<Record<string, unknown>>): Promise<PlanContent> {
    const channels = [...new Set(input.channels)];
    if (channels.some((c) => !communicationChannels.includes(c))) throw badInput('input.channels', 'unknown channel');
    const regions = (input.regions ?? []).map((r, i) => {
      if (!regionKinds.includes(r.kind)) throw badInput(`input.regions.${i}.kind`, 'unknown region kind');
      return {
        kind: r.kind,
        provinceId: r.provinceId ?? null,
        description: optionalText(r.description, `input.regions.${i}.description`, { max: 300 }),
      };
    });
    const milestones = (input.milestones ?? []).map((m, i) => {
      if (m.id && !(m.id in known)) throw badInput(`input.milestones.${i}.id`, `the plan has no milestone ${m.id}`);
      return {
        milestoneId: m.id ?? randomUUID(),
        title: requiredText(m.title, `input.milestones.${i}.title`, { max: 500 }),
        dueAt: m.dueAt,
      };
    });
    if (input.policyId) {
      const policy = (await this.readModel.policiesByIds([input.policyId], SYSTEM)).get(input.policyId);
      if (!policy) throw notFound('Policy', input.policyId);
    }
    return {
      title: requiredText(input.title, 'input.title', { max: 500 }),
      policyId: input.policyId ?? null,
      year: input.year ?? null,
      goals: (input.goals ?? []).map((g, i) => requiredText(g, `input.goals.${i}`, { max: 1000 })),
      audiences: (input.audiences ?? []).map((a, i) => requiredText(a, `input.audiences.${i}`, { max: 300 })),
      channels,
      regions,
      milestones,
      budget: input.budget,
    };
  }

  private instant(): string {
    return this.now().toISOString();
  }

  private newId(kind: string, user: UserCaller, idempotencyKey: string | null | undefined): string {
    return idempotencyKey ? deterministicId([kind, user.userId, idempotencyKey]) : randomUUID();
  }

  private context(user: UserCaller, organizationId: string, idempotencyKey?: string | null): CommandContext {
    return {
      actor: { userId: user.userId, organizationId: user.organizationId },
      organizationId,
      idempotencyKey: idempotencyKey ?? null,
    };
  }
}
