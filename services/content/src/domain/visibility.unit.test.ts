import { describe, expect, it } from 'vitest';
import { statementVisibleTo } from './visibility.js';

const embargoed = {
  organizationId: 'prov-lao-cai',
  embargoUntil: '2025-07-01T10:00:00.000Z',
  recipientIds: new Set(['press-nhan-dan']),
};
const before = new Date('2025-07-01T09:59:59.000Z');
const after = new Date('2025-07-01T10:00:00.000Z');

describe('statement visibility under embargo', () => {
  it('given an embargo not yet passed, then only its organization and its recipients see it', () => {
    expect(statementVisibleTo(embargoed, 'prov-lao-cai', before)).toBe(true);
    expect(statementVisibleTo(embargoed, 'press-nhan-dan', before)).toBe(true);
    expect(statementVisibleTo(embargoed, 'press-tuoi-tre', before)).toBe(false);
    expect(statementVisibleTo(embargoed, null, before)).toBe(false);
  });

  it('given the embargo has passed, then everyone sees it, anonymous callers too', () => {
    expect(statementVisibleTo(embargoed, 'press-tuoi-tre', after)).toBe(true);
    expect(statementVisibleTo(embargoed, null, after)).toBe(true);
  });

  it('given no embargo, then everyone sees it', () => {
    expect(statementVisibleTo({ ...embargoed, embargoUntil: null }, null, before)).toBe(true);
  });
});
