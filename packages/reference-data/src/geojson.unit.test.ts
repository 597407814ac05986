import { readFileSync } from 'node:fs';
import { searchKey } from '@hub/vietnamese';
import { describe, expect, it } from 'vitest';
import { provinceMerger2025, provincesAsOf } from './provinces.js';

interface Feature {
  properties: { code: string; name: string };
}

const geojson = JSON.parse(readFileSync(new URL('../data/vn-provinces-2025.geojson', import.meta.url), 'utf8')) as {
  type: string;
  features: Feature[];
};

describe('vn-provinces-2025.geojson', () => {
  const units = provincesAsOf(provinceMerger2025.effective);

  it('has one feature per provincial unit in force since 1 July 2025, with the same codes', () => {
    expect(geojson.type).toBe('FeatureCollection');
    const codes = geojson.features.map((f) => f.properties.code).sort();
    expect(codes).toHaveLength(34);
    expect(codes).toEqual(units.map((u) => u.code));
  });

  it('names under each code the unit this package gives that code', () => {
    const byCode = new Map(units.map((u) => [u.code, u]));
    for (const { properties } of geojson.features) {
      expect(searchKey(byCode.get(properties.code)!.name)).toContain(searchKey(properties.name));
    }
  });

  it('sits beside its licence notice', () => {
    const licence = readFileSync(new URL('../data/vn-provinces-2025.LICENSE', import.meta.url), 'utf8');
    expect(licence).toContain('MIT License');
    expect(licence).toContain('Thang Le Quoc');
  });
});
