import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { DirectoryEvent } from '../events.js';
import { checkOfficialCode, officialCodeDecider } from './official-code.js';

const claimed = (organizationId: string): DirectoryEvent => ({
  type: 'OrganizationCodeClaimed',
  data: { organizationId, kind: 'PROVINCE', code: '15' },
});
const released = (organizationId: string): DirectoryEvent => ({
  type: 'OrganizationCodeReleased',
  data: { organizationId, kind: 'PROVINCE', code: '15' },
});
const when = (given: DirectoryEvent[], type: 'ClaimCode' | 'ReleaseCode', organizationId: string) =>
  officialCodeDecider.decide(
    { type, organizationId, kind: 'PROVINCE', code: '15' },
    fold(officialCodeDecider, given as never),
  );

describe('official code register', () => {
  it('given a free code, when an organization claims it, then it holds it', () => {
    expect(when([], 'ClaimCode', 'prov-yen-bai')).toEqual({ ok: true, value: [claimed('prov-yen-bai')] });
  });

  it('given a code held by one organization, when another claims it, then CONFLICT on input.code', () => {
    const result = when([claimed('prov-yen-bai')], 'ClaimCode', 'impostor');
    expect(result.ok ? null : [result.error.code, result.error.field]).toEqual(['CONFLICT', 'input.code']);
  });

  it('given a code its holder released (Yên Bái merged), when another claims it (Lào Cai), then it passes on', () => {
    expect(when([claimed('prov-yen-bai'), released('prov-yen-bai')], 'ClaimCode', 'prov-lao-cai')).toEqual({
      ok: true,
      value: [claimed('prov-lao-cai')],
    });
  });

  it('given a code held by one organization, when another releases it, then nothing changes', () => {
    expect(when([claimed('prov-yen-bai')], 'ReleaseCode', 'impostor')).toEqual({ ok: true, value: [] });
  });

  it('given a claim retried by the holder, then nothing changes', () => {
    expect(when([claimed('prov-yen-bai')], 'ClaimCode', 'prov-yen-bai')).toEqual({ ok: true, value: [] });
  });
});

describe('official code formats', () => {
  it('provinces have two digits, communes five; other kinds an abbreviation', () => {
    expect(checkOfficialCode('PROVINCE', '15').ok).toBe(true);
    for (const bad of ['999x', '1', '015', 'HN']) expect(checkOfficialCode('PROVINCE', bad).ok).toBe(false);
    expect(checkOfficialCode('COMMUNE' as never, '00004').ok).toBe(true);
    expect(checkOfficialCode('COMMUNE' as never, '0004').ok).toBe(false);
    expect(checkOfficialCode('MINISTRY', 'BKHĐT').ok).toBe(true);
    expect(checkOfficialCode('MINISTRY', 'a b').ok).toBe(false);
  });
});
