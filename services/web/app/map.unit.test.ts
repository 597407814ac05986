import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { geoArea, geoBounds } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { NO_SCORE_COLOUR, type ProvinceProperties, prepareVietnamMap, SCORE_STEPS, scoreColour } from './map.js';

const source = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../packages/reference-data/data/vn-provinces-2025.geojson', import.meta.url)),
    'utf8',
  ),
) as FeatureCollection<Polygon | MultiPolygon, ProvinceProperties>;

describe('the map of Vietnam', () => {
  const map = prepareVietnamMap(source);

  it('given the 2025 boundaries, then 34 provinces each cover a small part of the sphere (rings wound for d3-geo)', () => {
    expect(map.provinces).toHaveLength(34);
    expect(new Set(map.provinces.map((province) => province.properties.code)).size).toBe(34);
    for (const province of map.provinces) expect(geoArea(province)).toBeLessThan(0.01);
  });

  it('given Đà Nẵng and Khánh Hòa, then Hoàng Sa and Trường Sa are split out east of 110°E and the mainland stays', () => {
    const [hoangSa, truongSa] = map.archipelagos;
    expect(hoangSa?.name).toBe('Quần đảo Hoàng Sa');
    expect(truongSa?.name).toBe('Quần đảo Trường Sa');
    expect(hoangSa?.feature.geometry.coordinates.length).toBeGreaterThan(10);
    expect(truongSa?.feature.geometry.coordinates.length).toBeGreaterThan(100);
    const [[west, south], [, north]] = geoBounds(truongSa!.feature);
    expect(west).toBeGreaterThan(110);
    expect(south).toBeLessThan(9);
    expect(north).toBeLessThan(12.5);
    const daNang = map.provinces.find((province) => province.properties.code === '48')!;
    const [[daNangWest], [daNangEast]] = geoBounds(daNang);
    expect(daNangWest).toBeGreaterThan(107);
    expect(daNangEast).toBeLessThan(110);
  });

  it('given scores, then each falls in its legend step and no score is grey', () => {
    expect(scoreColour(0)).toBe(SCORE_STEPS[0].colour);
    expect(scoreColour(59.9)).toBe(SCORE_STEPS[2].colour);
    expect(scoreColour(100)).toBe(SCORE_STEPS[4].colour);
    expect(scoreColour(null)).toBe(NO_SCORE_COLOUR);
  });
});
