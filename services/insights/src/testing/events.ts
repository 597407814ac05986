import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';

let position = 0;

/** An event as a relay publishes it, for tests that feed the methodology or the bus directly. */
export function event(type: string, data: Record<string, unknown>, occurredAt?: string): EventEnvelope {
  const organizationId = typeof data.organizationId === 'string' ? data.organizationId : null;
  const at = occurredAt ?? new Date().toISOString();
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    stream: `${type}-${randomUUID()}`,
    revision: 0,
    position: String(++position),
    occurredAt: at,
    recordedAt: at,
    actor: { userId: 'test', organizationId },
    organizationId,
    correlationId: randomUUID(),
    causationId: null,
    data,
  };
}

/** Instants in Vietnam's calendar: "2025-03-31T10:00" means 10:00 in Hà Nội. */
export const vn = (local: string): string =>
  new Date(`${local}${local.length === 10 ? 'T00:00' : ''}:00+07:00`).toISOString();

const areas = { border: false, coastal: false, island: false };

export const registered = (
  organizationId: string,
  kind: string,
  name: string,
  options: { code?: string; parentId?: string; at?: string } = {},
) =>
  event('OrganizationRegistered', {
    organizationId,
    name,
    nameEn: null,
    shortName: null,
    kind,
    code: options.code ?? null,
    parentId: options.parentId ?? null,
    areas,
    establishedAt: options.at ?? vn('2008-08-01'),
  });

export const mergedInto = (organizationId: string, successorId: string, at: string) =>
  event('OrganizationMergedInto', { organizationId, successorId, effectiveAt: at, legalBasis: null });

export const statement = (
  organizationId: string,
  at: string,
  options: { kind?: string; policyIds?: string[]; embargoUntil?: string | null; title?: string } = {},
) =>
  event(
    'StatementReleased',
    {
      statementId: randomUUID(),
      organizationId,
      kind: options.kind ?? 'PRESS_RELEASE',
      title: options.title ?? 'Thông cáo báo chí',
      body: 'Nội dung',
      spokespersonId: randomUUID(),
      policyIds: options.policyIds ?? [],
      releasedAt: at,
      embargoUntil: options.embargoUntil ?? null,
    },
    at,
  );

export const policyIssued = (policyId: string, organizationId: string, at: string) =>
  event(
    'PolicyIssued',
    { policyId, organizationId, documentNumber: `${policyId}/NĐ-CP`, issuedAt: at, effectiveAt: at },
    at,
  );

export const consultationOpened = (policyId: string, organizationId: string, at: string) =>
  event('ConsultationOpened', { policyId, organizationId, opensAt: at, closesAt: at }, at);

export const feedbackSubmitted = (feedbackId: string, organizationId: string, at: string) =>
  event(
    'FeedbackSubmitted',
    { policyId: 'p', organizationId, feedbackId, text: 'Góp ý', submittedAt: at, submitterOrganizationId: null },
    at,
  );
export const feedbackAnswered = (feedbackId: string, organizationId: string, at: string) =>
  event('FeedbackAnswered', { policyId: 'p', organizationId, feedbackId, answer: 'Trả lời', answeredAt: at }, at);
export const feedbackHidden = (feedbackId: string, organizationId: string, at: string) =>
  event('FeedbackHidden', { policyId: 'p', organizationId, feedbackId, reason: 'Lộ số điện thoại', hiddenAt: at }, at);

export const distributed = (distributionId: string, organizationId: string, recipientIds: string[], at: string) =>
  event(
    'DistributionStarted',
    {
      distributionId,
      organizationId,
      statementId: null,
      policyId: null,
      recipientIds,
      recipientKinds: [],
      deliveredAt: at,
    },
    at,
  );
export const acknowledged = (distributionId: string, organizationId: string, recipientId: string, at: string) =>
  event(
    'DeliveryAcknowledged',
    { distributionId, organizationId, recipientId, statementId: null, policyId: null, acknowledgedAt: at },
    at,
  );

const parties = (orderId: string, ordererId: string) => ({
  orderId,
  organizationId: ordererId,
  ordererId,
  newsroomId: 'press-vtv',
});
export const deliveryAccepted = (
  orderId: string,
  ordererId: string,
  o: { deliveredAt: string; deadline: string; acceptedAt: string },
) =>
  event(
    'DeliveryAccepted',
    { ...parties(orderId, ordererId), ...o, onTime: o.deliveredAt <= o.deadline, budget: 10_000_000 },
    o.acceptedAt,
  );
export const settled = (orderId: string, ordererId: string, amount: number, at: string) =>
  event('PressOrderSettled', { ...parties(orderId, ordererId), amount, budget: amount, settledAt: at }, at);

export const appointed = (contactId: string, organizationId: string, roles: string[], at: string) =>
  event(
    'ContactAppointed',
    {
      organizationId,
      contactId,
      fullName: 'Nguyễn Văn An',
      title: null,
      roles,
      phone: '+84912345678',
      email: null,
      appointedFrom: at,
    },
    at,
  );
export const relieved = (contactId: string, organizationId: string, at: string) =>
  event('ContactRelieved', { organizationId, contactId, relievedAt: at, reason: null }, at);
export const designated = (contactId: string, organizationId: string, at: string) =>
  event('SpokespersonDesignated', { organizationId, contactId, from: at, previousContactId: null }, at);

export const planAdopted = (organizationId: string, year: number, at: string) =>
  event(
    'PlanAdopted',
    {
      planId: randomUUID(),
      organizationId,
      title: `Kế hoạch truyền thông năm ${year}`,
      policyId: null,
      year,
      goals: [],
      audiences: [],
      channels: ['PRESS'],
      regions: [],
      milestones: [],
      budget: 0,
      adoptedAt: at,
    },
    at,
  );
