import type { ContentEventMap, DirectoryEventMap, EventEnvelope, PressOrderEventMap } from '@hub/event-catalogue';
import type { IndicatorCode } from './codes.js';
import { type MonthKey, monthOf } from './periods.js';

/**
 * Events become facts in two steps, both pure: each event updates the state of the items it is
 * about (a statement, a policy, a feedback, a distribution, a press order, a contact, an
 * organization's spokesperson terms, a plan), and each item's state says which facts it
 * contributes. Facts do not depend on the order in which items receive events from different
 * streams (the bus keeps only each stream's order), so a live fold and a rebuild agree.
 */

/** One event behind a number. */
export interface EvidenceRef {
  readonly eventId: string;
  readonly occurredAt: string;
}

/** Something counted in a calendar month, for an organization: sums over months give any period. */
export interface CountedFact {
  readonly kind: 'counted';
  readonly indicator: IndicatorCode;
  readonly organizationId: string;
  readonly month: MonthKey;
  readonly numerator: number;
  readonly denominator: number;
  /** What is summed where the value is a total (statements, VND). */
  readonly amount: number;
  readonly evidence: readonly EvidenceRef[];
}

/** Something that holds from one instant until another (a term of office, an adopted plan). */
export interface StandingFact {
  readonly kind: 'standing';
  readonly indicator: IndicatorCode;
  readonly organizationId: string;
  readonly from: string;
  readonly to: string | null;
  /** Narrows what it stands for: the year of an annual plan. */
  readonly tag: string | null;
  readonly evidence: readonly EvidenceRef[];
}

export type Fact = CountedFact | StandingFact;

type EventMap = ContentEventMap & DirectoryEventMap & PressOrderEventMap;
type EventType = Extract<keyof EventMap, string>;
type Known = { [K in EventType]: EventEnvelope<EventMap[K], K> }[EventType];

const ref = (event: EventEnvelope): EvidenceRef => ({ eventId: event.id, occurredAt: event.occurredAt });
const counted = (
  indicator: IndicatorCode,
  organizationId: string,
  at: string,
  numbers: { numerator?: number; denominator?: number; amount?: number },
  evidence: readonly EvidenceRef[],
): CountedFact => ({
  kind: 'counted',
  indicator,
  organizationId,
  month: monthOf(at),
  numerator: numbers.numerator ?? 0,
  denominator: numbers.denominator ?? 0,
  amount: numbers.amount ?? 0,
  evidence,
});
const earlier = (a: string, b: string): boolean => new Date(a).getTime() < new Date(b).getTime();

/** How one kind of item folds its events and what facts it contributes. */
export interface ItemRule<S> {
  readonly kind: string;
  readonly handles: readonly EventType[];
  /** The keys of the items of this kind the event is about (a statement names several policies). */
  keys(event: Known): readonly string[];
  evolve(state: S | undefined, event: Known, key: string): S;
  facts(state: S): readonly Fact[];
}

// ── statements: press information every month, a press conference every quarter ──
interface StatementState {
  readonly organizationId: string;
  readonly kind: string;
  readonly releasedAt: string;
  readonly released: EvidenceRef;
}
const statements: ItemRule<StatementState> = {
  kind: 'statement',
  handles: ['StatementReleased'],
  keys: (event) => (event.type === 'StatementReleased' ? [event.data.statementId] : []),
  evolve: (state, event) =>
    event.type === 'StatementReleased'
      ? {
          organizationId: event.data.organizationId,
          kind: event.data.kind,
          releasedAt: event.data.releasedAt,
          released: ref(event),
        }
      : (state as StatementState),
  facts: (s) => [
    counted('MONTHLY_PRESS_INFORMATION', s.organizationId, s.releasedAt, { amount: 1 }, [s.released]),
    ...(s.kind === 'PRESS_CONFERENCE'
      ? [counted('QUARTERLY_PRESS_CONFERENCE', s.organizationId, s.releasedAt, { amount: 1 }, [s.released])]
      : []),
  ],
};

