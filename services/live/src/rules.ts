import type { EventViewer } from '@hub/audience';
import { type Caller, isAuthenticated } from '@hub/auth';
import type { EventEnvelope } from '@hub/event-catalogue';

/** The contract's EventFilter: every list given must match; an empty or missing list matches all. */
export interface EventFilterInput {
  readonly types?: readonly string[] | null;
  readonly organizationIds?: readonly string[] | null;
  readonly provinceCodes?: readonly string[] | null;
}

/** Who may be told of a statement now: everyone, or these organizations (and administrators). */
export type Audience =
  | { readonly kind: 'public' }
  | { readonly kind: 'organizations'; readonly ids: ReadonlySet<string> };

export const PUBLIC: Audience = { kind: 'public' };

/** What the feed works out once per event, so a thousand subscribers cost one lookup. */
export interface EventFacts {
  readonly event: EventEnvelope;
  /** The province of the event's organization now; null when it sits under none. */
  readonly provinceCode: string | null;
  /** What each subscriber may see of it, by the audience rule, decided from knowledge loaded once. */
  readonly view: EventViewer;
}

/** A statement becoming visible to an audience: at release, on distribution, when its embargo ends. */
export interface StatementNotice {
  readonly statementId: string;
  readonly organizationId: string;
  readonly audience: Audience;
}

const listMatches = (list: readonly string[] | null | undefined, value: string | null): boolean =>
  list == null || list.length === 0 || (value !== null && list.includes(value));

export function matchesFilter(facts: EventFacts, filter: EventFilterInput | null | undefined): boolean {
  return (
    listMatches(filter?.types, facts.event.type) &&
    listMatches(filter?.organizationIds, facts.event.organizationId) &&
    listMatches(filter?.provinceCodes, facts.provinceCode)
  );
}

export const organizationKey = (id: string): string => `organization:${id}`;
export const newsroomKey = (id: string): string => `newsroom:${id}`;

/**
 * Where a subscriber with this filter sits in the match index: under its most selective list (an
 * organization names fewer events than a province, a province fewer than a type); null: anywhere.
 */
export function filterKeys(filter: EventFilterInput | null | undefined): readonly string[] | null {
  if (filter?.organizationIds?.length) return filter.organizationIds.map(organizationKey);
  if (filter?.provinceCodes?.length) return filter.provinceCodes.map((code) => `province:${code}`);
  if (filter?.types?.length) return filter.types.map((type) => `type:${type}`);
  return null;
}

/** The index keys of an event: one per list a filter can name, and the newsroom an order goes to. */
export function eventKeys(facts: EventFacts): string[] {
  const { event, provinceCode } = facts;
  const keys = [`type:${event.type}`];
  if (event.organizationId !== null) keys.push(organizationKey(event.organizationId));
  if (provinceCode !== null) keys.push(`province:${provinceCode}`);
  const newsroomId = (event.data as { newsroomId?: unknown }).newsroomId;
  if (event.type === 'PressOrderPlaced' && typeof newsroomId === 'string') keys.push(newsroomKey(newsroomId));
  return keys;
}

export function inAudience(caller: Caller, audience: Audience): boolean {
  if (audience.kind === 'public') return true;
  if (!isAuthenticated(caller)) return false;
  return caller.roles.includes('ADMIN') || audience.ids.has(caller.organizationId);
}

/**
 * What a content event means for statementReleased subscribers: a released statement reaches its
 * organization (everyone when not embargoed); a distribution of an embargoed statement reaches its
 * recipients. `embargoUntil` is the statement's embargo as the knowledge holds it.
 */
export function statementNoticeFor(
  event: EventEnvelope,
  statement: { readonly organizationId: string; readonly embargoUntil: Date | null } | null,
  now: Date,
): StatementNotice | null {
  const data = event.data as Record<string, unknown>;
  if (event.type === 'StatementReleased') {
    const organizationId = data.organizationId as string;
    const until = typeof data.embargoUntil === 'string' ? new Date(data.embargoUntil) : null;
    const audience: Audience =
      until === null || until <= now ? PUBLIC : { kind: 'organizations', ids: new Set([organizationId]) };
    return { statementId: data.statementId as string, organizationId, audience };
  }
  if (event.type === 'DistributionStarted' && typeof data.statementId === 'string' && statement !== null) {
    // Once public, every subscriber has had it already.
    if (statement.embargoUntil === null || statement.embargoUntil <= now) return null;
    return {
      statementId: data.statementId,
      organizationId: statement.organizationId,
      audience: { kind: 'organizations', ids: new Set(data.recipientIds as string[]) },
    };
  }
  return null;
}
