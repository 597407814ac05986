import type { CommunicationChannel, OrganizationKind, PlanRegion, StatementKind } from '@hub/event-catalogue';
import type { Slice } from '@hub/graphql-kit';
import type { SqlExecutor } from '@hub/sql';
import { searchKey } from '@hub/vietnamese';
import type { PolicyStatus } from './domain/policy.js';
import type { StatementVisibility } from './domain/visibility.js';
import { contentDirectory } from './projections/directory.js';

export interface PolicyRow {
  readonly id: string;
  readonly title: string;
  readonly summary: string | null;
  readonly leadOrganizationId: string;
  readonly status: PolicyStatus;
  readonly documentNumber: string | null;
  readonly consultationOpensAt: string | null;
  readonly consultationClosesAt: string | null;
  readonly issuedAt: string | null;
  readonly effectiveAt: string | null;
  readonly supersededById: string | null;
  readonly draftedAt: string;
}

export interface FeedbackRow {
  readonly id: string;
  readonly policyId: string;
  readonly text: string;
  readonly submittedAt: string;
  readonly answer: string | null;
  readonly answeredAt: string | null;
  readonly hidden: boolean;
}

export interface TimelineEvent {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly occurredAt: string;
  readonly organizationId: string | null;
  readonly data: Record<string, unknown>;
}

export interface StatementRow {
  readonly id: string;
  readonly organizationId: string;
  readonly kind: StatementKind;
  readonly title: string;
  readonly body: string;
  readonly spokespersonId: string;
  readonly policyIds: readonly string[];
  readonly releasedAt: string;
  readonly embargoUntil: string | null;
}

export interface DistributionRow {
  readonly id: string;
  readonly organizationId: string;
  readonly statementId: string | null;
  readonly policyId: string | null;
  readonly recipientCount: number;
  readonly acknowledgedCount: number;
  readonly deliveredAt: string;
}

export interface DeliveryRow {
  readonly distributionId: string;
  readonly recipientId: string;
  readonly deliveredAt: string;
  readonly acknowledgedAt: string | null;
}

export interface MilestoneRow {
  readonly id: string;
  readonly planId: string;
  readonly title: string;
  readonly dueAt: string;
  readonly completedAt: string | null;
}

export interface PlanRow {
  readonly id: string;
  readonly organizationId: string;
  readonly policyId: string | null;
  readonly year: number | null;
  readonly title: string;
  readonly goals: readonly string[];
  readonly audiences: readonly string[];
  readonly channels: readonly CommunicationChannel[];
  readonly regions: readonly PlanRegion[];
  readonly budget: number;
  readonly adoptedAt: string;
  readonly revisedAt: string | null;
  readonly milestones: readonly MilestoneRow[];
}

/** Who is looking: statements under embargo and draft policies depend on it. */
export interface Viewer {
  readonly organizationId: string | null;
  readonly admin: boolean;
}

export interface OrganizationKnowledge {
  readonly status: 'ACTIVE' | 'MERGED' | 'DISSOLVED' | 'UNKNOWN';
  readonly spokespersonId: string | null;
}

type Instant = Date | string;
const iso = (value: Instant): string => new Date(value).toISOString();
const isoOrNull = (value: Instant | null): string | null => (value === null ? null : iso(value));

const likeAll = (text: string): string[] =>
  searchKey(text)
    .split(' ')
    .filter(Boolean)
    .map((w: string) => `%${w.replaceAll(/[\\%_]/g, (c: string) => `\\${c}`)}%`);

interface PolicyRecord {
  policy_id: string;
  title: string;
  summary: string | null;
  lead_organization_id: string;
  status: PolicyStatus;
  document_number: string | null;
  consultation_opens_at: Instant | null;
  consultation_closes_at: Instant | null;
  issued_at: Instant | null;
  effective_at: Instant | null;
  superseded_by: string | null;
  drafted_at: Instant;
}

