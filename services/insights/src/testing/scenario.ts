import type { EventEnvelope, NewEvent } from '@hub/event-catalogue';
import type { EventStore } from '@hub/event-store';
import type { Context } from '@hub/relay';
import { readEverything } from '../rebuild.js';
import {
  acknowledged,
  appointed,
  consultationOpened,
  deliveryAccepted,
  designated,
  distributed,
  feedbackAnswered,
  feedbackHidden,
  feedbackSubmitted,
  mergedInto,
  planAdopted,
  policyIssued,
  registered,
  relieved,
  settled,
  statement,
  vn,
} from './events.js';

/** Which context's store an event type is appended to, and on which stream. */
export function placeOf(event: EventEnvelope): { context: Context; stream: string } {
  const data = event.data as Record<string, string>;
  if (
    event.type.startsWith('Organization') ||
    event.type.startsWith('Contact') ||
    event.type === 'SpokespersonDesignated'
  ) {
    return { context: 'directory', stream: `organization-${data.organizationId}` };
  }
  if (event.type === 'DeliveryAccepted' || event.type === 'PressOrderSettled') {
    return { context: 'press-orders', stream: `press-order-${data.orderId}` };
  }
  if (event.type.startsWith('Feedback') || event.type.startsWith('Policy') || event.type === 'ConsultationOpened') {
    return { context: 'content', stream: `policy-${data.policyId}` };
  }
  if (event.type === 'DistributionStarted' || event.type === 'DeliveryAcknowledged') {
    return { context: 'content', stream: `distribution-${data.distributionId}` };
  }
  if (event.type === 'PlanAdopted') return { context: 'content', stream: `plan-${data.planId}` };
  return { context: 'content', stream: `statement-${data.statementId}` };
}

/** A year and a half of two provinces (one absorbed on 1 July 2025) and a ministry at work. */
export function scenarioEvents(): EventEnvelope[] {
  const lc = 'prov-10';
  const yb = 'prov-15';
  const mof = 'min-finance';
  return [
    registered(lc, 'PROVINCE', 'Lào Cai', { code: '10' }),
    registered(yb, 'PROVINCE', 'Yên Bái', { code: '15' }),
    registered(mof, 'MINISTRY', 'Bộ Tài chính'),
    registered('press-vtv', 'PRESS_AGENCY', 'Đài Truyền hình Việt Nam'),
    registered('xa-1', 'COMMUNE', 'Xã Bảo Thắng', { parentId: lc, at: vn('2025-07-01') }),
    registered('xa-2', 'COMMUNE', 'Phường Sa Pa', { parentId: lc, at: vn('2025-07-01') }),
    mergedInto(yb, lc, vn('2025-07-01')),
    appointed('c1', lc, ['SPOKESPERSON'], vn('2024-01-01T08:00')),
    designated('c1', lc, vn('2024-01-01T08:00')),
    appointed('c2', mof, ['SPOKESPERSON', 'FOCAL_POINT'], vn('2024-03-01T08:00')),
    designated('c2', mof, vn('2024-03-01T08:00')),
    relieved('c2', mof, vn('2025-03-31T16:00')),
    appointed('c3', lc, ['FOCAL_POINT'], vn('2025-07-05T08:00')),
    appointed('c4', 'xa-1', ['FOCAL_POINT'], vn('2025-07-05T08:00')),
    statement(yb, vn('2025-02-14T09:00'), { kind: 'PRESS_CONFERENCE' }),
    statement(lc, vn('2025-08-01T09:00'), { kind: 'PRESS_CONFERENCE' }),
    statement(mof, vn('2025-01-10T09:00'), { policyIds: ['p1', 'p2'] }),
    statement(mof, vn('2025-05-10T09:00'), { embargoUntil: vn('2099-01-01'), title: 'Bản tin chưa công bố' }),
    consultationOpened('p1', mof, vn('2025-01-05T08:00')),
    policyIssued('p1', mof, vn('2025-03-01T08:00')),
    policyIssued('p2', mof, vn('2025-03-02T08:00')),
    feedbackSubmitted('f1', mof, vn('2025-01-20T08:00')),
    feedbackSubmitted('f2', mof, vn('2025-01-21T08:00')),
    feedbackHidden('f2', mof, vn('2025-01-21T09:00')),
    feedbackAnswered('f1', mof, vn('2025-02-01T08:00')),
    distributed('d1', mof, ['press-vtv', lc, yb], vn('2025-02-01T08:00')),
    acknowledged('d1', mof, 'press-vtv', vn('2025-02-01T09:00')),
    deliveryAccepted('o1', lc, {
      deliveredAt: vn('2025-06-10T08:00'),
      deadline: vn('2025-06-10T17:00'),
      acceptedAt: vn('2025-06-20T08:00'),
    }),
    settled('o1', lc, 12_500_000, vn('2025-06-25T08:00')),
    planAdopted(yb, 2025, vn('2025-01-15T08:00')),
  ];
}

/** Appends each event to its context's store (keeping its id and times) and reads them back as stored. */
export async function storeAll(
  events: readonly EventEnvelope[],
  stores: Readonly<Record<Context, EventStore>>,
): Promise<EventEnvelope[]> {
  for (const event of events) {
    const { context, stream } = placeOf(event);
    const appended: NewEvent = {
      id: event.id,
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
      organizationId: event.organizationId,
      actor: event.actor,
    };
    await stores[context].append(stream, [appended]);
  }
  const stored: EventEnvelope[] = [];
  for (const store of Object.values(stores)) {
    await readEverything(store, await store.count(), 1000, async (events) => {
      stored.push(...events);
    });
  }
  return stored;
}
