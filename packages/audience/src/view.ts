import { type Caller, isAuthenticated, type UserCaller } from '@hub/auth';
import { ruleFor } from './rules.js';
import type { AudienceContext, AudienceEvent, EventView, Exposure, Reader } from './types.js';

type Data = Readonly<Record<string, unknown>>;

/** The organization an event concerns: the one its data names, else the envelope's. */
const subjectOf = (event: AudienceEvent, data: Data): string | null =>
  typeof data.organizationId === 'string' ? data.organizationId : event.organizationId;

const strings = (value: unknown): readonly string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Users of the organization itself, and editors of an organization above it. */
function isMember(user: UserCaller, subject: string | null, context: AudienceContext): boolean {
  if (subject === null) return false;
  if (user.organizationId === subject) return true;
  return user.roles.includes('ORG_EDITOR') && (context.ancestors?.get(subject) ?? []).includes(user.organizationId);
}

function reads(reader: Reader, caller: Caller, subject: string | null, data: Data, context: AudienceContext): boolean {
  if (reader === 'everyone') return true;
  if (!isAuthenticated(caller)) return false;
  const own = caller.organizationId;
  switch (reader) {
    case 'organization':
      return own === subject;
    case 'members':
      return isMember(caller, subject, context);
    case 'editors':
      return caller.roles.includes('ORG_EDITOR') && isMember(caller, subject, context);
    case 'parties':
      return own === data.ordererId || own === data.newsroomId;
    case 'recipients':
      return (
        own === data.recipientId ||
        strings(data.recipientIds).includes(own) ||
        (typeof data.statementId === 'string' && context.statementRecipients?.get(data.statementId)?.has(own) === true)
      );
  }
}

function exposureOf(event: AudienceEvent, data: Data, context: AudienceContext): Exposure | null {
  const rule = ruleFor(event.type);
  if (rule === undefined) return null;
  return typeof rule === 'function' ? rule(data, context) : rule;
}

function pick(data: Data, fields: readonly string[]): Data {
  const shown: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(data, field)) shown[field] = data[field];
  return shown;
}

/** One event decided for any number of callers: `(caller) => what they may see of it`. */
export type EventViewer = (caller: Caller) => EventView | null;

/**
 * Decides once what does not depend on the caller (the rule, the event's organization, the
 * redacted shape), so a feed fanning one event out to many subscribers pays only the per-caller test.
 */
export function eventViewer(event: AudienceEvent, context: AudienceContext): EventViewer {
  const data = event.data as Data;
  const raw: EventView = { data, redacted: false };
  const exposure = exposureOf(event, data, context);
  const subject = subjectOf(event, data);
  const others = exposure?.others ?? null;
  const redacted: EventView | null = others === null ? null : { data: pick(data, others), redacted: true };
  return (caller) => {
    if (isAuthenticated(caller) && caller.roles.includes('ADMIN')) return raw;
    if (exposure === null) return null;
    if (exposure.raw.some((reader) => reads(reader, caller, subject, data, context))) return raw;
    return redacted;
  };
}

/**
 * What `caller` may see of `event`: its raw data, a redacted public shape, or null when the caller
 * may not even learn that it exists. Deny by default: a type without a rule is for administrators
 * only. Pure and synchronous, so a feed decides for every subscriber from one loaded context.
 */
export function viewEvent(event: AudienceEvent, caller: Caller, context: AudienceContext): EventView | null {
  return eventViewer(event, context)(caller);
}

/** Whether deciding on events of `type` may read the ancestry of their organization. */
function readsAncestry(type: string): boolean {
  const rule = ruleFor(type);
  if (rule === undefined) return false;
  return typeof rule === 'function' || rule.raw.some((reader) => reader === 'members' || reader === 'editors');
}

/** What to load before deciding on these events: the ids whose facts `AudienceContext` can carry. */
export interface AudienceNeeds {
  /** Organizations whose ancestors matter (events whose members or editors see more). */
  readonly organizationIds: ReadonlySet<string>;
  /** Statements whose recipients matter (a release that may be under embargo). */
  readonly statementIds: ReadonlySet<string>;
  /** Policies whose publication matters (their drafting). */
  readonly policyIds: ReadonlySet<string>;
}

/** Collects, for a batch of events, the facts worth one batched lookup each. */
export function audienceNeeds(events: Iterable<AudienceEvent>): AudienceNeeds {
  const organizationIds = new Set<string>();
  const statementIds = new Set<string>();
  const policyIds = new Set<string>();
  for (const event of events) {
    const data = event.data as Data;
    const subject = subjectOf(event, data);
    if (subject !== null && readsAncestry(event.type)) organizationIds.add(subject);
    if (event.type === 'StatementReleased' && typeof data.statementId === 'string') statementIds.add(data.statementId);
    if (event.type === 'PolicyDrafted' && typeof data.policyId === 'string') policyIds.add(data.policyId);
  }
  return { organizationIds, statementIds, policyIds };
}
