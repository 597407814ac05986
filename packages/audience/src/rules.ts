import type { AudienceRule, Exposure } from './types.js';

/**
 * The one audience rule per event type of the catalogue (design §10). A type missing here is shown
 * to administrators only; the catalogue test fails until it has a rule.
 */

const PUBLIC: Exposure = { raw: ['everyone'], others: null };
const PARTIES_ONLY: Exposure = { raw: ['parties'], others: null };
const MEMBERS_ONLY: Exposure = { raw: ['members'], others: null };

const toEveryone = (...fields: string[]): readonly string[] => fields;

/** A contact's phone and e-mail are for its own organization (and the units above it). */
const contact = (...publicFields: string[]): Exposure => ({
  raw: ['members'],
  others: toEveryone('organizationId', 'contactId', ...publicFields),
});

/**
 * Feedback is moderated by the lead organization's editors: a citizen may have written a phone
 * number or a name into it, and whether it is hidden later is not in this event. So its text, and
 * the answer that may quote it, are never public in an event: `Policy.feedback` shows the visible ones.
 */
const feedback = (at: string): Exposure => ({
  raw: ['editors'],
  others: toEveryone('policyId', 'organizationId', 'feedbackId', at),
});

const policyDrafted: AudienceRule = (data, context) =>
  typeof data.policyId === 'string' && context.publishedPolicies?.has(data.policyId) === true ? PUBLIC : MEMBERS_ONLY;

/**
 * Decree 09/2017 leaves the timing of a release to the spokesperson: before `embargoUntil` only
 * its organization and the recipients of its distributions see it. Read from the event itself, and
 * an unreadable embargo counts as one that has not ended.
 */
const statementReleased: AudienceRule = (data, context) => {
  const until = data.embargoUntil;
  if (until === null) return PUBLIC;
  if (typeof until === 'string' && Date.parse(until) <= context.now.getTime()) return PUBLIC;
  return { raw: ['organization', 'recipients'], others: null };
};

export const audienceRules: Readonly<Record<string, AudienceRule>> = {
  // Directory: the national structure is public reference data.
  OrganizationRegistered: PUBLIC,
  OrganizationRenamed: PUBLIC,
  OrganizationRecoded: PUBLIC,
  OrganizationReclassified: PUBLIC,
  OrganizationsMerged: PUBLIC,
  OrganizationMergedInto: PUBLIC,
  OrganizationDissolved: PUBLIC,
  // Who holds an official code, and when: part of the public record of the structure.
  OrganizationCodeClaimed: PUBLIC,
  OrganizationCodeReleased: PUBLIC,
  ContactAppointed: contact('fullName', 'title', 'roles', 'appointedFrom'),
  ContactDetailsChanged: contact('fullName', 'title'),
  ContactRelieved: contact('relievedAt'),
  // Decree 09/2017: who speaks for an organization is published.
  SpokespersonDesignated: PUBLIC,

  // Content.
  PolicyDrafted: policyDrafted,
  ConsultationOpened: PUBLIC,
  FeedbackSubmitted: feedback('submittedAt'),
  FeedbackAnswered: feedback('answeredAt'),
  FeedbackHidden: feedback('hiddenAt'),
  ConsultationClosed: PUBLIC,
  PolicyIssued: PUBLIC,
  PolicySuperseded: PUBLIC,
  // A number taken for an issuance that may yet be refused: bookkeeping of the lead organization.
  DocumentNumberReserved: MEMBERS_ONLY,
  DocumentNumberReleased: MEMBERS_ONLY,
  StatementReleased: statementReleased,
  // Which statement went to whom is the sender's and the recipients' business (the statement may be
  // under embargo); that a distribution happened, and to which kinds, counts on the scoreboard.
  DistributionStarted: {
    raw: ['members', 'recipients'],
    others: toEveryone('distributionId', 'organizationId', 'policyId', 'recipientKinds', 'deliveredAt'),
  },
  DeliveryAcknowledged: {
    raw: ['members', 'recipients'],
    others: toEveryone('distributionId', 'organizationId', 'policyId', 'acknowledgedAt'),
  },
  // Communication plans are public (Directive 07/CT-TTg asks for them to be known).
  PlanAdopted: PUBLIC,
  PlanRevised: PUBLIC,
  MilestoneCompleted: PUBLIC,

  // Press orders (Decree 32/2019): brief, budget and parties are for the two parties; others do not
  // learn that an order exists, exactly as the `pressOrder` query answers them.
  PressOrderPlaced: PARTIES_ONLY,
  PressOrderAccepted: PARTIES_ONLY,
  PressOrderDeclined: PARTIES_ONLY,
  DeliverablesSubmitted: PARTIES_ONLY,
  DeliveryAccepted: PARTIES_ONLY,
  DeliveryRejected: PARTIES_ONLY,
  PressOrderSettled: PARTIES_ONLY,
  PressOrderCancelled: PARTIES_ONLY,
};

/** The rule for `type`, or undefined when it has none (and so is shown to administrators only). */
export const ruleFor = (type: string): AudienceRule | undefined =>
  Object.hasOwn(audienceRules, type) ? audienceRules[type] : undefined;
