import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { communeByCode, communes2025, communesOfProvince } from './communes.js';
import { provinceById, provinceMerger2025, provincesAsOf } from './provinces.js';

// Read independently of the module, so the counts are checked against the file itself.
const file = JSON.parse(readFileSync(new URL('../data/vn-communes-2025.json', import.meta.url), 'utf8')) as {
  provinces: { code: string; units: { code: string; kind: string }[] }[];
};

describe('the commune-level units of 1 July 2025', () => {
  const units = communes2025();

  it('are the 3,321 units of the data file: 2,611 xã, 697 phường and 13 đặc khu, each code once', () => {
    expect(units).toHaveLength(3_321);
    const count = (kind: string) => units.filter((unit) => unit.kind === kind).length;
    expect([count('COMMUNE'), count('WARD'), count('SPECIAL_ZONE')]).toEqual([2_611, 697, 13]);
    expect(new Set(units.map((unit) => unit.code)).size).toBe(3_321);
    expect(new Set(units.map((unit) => unit.id)).size).toBe(3_321);
  });

  it('lie in the 34 provincial units, each with exactly the units the file lists under it', () => {
    const provinces = provincesAsOf(provinceMerger2025.effective);
    expect(file.provinces.map((p) => p.code).sort()).toEqual(provinces.map((p) => p.code));
    for (const province of provinces) {
      const listed = file.provinces.find((p) => p.code === province.code)?.units.map((u) => u.code) ?? [];
      const mine = communesOfProvince(province.id);
      expect(mine.map((unit) => unit.code)).toEqual([...listed].sort());
      expect(mine.every((unit) => unit.provinceCode === province.code)).toBe(true);
    }
  });

  it('flag every đặc khu, and only them, as an island, each in a province flagged island', () => {
    for (const unit of units) {
      expect(unit.island).toBe(unit.kind === 'SPECIAL_ZONE');
      if (unit.island) expect(provinceById(unit.provinceId, provinceMerger2025.effective)?.island).toBe(true);
    }
  });

  it('place Hoàng Sa (20333) under Đà Nẵng and Trường Sa (22736) under Khánh Hòa', () => {
    expect(communeByCode('20333')).toMatchObject({
      name: 'Đặc khu Hoàng Sa',
      shortName: 'Hoàng Sa',
      nameEn: 'Hoang Sa Special Zone',
      provinceId: 'prov-da-nang',
      provinceCode: '48',
      island: true,
    });
    expect(communeByCode('22736')).toMatchObject({
      name: 'Đặc khu Trường Sa',
      provinceId: 'prov-khanh-hoa',
      provinceCode: '56',
      island: true,
    });
  });

  it('keep names in NFC and take the short and English names from the full one', () => {
    for (const unit of units) expect(unit.name).toBe(unit.name.normalize('NFC'));
    expect(communeByCode('00004')).toMatchObject({
      name: 'Phường Ba Đình',
      shortName: 'Ba Đình',
      nameEn: 'Ba Dinh Ward',
    });
    const batXat = units.find((unit) => unit.name === 'Xã Bát Xát');
    expect(batXat).toMatchObject({ shortName: 'Bát Xát', nameEn: 'Bat Xat Commune', provinceId: 'prov-lao-cai' });
  });

  it('find nothing for a code that is not one', () => {
    expect(communeByCode('99999')).toBeUndefined();
    expect(communeByCode('01')).toBeUndefined();
  });
});
