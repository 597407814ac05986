import type { EventEnvelope } from '@hub/event-catalogue';

/**
 * The administrative structure, learnt from the directory's events: who exists when, of what
 * kind, under whom, and which unit absorbed which (1 March 2025 ministries, 1 July 2025 provinces).
 */
export interface OrganizationRow {
  readonly id: string;
  readonly name: string | null;
  readonly kind: string | null;
  readonly code: string | null;
  readonly parentId: string | null;
  readonly establishedAt: string | null;
  /** Merged into another unit or dissolved from then on. */
  readonly endedAt: string | null;
  readonly successorId: string | null;
  /** The event that registered it (evidence for a count of units). */
  readonly registeredEventId: string | null;
}

export const structureEventTypes = [
  'OrganizationRegistered',
  'OrganizationRenamed',
  'OrganizationRecoded',
  'OrganizationReclassified',
  'OrganizationMergedInto',
  'OrganizationDissolved',
] as const;

const empty = (id: string): OrganizationRow => ({
  id,
  name: null,
  kind: null,
  code: null,
  parentId: null,
  establishedAt: null,
  endedAt: null,
  successorId: null,
  registeredEventId: null,
});

/** One organization's row after an event; each field is set by one kind of event, so order does not matter. */
export function evolveOrganization(row: OrganizationRow | undefined, event: EventEnvelope): OrganizationRow {
  const data = event.data as Record<string, unknown>;
  const current = row ?? empty(data.organizationId as string);
  switch (event.type) {
    case 'OrganizationRegistered':
      return {
        ...current,
        name: current.name ?? (data.name as string),
        kind: current.kind ?? (data.kind as string),
        code: current.code ?? (data.code as string | null) ?? null,
        parentId: (data.parentId as string | null) ?? null,
        establishedAt: data.establishedAt as string,
        registeredEventId: event.id,
      };
    case 'OrganizationRenamed':
      return { ...current, name: data.name as string };
    case 'OrganizationRecoded':
      return { ...current, code: data.code as string };
    case 'OrganizationReclassified':
      return { ...current, kind: data.kind as string };
    case 'OrganizationMergedInto':
      return { ...current, endedAt: data.effectiveAt as string, successorId: data.successorId as string };
    case 'OrganizationDissolved':
      return { ...current, endedAt: data.effectiveAt as string };
    default:
      return current;
  }
}

/** The kinds the scoreboard ranks, and the group each is ranked in. */
export const SCORED_KINDS: Readonly<Record<string, 'CENTRAL' | 'PROVINCE'>> = {
  MINISTRY: 'CENTRAL',
  MINISTERIAL_AGENCY: 'CENTRAL',
  GOVERNMENT_AGENCY: 'CENTRAL',
  PROVINCE: 'PROVINCE',
};

const activeAt = (row: OrganizationRow, at: Date): boolean =>
  row.establishedAt !== null &&
  new Date(row.establishedAt).getTime() <= at.getTime() &&
  (row.endedAt === null || new Date(row.endedAt).getTime() > at.getTime());

export interface ScoredOrganization {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly code: string | null;
  readonly group: 'CENTRAL' | 'PROVINCE';
  /** It and every unit merged into it by the instant: their acts count as its own. */
  readonly members: readonly string[];
}

/** Merger links never run deeper than this; a longer chain is a cycle in bad data. */
const MAX_HOPS = 12;

/** The unit an organization's acts count for at an instant: itself, or its successor once merged. */
export function successorAt(rows: ReadonlyMap<string, OrganizationRow>, id: string, at: Date): string {
  let current = id;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const row = rows.get(current);
    if (!row?.successorId || row.endedAt === null || new Date(row.endedAt).getTime() > at.getTime()) return current;
    current = row.successorId;
  }
  return current;
}

/** The organizations ranked at an instant: ministries, agencies and provinces active then, with their members. */
export function scoredAt(rows: ReadonlyMap<string, OrganizationRow>, at: Date): ScoredOrganization[] {
  const members = new Map<string, string[]>();
  for (const row of rows.values()) {
    const owner = successorAt(rows, row.id, at);
    members.set(owner, [...(members.get(owner) ?? []), row.id]);
  }
  const scored: ScoredOrganization[] = [];
  for (const row of rows.values()) {
    const group = row.kind ? SCORED_KINDS[row.kind] : undefined;
    if (!group || !activeAt(row, at)) continue;
    scored.push({
      id: row.id,
      name: row.name ?? row.id,
      kind: row.kind as string,
      code: row.code,
      group,
      members: members.get(row.id) ?? [row.id],
    });
  }
  return scored;
}

/** Communes (commune-level units since 1 July 2025) active at the instant, by the province they are under then. */
export function communesAt(rows: Iterable<OrganizationRow>, all: ReadonlyMap<string, OrganizationRow>, at: Date) {
  const byProvince = new Map<string, string[]>();
  for (const row of rows) {
    if (row.kind !== 'COMMUNE' || !row.parentId || !activeAt(row, at)) continue;
    const province = successorAt(all, row.parentId, at);
    byProvince.set(province, [...(byProvince.get(province) ?? []), row.id]);
  }
  return byProvince;
}
