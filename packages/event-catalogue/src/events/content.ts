import type { EventDefinition, JsonSchema } from '../catalogue.js';
import { organizationKinds } from './directory.js';
import { id, instant, object, optionalText } from './schema-parts.js';

/**
 * The content context: policies with public consultation (Decision 407/QĐ-TTg), communication
 * plans (Directive 07/CT-TTg), statements by spokespersons (Decree 09/2017/NĐ-CP) and their
 * distribution to newsrooms. Every event names the organization it concerns (`organizationId`)
 * and when it happened in the world, so a scoreboard can be folded from these events alone:
 * time from PolicyIssued to the first StatementReleased naming the policy, feedback answered,
 * deliveries acknowledged, plan budgets and the regions (border, island, remote) they reach.
 */

export const statementKinds = [
  'PRESS_RELEASE',
  'PRESS_CONFERENCE',
  'WRITTEN_REPLY',
  'REBUTTAL',
  'CORRECTION_REQUEST',
] as const;
export type StatementKind = (typeof statementKinds)[number];

export const communicationChannels = [
  'PRESS',
  'PORTAL',
  'SOCIAL_MEDIA',
  'TELEVISION',
  'RADIO',
  'GRASSROOTS_LOUDSPEAKER',
  'PRESS_CONFERENCE',
  'DIRECT_DIALOGUE',
  'PRINTED_MATERIAL',
  'SMS',
] as const;
export type CommunicationChannel = (typeof communicationChannels)[number];

/** Where a plan reaches; BORDER, ISLAND and REMOTE are the areas the Government counts separately. */
export const regionKinds = ['NATIONWIDE', 'PROVINCE', 'BORDER', 'ISLAND', 'REMOTE', 'ETHNIC_MINORITY'] as const;
export type RegionKind = (typeof regionKinds)[number];

export type PlanRegion = {
  readonly kind: RegionKind;
  /** The province it lies in, when it lies in one. */
  readonly provinceId: string | null;
  readonly description: string | null;
};

export type PlanMilestone = {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueAt: string;
};

export type PolicyDrafted = {
  readonly policyId: string;
  /** The lead organization: the only one whose editors act on the policy. */
  readonly organizationId: string;
  readonly title: string;
  readonly summary: string | null;
  readonly draftedAt: string;
};
export type ConsultationOpened = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly opensAt: string;
  readonly closesAt: string;
};
export type FeedbackSubmitted = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly feedbackId: string;
  readonly text: string;
  readonly submittedAt: string;
  /** The submitter's organization when signed in; null for a citizen writing anonymously. */
  readonly submitterOrganizationId: string | null;
};
export type FeedbackAnswered = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly feedbackId: string;
  readonly answer: string;
  readonly answeredAt: string;
};
export type FeedbackHidden = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly feedbackId: string;
  readonly reason: string;
  readonly hiddenAt: string;
};
export type ConsultationClosed = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly closedAt: string;
  readonly feedbackCount: number;
  readonly answeredCount: number;
};
export type PolicyIssued = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly documentNumber: string;
  readonly issuedAt: string;
  readonly effectiveAt: string;
};
/** A document number taken by a policy, on the number's own stream: one holder at a time. */
export type DocumentNumberReserved = {
  readonly documentNumber: string;
  readonly policyId: string;
  readonly organizationId: string;
};
/** The number is free again: the issuance it was taken for was refused. */
export type DocumentNumberReleased = {
  readonly documentNumber: string;
  readonly policyId: string;
  readonly organizationId: string;
};
export type PolicySuperseded = {
  readonly policyId: string;
  readonly organizationId: string;
  readonly supersededById: string;
  readonly supersededAt: string;
};
export type StatementReleased = {
  readonly statementId: string;
  readonly organizationId: string;
  readonly kind: StatementKind;
  readonly title: string;
  readonly body: string;
  /** The organization's spokesperson at release (Decree 09/2017), as the directory's events said. */
  readonly spokespersonId: string;
  readonly policyIds: readonly string[];
  readonly releasedAt: string;
  /** Until then only the recipients of its distributions and its own organization may see it. */
  readonly embargoUntil: string | null;
};
export type DistributionStarted = {
  readonly distributionId: string;
  /** The distributing organization: the statement's organization or the policy's lead. */
  readonly organizationId: string;
  readonly statementId: string | null;
  readonly policyId: string | null;
  /** Every recipient, each delivered at `deliveredAt`: the one list a scoreboard counts from. */
  readonly recipientIds: readonly string[];
  /** The kinds the sender asked for, as asked (the ids above are what they resolved to then). */
  readonly recipientKinds: readonly string[];
  readonly deliveredAt: string;
};
export type DeliveryAcknowledged = {
  readonly distributionId: string;
  readonly organizationId: string;
  readonly recipientId: string;
  readonly statementId: string | null;
  readonly policyId: string | null;
  readonly acknowledgedAt: string;
};
export type PlanContent = {
  readonly title: string;
  /** The policy the plan communicates; null for an organization's annual plan. */
  readonly policyId: string | null;
  /** The year of an annual plan; null for a policy's plan. */
  readonly year: number | null;
  readonly goals: readonly string[];
  readonly audiences: readonly string[];
  readonly channels: readonly CommunicationChannel[];
  readonly regions: readonly PlanRegion[];
  readonly milestones: readonly PlanMilestone[];
  /** Whole VND. */
  readonly budget: number;
};
export type PlanAdopted = PlanContent & {
  readonly planId: string;
  readonly organizationId: string;
  readonly adoptedAt: string;
};
export type PlanRevised = PlanContent & {
  readonly planId: string;
  readonly organizationId: string;
  readonly revisedAt: string;
  readonly reason: string | null;
};
export type MilestoneCompleted = {
  readonly planId: string;
  readonly organizationId: string;
  readonly milestoneId: string;
  readonly dueAt: string;
  readonly completedAt: string;
};

