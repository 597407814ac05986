import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import { type StatementCommand, statementDecider } from './statement.js';

const release = (over: Partial<StatementCommand> = {}): StatementCommand => ({
  type: 'ReleaseStatement',
  statementId: 's1',
  organizationId: 'prov-lao-cai',
  organization: { status: 'ACTIVE', spokespersonId: 'contact-an' },
  kind: 'PRESS_RELEASE',
  title: 'Thông cáo báo chí',
  body: 'Nội dung',
  policyIds: ['p1', 'p1'],
  embargoUntil: '2025-07-01T01:00:00.000Z',
  at: '2025-07-01T00:00:00.000Z',
  ...over,
});
const released: ContentEvent = {
  type: 'StatementReleased',
  data: {
    statementId: 's1',
    organizationId: 'prov-lao-cai',
    kind: 'PRESS_RELEASE',
    title: 'Thông cáo báo chí',
    body: 'Nội dung',
    spokespersonId: 'contact-an',
    policyIds: ['p1'],
    releasedAt: '2025-07-01T00:00:00.000Z',
    embargoUntil: '2025-07-01T01:00:00.000Z',
  },
};

const when = (history: readonly ContentEvent[], command: StatementCommand) =>
  statementDecider.decide(command, fold(statementDecider, history));
const refusal = (result: ReturnType<typeof when>) => (result.ok ? null : [result.error.code, result.error.field]);

describe('statement decider', () => {
  it("given nothing, when releasing, then StatementReleased names the organization's spokesperson", () => {
    expect(when([], release())).toEqual({ ok: true, value: [released] });
  });

  it('given an organization without a spokesperson, then BAD_USER_INPUT on organizationId citing Decree 09/2017', () => {
    const result = when([], release({ organization: { status: 'ACTIVE', spokespersonId: null } }));
    expect(refusal(result)).toEqual(['BAD_USER_INPUT', 'input.organizationId']);
    expect(result.ok ? '' : result.error.message).toContain('09/2017');
  });

  it('given a merged organization, then BAD_USER_INPUT on organizationId', () => {
    const result = when([], release({ organization: { status: 'MERGED', spokespersonId: 'contact-an' } }));
    expect(refusal(result)).toEqual(['BAD_USER_INPUT', 'input.organizationId']);
  });

  it('given an embargo that ends before the release, then BAD_USER_INPUT on embargoUntil', () => {
    expect(refusal(when([], release({ embargoUntil: '2025-06-30T00:00:00.000Z' })))).toEqual([
      'BAD_USER_INPUT',
      'input.embargoUntil',
    ]);
  });

  it('given a released statement, when releasing the same id, then CONFLICT', () => {
    expect(refusal(when([released], release()))?.[0]).toBe('CONFLICT');
  });
});
