/**
 * Vietnamese display formats. Built from parts rather than a locale's whole pattern, because
 * ICU versions disagree on vi-VN's order ("14:05 29/11/2026" vs "29/11/2026, 14:05") and the
 * page must read the same in every browser.
 */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(instant: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(instant)) out[part.type] = part.value;
  return out;
}

/** `29/11/2026 14:05` in Vietnam time; an unreadable value is shown as given. */
export function formatDateTime(value: string | Date): string {
  const instant = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(instant.getTime())) return String(value);
  const p = parts(instant);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** `29/11/2026` in Vietnam time. */
export function formatDate(value: string | Date): string {
  const instant = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(instant.getTime())) return String(value);
  const p = parts(instant);
  return `${p.day}/${p.month}/${p.year}`;
}

/** Whole đồng with dots between thousands: `150.000.000 ₫`. */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(amount)));
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

/** A score out of 100 with a decimal comma: `87,5`; absent scores read "chưa có". */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) return 'chưa có';
  return (Math.round(score * 10) / 10).toFixed(1).replace('.', ',');
}

/** An indicator's value in its unit: percentages (0–100) with a comma, money in đồng, yes/no as words. */
export function formatIndicatorValue(value: number | null, unit: string): string {
  if (value === null) return 'không áp dụng';
  if (unit === 'VND') return formatVnd(value);
  if (unit === 'có/không') return value >= 1 ? 'có' : 'không';
  if (unit === '%') return `${formatScore(value)} %`;
  return `${formatScore(value)} ${unit}`.trim();
}

/** The calendar in Vietnam now, for periods: year, quarter (1–4) and month (1–12). */
export function vietnamCalendar(now: Date): { year: number; quarter: number; month: number } {
  const p = parts(now);
  const year = Number(p.year);
  const month = Number(p.month);
  return { year, month, quarter: Math.ceil(month / 3) };
}

export interface Period {
  readonly value: string;
  readonly label: string;
}

/** The periods a reader can pick, newest first: this year and last, the quarters and months so far. */
export function periodsUpTo(now: Date): Period[] {
  const { year, quarter, month } = vietnamCalendar(now);
  const periods: Period[] = [{ value: String(year), label: `Năm ${year}` }];
  for (let q = quarter; q >= 1; q--) periods.push({ value: `${year}-Q${q}`, label: `Quý ${q}/${year}` });
  for (let m = month; m >= 1; m--) {
    const mm = String(m).padStart(2, '0');
    periods.push({ value: `${year}-${mm}`, label: `Tháng ${mm}/${year}` });
  }
  periods.push({ value: String(year - 1), label: `Năm ${year - 1}` });
  return periods;
}
