import { useMemo, useState } from 'preact/hooks';
import { formatIndicatorValue, formatScore } from '../format.js';
import { href } from '../router.js';

export interface IndicatorInfo {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly weight: number;
}

export interface ScoreRow {
  readonly organization: { readonly id: string; readonly name: string; readonly kind: string };
  readonly score: number | null;
  readonly rank: number | null;
  readonly values: readonly { readonly indicator: { readonly code: string }; readonly value: number | null }[];
}

type Group = 'central' | 'provinces';
type SortKey = 'rank' | 'name' | 'score' | string;

const GROUPS: Record<Group, string> = { central: 'Bộ, cơ quan trung ương', provinces: 'Tỉnh, thành phố' };
// The columns beside the score: the indicators that weigh most in it.
const MAIN_INDICATORS = 3;

const indicatorValue = (row: ScoreRow, code: string): number | null =>
  row.values.find((value) => value.indicator.code === code)?.value ?? null;

interface Props {
  readonly rows: readonly ScoreRow[] | null;
  readonly indicators: readonly IndicatorInfo[];
  readonly periodLabel: string;
  readonly state: 'loading' | 'ready' | 'unavailable';
}

/** The ranking per group, sortable by any column; central bodies and provinces are separate tabs. */
export function Scoreboard({ rows, indicators, periodLabel, state }: Props) {
  const [group, setGroup] = useState<Group>('provinces');
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'rank', ascending: true });
  const main = useMemo(
    () =>
      [...indicators]
        .filter((i) => i.weight > 0)
        .sort((a, b) => b.weight - a.weight)
        .slice(0, MAIN_INDICATORS),
    [indicators],
  );
  const shown = useMemo(() => {
    const inGroup = (rows ?? []).filter((row) => (row.organization.kind === 'PROVINCE') === (group === 'provinces'));
    const key = (row: ScoreRow): number | string | null => {
      if (sort.key === 'name') return row.organization.name;
      if (sort.key === 'rank') return row.rank;
      if (sort.key === 'score') return row.score;
      return indicatorValue(row, sort.key);
    };
    return inGroup.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      // Organizations without a value go last whichever way the column is sorted.
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const order = typeof x === 'string' ? x.localeCompare(String(y), 'vi') : x - Number(y);
      return sort.ascending ? order : -order;
    });
  }, [rows, group, sort]);

  const header = (key: SortKey, text: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : undefined}>
        <button
          type="button"
          class="sort"
          onClick={() => setSort({ key, ascending: active ? !sort.ascending : key === 'rank' || key === 'name' })}
        >
          {text}
          <span aria-hidden="true">{active ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };

  const columns = 3 + main.length;
  return (
    <section class="scoreboard" aria-labelledby="scoreboard-heading">
      <h2 id="scoreboard-heading">Bảng xếp hạng</h2>
      <div role="tablist" aria-label="Nhóm cơ quan">
        {(Object.keys(GROUPS) as Group[]).map((key) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={group === key}
            aria-controls="scoreboard-panel"
            tabIndex={group === key ? 0 : -1}
            onClick={() => setGroup(key)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
                const next: Group = key === 'central' ? 'provinces' : 'central';
                setGroup(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
          >
            {GROUPS[key]}
          </button>
        ))}
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard at 375 px */}
      <div id="scoreboard-panel" role="tabpanel" aria-labelledby={`tab-${group}`} class="table-scroll" tabIndex={0}>
        <table>
          <caption>
            Bảng xếp hạng {GROUPS[group].toLowerCase()} — {periodLabel}
          </caption>
          <thead>
            <tr>
              {header('rank', 'Hạng')}
              {header('name', 'Cơ quan')}
              {header('score', 'Điểm')}
              {main.map((indicator) => header(indicator.code, indicator.name))}
            </tr>
          </thead>
          <tbody>
            {state !== 'ready' && (
              <tr>
                <td colSpan={columns}>{state === 'loading' ? 'Đang tải…' : 'Chưa có dữ liệu điểm cho kỳ này.'}</td>
              </tr>
            )}
            {state === 'ready' && shown.length === 0 && (
              <tr>
                <td colSpan={columns}>Chưa có cơ quan nào được chấm điểm trong kỳ này.</td>
              </tr>
            )}
            {shown.map((row) => (
              <tr key={row.organization.id} data-organization-id={row.organization.id}>
                <td>{row.rank ?? '—'}</td>
                <th scope="row">
                  <a href={href.organization(row.organization.id)}>{row.organization.name}</a>
                </th>
                <td>{formatScore(row.score)}</td>
                {main.map((indicator) => (
                  <td key={indicator.code}>
                    {formatIndicatorValue(indicatorValue(row, indicator.code), indicator.unit)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
