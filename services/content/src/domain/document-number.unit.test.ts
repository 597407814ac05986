import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import { documentNumberDecider } from './document-number.js';

const number = '12/NQ-CP';
const reserved = (policyId: string): ContentEvent => ({
  type: 'DocumentNumberReserved',
  data: { documentNumber: number, policyId, organizationId: 'min-finance' },
});
const when = (given: ContentEvent[], type: 'Reserve' | 'Release', policyId: string) =>
  documentNumberDecider.decide(
    { type, documentNumber: number, policyId, organizationId: 'min-finance' },
    fold(documentNumberDecider, given as never),
  );

describe('document number register', () => {
  it('given a free number, when a policy reserves it, then it is reserved', () => {
    expect(when([], 'Reserve', 'p1')).toEqual({ ok: true, value: [reserved('p1')] });
  });

  it('given a number held by a policy, when another reserves it, then CONFLICT on input.documentNumber', () => {
    const result = when([reserved('p1')], 'Reserve', 'p2');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect([result.error.code, result.error.details.field]).toEqual(['CONFLICT', 'input.documentNumber']);
  });

  it('given a number held by a policy, when the same policy reserves it again (a retried issuance), then nothing changes', () => {
    expect(when([reserved('p1')], 'Reserve', 'p1')).toEqual({ ok: true, value: [] });
  });

  it('given a released number, when another policy reserves it, then it is reserved', () => {
    const released: ContentEvent = { type: 'DocumentNumberReleased', data: reserved('p1').data as never };
    expect(when([reserved('p1'), released], 'Reserve', 'p2')).toEqual({ ok: true, value: [reserved('p2')] });
  });

  it('only the holder releases', () => {
    expect(when([reserved('p1')], 'Release', 'p2')).toEqual({ ok: true, value: [] });
    expect(when([reserved('p1')], 'Release', 'p1').ok && when([reserved('p1')], 'Release', 'p1')).toMatchObject({
      value: [{ type: 'DocumentNumberReleased' }],
    });
  });
});