export interface ContentEventMap {
  PolicyDrafted: PolicyDrafted;
  ConsultationOpened: ConsultationOpened;
  FeedbackSubmitted: FeedbackSubmitted;
  FeedbackAnswered: FeedbackAnswered;
  FeedbackHidden: FeedbackHidden;
  ConsultationClosed: ConsultationClosed;
  PolicyIssued: PolicyIssued;
  PolicySuperseded: PolicySuperseded;
  DocumentNumberReserved: DocumentNumberReserved;
  DocumentNumberReleased: DocumentNumberReleased;
  StatementReleased: StatementReleased;
  DistributionStarted: DistributionStarted;
  DeliveryAcknowledged: DeliveryAcknowledged;
  PlanAdopted: PlanAdopted;
  PlanRevised: PlanRevised;
  MilestoneCompleted: MilestoneCompleted;
}

const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
const nullableId: JsonSchema = { type: ['string', 'null'], minLength: 1, maxLength: 100 };
const ids = (maxItems: number): JsonSchema => ({ type: 'array', items: id, uniqueItems: true, maxItems });
const policy = { policyId: id, organizationId: id };

const planContent: Record<string, JsonSchema> = {
  title: text(500),
  policyId: nullableId,
  year: { type: ['integer', 'null'], minimum: 1945, maximum: 2200 },
  goals: { type: 'array', items: text(1000), maxItems: 50 },
  audiences: { type: 'array', items: text(300), maxItems: 50 },
  channels: { type: 'array', items: { enum: [...communicationChannels] }, uniqueItems: true, maxItems: 20 },
  regions: {
    type: 'array',
    maxItems: 200,
    items: object({ kind: { enum: [...regionKinds] }, provinceId: nullableId, description: optionalText(300) }, [
      'kind',
      'provinceId',
      'description',
    ]),
  },
  milestones: {
    type: 'array',
    maxItems: 200,
    items: object({ milestoneId: id, title: text(500), dueAt: instant }, ['milestoneId', 'title', 'dueAt']),
  },
  budget: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
};
const planRequired = ['title', 'policyId', 'year', 'goals', 'audiences', 'channels', 'regions', 'milestones', 'budget'];

