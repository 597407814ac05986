import { describe, expect, it } from 'vitest';
import type { DirectoryEvent } from '../events.js';
import { organizationTimeline } from './timeline.js';

const yenBai: DirectoryEvent = {
  type: 'OrganizationRegistered',
  data: {
    organizationId: 'prov-yen-bai',
    name: 'Yên Bái',
    nameEn: 'Yen Bai',
    shortName: null,
    kind: 'PROVINCE',
    code: '15',
    parentId: null,
    areas: { border: false, coastal: false, island: false },
    establishedAt: '1991-10-01T00:00:00.000Z',
  },
};
const merged: DirectoryEvent = {
  type: 'OrganizationMergedInto',
  data: {
    organizationId: 'prov-yen-bai',
    successorId: 'prov-lao-cai',
    effectiveAt: '2025-06-30T17:00:00.000Z',
    legalBasis: '202/2025/QH15',
  },
};
const renamed: DirectoryEvent = {
  type: 'OrganizationRenamed',
  data: {
    organizationId: 'prov-yen-bai',
    name: 'Tỉnh Yên Bái',
    nameEn: null,
    shortName: null,
    effectiveAt: '2000-01-01T00:00:00.000Z',
    legalBasis: null,
  },
};

describe('organization timeline', () => {
  it('orders changes by when they took effect, not when they were recorded', () => {
    const versions = organizationTimeline([
      { sequence: 1, event: yenBai },
      { sequence: 2, event: merged },
      { sequence: 3, event: renamed },
    ]);
    expect(versions.map((v) => [v.validFrom, v.validTo, v.name, v.status])).toEqual([
      ['1991-10-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z', 'Yên Bái', 'ACTIVE'],
      ['2000-01-01T00:00:00.000Z', '2025-06-30T17:00:00.000Z', 'Tỉnh Yên Bái', 'ACTIVE'],
      ['2025-06-30T17:00:00.000Z', null, 'Tỉnh Yên Bái', 'MERGED'],
    ]);
    expect(versions[2]?.successorId).toBe('prov-lao-cai');
  });

  it('has no version before the organization was established', () => {
    expect(organizationTimeline([{ sequence: 1, event: merged }])).toEqual([]);
  });
});
