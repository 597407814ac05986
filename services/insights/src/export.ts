import type { IncomingMessage, ServerResponse } from 'node:http';
import { isHubError } from '@hub/errors';
import type { IndicatorCode } from './domain/codes.js';
import { indicators } from './domain/indicators.js';
import type { OrganizationResult } from './domain/scoring.js';
import type { InsightsService, PeriodScores } from './service.js';

/** Excel reads a CSV as UTF-8 (and so shows Vietnamese) only when it starts with a byte-order mark. */
const BOM = '\uFEFF';

const cell = (value: string | number | boolean | null): string => {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const line = (values: readonly (string | number | boolean | null)[]): string => values.map(cell).join(',');

const GROUP_NAMES = { CENTRAL: 'Bộ, cơ quan trung ương', PROVINCE: 'Tỉnh, thành phố' } as const;

/** A period's scoreboard: one line per organization, best first, every indicator's value. */
export function scoreboardCsv(scores: PeriodScores, names: ReadonlyMap<string, string>): string {
  const header = [
    'Kỳ',
    'Hạng',
    'Nhóm',
    'Mã',
    'Cơ quan',
    'Điểm tổng hợp',
    ...indicators.map((indicator) => `${indicator.name} (${indicator.unit})`),
  ];
  const rows = scores.results.map((result) => [
    scores.period.label,
    result.rank,
    GROUP_NAMES[result.organization.group],
    result.organization.code,
    names.get(result.organization.id) ?? result.organization.name,
    result.score,
    ...result.values.map((value) => value.value),
  ]);
  return `${BOM}${[header, ...rows].map(line).join('\r\n')}\r\n`;
}

/** One organization's report: every indicator with its figures, target and how many events are behind it. */
export function reportCsv(result: OrganizationResult, evidenceCounts: ReadonlyMap<IndicatorCode, number>): string {
  const header = [
    'Mã chỉ số',
    'Chỉ số',
    'Cấp độ',
    'Giá trị',
    'Tử số',
    'Mẫu số',
    'Đơn vị',
    'Chỉ tiêu',
    'Đạt',
    'Trọng số',
    'Số sự kiện minh chứng',
    'Căn cứ pháp lý',
  ];
  const rows = result.values.map((value) => [
    value.indicator.code,
    value.indicator.name,
    value.indicator.level,
    value.value,
    value.numerator,
    value.denominator,
    value.indicator.unit,
    value.indicator.target,
    value.met === null ? null : value.met ? 'Đạt' : 'Chưa đạt',
    value.indicator.weight,
    evidenceCounts.get(value.indicator.code as IndicatorCode) ?? 0,
    value.indicator.legalBasis,
  ]);
  const title = [
    [`${result.organization.name} — kỳ ${result.period.label}`],
    ['Điểm tổng hợp', result.score, 'Hạng', result.rank],
  ];
  return `${BOM}${[...title, header, ...rows].map(line).join('\r\n')}\r\n`;
}

const send = (res: ServerResponse, status: number, type: string, body: string, filename?: string) => {
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store' };
  if (filename) headers['content-disposition'] = `attachment; filename="${filename}"`;
  res.writeHead(status, headers).end(body);
};

/**
 * `GET /insights/scoreboard.csv?period=…&kind=…` and `GET /insights/report.csv?organizationId=…&period=…`:
 * public, like the scoreboard itself. Bad input answers 400 with the same code and field as GraphQL.
 */
export function insightsHttp(service: InsightsService) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    try {
      if (url.pathname === '/insights/scoreboard.csv') {
        const period = url.searchParams.get('period') ?? '';
        const scores = await service.scoreboard(period, url.searchParams.get('kind') || null);
        const names = new Map(scores.results.map((result) => [result.organization.id, result.organization.name]));
        send(res, 200, 'text/csv; charset=utf-8', scoreboardCsv(scores, names), `bang-xep-hang-${period}.csv`);
        return true;
      }
      if (url.pathname === '/insights/report.csv') {
        const period = url.searchParams.get('period') ?? '';
        const organizationId = url.searchParams.get('organizationId') ?? '';
        const found = await service.organizationScore(organizationId, period);
        if (!found) {
          send(
            res,
            404,
            'application/json',
            JSON.stringify({
              code: 'NOT_FOUND',
              field: 'organizationId',
              message: `organization ${organizationId} is not scored in ${period}`,
            }),
          );
          return true;
        }
        const counts = new Map<IndicatorCode, number>();
        for (const value of found.result.values) {
          const code = value.indicator.code as IndicatorCode;
          const page = await service.readModel.evidence(
            {
              organization: found.result.organization,
              indicator: code,
              period: found.scores.period,
              communes: found.scores.communes.get(organizationId) ?? [],
            },
            0,
            0,
          );
          counts.set(code, page.total);
        }
        send(
          res,
          200,
          'text/csv; charset=utf-8',
          reportCsv(found.result, counts),
          `bao-cao-${organizationId}-${period}.csv`,
        );
        return true;
      }
      return false;
    } catch (error) {
      if (isHubError(error) && error.code === 'BAD_USER_INPUT') {
        send(
          res,
          400,
          'application/json',
          JSON.stringify({ code: error.code, field: error.field, message: error.message }),
        );
        return true;
      }
      throw error;
    }
  };
}
