import type { EventEnvelope } from '@hub/event-catalogue';

/** What deciding an event's audience reads of it: its type, its organization and its data. */
export type AudienceEvent = Pick<EventEnvelope, 'type' | 'organizationId' | 'data'>;

/** An event as one caller may see it: the raw data, or the redacted public shape of it. */
export interface EventView {
  readonly data: Readonly<Record<string, unknown>>;
  readonly redacted: boolean;
}

/**
 * Facts a path has loaded before showing events, so that deciding stays pure and synchronous: a
 * feed loads them once per event and decides for every subscriber from memory. Whatever is not
 * given is treated as unknown, and unknown never widens an audience.
 */
export interface AudienceContext {
  readonly now: Date;
  /**
   * The parent chain (any order) of the organizations events concern, by organization id. Editors
   * of a unit above an organization count among its members (a province's editors manage its
   * departments and communes); without the chain only the organization's own users do.
   */
  readonly ancestors?: ReadonlyMap<string, readonly string[]>;
  /** Every organization a distribution of the statement was delivered to so far, by statement id. */
  readonly statementRecipients?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Policies known to be public (consultation opened or issued); any other is taken for a draft. */
  readonly publishedPolicies?: ReadonlySet<string>;
}

/**
 * Who may read an event's raw data, besides administrators, who always may.
 * - `everyone`: anonymous callers too;
 * - `organization`: users acting for the event's organization itself;
 * - `members`: those, and editors of an organization above it (see `AudienceContext.ancestors`);
 * - `editors`: the members holding ORG_EDITOR;
 * - `parties`: users acting for the orderer or the newsroom of a press order;
 * - `recipients`: users acting for an organization a distribution reached.
 */
export const READERS = ['everyone', 'organization', 'members', 'editors', 'parties', 'recipients'] as const;
export type Reader = (typeof READERS)[number];

export interface Exposure {
  readonly raw: readonly Reader[];
  /**
   * The fields everyone outside the raw audience sees; null: they may not even learn that the
   * event exists.
   */
  readonly others: readonly string[] | null;
}

/** An event type's rule: fixed, or decided from the event's own data (embargo, publication). */
export type AudienceRule = Exposure | ((data: Readonly<Record<string, unknown>>, context: AudienceContext) => Exposure);
