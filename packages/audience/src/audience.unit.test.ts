import { anonymous, type Caller, type UserCaller } from '@hub/auth';
import { hubCatalogue } from '@hub/event-catalogue';
import { describe, expect, it } from 'vitest';
import { type AudienceContext, type AudienceEvent, audienceNeeds, audienceRules, ruleFor, viewEvent } from './index.js';

const NOW = new Date('2025-07-10T03:00:00Z');
const LATER = '2025-07-10T05:00:00.000Z';
const EARLIER = '2025-07-10T01:00:00.000Z';
const context: AudienceContext = { now: NOW };

const user = (organizationId: string, ...roles: UserCaller['roles']): UserCaller => ({
  kind: 'user',
  userId: `user-of-${organizationId}`,
  organizationId,
  roles,
});

/** The event's organization is `org-lead`; the other side (newsroom, recipient) is `press-b`. */
const callers = {
  anonymous,
  stranger: user('org-other', 'ORG_EDITOR'),
  unregistered: user('org-nobody-registered', 'ORG_EDITOR'),
  member: user('org-lead', 'ORG_EDITOR'),
  party: user('press-b', 'NEWSROOM_EDITOR'),
  admin: user('org-other', 'ADMIN'),
} satisfies Record<string, Caller>;
type CallerName = keyof typeof callers;

const catalogue = hubCatalogue();

/** An event of `type` whose every field is filled: ids name the lead and the newsroom or recipient. */
function sample(type: string, overrides: Record<string, unknown> = {}): AudienceEvent {
  const definition = catalogue.definitions().find((d) => d.type === type);
  const properties = Object.keys((definition?.schema.properties ?? {}) as Record<string, unknown>);
  const fixed: Record<string, unknown> = {
    organizationId: 'org-lead',
    ordererId: 'org-lead',
    newsroomId: 'press-b',
    recipientId: 'press-b',
    recipientIds: ['press-b'],
    statementId: 'statement-1',
    policyId: 'policy-1',
    embargoUntil: null,
  };
  const data = Object.fromEntries(properties.map((key) => [key, key in fixed ? fixed[key] : `${key} of ${type}`]));
  return { type, organizationId: 'org-lead', data: { ...data, ...overrides } };
}

type Seen = 'raw' | 'redacted' | 'nothing';
const seen = (event: AudienceEvent, caller: Caller, ctx: AudienceContext = context): Seen => {
  const view = viewEvent(event, caller, ctx);
  return view === null ? 'nothing' : view.redacted ? 'redacted' : 'raw';
};

// anonymous, stranger, unregistered org, member (editor of the lead), party (newsroom/recipient), admin
const PUBLIC: Seen[] = ['raw', 'raw', 'raw', 'raw', 'raw', 'raw'];
const MEMBERS: Seen[] = ['redacted', 'redacted', 'redacted', 'raw', 'redacted', 'raw'];
const MEMBERS_ONLY: Seen[] = ['nothing', 'nothing', 'nothing', 'raw', 'nothing', 'raw'];
const MEMBERS_AND_RECIPIENTS: Seen[] = ['redacted', 'redacted', 'redacted', 'raw', 'raw', 'raw'];
const PARTIES: Seen[] = ['nothing', 'nothing', 'nothing', 'raw', 'raw', 'raw'];