// ── policies: consulted before issuance; communicated while drafted ──
interface PolicyState {
  readonly issued: { readonly organizationId: string; readonly at: string; readonly ref: EvidenceRef } | null;
  readonly consultation: { readonly opensAt: string; readonly ref: EvidenceRef } | null;
  readonly statements: readonly { readonly releasedAt: string; readonly ref: EvidenceRef }[];
}
const policies: ItemRule<PolicyState> = {
  kind: 'policy',
  handles: ['PolicyIssued', 'ConsultationOpened', 'StatementReleased'],
  keys: (event) => {
    if (event.type === 'StatementReleased') return [...new Set(event.data.policyIds)];
    if (event.type === 'PolicyIssued' || event.type === 'ConsultationOpened') return [event.data.policyId];
    return [];
  },
  evolve: (state, event) => {
    const s: PolicyState = state ?? { issued: null, consultation: null, statements: [] };
    switch (event.type) {
      case 'PolicyIssued':
        return {
          ...s,
          issued: { organizationId: event.data.organizationId, at: event.data.issuedAt, ref: ref(event) },
        };
      case 'ConsultationOpened':
        // The first consultation is the one that decides "consulted before issuance".
        return s.consultation && !earlier(event.data.opensAt, s.consultation.opensAt)
          ? s
          : { ...s, consultation: { opensAt: event.data.opensAt, ref: ref(event) } };
      case 'StatementReleased':
        return s.statements.some((known) => known.ref.eventId === event.id)
          ? s
          : { ...s, statements: [...s.statements, { releasedAt: event.data.releasedAt, ref: ref(event) }] };
      default:
        return s;
    }
  },
  facts: (s) => {
    if (!s.issued) return [];
    const issued = s.issued;
    const consulted = s.consultation !== null && earlier(s.consultation.opensAt, issued.at);
    const before = s.statements.filter((statement) => earlier(statement.releasedAt, issued.at));
    return [
      counted(
        'POLICIES_CONSULTED',
        issued.organizationId,
        issued.at,
        { numerator: consulted ? 1 : 0, denominator: 1 },
        consulted && s.consultation ? [issued.ref, s.consultation.ref] : [issued.ref],
      ),
      counted(
        'POLICIES_COMMUNICATED_IN_DRAFT',
        issued.organizationId,
        issued.at,
        { numerator: before.length > 0 ? 1 : 0, denominator: 1 },
        [issued.ref, ...before.map((statement) => statement.ref)],
      ),
    ];
  },
};

// ── feedback on a policy: answered, unless hidden by moderation ──
interface FeedbackState {
  readonly submitted: { readonly organizationId: string; readonly at: string; readonly ref: EvidenceRef } | null;
  readonly answered: EvidenceRef | null;
  readonly hidden: boolean;
}
const feedback: ItemRule<FeedbackState> = {
  kind: 'feedback',
  handles: ['FeedbackSubmitted', 'FeedbackAnswered', 'FeedbackHidden'],
  keys: (event) =>
    event.type === 'FeedbackSubmitted' || event.type === 'FeedbackAnswered' || event.type === 'FeedbackHidden'
      ? [event.data.feedbackId]
      : [],
  evolve: (state, event) => {
    const s: FeedbackState = state ?? { submitted: null, answered: null, hidden: false };
    switch (event.type) {
      case 'FeedbackSubmitted':
        return {
          ...s,
          submitted: { organizationId: event.data.organizationId, at: event.data.submittedAt, ref: ref(event) },
        };
      case 'FeedbackAnswered':
        return { ...s, answered: s.answered ?? ref(event) };
      case 'FeedbackHidden':
        return { ...s, hidden: true };
      default:
        return s;
    }
  },
  facts: (s) =>
    s.submitted && !s.hidden
      ? [
          counted(
            'FEEDBACK_ANSWERED',
            s.submitted.organizationId,
            s.submitted.at,
            { numerator: s.answered ? 1 : 0, denominator: 1 },
            s.answered ? [s.submitted.ref, s.answered] : [s.submitted.ref],
          ),
        ]
      : [],
};

// ── distributions: each recipient's delivery acknowledged ──
interface DistributionState {
  readonly started: {
    readonly organizationId: string;
    readonly at: string;
    readonly recipients: number;
    readonly ref: EvidenceRef;
  } | null;
  /** Acknowledging recipient → its acknowledgement; a recipient acknowledges once. */
  readonly acknowledged: Readonly<Record<string, EvidenceRef>>;
}
const distributions: ItemRule<DistributionState> = {
  kind: 'distribution',
  handles: ['DistributionStarted', 'DeliveryAcknowledged'],
  keys: (event) =>
    event.type === 'DistributionStarted' || event.type === 'DeliveryAcknowledged' ? [event.data.distributionId] : [],
  evolve: (state, event) => {
    const s: DistributionState = state ?? { started: null, acknowledged: {} };
    if (event.type === 'DistributionStarted') {
      return {
        ...s,
        started: {
          organizationId: event.data.organizationId,
          at: event.data.deliveredAt,
          recipients: new Set(event.data.recipientIds).size,
          ref: ref(event),
        },
      };
    }
    if (event.type === 'DeliveryAcknowledged' && !s.acknowledged[event.data.recipientId]) {
      return { ...s, acknowledged: { ...s.acknowledged, [event.data.recipientId]: ref(event) } };
    }
    return s;
  },
  facts: (s) => {
    if (!s.started) return [];
    const acknowledgements = Object.values(s.acknowledged);
    return [
      counted(
        'DELIVERIES_ACKNOWLEDGED',
        s.started.organizationId,
        s.started.at,
        { numerator: Math.min(acknowledgements.length, s.started.recipients), denominator: s.started.recipients },
        [s.started.ref, ...acknowledgements],
      ),
    ];
  },
};