const toPolicy = (r: PolicyRecord): PolicyRow => ({
  id: r.policy_id,
  title: r.title,
  summary: r.summary,
  leadOrganizationId: r.lead_organization_id,
  status: r.status,
  documentNumber: r.document_number,
  consultationOpensAt: isoOrNull(r.consultation_opens_at),
  consultationClosesAt: isoOrNull(r.consultation_closes_at),
  issuedAt: isoOrNull(r.issued_at),
  effectiveAt: isoOrNull(r.effective_at),
  supersededById: r.superseded_by,
  draftedAt: iso(r.drafted_at),
});

const POLICY_COLUMNS = `policy_id, title, summary, lead_organization_id, status, document_number, consultation_opens_at,
  consultation_closes_at, issued_at, effective_at, superseded_by, drafted_at`;

interface FeedbackRecord {
  feedback_id: string;
  policy_id: string;
  text: string;
  submitted_at: Instant;
  answer: string | null;
  answered_at: Instant | null;
  hidden: boolean;
}

const toFeedback = (r: FeedbackRecord): FeedbackRow => ({
  id: r.feedback_id,
  policyId: r.policy_id,
  text: r.text,
  submittedAt: iso(r.submitted_at),
  answer: r.answer,
  answeredAt: isoOrNull(r.answered_at),
  hidden: r.hidden,
});

interface StatementRecord {
  statement_id: string;
  organization_id: string;
  kind: StatementKind;
  title: string;
  body: string;
  spokesperson_id: string;
  policy_ids: string[];
  released_at: Instant;
  embargo_until: Instant | null;
}

const toStatement = (r: StatementRecord): StatementRow => ({
  id: r.statement_id,
  organizationId: r.organization_id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  spokespersonId: r.spokesperson_id,
  policyIds: r.policy_ids,
  releasedAt: iso(r.released_at),
  embargoUntil: isoOrNull(r.embargo_until),
});

// $1 is the viewer's organization (null when anonymous), $2 the present.
const STATEMENT_VISIBLE = `(s.embargo_until IS NULL OR s.embargo_until <= $2 OR s.organization_id = $1
  OR EXISTS (SELECT 1 FROM content_deliveries d WHERE d.recipient_id = $1 AND d.statement_id = s.statement_id))`;

interface PlanRecord {
  plan_id: string;
  organization_id: string;
  policy_id: string | null;
  year: number | null;
  title: string;
  goals: string[];
  audiences: string[];
  channels: CommunicationChannel[];
  regions: PlanRegion[];
  budget: string | number;
  adopted_at: Instant;
  revised_at: Instant | null;
}

interface MilestoneRecord {
  plan_id: string;
  milestone_id: string;
  title: string;
  due_at: Instant;
  completed_at: Instant | null;
}

const toMilestone = (r: MilestoneRecord): MilestoneRow => ({
  id: r.milestone_id,
  planId: r.plan_id,
  title: r.title,
  dueAt: iso(r.due_at),
  completedAt: isoOrNull(r.completed_at),
});

/**
 * Queries over the content read model. Every method is one SQL statement whatever the number of
 * ids (plans: two), so a GraphQL request's query count depends on its depth, not its rows.
 */
interface DistributionRecord {
  readonly distribution_id: string;
  readonly organization_id: string;
  readonly statement_id: string | null;
  readonly policy_id: string | null;
  readonly recipient_count: number;
  readonly acknowledged_count: number;
  readonly delivered_at: Instant;
}

const distributionOf = (r: DistributionRecord): DistributionRow => ({
  id: r.distribution_id,
  organizationId: r.organization_id,
  statementId: r.statement_id,
  policyId: r.policy_id,
  recipientCount: Number(r.recipient_count),
  acknowledgedCount: Number(r.acknowledged_count),
  deliveredAt: iso(r.delivered_at),
});

export class ContentReadModel {
  /** Counts statements, so tests can show a query's cost does not grow with its rows. */
  queries = 0;

  constructor(private readonly sql: SqlExecutor) {}

