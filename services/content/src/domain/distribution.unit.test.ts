import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import {
  type AcknowledgeDelivery,
  type DistributionCommand,
  deliveryDecider,
  distributionDecider,
} from './distribution.js';

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
const ack = (recipientId: string, isRecipient = true): AcknowledgeDelivery => ({
  type: 'AcknowledgeDelivery',
  distribution: { id: 'd1', organizationId: 'prov-lao-cai', statementId: 's1', policyId: null },
  recipientId,
  isRecipient,
  at: '2025-07-01T00:05:00.000Z',
});

const when = (history: readonly ContentEvent[], command: DistributionCommand) =>
  distributionDecider.decide(command, fold(distributionDecider, history));
const whenAcknowledging = (history: readonly ContentEvent[], command: AcknowledgeDelivery) =>
  deliveryDecider.decide(command, fold(deliveryDecider, history));
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

  it('given no acknowledgement, when a recipient acknowledges, then DeliveryAcknowledged; again, then nothing', () => {
    expect(whenAcknowledging([], ack('press-2'))).toEqual({ ok: true, value: [acknowledged('press-2')] });
    expect(whenAcknowledging([acknowledged('press-2')], ack('press-2'))).toEqual({ ok: true, value: [] });
  });

  it('when an organization the distribution did not name acknowledges, then BAD_USER_INPUT on recipientId', () => {
    const result = whenAcknowledging([], ack('press-9', false));
    expect(result.ok ? null : [result.error.code, result.error.field]).toEqual(['BAD_USER_INPUT', 'input.recipientId']);
  });

  it('when acknowledging a distribution that does not exist, then NOT_FOUND', () => {
    const result = whenAcknowledging([], { ...ack('press-1'), distribution: null });
    expect(result.ok ? null : result.error.code).toBe('NOT_FOUND');
  });

  it('given a distribution, when distributing again with the same id, then CONFLICT', () => {
    expect(refusal(when([started], distribute()))?.[0]).toBe('CONFLICT');
  });
});
