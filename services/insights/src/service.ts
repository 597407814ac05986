import type { AudienceContext } from '@hub/audience';
import { viewEvent } from '@hub/audience';
import type { Caller } from '@hub/auth';
import { badInput } from '@hub/errors';
import type { SqlExecutor } from '@hub/sql';
import type { IndicatorCode } from './domain/codes.js';
import { type Indicator, indicators } from './domain/indicators.js';
import { type Period, parsePeriod } from './domain/periods.js';
import { type OrganizationResult, scoreboard } from './domain/scoring.js';
import { SCORED_KINDS, type ScoredOrganization } from './domain/structure.js';
import { type EvidenceEvent, InsightsReadModel } from './read-model.js';

/** A period's results, with what evidence queries need to ask the same question again. */
export interface PeriodScores {
  readonly period: Period;
  readonly results: readonly OrganizationResult[];
  readonly communes: ReadonlyMap<string, readonly string[]>;
}

/** One evidence event as a caller may see it: null data when the audience rule hides it from them. */
export interface ShownEvidence {
  readonly event: EvidenceEvent;
  readonly data: Readonly<Record<string, unknown>> | null;
}

const MAX_ANCESTRY = 6;
/** Periods whose scores are kept, most recently used last. */
const CACHED_PERIODS = 64;
/** A period not yet over is measured up to now; its cached scores are that much behind at most. */
const CURRENT_PERIOD_TTL_MS = 5_000;

/** The insights use cases: the methodology, a period's scoreboard, one organization's score, the evidence. */
export class InsightsService {
  readonly readModel: InsightsReadModel;
  private readonly cache = new Map<string, { version: string; at: number; scores: PeriodScores }>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.readModel = new InsightsReadModel(sql);
  }

  indicators(): readonly Indicator[] {
    return indicators;
  }

  period(label: string, field = 'period'): Period {
    return parsePeriod(label, this.clock(), field);
  }

  /** Every scored organization's results for a period, best first, ranked within its group. */
  async scores(label: string): Promise<PeriodScores> {
    const now = this.clock();
    const period = this.period(label);
    const version = await this.readModel.version();
    const cached = this.cache.get(label);
    const over = period.end.getTime() <= now.getTime();
    if (cached && cached.version === version && (over || now.getTime() - cached.at < CURRENT_PERIOD_TTL_MS)) {
      this.cache.delete(label);
      this.cache.set(label, cached);
      return cached.scores;
    }
    const { organizations, structure } = await this.readModel.scored(period);
    const data = await this.readModel.periodData(period, organizations, structure);
    const scores = { period, results: scoreboard(organizations, data, period), communes: data.communes };
    this.cache.delete(label);
    this.cache.set(label, { version, at: now.getTime(), scores });
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= CACHED_PERIODS) break;
      this.cache.delete(oldest);
    }
    return scores;
  }

  async scoreboard(label: string, kind: string | null): Promise<PeriodScores> {
    if (kind !== null && !(kind in SCORED_KINDS)) {
      throw badInput('kind', `the scoreboard ranks ${Object.keys(SCORED_KINDS).join(', ')}`);
    }
    const scores = await this.scores(label);
    return kind === null
      ? scores
      : { ...scores, results: scores.results.filter((result) => result.organization.kind === kind) };
  }

  /** One organization's results; null when it is not scored in the period (not a ministry or province, or not active then). */
  async organizationScore(
    organizationId: string,
    label: string,
  ): Promise<{ result: OrganizationResult; scores: PeriodScores } | null> {
    const scores = await this.scores(label);
    const result = scores.results.find((candidate) => candidate.organization.id === organizationId);
    return result ? { result, scores } : null;
  }

  /**
   * The events behind one value, oldest first. The count is public; each event is shown through
   * the hub's audience rule, so a caller who may not see an event gets its place without its data.
   */
  async evidence(
    caller: Caller,
    scope: { organization: ScoredOrganization; indicator: IndicatorCode; scores: PeriodScores },
    offset: number,
    limit: number,
  ): Promise<{ rows: ShownEvidence[]; total: number }> {
    const page = await this.readModel.evidence(
      {
        organization: scope.organization,
        indicator: scope.indicator,
        period: scope.scores.period,
        communes: scope.scores.communes.get(scope.organization.id) ?? [],
      },
      offset,
      limit,
    );
    const context = await this.audienceContext(page.rows);
    return {
      total: page.total,
      rows: page.rows.map((event) => ({ event, data: viewEvent(event, caller, context)?.data ?? null })),
    };
  }

  private async audienceContext(events: readonly EvidenceEvent[]): Promise<AudienceContext> {
    const ancestors = new Map<string, string[]>();
    let frontier = [...new Set(events.map((event) => event.organizationId).filter((id): id is string => id !== null))];
    for (const id of frontier) ancestors.set(id, []);
    const parentOf = new Map<string, string | null>();
    for (let hop = 0; hop < MAX_ANCESTRY && frontier.length > 0; hop++) {
      const result = await this.sql.query<{ id: string; parent_id: string | null }>(
        'SELECT id, parent_id FROM insights_organizations WHERE id = ANY($1::text[])',
        [frontier],
      );
      for (const row of result.rows) parentOf.set(row.id, row.parent_id);
      frontier = result.rows.map((row) => row.parent_id).filter((id): id is string => id !== null && !parentOf.has(id));
    }
    for (const [id, chain] of ancestors) {
      let parent = parentOf.get(id) ?? null;
      while (parent !== null && chain.length < MAX_ANCESTRY) {
        chain.push(parent);
        parent = parentOf.get(parent) ?? null;
      }
    }
    return { now: this.clock(), ancestors };
  }
}
