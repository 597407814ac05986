import type { IndicatorCode } from './codes.js';
import { type Cell, type Figures, type Indicator, indicators, type Measurement, scaled } from './indicators.js';
import type { MonthKey, Period } from './periods.js';
import type { ScoredOrganization } from './structure.js';

/** What a period's scoreboard is computed from: sums per organization and month, and what stands at the instant. */
export interface PeriodData {
  /** organization → indicator → month → sums (of that organization's own facts). */
  readonly cells: ReadonlyMap<string, ReadonlyMap<IndicatorCode, ReadonlyMap<MonthKey, Cell>>>;
  /** Keys `indicator|organization` and `indicator|organization|tag` of standing facts holding at the instant. */
  readonly standing: ReadonlySet<string>;
  /** province → its communes active at the instant. */
  readonly communes: ReadonlyMap<string, readonly string[]>;
}

export interface IndicatorResult extends Measurement {
  readonly indicator: Indicator;
  /** Value reaches the target, where there is a target and a value. */
  readonly met: boolean | null;
}

export interface OrganizationResult {
  readonly organization: ScoredOrganization;
  readonly period: Period;
  readonly score: number | null;
  readonly rank: number | null;
  readonly values: readonly IndicatorResult[];
}

export const standingKey = (indicator: IndicatorCode, organizationId: string, tag?: string | null): string =>
  tag ? `${indicator}|${organizationId}|${tag}` : `${indicator}|${organizationId}`;

/** Acts of merged units count for their successor; offices held do not carry over. */
const OWN_ONLY: ReadonlySet<IndicatorCode> = new Set(['SPOKESPERSON_APPOINTED', 'FOCAL_POINT_APPOINTED']);

function figuresOf(organization: ScoredOrganization, data: PeriodData): Figures {
  return {
    group: organization.group,
    cells(indicator) {
      const summed = new Map<MonthKey, Cell>();
      for (const member of organization.members) {
        for (const [month, cell] of data.cells.get(member)?.get(indicator) ?? []) {
          const sum = summed.get(month);
          summed.set(
            month,
            sum
              ? {
                  numerator: sum.numerator + cell.numerator,
                  denominator: sum.denominator + cell.denominator,
                  amount: sum.amount + cell.amount,
                }
              : cell,
          );
        }
      }
      return summed;
    },
    standing(indicator, tag) {
      const ids = OWN_ONLY.has(indicator) ? [organization.id] : organization.members;
      return ids.some((id) => data.standing.has(standingKey(indicator, id, tag)));
    },
    get communes() {
      const communes = data.communes.get(organization.id) ?? [];
      return {
        total: communes.length,
        withFocalPoint: communes.filter((id) => data.standing.has(standingKey('FOCAL_POINT_APPOINTED', id))).length,
      };
    },
  };
}

export function measureOrganization(
  organization: ScoredOrganization,
  data: PeriodData,
  period: Period,
): Omit<OrganizationResult, 'rank'> {
  const figures = figuresOf(organization, data);
  const values = indicators.map((indicator): IndicatorResult => {
    const measurement = indicator.measure(figures, period);
    const met =
      indicator.target === null || measurement.value === null
        ? null
        : indicator.higherIsBetter
          ? measurement.value >= indicator.target
          : measurement.value <= indicator.target;
    return { ...measurement, indicator, met };
  });
  return { organization, period, score: compositeScore(values), values };
}

/** The weighted mean of the applicable indicators on 0–100; an indicator without a value is left out of the weights. */
export function compositeScore(values: readonly IndicatorResult[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const { indicator, value } of values) {
    if (value === null || indicator.weight === 0) continue;
    weighted += indicator.weight * scaled(indicator, value);
    weights += indicator.weight;
  }
  return weights === 0 ? null : Math.round((100 * weighted) / weights) / 100;
}

const byScore = (a: { score: number | null; organization: ScoredOrganization }, b: typeof a): number => {
  if (a.score !== b.score) {
    if (a.score === null) return 1;
    if (b.score === null) return -1;
    return b.score - a.score;
  }
  return (
    (a.organization.code ?? '').localeCompare(b.organization.code ?? '') ||
    a.organization.name.localeCompare(b.organization.name, 'vi') ||
    a.organization.id.localeCompare(b.organization.id)
  );
};

/** Every scored organization's results, best first; ranks count within each group, equal scores share a rank. */
export function scoreboard(
  organizations: readonly ScoredOrganization[],
  data: PeriodData,
  period: Period,
): OrganizationResult[] {
  const measured = organizations.map((organization) => measureOrganization(organization, data, period)).sort(byScore);
  const seen = new Map<string, { count: number; lastScore: number | null; lastRank: number }>();
  return measured.map((result) => {
    const group = seen.get(result.organization.group) ?? { count: 0, lastScore: null, lastRank: 0 };
    group.count++;
    let rank: number | null = null;
    if (result.score !== null) {
      rank = group.lastScore === result.score ? group.lastRank : group.count;
      group.lastScore = result.score;
      group.lastRank = rank;
    }
    seen.set(result.organization.group, group);
    return { ...result, rank };
  });
}