export const contentEvents: EventDefinition[] = [
  {
    type: 'PolicyDrafted',
    version: 1,
    schema: object({ ...policy, title: text(500), summary: optionalText(5000), draftedAt: instant }, [
      'policyId',
      'organizationId',
      'title',
      'summary',
      'draftedAt',
    ]),
  },
  {
    type: 'ConsultationOpened',
    version: 1,
    schema: object({ ...policy, opensAt: instant, closesAt: instant }, [
      'policyId',
      'organizationId',
      'opensAt',
      'closesAt',
    ]),
  },
  {
    type: 'FeedbackSubmitted',
    version: 1,
    schema: object(
      { ...policy, feedbackId: id, text: text(5000), submittedAt: instant, submitterOrganizationId: nullableId },
      ['policyId', 'organizationId', 'feedbackId', 'text', 'submittedAt', 'submitterOrganizationId'],
    ),
  },
  {
    type: 'FeedbackAnswered',
    version: 1,
    schema: object({ ...policy, feedbackId: id, answer: text(5000), answeredAt: instant }, [
      'policyId',
      'organizationId',
      'feedbackId',
      'answer',
      'answeredAt',
    ]),
  },
  {
    type: 'FeedbackHidden',
    version: 1,
    schema: object({ ...policy, feedbackId: id, reason: text(1000), hiddenAt: instant }, [
      'policyId',
      'organizationId',
      'feedbackId',
      'reason',
      'hiddenAt',
    ]),
  },
  {
    type: 'ConsultationClosed',
    version: 1,
    schema: object(
      {
        ...policy,
        closedAt: instant,
        feedbackCount: { type: 'integer', minimum: 0 },
        answeredCount: { type: 'integer', minimum: 0 },
      },
      ['policyId', 'organizationId', 'closedAt', 'feedbackCount', 'answeredCount'],
    ),
  },
  {
    type: 'PolicyIssued',
    version: 1,
    schema: object({ ...policy, documentNumber: text(60), issuedAt: instant, effectiveAt: instant }, [
      'policyId',
      'organizationId',
      'documentNumber',
      'issuedAt',
      'effectiveAt',
    ]),
  },
  {
    type: 'PolicySuperseded',
    version: 1,
    schema: object({ ...policy, supersededById: id, supersededAt: instant }, [
      'policyId',
      'organizationId',
      'supersededById',
      'supersededAt',
    ]),
  },
  ...(['DocumentNumberReserved', 'DocumentNumberReleased'] as const).map(
    (type): EventDefinition => ({
      type,
      version: 1,
      schema: object({ documentNumber: text(100), policyId: id, organizationId: id }, [
        'documentNumber',
        'policyId',
        'organizationId',
      ]),
    }),
  ),
  {
    type: 'StatementReleased',
    version: 1,
    schema: object(
      {
        statementId: id,
        organizationId: id,
        kind: { enum: [...statementKinds] },
        title: text(500),
        body: text(100_000),
        spokespersonId: id,
        policyIds: ids(50),
        releasedAt: instant,
        embargoUntil: { type: ['string', 'null'], format: 'date-time' },
      },
      [
        'statementId',
        'organizationId',
        'kind',
        'title',
        'body',
        'spokespersonId',
        'policyIds',
        'releasedAt',
        'embargoUntil',
      ],
    ),
  },
  {
    type: 'DistributionStarted',
    version: 1,
    schema: object(
      {
        distributionId: id,
        organizationId: id,
        statementId: nullableId,
        policyId: nullableId,
        recipientIds: { ...ids(20_000), minItems: 1 },
        recipientKinds: { type: 'array', items: { enum: [...organizationKinds] }, uniqueItems: true },
        deliveredAt: instant,
      },
      ['distributionId', 'organizationId', 'statementId', 'policyId', 'recipientIds', 'recipientKinds', 'deliveredAt'],
    ),
  },
  {
    type: 'DeliveryAcknowledged',
    version: 1,
    schema: object(
      {
        distributionId: id,
        organizationId: id,
        recipientId: id,
        statementId: nullableId,
        policyId: nullableId,
        acknowledgedAt: instant,
      },
      ['distributionId', 'organizationId', 'recipientId', 'statementId', 'policyId', 'acknowledgedAt'],
    ),
  },
  {
    type: 'PlanAdopted',
    version: 1,
    schema: object({ planId: id, organizationId: id, ...planContent, adoptedAt: instant }, [
      'planId',
      'organizationId',
      ...planRequired,
      'adoptedAt',
    ]),
  },
  {
    type: 'PlanRevised',
    version: 1,
    schema: object({ planId: id, organizationId: id, ...planContent, revisedAt: instant, reason: optionalText(1000) }, [
      'planId',
      'organizationId',
      ...planRequired,
      'revisedAt',
      'reason',
    ]),
  },
  {
    type: 'MilestoneCompleted',
    version: 1,
    schema: object({ planId: id, organizationId: id, milestoneId: id, dueAt: instant, completedAt: instant }, [
      'planId',
      'organizationId',
      'milestoneId',
      'dueAt',
      'completedAt',
    ]),
  },
];
