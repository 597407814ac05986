import type { EventEnvelope } from '@hub/event-catalogue';
import type { IndicatorCode } from './codes.js';
import { type EvidenceRef, evolveItem, type Fact, factsOfItem, itemId, itemsOf } from './facts.js';
import type { Cell } from './indicators.js';
import { type MonthKey, monthsRead, type Period } from './periods.js';
import { type OrganizationResult, type PeriodData, scoreboard, standingKey } from './scoring.js';
import { communesAt, evolveOrganization, type OrganizationRow, scoredAt, structureEventTypes } from './structure.js';

const structural: ReadonlySet<string> = new Set(structureEventTypes);

/**
 * The whole methodology over a list of events, in memory: what the read model stores, folded the
 * same way. Tests state indicators over events with it; the read model must agree with it.
 */
export class InsightsFold {
  readonly organizations = new Map<string, OrganizationRow>();
  readonly items = new Map<string, { kind: string; key: string; state: unknown }>();

  constructor(events: readonly EventEnvelope[] = []) {
    for (const event of events) this.apply(event);
  }

  apply(event: EventEnvelope): void {
    if (structural.has(event.type)) {
      const id = (event.data as { organizationId: string }).organizationId;
      this.organizations.set(id, evolveOrganization(this.organizations.get(id), event));
    }
    for (const item of itemsOf(event)) {
      const id = itemId(item);
      const state = evolveItem(item, this.items.get(id)?.state, event);
      this.items.set(id, { kind: item.kind, key: item.key, state });
    }
  }

  facts(): Fact[] {
    return [...this.items.values()].flatMap(({ kind, state }) => factsOfItem(kind, state));
  }

  periodData(period: Period): PeriodData {
    return periodDataOf(this.facts(), this.organizations, period);
  }

  scoreboard(period: Period): OrganizationResult[] {
    return scoreboard(scoredAt(this.organizations, period.at), this.periodData(period), period);
  }

  /** The events behind one organization's value of one indicator, oldest first. */
  evidence(organizationId: string, indicator: IndicatorCode, period: Period): EvidenceRef[] {
    const scored = scoredAt(this.organizations, period.at).find((organization) => organization.id === organizationId);
    if (!scored) return [];
    const communes = communesAt(this.organizations.values(), this.organizations, period.at).get(organizationId) ?? [];
    return sortEvidence(
      this.facts()
        .filter((fact) => evidenceCounts(fact, indicator, scored.members, organizationId, communes, period))
        .flatMap((fact) => fact.evidence),
    );
  }
}

export const sortEvidence = (refs: readonly EvidenceRef[]): EvidenceRef[] => {
  const unique = new Map(refs.map((ref) => [ref.eventId, ref]));
  return [...unique.values()].sort(
    (a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime() || a.eventId.localeCompare(b.eventId),
  );
};

const holdsAt = (fact: { from: string; to: string | null }, at: Date): boolean =>
  new Date(fact.from).getTime() <= at.getTime() && (fact.to === null || new Date(fact.to).getTime() > at.getTime());

/** The months whose counted facts an indicator's value reads. */
export function monthsOfIndicator(indicator: IndicatorCode, period: Period): readonly MonthKey[] {
  return indicator === 'QUARTERLY_PRESS_CONFERENCE'
    ? period.quarters.flatMap((quarter) => quarter.months)
    : period.months;
}

/** Whether a fact is behind an organization's value of an indicator in a period (the read model asks the same in SQL). */
export function evidenceCounts(
  fact: Fact,
  indicator: IndicatorCode,
  members: readonly string[],
  organizationId: string,
  communes: readonly string[],
  period: Period,
): boolean {
  if (indicator === 'GRASSROOTS_FOCAL_POINTS') {
    return (
      fact.kind === 'standing' &&
      fact.indicator === 'FOCAL_POINT_APPOINTED' &&
      communes.includes(fact.organizationId) &&
      holdsAt(fact, period.at)
    );
  }
  if (fact.indicator !== indicator) return false;
  if (fact.kind === 'counted')
    return members.includes(fact.organizationId) && monthsOfIndicator(indicator, period).includes(fact.month);
  const own =
    indicator === 'SPOKESPERSON_APPOINTED' || indicator === 'FOCAL_POINT_APPOINTED' ? [organizationId] : members;
  return (
    own.includes(fact.organizationId) &&
    holdsAt(fact, period.at) &&
    (indicator !== 'ANNUAL_PLAN_ADOPTED' || fact.tag === String(period.year))
  );
}

/** Sums and standings of a period from facts: what the read model's tables hold, summed the same way. */
export function periodDataOf(
  facts: readonly Fact[],
  organizations: ReadonlyMap<string, OrganizationRow>,
  period: Period,
): PeriodData {
  const { from, to } = monthsRead(period);
  const cells = new Map<string, Map<IndicatorCode, Map<MonthKey, Cell>>>();
  const standing = new Set<string>();
  for (const fact of facts) {
    if (fact.kind === 'counted') {
      if (fact.month < from || fact.month > to) continue;
      const byIndicator = cells.get(fact.organizationId) ?? new Map<IndicatorCode, Map<MonthKey, Cell>>();
      cells.set(fact.organizationId, byIndicator);
      const byMonth = byIndicator.get(fact.indicator) ?? new Map<MonthKey, Cell>();
      byIndicator.set(fact.indicator, byMonth);
      const sum = byMonth.get(fact.month) ?? { numerator: 0, denominator: 0, amount: 0 };
      byMonth.set(fact.month, {
        numerator: sum.numerator + fact.numerator,
        denominator: sum.denominator + fact.denominator,
        amount: sum.amount + fact.amount,
      });
    } else if (holdsAt(fact, period.at)) {
      standing.add(standingKey(fact.indicator, fact.organizationId, fact.tag));
    }
  }
  return { cells, standing, communes: communesAt(organizations.values(), organizations, period.at) };
}