/** What each caller sees of each event type (StatementReleased here without embargo). */
const matrix: Record<string, Seen[]> = {
  OrganizationRegistered: PUBLIC,
  OrganizationRenamed: PUBLIC,
  OrganizationRecoded: PUBLIC,
  OrganizationReclassified: PUBLIC,
  OrganizationsMerged: PUBLIC,
  OrganizationMergedInto: PUBLIC,
  OrganizationDissolved: PUBLIC,
  OrganizationCodeClaimed: PUBLIC,
  OrganizationCodeReleased: PUBLIC,
  ContactAppointed: MEMBERS,
  ContactDetailsChanged: MEMBERS,
  ContactRelieved: MEMBERS,
  SpokespersonDesignated: PUBLIC,
  PolicyDrafted: MEMBERS_ONLY,
  ConsultationOpened: PUBLIC,
  FeedbackSubmitted: MEMBERS,
  FeedbackAnswered: MEMBERS,
  FeedbackHidden: MEMBERS,
  ConsultationClosed: PUBLIC,
  PolicyIssued: PUBLIC,
  PolicySuperseded: PUBLIC,
  DocumentNumberReserved: MEMBERS_ONLY,
  DocumentNumberReleased: MEMBERS_ONLY,
  StatementReleased: PUBLIC,
  DistributionStarted: MEMBERS_AND_RECIPIENTS,
  DeliveryAcknowledged: MEMBERS_AND_RECIPIENTS,
  PlanAdopted: PUBLIC,
  PlanRevised: PUBLIC,
  MilestoneCompleted: PUBLIC,
  PressOrderPlaced: PARTIES,
  PressOrderAccepted: PARTIES,
  PressOrderDeclined: PARTIES,
  DeliverablesSubmitted: PARTIES,
  DeliveryAccepted: PARTIES,
  DeliveryRejected: PARTIES,
  PressOrderSettled: PARTIES,
  PressOrderCancelled: PARTIES,
};

/** Fields that must never reach anyone outside an event's raw audience. */
const CONFIDENTIAL = ['title', 'summary', 'text', 'answer', 'reason', 'phone', 'email', 'brief', 'budget', 'body'];

describe('one audience rule per event type', () => {
  it.each(
    catalogue.eventTypes(),
  )('given the catalogue type %s, then it has a rule and an expected matrix row', (type) => {
    expect(ruleFor(type), `${type} needs a rule in packages/audience/src/rules.ts`).toBeDefined();
    expect(matrix[type], `${type} needs a row in this test's matrix`).toBeDefined();
  });

  it('given the rules, then each names only types the catalogue knows', () => {
    expect(Object.keys(audienceRules).filter((type) => !catalogue.has(type))).toEqual([]);
  });

  it.each(catalogue.eventTypes())('given a %s event, then each caller sees what the matrix says', (type) => {
    const event = sample(type);
    const got = Object.fromEntries(
      (Object.keys(callers) as CallerName[]).map((name) => [name, seen(event, callers[name])]),
    );
    const row = matrix[type] ?? [];
    const want = Object.fromEntries((Object.keys(callers) as CallerName[]).map((name, i) => [name, row[i]]));
    expect(got).toEqual(want);
  });

  it.each(
    catalogue.eventTypes(),
  )('given a redacted %s, then it shows only fields of its schema and nothing confidential', (type) => {
    const event = sample(type);
    const view = viewEvent(event, callers.stranger, context);
    if (view === null || !view.redacted) return;
    const fields = Object.keys(view.data);
    expect(fields.every((field) => Object.hasOwn(event.data, field))).toBe(true);
    const shown = type.startsWith('Contact') ? fields.filter((f) => f !== 'title') : fields;
    expect(shown.filter((field) => CONFIDENTIAL.includes(field))).toEqual([]);
  });

  it('given a type the catalogue does not know, then only administrators see it', () => {
    const event = { type: 'SomethingNew', organizationId: 'org-lead', data: { organizationId: 'org-lead' } };
    expect(viewEvent(event, callers.member, context)).toBeNull();
    expect(viewEvent(event, anonymous, context)).toBeNull();
    expect(viewEvent(event, callers.admin, context)).toEqual({ data: event.data, redacted: false });
  });
});

