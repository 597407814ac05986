import type { SqlExecutor } from '@hub/sql';
import type { IndicatorCode } from './domain/codes.js';
import { monthsOfIndicator } from './domain/fold.js';
import { type Cell, COMMUNE_LEVEL_FROM } from './domain/indicators.js';
import { type MonthKey, monthsRead, type Period } from './domain/periods.js';
import { type PeriodData, standingKey } from './domain/scoring.js';
import {
  communesAt,
  type OrganizationRow,
  SCORED_KINDS,
  type ScoredOrganization,
  scoredAt,
} from './domain/structure.js';
import { organizationRowOf } from './projection.js';

export interface EvidenceEvent {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly occurredAt: string;
  readonly organizationId: string | null;
  readonly data: Record<string, unknown>;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

/** The insights read model's queries: a period's sums and standings, and the evidence behind a value. */
export class InsightsReadModel {
  constructor(private readonly sql: SqlExecutor) {}

  /** Moves whenever the read model changes: what a period's cached scores are checked against. */
  async version(): Promise<string> {
    const result = await this.sql.query<{ version: string }>('SELECT version FROM insights_version WHERE id = 1');
    return String(result.rows[0]?.version ?? '0');
  }

  /** Ministries, agencies and provinces (and the units merged into them) as the directory's events describe them. */
  async structure(): Promise<Map<string, OrganizationRow>> {
    const result = await this.sql.query<Record<string, unknown>>(
      'SELECT * FROM insights_organizations WHERE kind = ANY($1::text[])',
      [Object.keys(SCORED_KINDS)],
    );
    return new Map(result.rows.map((row) => [row.id as string, organizationRowOf(row)]));
  }

  async scored(
    period: Period,
  ): Promise<{ organizations: ScoredOrganization[]; structure: Map<string, OrganizationRow> }> {
    const structure = await this.structure();
    return { organizations: scoredAt(structure, period.at), structure };
  }

  async communes(period: Period, structure: ReadonlyMap<string, OrganizationRow>): Promise<Map<string, string[]>> {
    if (period.at.getTime() < COMMUNE_LEVEL_FROM.getTime()) return new Map();
    const result = await this.sql.query<Record<string, unknown>>(
      `SELECT * FROM insights_organizations WHERE kind = 'COMMUNE' AND established_at <= $1
         AND (ended_at IS NULL OR ended_at > $1)`,
      [period.at.toISOString()],
    );
    return communesAt(result.rows.map(organizationRowOf), structure, period.at);
  }

  /** Everything a period's scores are computed from, in three queries whatever the number of events. */
  async periodData(
    period: Period,
    organizations: readonly ScoredOrganization[],
    structure: ReadonlyMap<string, OrganizationRow>,
  ): Promise<PeriodData> {
    const members = organizations.flatMap((organization) => organization.members);
    const { from, to } = monthsRead(period);
    const at = period.at.toISOString();
    const communes = await this.communes(period, structure);
    const communeIds = [...communes.values()].flat();
    const [cellRows, standingRows] = await Promise.all([
      this.sql.query<{
        organization_id: string;
        indicator: IndicatorCode;
        month: MonthKey;
        numerator: string;
        denominator: string;
        amount: string;
      }>(
        `SELECT organization_id, indicator, month, numerator, denominator, amount FROM insights_cells
         WHERE month >= $1 AND month <= $2 AND organization_id = ANY($3::text[])`,
        [from, to, members],
      ),
      this.sql.query<{ indicator: IndicatorCode; organization_id: string; tag: string | null }>(
        `SELECT DISTINCT indicator, organization_id, tag FROM insights_standing
         WHERE organization_id = ANY($1::text[]) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
        [[...members, ...communeIds], at],
      ),
    ]);
    const cells = new Map<string, Map<IndicatorCode, Map<MonthKey, Cell>>>();
    for (const row of cellRows.rows) {
      const byIndicator = cells.get(row.organization_id) ?? new Map<IndicatorCode, Map<MonthKey, Cell>>();
      cells.set(row.organization_id, byIndicator);
      const byMonth = byIndicator.get(row.indicator) ?? new Map<MonthKey, Cell>();
      byIndicator.set(row.indicator, byMonth);
      byMonth.set(row.month, {
        numerator: Number(row.numerator),
        denominator: Number(row.denominator),
        amount: Number(row.amount),
      });
    }
    const standing = new Set(standingRows.rows.map((row) => standingKey(row.indicator, row.organization_id, row.tag)));
    return { cells, standing, communes };
  }

  /** The events behind one value, oldest first: a page of them and how many there are. */
  async evidence(
    scope: {
      readonly organization: ScoredOrganization;
      readonly indicator: IndicatorCode;
      readonly period: Period;
      readonly communes: readonly string[];
    },
    offset: number,
    limit: number,
  ): Promise<{ rows: EvidenceEvent[]; total: number }> {
    const { organization, indicator, period } = scope;
    const at = period.at.toISOString();
    let where: string;
    let params: unknown[];
    if (indicator === 'GRASSROOTS_FOCAL_POINTS') {
      where = `indicator = 'FOCAL_POINT_APPOINTED' AND organization_id = ANY($1::text[])
        AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`;
      params = [scope.communes, at];
    } else if (indicator === 'SPOKESPERSON_APPOINTED' || indicator === 'FOCAL_POINT_APPOINTED') {
      where = `indicator = $3 AND organization_id = ANY($1::text[]) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`;
      params = [[organization.id], at, indicator];
    } else if (indicator === 'ANNUAL_PLAN_ADOPTED') {
      where = `indicator = $3 AND organization_id = ANY($1::text[]) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
        AND tag = $4`;
      params = [organization.members, at, indicator, String(period.year)];
    } else {
      where = `indicator = $3 AND organization_id = ANY($1::text[]) AND month = ANY($2::text[])`;
      params = [organization.members, [...monthsOfIndicator(indicator, period)], indicator];
    }
    const ids = `SELECT DISTINCT event_id FROM insights_evidence WHERE ${where}`;
    const [page, count] = await Promise.all([
      this.sql.query<Record<string, unknown>>(
        `SELECT id, type, stream, occurred_at, organization_id, data FROM insights_events
         WHERE id IN (${ids}) ORDER BY occurred_at, id LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
        params as never,
      ),
      this.sql.query<{ total: string }>(`SELECT count(*) AS total FROM (${ids}) AS counted`, params as never),
    ]);
    return {
      rows: page.rows.map((row) => ({
        id: row.id as string,
        type: row.type as string,
        stream: row.stream as string,
        occurredAt: iso(row.occurred_at),
        organizationId: (row.organization_id as string | null) ?? null,
        data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>,
      })),
      total: Number(count.rows[0]?.total ?? 0),
    };
  }
}
