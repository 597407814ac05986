import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export interface ProvinceProperties {
  readonly code: string;
  readonly name: string;
  readonly fullName: string;
}

export type ProvinceFeature = Feature<Polygon | MultiPolygon, ProvinceProperties>;

export interface Archipelago {
  readonly id: 'hoang-sa' | 'truong-sa';
  readonly name: string;
  /** The province it belongs to, by its 2025 code. */
  readonly provinceCode: string;
  readonly feature: Feature<MultiPolygon, { name: string }>;
}

export interface VietnamMap {
  readonly provinces: readonly ProvinceFeature[];
  readonly archipelagos: readonly Archipelago[];
}

// Both archipelagos lie east of 110°E, the mainland and its near-shore islands west of it.
const OFFSHORE_LONGITUDE = 110;

const ARCHIPELAGOS = [
  { id: 'hoang-sa', name: 'Quần đảo Hoàng Sa', provinceCode: '48' },
  { id: 'truong-sa', name: 'Quần đảo Trường Sa', provinceCode: '56' },
] as const;

// The source follows RFC 7946 (exterior rings counter-clockwise); d3-geo works on the sphere and
// reads that as "everything but the province", so every ring is reversed.
const rewindPolygon = (rings: Position[][]): Position[][] => rings.map((ring) => [...ring].reverse());

const polygonsOf = (geometry: Polygon | MultiPolygon): Position[][][] =>
  geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;

const offshore = (polygon: Position[][]): boolean =>
  (polygon[0] ?? []).every((point) => (point[0] ?? 0) > OFFSHORE_LONGITUDE);

/**
 * The 34 provinces ready for d3-geo, with Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) split out
 * of their provinces so they can be drawn and labelled on their own.
 */
export function prepareVietnamMap(
  collection: FeatureCollection<Polygon | MultiPolygon, ProvinceProperties>,
): VietnamMap {
  const archipelagoPolygons = new Map<string, Position[][][]>();
  const provinces = collection.features.map((feature): ProvinceFeature => {
    const polygons = polygonsOf(feature.geometry).map(rewindPolygon);
    const archipelago = ARCHIPELAGOS.find((candidate) => candidate.provinceCode === feature.properties.code);
    if (!archipelago) return { ...feature, geometry: { type: 'MultiPolygon', coordinates: polygons } };
    archipelagoPolygons.set(archipelago.id, polygons.filter(offshore));
    return { ...feature, geometry: { type: 'MultiPolygon', coordinates: polygons.filter((p) => !offshore(p)) } };
  });
  const archipelagos = ARCHIPELAGOS.map(
    (archipelago): Archipelago => ({
      ...archipelago,
      feature: {
        type: 'Feature',
        properties: { name: archipelago.name },
        geometry: { type: 'MultiPolygon', coordinates: archipelagoPolygons.get(archipelago.id) ?? [] },
      },
    }),
  );
  return { provinces, archipelagos };
}

/** The shading steps of the legend, lowest first: a score falls in the step whose range holds it. */
export const SCORE_STEPS = [
  { from: 0, to: 20, colour: '#ffffcc' },
  { from: 20, to: 40, colour: '#a1dab4' },
  { from: 40, to: 60, colour: '#41b6c4' },
  { from: 60, to: 80, colour: '#2c7fb8' },
  { from: 80, to: 100, colour: '#253494' },
] as const;
export const NO_SCORE_COLOUR = '#d9d9d9';

export function scoreColour(score: number | null | undefined): string {
  if (score === null || score === undefined) return NO_SCORE_COLOUR;
  const step = SCORE_STEPS.find((candidate) => score < candidate.to) ?? SCORE_STEPS[SCORE_STEPS.length - 1];
  return step?.colour ?? NO_SCORE_COLOUR;
}
