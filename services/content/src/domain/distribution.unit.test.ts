import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import { type DistributionCommand, distributionDecider } from './distribution.js';

const distribute = (over: Partial<Extract<DistributionCommand, { type: 'Distribute' }>> = {}): DistributionCommand => ({
  type: 'Distribute',
  distributionId: 'd1',
  organizationId: 'prov-lao-cai',
  statementId: 's1',
  policyId: null,
  recipientIds: ['press-1', 'press-2', 'press-1', 'prov-lao-cai'],
  recipientKinds: ['PRESS_AGENCY'],
  at: '2025-07-01T00:00:00.000Z',
  ...over,
});
const started: ContentEvent = {
  type: 'DistributionStarted',
  data: {
    distributionId: 'd1',
    organizationId: 'prov-lao-cai',
    statementId: 's1',
    policyId: null,
    recipientIds: ['press-1', 'press-2'],
    recipientKinds: ['PRESS_AGENCY'],
    deliveredAt: '2025-07-01T00:00:00.000Z',
  },
};
const acknowledged = (recipientId: string): ContentEvent => ({
  type: 'DeliveryAcknowledged',
  data: {
    distributionId: 'd1',
    organizationId: 'prov-lao-cai',
    recipientId,
    statementId: 's1',
    policyId: null,
    acknowledgedAt: '2025-07-01T00:05:00.000Z',
  },
});
const ack = (recipientId: string): DistributionCommand => ({
  type: 'AcknowledgeDelivery',
  recipientId,
  at: '2025-07-01T00:05:00.000Z',
});

const when = (history: readonly ContentEvent[], command: DistributionCommand) =>
  distributionDecider.decide(command, fold(distributionDecider, history));
const refusal = (result: ReturnType<typeof when>) => (result.ok ? null : [result.error.code, result.error.field]);

describe('distribution decider', () => {
  it('given nothing, when distributing, then one DistributionStarted with each recipient once and not the sender', () => {
    expect(when([], distribute())).toEqual({ ok: true, value: [started] });
  });

  it('when distributing both a statement and a policy, then BAD_USER_INPUT on policyId; neither, on statementId', () => {
    expect(refusal(when([], distribute({ policyId: 'p1' })))).toEqual(['BAD_USER_INPUT', 'input.policyId']);
    expect(refusal(when([], distribute({ statementId: null })))).toEqual(['BAD_USER_INPUT', 'input.statementId']);
  });

  it('when the kinds resolve to no one, then BAD_USER_INPUT on recipientKinds', () => {
    expect(refusal(when([], distribute({ recipientIds: [] })))).toEqual(['BAD_USER_INPUT', 'input.recipientKinds']);
  });

  it('given a distribution, when a recipient acknowledges, then DeliveryAcknowledged; again, then nothing', () => {
    expect(when([started], ack('press-2'))).toEqual({ ok: true, value: [acknowledged('press-2')] });
    expect(when([started, acknowledged('press-2')], ack('press-2'))).toEqual({ ok: true, value: [] });
  });

  it('given a distribution, when a non-recipient acknowledges, then BAD_USER_INPUT on recipientId', () => {
    expect(refusal(when([started], ack('press-9')))).toEqual(['BAD_USER_INPUT', 'input.recipientId']);
  });

  it('given 900 recipients all acknowledged but one, then only that one can still acknowledge', () => {
    const ids = Array.from({ length: 900 }, (_, i) => `press-${i}`);
    const big: ContentEvent = {
      type: 'DistributionStarted',
      data: { ...(started as Extract<ContentEvent, { type: 'DistributionStarted' }>).data, recipientIds: ids },
    };
    const history = [big, ...ids.slice(1).map(acknowledged)];
    expect(when(history, ack('press-0'))).toEqual({ ok: true, value: [acknowledged('press-0')] });
    expect(when(history, ack('press-899'))).toEqual({ ok: true, value: [] });
  });

  it('given nothing, when acknowledging, then NOT_FOUND', () => {
    expect(refusal(when([], ack('press-1')))?.[0]).toBe('NOT_FOUND');
  });
});