// ── press orders: delivered by the deadline (judged at nghiệm thu); VND settled ──
interface OrderState {
  readonly accepted: {
    readonly organizationId: string;
    readonly at: string;
    readonly onTime: boolean;
    readonly ref: EvidenceRef;
  } | null;
  readonly settled: {
    readonly organizationId: string;
    readonly at: string;
    readonly amount: number;
    readonly ref: EvidenceRef;
  } | null;
}
const orders: ItemRule<OrderState> = {
  kind: 'order',
  handles: ['DeliveryAccepted', 'PressOrderSettled'],
  keys: (event) =>
    event.type === 'DeliveryAccepted' || event.type === 'PressOrderSettled' ? [event.data.orderId] : [],
  evolve: (state, event) => {
    const s: OrderState = state ?? { accepted: null, settled: null };
    if (event.type === 'DeliveryAccepted') {
      return {
        ...s,
        accepted: {
          organizationId: event.data.ordererId,
          at: event.data.acceptedAt,
          // On time means the accepted delivery was submitted by the deadline, however late the check.
          onTime: !earlier(event.data.deadline, event.data.deliveredAt),
          ref: ref(event),
        },
      };
    }
    if (event.type === 'PressOrderSettled') {
      return {
        ...s,
        settled: {
          organizationId: event.data.ordererId,
          at: event.data.settledAt,
          amount: event.data.amount,
          ref: ref(event),
        },
      };
    }
    return s;
  },
  facts: (s) => [
    ...(s.accepted
      ? [
          counted(
            'PRESS_ORDERS_ON_TIME',
            s.accepted.organizationId,
            s.accepted.at,
            { numerator: s.accepted.onTime ? 1 : 0, denominator: 1 },
            [s.accepted.ref],
          ),
        ]
      : []),
    ...(s.settled
      ? [
          counted('PRESS_ORDER_SPEND', s.settled.organizationId, s.settled.at, { amount: s.settled.amount }, [
            s.settled.ref,
          ]),
        ]
      : []),
  ],
};

// ── focal points: a contact holding the FOCAL_POINT role, from appointment until relieved ──
interface ContactState {
  readonly appointed: {
    readonly organizationId: string;
    readonly focalPoint: boolean;
    readonly from: string;
    readonly ref: EvidenceRef;
  } | null;
  readonly relieved: { readonly at: string; readonly ref: EvidenceRef } | null;
}
const contacts: ItemRule<ContactState> = {
  kind: 'contact',
  handles: ['ContactAppointed', 'ContactRelieved'],
  keys: (event) =>
    event.type === 'ContactAppointed' || event.type === 'ContactRelieved' ? [event.data.contactId] : [],
  evolve: (state, event) => {
    const s: ContactState = state ?? { appointed: null, relieved: null };
    if (event.type === 'ContactAppointed') {
      return {
        ...s,
        appointed: {
          organizationId: event.data.organizationId,
          focalPoint: event.data.roles.includes('FOCAL_POINT'),
          from: event.data.appointedFrom,
          ref: ref(event),
        },
      };
    }
    if (event.type === 'ContactRelieved') return { ...s, relieved: { at: event.data.relievedAt, ref: ref(event) } };
    return s;
  },
  facts: (s) =>
    s.appointed?.focalPoint
      ? [
          {
            kind: 'standing',
            indicator: 'FOCAL_POINT_APPOINTED',
            organizationId: s.appointed.organizationId,
            from: s.appointed.from,
            to: s.relieved?.at ?? null,
            tag: null,
            evidence: [s.appointed.ref],
          },
        ]
      : [],
};

