import { geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { useMemo, useState } from 'preact/hooks';
import provincesGeoJson from '../../../../packages/reference-data/data/vn-provinces-2025.geojson?raw';
import { formatScore } from '../format.js';
import { NO_SCORE_COLOUR, type ProvinceProperties, prepareVietnamMap, SCORE_STEPS, scoreColour } from '../map.js';
import { href } from '../router.js';

const WIDTH = 600;
const HEIGHT = 700;

const vietnam = prepareVietnamMap(
  JSON.parse(provincesGeoJson) as FeatureCollection<Polygon | MultiPolygon, ProvinceProperties>,
);

export interface ProvinceScore {
  readonly organizationId: string;
  readonly name: string;
  readonly score: number | null;
  readonly rank: number | null;
}

interface Props {
  /** Each province's organization and score, by its two-digit code. */
  readonly provinces: ReadonlyMap<string, ProvinceScore>;
  readonly periodLabel: string;
  readonly scoresAvailable: boolean;
}

const projection = geoMercator().fitExtent(
  [
    [10, 30],
    [WIDTH - 10, HEIGHT - 30],
  ],
  {
    type: 'FeatureCollection',
    features: [...vietnam.provinces, ...vietnam.archipelagos.map((archipelago) => archipelago.feature)],
  },
);
const path = geoPath(projection);
const shapes = vietnam.provinces
  .map((province) => ({ code: province.properties.code, name: province.properties.name, d: path(province) ?? '' }))
  .sort((a, b) => a.code.localeCompare(b.code));
const islands = vietnam.archipelagos.map((archipelago) => {
  const [[x0, y0], [x1, y1]] = path.bounds(archipelago.feature);
  const above = archipelago.id === 'hoang-sa';
  return {
    ...archipelago,
    d: path(archipelago.feature) ?? '',
    labelX: (x0 + x1) / 2,
    labelY: above ? y0 - 8 : y1 + 18,
  };
});

/**
 * The map of the 34 provinces shaded by score. It is one image to assistive technology (the
 * scoreboard is its table); the keyboard walks the provinces with the arrow keys while the image
 * has focus, Enter opens the one named below the map, and the mouse does the same by hovering and
 * clicking.
 */
/** The province under the pointer, if any (the map listens once, on the image, for all 34). */
function shapeIndex(target: EventTarget | null): number | null {
  const code = target instanceof SVGElement ? target.dataset.provinceCode : undefined;
  const index = shapes.findIndex((shape) => shape.code === code);
  return index < 0 ? null : index;
}

export function VietnamMap({ provinces, periodLabel, scoresAvailable }: Props) {
  const [current, setCurrent] = useState<number | null>(null);
  const selected = current === null ? null : shapes[current];
  const describe = (code: string, fallbackName: string): string => {
    const province = provinces.get(code);
    const name = province?.name ?? fallbackName;
    if (!scoresAvailable || !province) return `${name}: chưa có dữ liệu điểm`;
    const rank = province.rank === null ? '' : `, hạng ${province.rank}/34`;
    return `${name}: ${formatScore(province.score)} điểm${rank}`;
  };
  const open = (code: string) => {
    const province = provinces.get(code);
    if (province) window.location.hash = href.organization(province.organizationId);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const last = shapes.length - 1;
    const move: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in move) {
      setCurrent((index) => (index === null ? 0 : Math.min(last, Math.max(0, index + (move[event.key] ?? 0)))));
    } else if (event.key === 'Home') setCurrent(0);
    else if (event.key === 'End') setCurrent(last);
    else if (event.key === 'Enter' && selected) open(selected.code);
    else return;
    event.preventDefault();
  };
  const title = useMemo(
    () =>
      `Bản đồ điểm truyền thông chính sách của 34 tỉnh, thành phố, ${periodLabel}, gồm quần đảo Hoàng Sa và quần đảo Trường Sa`,
    [periodLabel],
  );

  return (
    <figure class="map">
      <svg
        role="img"
        aria-label={title}
        aria-describedby="map-help"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the image is walked with the arrow keys (onKeyDown)
        tabIndex={0}
        onKeyDown={onKeyDown}
        onMouseOver={(event) => setCurrent(shapeIndex(event.target))}
        onMouseOut={() => setCurrent(null)}
        onClick={(event) => {
          const index = shapeIndex(event.target);
          if (index !== null) open(shapes[index]!.code);
        }}
        onFocus={() => setCurrent((index) => index ?? 0)}
        onBlur={() => setCurrent(null)}
      >
        <rect class="sea" width={WIDTH} height={HEIGHT} />
        {shapes.map((shape, index) => (
          <path
            key={shape.code}
            class={index === current ? 'province current' : 'province'}
            data-province-code={shape.code}
            d={shape.d}
            fill={scoresAvailable ? scoreColour(provinces.get(shape.code)?.score) : NO_SCORE_COLOUR}
          >
            <title>{describe(shape.code, shape.name)}</title>
          </path>
        ))}
        {islands.map((island) => (
          <g key={island.id} class="archipelago" data-archipelago={island.id} data-province-of={island.provinceCode}>
            <path
              d={island.d}
              fill={scoresAvailable ? scoreColour(provinces.get(island.provinceCode)?.score) : NO_SCORE_COLOUR}
            />
            <text x={island.labelX} y={island.labelY} text-anchor="middle">
              {island.name}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <p id="map-help" class="hint">
          Chọn bản đồ rồi dùng phím mũi tên để đi qua các tỉnh, Enter để mở trang của tỉnh.
        </p>
        <output class="map-current">
          {selected ? describe(selected.code, selected.name) : 'Di chuột hoặc dùng phím mũi tên để xem điểm từng tỉnh.'}
        </output>
        <ul class="legend" aria-label="Chú giải màu theo điểm">
          {SCORE_STEPS.map((step) => (
            <li key={step.from}>
              <span class="swatch" style={{ background: step.colour }} aria-hidden="true" />
              {step.from}–{step.to} điểm
            </li>
          ))}
          <li>
            <span class="swatch" style={{ background: NO_SCORE_COLOUR }} aria-hidden="true" />
            chưa có dữ liệu
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
