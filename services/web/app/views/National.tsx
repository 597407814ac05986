import { useEffect, useMemo, useState } from 'preact/hooks';
import { type ApiResult, request, subscribe } from '../api.js';
import { isMissingFromSchema } from '../errors.js';
import { periodsUpTo } from '../format.js';
import type { Session } from '../session.js';
import { Feed } from './Feed.js';
import { type IndicatorInfo, Scoreboard, type ScoreRow } from './Scoreboard.js';
import { type ProvinceScore, VietnamMap } from './VietnamMap.js';

const PROVINCES = `query Provinces {
  organizations(kind: PROVINCE, status: ACTIVE, first: 100) { edges { node { id name code } } }
}`;

const SCOREBOARD = `query Scoreboard($period: String!, $after: String) {
  indicators { code name unit weight }
  scoreboard(period: $period, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { score rank organization { id name kind code } values { indicator { code } value } } }
  }
}`;

interface ScoreboardPage {
  indicators: IndicatorInfo[];
  scoreboard: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: ScoreRow & { organization: { code: string | null } } }[];
  };
}

type Scores =
  | { readonly state: 'loading' | 'unavailable' }
  | {
      readonly state: 'ready';
      readonly rows: ScoreboardPage['scoreboard']['edges'][number]['node'][];
      readonly indicators: IndicatorInfo[];
    };

async function loadScoreboard(period: string, token: string | null): Promise<Scores> {
  const rows: ScoreboardPage['scoreboard']['edges'][number]['node'][] = [];
  let indicators: IndicatorInfo[] = [];
  let after: string | null = null;
  for (;;) {
    const result: ApiResult<ScoreboardPage> = await request<ScoreboardPage>(SCOREBOARD, { period, after }, token);
    // Without the insights service the API has no such fields: the page says there is no data yet.
    if (isMissingFromSchema(result.errors) || !result.data) return { state: 'unavailable' };
    indicators = result.data.indicators;
    rows.push(...result.data.scoreboard.edges.map((edge) => edge.node));
    if (!result.data.scoreboard.pageInfo.hasNextPage) return { state: 'ready', rows, indicators };
    after = result.data.scoreboard.pageInfo.endCursor;
  }
}

/** The national view: the map shaded by score, the scoreboard, and the live feed. */
export function National({ session }: { readonly session: Session | null }) {
  const periods = useMemo(() => periodsUpTo(new Date()), []);
  const [period, setPeriod] = useState(periods[0]?.value ?? String(new Date().getFullYear()));
  const [provinces, setProvinces] = useState<{ id: string; name: string; code: string }[]>([]);
  const [scores, setScores] = useState<Scores>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const token = session?.token ?? null;
  const periodLabel = periods.find((candidate) => candidate.value === period)?.label ?? period;

  useEffect(() => {
    void request<{ organizations: { edges: { node: { id: string; name: string; code: string } }[] } }>(
      PROVINCES,
      {},
      token,
    ).then((result) => setProvinces(result.data?.organizations.edges.map((edge) => edge.node) ?? []));
  }, [token]);

  useEffect(() => {
    let current = true;
    setScores({ state: 'loading' });
    void loadScoreboard(period, token).then((loaded) => current && setScores(loaded));
    return () => {
      current = false;
    };
  }, [period, token, version]);

  // A moved score reloads the board (debounced by the reload itself: one request per change burst).
  useEffect(() => {
    if (scores.state !== 'ready') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = subscribe(
      'subscription Scores($period: String!) { scoreChanged(period: $period) { score } }',
      { period },
      token,
      () => {
        clearTimeout(timer);
        timer = setTimeout(() => setVersion((v) => v + 1), 500);
      },
    );
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [period, token, scores.state]);

  const byCode = useMemo(() => {
    const map = new Map<string, ProvinceScore>();
    const rows = scores.state === 'ready' ? scores.rows : [];
    for (const province of provinces) {
      const row = rows.find((candidate) => candidate.organization.id === province.id);
      map.set(province.code, {
        organizationId: province.id,
        name: province.name,
        score: row?.score ?? null,
        rank: row?.rank ?? null,
      });
    }
    return map;
  }, [provinces, scores]);

  return (
    <>
      <h1>Toàn quốc</h1>
      <p class="period">
        <label for="period">Kỳ đánh giá</label>{' '}
        <select id="period" value={period} onChange={(event) => setPeriod((event.target as HTMLSelectElement).value)}>
          {periods.map((candidate) => (
            <option key={candidate.value} value={candidate.value}>
              {candidate.label}
            </option>
          ))}
        </select>
      </p>
      {scores.state === 'unavailable' && (
        <output class="notice">
          Chưa có dữ liệu điểm số: bản đồ và bảng xếp hạng sẽ hiện điểm khi dịch vụ đánh giá có số liệu.
        </output>
      )}
      <div class="national">
        <div>
          <VietnamMap provinces={byCode} periodLabel={periodLabel} scoresAvailable={scores.state === 'ready'} />
          <Feed session={session} />
        </div>
        <Scoreboard
          rows={scores.state === 'ready' ? scores.rows : null}
          indicators={scores.state === 'ready' ? scores.indicators : []}
          periodLabel={periodLabel}
          state={scores.state}
        />
      </div>
    </>
  );
}