// ── spokesperson terms of an organization (Decree 09/2017): a designation ends the previous one ──
interface SpokespersonState {
  readonly organizationId: string;
  readonly designations: readonly { readonly contactId: string; readonly from: string; readonly ref: EvidenceRef }[];
  readonly reliefs: readonly { readonly contactId: string; readonly at: string }[];
  readonly endedAt: string | null;
}
const spokespersons: ItemRule<SpokespersonState> = {
  kind: 'spokesperson',
  handles: ['SpokespersonDesignated', 'ContactRelieved', 'OrganizationMergedInto', 'OrganizationDissolved'],
  keys: (event) =>
    event.type === 'SpokespersonDesignated' ||
    event.type === 'ContactRelieved' ||
    event.type === 'OrganizationMergedInto' ||
    event.type === 'OrganizationDissolved'
      ? [event.data.organizationId]
      : [],
  evolve: (state, event, key) => {
    const s: SpokespersonState = state ?? { organizationId: key, designations: [], reliefs: [], endedAt: null };
    switch (event.type) {
      case 'SpokespersonDesignated':
        return {
          ...s,
          designations: [
            ...s.designations,
            { contactId: event.data.contactId, from: event.data.from, ref: ref(event) },
          ],
        };
      case 'ContactRelieved':
        return { ...s, reliefs: [...s.reliefs, { contactId: event.data.contactId, at: event.data.relievedAt }] };
      case 'OrganizationMergedInto':
      case 'OrganizationDissolved':
        return { ...s, endedAt: event.data.effectiveAt };
      default:
        return s;
    }
  },
  facts: (s) => {
    const ordered = [...s.designations].sort((a, b) => new Date(a.from).getTime() - new Date(b.from).getTime());
    return ordered.map((term, i): StandingFact => {
      const ends = [
        ordered[i + 1]?.from,
        ...s.reliefs.filter((r) => r.contactId === term.contactId && !earlier(r.at, term.from)).map((r) => r.at),
        s.endedAt ?? undefined,
      ].filter((at): at is string => at !== undefined);
      const to = ends.sort((a, b) => new Date(a).getTime() - new Date(b).getTime())[0] ?? null;
      return {
        kind: 'standing',
        indicator: 'SPOKESPERSON_APPOINTED',
        organizationId: s.organizationId,
        from: term.from,
        to,
        tag: null,
        evidence: [term.ref],
      };
    });
  },
};

// ── annual communication plans (Directive 07/CT-TTg) ──
interface PlanState {
  readonly organizationId: string;
  readonly year: number | null;
  readonly adoptedAt: string | null;
  readonly adopted: EvidenceRef | null;
}
const plans: ItemRule<PlanState> = {
  kind: 'plan',
  handles: ['PlanAdopted', 'PlanRevised'],
  keys: (event) => (event.type === 'PlanAdopted' || event.type === 'PlanRevised' ? [event.data.planId] : []),
  evolve: (state, event) => {
    if (event.type === 'PlanAdopted') {
      return {
        organizationId: event.data.organizationId,
        // A revision may already have been folded (another stream's order); its year stands.
        year: state && state.adopted === null ? state.year : event.data.year,
        adoptedAt: event.data.adoptedAt,
        adopted: ref(event),
      };
    }
    if (event.type === 'PlanRevised') {
      return {
        organizationId: event.data.organizationId,
        year: event.data.year,
        adoptedAt: state?.adoptedAt ?? null,
        adopted: state?.adopted ?? null,
      };
    }
    return state as PlanState;
  },
  facts: (s) =>
    s.year !== null && s.adoptedAt !== null && s.adopted !== null
      ? [
          {
            kind: 'standing',
            indicator: 'ANNUAL_PLAN_ADOPTED',
            organizationId: s.organizationId,
            from: s.adoptedAt,
            to: null,
            tag: String(s.year),
            evidence: [s.adopted],
          },
        ]
      : [],
};

/** Every kind of item, each folding its own events. */
export const itemRules: readonly ItemRule<never>[] = [
  statements,
  policies,
  feedback,
  distributions,
  orders,
  contacts,
  spokespersons,
  plans,
] as unknown as readonly ItemRule<never>[];

/** The event types that change some item. */
export const itemEventTypes: readonly string[] = [...new Set(itemRules.flatMap((rule) => rule.handles))];

/** An item touched by an event: its kind and key. */
export interface ItemRef {
  readonly kind: string;
  readonly key: string;
}

/** One item's identity in maps and the read model's rows. */
export const itemId = (item: ItemRef): string => `${item.kind}\u0000${item.key}`;

export function itemsOf(event: EventEnvelope): ItemRef[] {
  const known = event as Known;
  return itemRules.flatMap((rule) =>
    rule.handles.includes(known.type) ? rule.keys(known).map((key) => ({ kind: rule.kind, key })) : [],
  );
}

const rulesByKind = new Map(itemRules.map((rule) => [rule.kind, rule as unknown as ItemRule<unknown>]));

export function evolveItem(item: ItemRef, state: unknown, event: EventEnvelope): unknown {
  const rule = rulesByKind.get(item.kind);
  if (!rule) throw new Error(`no item rule for ${item.kind}`);
  return rule.evolve(state, event as Known, item.key);
}

export function factsOfItem(kind: string, state: unknown): readonly Fact[] {
  const rule = rulesByKind.get(kind);
  if (!rule || state === undefined) return [];
  return rule.facts(state);
}