describe('embargo, decided from the event and failing closed', () => {
  const embargoed = sample('StatementReleased', { embargoUntil: LATER });

  it('given a statement under embargo, then its organization and administrators see it and no one else learns of it', () => {
    expect(seen(embargoed, callers.member)).toBe('raw');
    expect(seen(embargoed, callers.admin)).toBe('raw');
    for (const name of ['anonymous', 'stranger', 'unregistered', 'party'] as const) {
      expect(seen(embargoed, callers[name]), name).toBe('nothing');
    }
  });

  it('given a statement under embargo, when the context knows a recipient, then that recipient sees it', () => {
    const known = { now: NOW, statementRecipients: new Map([['statement-1', new Set(['press-b'])]]) };
    expect(seen(embargoed, callers.party, known)).toBe('raw');
    expect(seen(embargoed, callers.stranger, known)).toBe('nothing');
  });

  it('given an embargo that has ended, then everyone sees the statement', () => {
    expect(seen(sample('StatementReleased', { embargoUntil: EARLIER }), anonymous)).toBe('raw');
  });

  it('given an embargo that cannot be read, then it counts as not ended', () => {
    expect(seen(sample('StatementReleased', { embargoUntil: 'soon' }), callers.stranger)).toBe('nothing');
    expect(seen(sample('StatementReleased', { embargoUntil: undefined }), callers.stranger)).toBe('nothing');
  });

  it('given an editor of a unit above the statement organization, then the embargo still keeps it from them', () => {
    const above = { now: NOW, ancestors: new Map([['org-lead', ['province-1']]]) };
    expect(seen(embargoed, user('province-1', 'ORG_EDITOR'), above)).toBe('nothing');
  });
});

describe('feedback, never public in an event', () => {
  it('given submitted feedback, then the public sees that it was submitted, not its text nor who sent it', () => {
    const view = viewEvent(sample('FeedbackSubmitted'), anonymous, context);
    expect(view).toEqual({
      data: {
        policyId: 'policy-1',
        organizationId: 'org-lead',
        feedbackId: 'feedbackId of FeedbackSubmitted',
        submittedAt: 'submittedAt of FeedbackSubmitted',
      },
      redacted: true,
    });
  });

  it('given a viewer of the lead organization who is not an editor, then feedback is redacted for them too', () => {
    expect(seen(sample('FeedbackSubmitted'), user('org-lead', 'VIEWER'))).toBe('redacted');
  });
});

describe('drafts', () => {
  it('given a drafted policy the context knows to be published, then everyone sees its drafting', () => {
    const published = { now: NOW, publishedPolicies: new Set(['policy-1']) };
    expect(seen(sample('PolicyDrafted'), anonymous, published)).toBe('raw');
  });
});

describe('units above an organization', () => {
  const above = { now: NOW, ancestors: new Map([['org-lead', ['province-1', 'government']]]) };

  it('given an editor of an ancestor, then they count among the members', () => {
    expect(seen(sample('ContactAppointed'), user('province-1', 'ORG_EDITOR'), above)).toBe('raw');
    expect(seen(sample('FeedbackSubmitted'), user('government', 'ORG_EDITOR'), above)).toBe('raw');
  });

  it('given a viewer of an ancestor, or an editor when the ancestry is not known, then they do not', () => {
    expect(seen(sample('ContactAppointed'), user('province-1', 'VIEWER'), above)).toBe('redacted');
    expect(seen(sample('ContactAppointed'), user('province-1', 'ORG_EDITOR'))).toBe('redacted');
  });

  it('given a press order of a department, then the province above it is not a party', () => {
    expect(seen(sample('PressOrderPlaced'), user('province-1', 'ORG_EDITOR'), above)).toBe('nothing');
  });
});

describe('what to load', () => {
  it('given a batch of events, then it names the organizations, embargo-bound statements and drafted policies once each', () => {
    const needs = audienceNeeds([sample('StatementReleased'), sample('PolicyDrafted'), sample('ContactAppointed')]);
    expect([...needs.organizationIds]).toEqual(['org-lead']);
    expect(audienceNeeds([sample('OrganizationRenamed'), sample('PressOrderPlaced')]).organizationIds.size).toBe(0);
    expect([...needs.statementIds]).toEqual(['statement-1']);
    expect([...needs.policyIds]).toEqual(['policy-1']);
  });
});
