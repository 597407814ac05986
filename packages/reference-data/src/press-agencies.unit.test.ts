import { describe, expect, it } from 'vitest';
import { centralOrganizationById } from './central-organizations.js';
import { nationalPressAgencies, pressAgencies, provincialPressAgencies } from './press-agencies.js';
import { provinceById, provincesAsOf } from './provinces.js';

describe('press agencies', () => {
  it('include the central press agencies the network starts with', () => {
    expect(nationalPressAgencies.map((p) => p.name)).toEqual([
      'Báo Nhân Dân',
      'Đài Truyền hình Việt Nam',
      'Đài Tiếng nói Việt Nam',
      'Thông tấn xã Việt Nam',
      'Báo Quân đội nhân dân',
      'Báo Công an nhân dân',
      'Báo Điện tử Chính phủ',
      'Báo điện tử VietnamPlus',
      'Báo Tuổi Trẻ',
      'Báo Thanh Niên',
      'Báo Lao Động',
    ]);
  });

  it('have one "Báo và Phát thanh, Truyền hình" per each of the 34 provincial units, under that unit', () => {
    const provinces = provincesAsOf('2025-07-01');
    expect(provincialPressAgencies).toHaveLength(34);
    expect(provincialPressAgencies.map((p) => p.parentId)).toEqual(provinces.map((u) => u.id));
    expect(provincialPressAgencies.find((p) => p.parentId === 'prov-lao-cai')).toEqual({
      id: 'press-prov-lao-cai',
      name: 'Báo và Phát thanh, Truyền hình Lào Cai',
      nameEn: 'Lao Cai Newspaper and Radio-Television',
      kind: 'PRESS_AGENCY',
      parentId: 'prov-lao-cai',
    });
    expect(provincialPressAgencies.find((p) => p.parentId === 'prov-hue')?.name).toBe(
      'Báo và Phát thanh, Truyền hình Huế',
    );
  });

  it('have distinct press- ids, the PRESS_AGENCY kind and NFC names', () => {
    expect(new Set(pressAgencies.map((p) => p.id)).size).toBe(pressAgencies.length);
    expect(pressAgencies).toHaveLength(11 + 34);
    for (const agency of pressAgencies) {
      expect(agency.id).toMatch(/^press-[a-z-]+$/u);
      expect(agency.kind).toBe('PRESS_AGENCY');
      expect(agency.name).toBe(agency.name.normalize('NFC'));
    }
  });

  it('name a parent that exists today, or a governing body outside this data', () => {
    const pressIds = new Set<string>(pressAgencies.map((p) => p.id));
    for (const agency of pressAgencies) {
      const { parentId, governingBody } = agency;
      expect(parentId === undefined).toBe(governingBody !== undefined);
      if (parentId === undefined) continue;
      const exists =
        pressIds.has(parentId) ||
        centralOrganizationById(parentId, '2025-07-01') !== undefined ||
        provinceById(parentId, '2025-07-01') !== undefined;
      expect(exists, `${agency.id} → ${parentId}`).toBe(true);
    }
    expect(nationalPressAgencies.find((p) => p.id === 'press-vietnamplus')?.parentId).toBe('press-vna');
  });
});