  private async query<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    this.queries++;
    const result = await this.sql.query<R>(text, params as never[]);
    return result.rows;
  }

  // --- what the directory's events said

  async organizationAt(organizationId: string, at: string): Promise<OrganizationKnowledge> {
    this.queries++;
    const known = (await contentDirectory.organizationsAt(this.sql, [organizationId], at)).get(organizationId);
    if (!known || known.standing === 'NOT_ESTABLISHED') return { status: 'UNKNOWN', spokespersonId: null };
    return { status: known.standing, spokespersonId: known.spokespersonId };
  }

  /**
   * The organizations active at `at` among `ids`, plus every one of `kinds`; with `within`, only
   * those of `kinds` that sit under one of `within` (at any depth: a province's communes).
   */
  async activeOrganizations(
    ids: readonly string[],
    kinds: readonly OrganizationKind[],
    at: string,
    within: readonly string[] = [],
  ): Promise<string[]> {
    this.queries++;
    return contentDirectory.activeOrganizations(this.sql, { ids, kinds, at, within });
  }

  // --- policies and feedback

  async listPolicies(
    filter: { status?: PolicyStatus | null; leadOrganizationId?: string | null; search?: string | null },
    viewer: Viewer,
    offset: number,
    limit: number,
  ): Promise<Slice<PolicyRow>> {
    const params: unknown[] = [viewer.organizationId, viewer.admin];
    const where = [`(status <> 'DRAFT' OR lead_organization_id = $1 OR $2)`];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.leadOrganizationId) {
      params.push(filter.leadOrganizationId);
      where.push(`lead_organization_id = $${params.length}`);
    }
    if (filter.search && likeAll(filter.search).length > 0) {
      params.push(likeAll(filter.search));
      where.push(`search_key LIKE ALL($${params.length})`);
    }
    params.push(limit, offset);
    const rows = await this.query<PolicyRecord & { total: string | number }>(
      `SELECT ${POLICY_COLUMNS}, count(*) OVER () AS total FROM content_policies WHERE ${where.join(' AND ')}
       ORDER BY drafted_at DESC, policy_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const total = rows[0]
      ? Number(rows[0].total)
      : offset > 0
        ? await this.countPolicies(where, params.slice(0, -2))
        : 0;
    return { rows: rows.map(toPolicy), total };
  }

  private async countPolicies(where: readonly string[], params: readonly unknown[]): Promise<number> {
    const rows = await this.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM content_policies WHERE ${where.join(' AND ')}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Policies by id as the viewer may see them (a draft only to its lead organization). */
  async policiesByIds(ids: readonly string[], viewer: Viewer): Promise<Map<string, PolicyRow>> {
    const rows = await this.query<PolicyRecord>(
      `SELECT ${POLICY_COLUMNS} FROM content_policies
       WHERE policy_id = ANY($1) AND (status <> 'DRAFT' OR lead_organization_id = $2 OR $3)`,
      [[...ids], viewer.organizationId, viewer.admin],
    );
    return new Map(rows.map((r) => [r.policy_id, toPolicy(r)]));
  }

  async policyIssuedAs(documentNumber: string): Promise<string | null> {
    const rows = await this.query<{ policy_id: string }>(
      'SELECT policy_id FROM content_policies WHERE document_number = $1 LIMIT 1',
      [documentNumber],
    );
    return rows[0]?.policy_id ?? null;
  }

  /** Every piece of feedback on each policy, oldest first, hidden ones included (callers filter). */
  async feedbackOfPolicies(policyIds: readonly string[]): Promise<Map<string, FeedbackRow[]>> {
    const rows = await this.query<FeedbackRecord>(
      `SELECT feedback_id, policy_id, text, submitted_at, answer, answered_at, hidden FROM content_feedback
       WHERE policy_id = ANY($1) ORDER BY policy_id, submitted_at, feedback_id`,
      [[...policyIds]],
    );
    const byPolicy = new Map<string, FeedbackRow[]>(policyIds.map((id) => [id, []]));
    for (const row of rows) byPolicy.get(row.policy_id)?.push(toFeedback(row));
    return byPolicy;
  }

  async feedbackByIds(ids: readonly string[]): Promise<Map<string, FeedbackRow>> {
    const rows = await this.query<FeedbackRecord>(
      `SELECT feedback_id, policy_id, text, submitted_at, answer, answered_at, hidden FROM content_feedback
       WHERE feedback_id = ANY($1)`,
      [[...ids]],
    );
    return new Map(rows.map((r) => [r.feedback_id, toFeedback(r)]));
  }

  async timelines(policyIds: readonly string[]): Promise<Map<string, TimelineEvent[]>> {
    const rows = await this.query<{
      event_id: string;
      policy_id: string;
      type: string;
      stream: string;
      occurred_at: Instant;
      organization_id: string | null;
      data: Record<string, unknown>;
    }>(
      `SELECT event_id, policy_id, type, stream, occurred_at, organization_id, data FROM content_policy_events
       WHERE policy_id = ANY($1) ORDER BY policy_id, revision`,
      [[...policyIds]],
    );
    const byPolicy = new Map<string, TimelineEvent[]>(policyIds.map((id) => [id, []]));
    for (const r of rows) {
      byPolicy.get(r.policy_id)?.push({
        id: r.event_id,
        type: r.type,
        stream: r.stream,
        occurredAt: iso(r.occurred_at),
        organizationId: r.organization_id,
        data: r.data,
      });
    }
    return byPolicy;
  }

  // --- statements and distributions

  async listStatements(
    filter: { organizationId?: string | null; policyId?: string | null },
    viewer: Viewer,
    now: string,
    offset: number,
    limit: number,
  ): Promise<Slice<StatementRow>> {
    const params: unknown[] = [viewer.organizationId, now];
    const where = [STATEMENT_VISIBLE];
    if (filter.organizationId) {
      params.push(filter.organizationId);
      where.push(`s.organization_id = $${params.length}`);
    }
    if (filter.policyId) {
      params.push(filter.policyId);
      where.push(`$${params.length} = ANY(s.policy_ids)`);
    }
    const count = await this.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM content_statements s WHERE ${where.join(' AND ')}`,
      params,
    );
    params.push(limit, offset);
    const rows = await this.query<StatementRecord>(
      `SELECT s.* FROM content_statements s WHERE ${where.join(' AND ')}
       ORDER BY s.released_at DESC, s.statement_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { rows: rows.map(toStatement), total: Number(count[0]?.n ?? 0) };
  }

  /** Statements by id that the viewer may see at `now` (see statementVisibleTo). */
  async statementsByIds(ids: readonly string[], viewer: Viewer, now: string): Promise<Map<string, StatementRow>> {
    const rows = await this.query<StatementRecord>(
      `SELECT s.* FROM content_statements s WHERE s.statement_id = ANY($3) AND ${STATEMENT_VISIBLE}`,
      [viewer.organizationId, now, [...ids]],
    );
    return new Map(rows.map((r) => [r.statement_id, toStatement(r)]));
  }

  /** Statements by id whoever may see them: for decisions that run their own authorization. */
  async statementsForDecision(ids: readonly string[]): Promise<Map<string, StatementRow>> {
    const rows = await this.query<StatementRecord>(
      'SELECT s.* FROM content_statements s WHERE s.statement_id = ANY($1)',
      [[...ids]],
    );
    return new Map(rows.map((r) => [r.statement_id, toStatement(r)]));
  }

  /** What a subscription needs to decide who may see a statement; null if there is no such statement. */
  async statementVisibility(statementId: string): Promise<StatementVisibility | null> {
    const rows = await this.query<{ organization_id: string; embargo_until: Instant | null; recipients: string[] }>(
      `SELECT s.organization_id, s.embargo_until,
         ARRAY(SELECT DISTINCT d.recipient_id FROM content_deliveries d WHERE d.statement_id = s.statement_id) AS recipients
       FROM content_statements s WHERE s.statement_id = $1`,
      [statementId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      organizationId: row.organization_id,
      embargoUntil: isoOrNull(row.embargo_until),
      recipientIds: new Set(row.recipients),
    };
  }

  async distributionsByIds(ids: readonly string[]): Promise<Map<string, DistributionRow>> {
    const rows = await this.query<DistributionRecord>(
      'SELECT * FROM content_distributions WHERE distribution_id = ANY($1)',
      [[...ids]],
    );
    return new Map(rows.map((r) => [r.distribution_id, distributionOf(r)]));
  }

  /** A distribution and whether the organization is one of its recipients, in one statement. */
  async distributionTo(
    distributionId: string,
    recipientId: string,
  ): Promise<{ readonly distribution: DistributionRow; readonly isRecipient: boolean } | undefined> {
    const [row] = await this.query<DistributionRecord & { is_recipient: boolean }>(
      `SELECT d.*, EXISTS (SELECT 1 FROM content_deliveries x WHERE x.distribution_id = d.distribution_id AND x.recipient_id = $2)
         AS is_recipient
       FROM content_distributions d WHERE d.distribution_id = $1`,
      [distributionId, recipientId],
    );
    return row && { distribution: distributionOf(row), isRecipient: row.is_recipient };
  }

  async deliveriesOf(distributionIds: readonly string[]): Promise<Map<string, DeliveryRow[]>> {
    const rows = await this.query<{
      distribution_id: string;
      recipient_id: string;
      delivered_at: Instant;
      acknowledged_at: Instant | null;
    }>(
      `SELECT distribution_id, recipient_id, delivered_at, acknowledged_at FROM content_deliveries
       WHERE distribution_id = ANY($1) ORDER BY distribution_id, position`,
      [[...distributionIds]],
    );
    const byDistribution = new Map<string, DeliveryRow[]>(distributionIds.map((id) => [id, []]));
    for (const r of rows) {
      byDistribution.get(r.distribution_id)?.push({
        distributionId: r.distribution_id,
        recipientId: r.recipient_id,
        deliveredAt: iso(r.delivered_at),
        acknowledgedAt: isoOrNull(r.acknowledged_at),
      });
    }
    return byDistribution;
  }

  // --- communication plans

  async plans(filter: {
    ids?: readonly string[];
    organizationId?: string | null;
    year?: number | null;
  }): Promise<PlanRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.ids) {
      params.push([...filter.ids]);
      where.push(`plan_id = ANY($${params.length})`);
    }
    if (filter.organizationId) {
      params.push(filter.organizationId);
      where.push(`organization_id = $${params.length}`);
    }
    if (filter.year) {
      params.push(filter.year);
      where.push(`year = $${params.length}`);
    }
    const plans = await this.query<PlanRecord>(
      `SELECT * FROM content_plans ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY adopted_at DESC, plan_id`,
      params,
    );
    if (plans.length === 0) return [];
    const milestones = await this.query<MilestoneRecord>(
      `SELECT plan_id, milestone_id, title, due_at, completed_at FROM content_milestones WHERE plan_id = ANY($1)
       ORDER BY plan_id, position`,
      [plans.map((p) => p.plan_id)],
    );
    const byPlan = new Map<string, MilestoneRow[]>(plans.map((p) => [p.plan_id, []]));
    for (const m of milestones) byPlan.get(m.plan_id)?.push(toMilestone(m));
    return plans.map((r) => ({
      id: r.plan_id,
      organizationId: r.organization_id,
      policyId: r.policy_id,
      year: r.year,
      title: r.title,
      goals: r.goals,
      audiences: r.audiences,
      channels: r.channels,
      regions: r.regions,
      budget: Number(r.budget),
      adoptedAt: iso(r.adopted_at),
      revisedAt: isoOrNull(r.revised_at),
      milestones: byPlan.get(r.plan_id) ?? [],
    }));
  }

  /** Milestones past due and not completed at `now`, earliest due first. */
  async overdueMilestones(
    organizationId: string | null,
    now: string,
  ): Promise<(MilestoneRow & { organizationId: string })[]> {
    const rows = await this.query<MilestoneRecord & { organization_id: string }>(
      `SELECT m.plan_id, m.milestone_id, m.title, m.due_at, m.completed_at, p.organization_id
       FROM content_milestones m JOIN content_plans p USING (plan_id)
       WHERE m.completed_at IS NULL AND m.due_at < $1 AND ($2::text IS NULL OR p.organization_id = $2)
       ORDER BY m.due_at, m.plan_id, m.position`,
      [now, organizationId],
    );
    return rows.map((r) => ({ ...toMilestone(r), organizationId: r.organization_id }));
  }
}
