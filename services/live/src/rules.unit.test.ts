import { anonymous, type UserCaller } from '@hub/auth';
import type { EventEnvelope } from '@hub/event-catalogue';
import { describe, expect, it } from 'vitest';
import { inAudience, matchesFilter, PUBLIC, statementNoticeFor } from './rules.js';

const NOW = new Date('2025-07-10T03:00:00Z');
const LATER = '2025-07-10T05:00:00.000Z';
const EARLIER = '2025-07-10T01:00:00.000Z';

const user = (organizationId: string, roles: UserCaller['roles'] = ['VIEWER']): UserCaller => ({
  kind: 'user',
  userId: `user-of-${organizationId}`,
  organizationId,
  roles,
});

const envelope = (
  type: string,
  data: Record<string, unknown>,
  organizationId: string | null = null,
): EventEnvelope => ({
  id: `event-${type}`,
  type,
  schemaVersion: 1,
  stream: `stream-${type}`,
  revision: 0,
  position: '1',
  occurredAt: NOW.toISOString(),
  recordedAt: NOW.toISOString(),
  actor: null,
  organizationId,
  correlationId: 'c',
  causationId: null,
  data,
});

const released = (embargoUntil: string | null) =>
  envelope('StatementReleased', { statementId: 's1', organizationId: 'min-health', embargoUntil }, 'min-health');

describe('the event filter', () => {
  const facts = { event: envelope('ContactAppointed', {}, 'prov-lao-cai'), provinceCode: '15', view: () => null };

  it('given no filter or empty lists, then every event matches', () => {
    expect(matchesFilter(facts, null)).toBe(true);
    expect(matchesFilter(facts, { types: [], organizationIds: [], provinceCodes: [] })).toBe(true);
  });

  it('given lists, then each given list must match', () => {
    expect(matchesFilter(facts, { types: ['ContactAppointed'], provinceCodes: ['15', '01'] })).toBe(true);
    expect(matchesFilter(facts, { types: ['ContactAppointed'], provinceCodes: ['01'] })).toBe(false);
    expect(matchesFilter(facts, { organizationIds: ['prov-ha-noi'] })).toBe(false);
  });

  it('given a province filter, when the event sits under no province, then it does not match', () => {
    expect(matchesFilter({ ...facts, provinceCode: null }, { provinceCodes: ['15'] })).toBe(false);
  });
});

describe('who is told of a statement', () => {
  it('given notice to some organizations, then their users and administrators are told, no one else', () => {
    const audience = { kind: 'organizations', ids: new Set(['min-health', 'press-vtv']) } as const;
    expect(inAudience(user('min-health'), audience)).toBe(true);
    expect(inAudience(user('press-vtv'), audience)).toBe(true);
    expect(inAudience(user('min-finance', ['ADMIN']), audience)).toBe(true);
    expect(inAudience(user('min-finance'), audience)).toBe(false);
    expect(inAudience(anonymous, audience)).toBe(false);
    expect(inAudience(anonymous, PUBLIC)).toBe(true);
  });
});

describe('statement notices', () => {
  it('given a release with no embargo, then everyone is told at once', () => {
    expect(statementNoticeFor(released(null), null, NOW)).toEqual({
      statementId: 's1',
      organizationId: 'min-health',
      audience: PUBLIC,
    });
  });

  it('given a release under embargo, then only its organization is told', () => {
    expect(statementNoticeFor(released(LATER), null, NOW)).toEqual({
      statementId: 's1',
      organizationId: 'min-health',
      audience: { kind: 'organizations', ids: new Set(['min-health']) },
    });
  });

  it('given a distribution of an embargoed statement, then its recipients are told; once public, nobody again', () => {
    const distributed = envelope('DistributionStarted', {
      statementId: 's1',
      recipientIds: ['press-vtv', 'press-vov'],
    });
    const statement = { organizationId: 'min-health', embargoUntil: new Date(LATER) };
    expect(statementNoticeFor(distributed, statement, NOW)).toEqual({
      statementId: 's1',
      organizationId: 'min-health',
      audience: { kind: 'organizations', ids: new Set(['press-vtv', 'press-vov']) },
    });
    expect(statementNoticeFor(distributed, { ...statement, embargoUntil: new Date(EARLIER) }, NOW)).toBeNull();
  });
});
