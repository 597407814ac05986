import type { AreaFlags, OrganizationKind } from '@hub/event-catalogue';
import type { DirectoryEvent } from '../events.js';

/**
 * An organization's attributes over time. Changes carry the date they take effect in the world,
 * which need not follow the order they were recorded in (a decree is often entered after it took
 * effect), so the timeline is always rebuilt from all of an organization's changes.
 */
export interface OrganizationVersion {
  readonly organizationId: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly name: string;
  readonly nameEn: string | null;
  readonly shortName: string | null;
  readonly code: string | null;
  readonly kind: OrganizationKind;
  readonly parentId: string | null;
  readonly areas: AreaFlags;
  readonly status: 'ACTIVE' | 'MERGED' | 'DISSOLVED';
  readonly successorId: string | null;
}

/** An event that changes an organization's attributes, with the order it was recorded in. */
export interface RecordedChange {
  readonly sequence: number;
  readonly event: DirectoryEvent;
}

export function effectiveAt(event: DirectoryEvent): string | null {
  switch (event.type) {
    case 'OrganizationRegistered':
      return event.data.establishedAt;
    case 'OrganizationRenamed':
    case 'OrganizationRecoded':
    case 'OrganizationReclassified':
    case 'OrganizationsMerged':
    case 'OrganizationMergedInto':
    case 'OrganizationDissolved':
      return event.data.effectiveAt;
    default:
      return null;
  }
}

type Attributes = Omit<OrganizationVersion, 'validFrom' | 'validTo'>;

function apply(current: Attributes | null, event: DirectoryEvent): Attributes | null {
  if (event.type === 'OrganizationRegistered') {
    const d = event.data;
    return {
      organizationId: d.organizationId,
      name: d.name,
      nameEn: d.nameEn,
      shortName: d.shortName,
      code: d.code,
      kind: d.kind,
      parentId: d.parentId,
      areas: d.areas,
      status: 'ACTIVE',
      successorId: null,
    };
  }
  if (!current) return null;
  switch (event.type) {
    case 'OrganizationRenamed':
      return { ...current, name: event.data.name, nameEn: event.data.nameEn, shortName: event.data.shortName };
    case 'OrganizationRecoded':
      return { ...current, code: event.data.code };
    case 'OrganizationReclassified':
      return { ...current, kind: event.data.kind };
    case 'OrganizationsMerged':
      return { ...current, areas: event.data.areas };
    case 'OrganizationMergedInto':
      return { ...current, status: 'MERGED', successorId: event.data.successorId };
    case 'OrganizationDissolved':
      return { ...current, status: 'DISSOLVED' };
    default:
      return current;
  }
}

export function organizationTimeline(changes: readonly RecordedChange[]): OrganizationVersion[] {
  const ordered = changes
    .map((change) => ({ ...change, at: effectiveAt(change.event) }))
    .filter((change): change is RecordedChange & { at: string } => change.at !== null)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.sequence - b.sequence);
  const versions: OrganizationVersion[] = [];
  let current: Attributes | null = null;
  for (const change of ordered) {
    current = apply(current, change.event);
    if (!current) continue;
    const from = new Date(change.at).toISOString();
    const previous = versions[versions.length - 1];
    if (previous && previous.validFrom === from) {
      versions[versions.length - 1] = { ...current, validFrom: from, validTo: null };
      continue;
    }
    if (previous) versions[versions.length - 1] = { ...previous, validTo: from };
    versions.push({ ...current, validFrom: from, validTo: null });
  }
  return versions;
}
