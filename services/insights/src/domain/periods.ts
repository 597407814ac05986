import { badInput } from '@hub/errors';

/** Vietnam keeps UTC+7 all year (Asia/Ho_Chi_Minh has had no daylight saving since 1975). */
const OFFSET_MS = 7 * 60 * 60 * 1000;

/** A calendar month in Asia/Ho_Chi_Minh, "YYYY-MM": the unit the read model counts in. */
export type MonthKey = string;

export interface Period {
  /** As asked: "2025", "2025-Q3" or "2025-07". */
  readonly label: string;
  readonly year: number;
  /** First instant of the period (inclusive). */
  readonly start: Date;
  /** First instant after the period (exclusive). */
  readonly end: Date;
  /** The instant state is read at: the period's last instant, or now while it is not over. */
  readonly at: Date;
  /** Months of the period that have started by now, oldest first. */
  readonly months: readonly MonthKey[];
  /** Quarters overlapping the period that have started, each with the months counted for it. */
  readonly quarters: readonly { readonly label: string; readonly months: readonly MonthKey[] }[];
}

const monthStart = (year: number, month0: number): Date => new Date(Date.UTC(year, month0, 1) - OFFSET_MS);

export const monthKey = (year: number, month0: number): MonthKey => {
  const normalised = new Date(Date.UTC(year, month0, 1));
  return `${normalised.getUTCFullYear()}-${String(normalised.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** The Vietnamese calendar month an instant falls in. */
export function monthOf(instant: string | Date): MonthKey {
  const shifted = new Date(new Date(instant).getTime() + OFFSET_MS);
  return monthKey(shifted.getUTCFullYear(), shifted.getUTCMonth());
}

const PATTERN = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

/**
 * Parses "YYYY", "YYYY-Qn" or "YYYY-MM" in the Asia/Ho_Chi_Minh calendar. A period that has not
 * begun has nothing to measure and is refused like a malformed one.
 */
export function parsePeriod(label: string, now: Date, field = 'period'): Period {
  const match = PATTERN.exec(label);
  if (!match) throw badInput(field, 'a period is "YYYY", "YYYY-Qn" or "YYYY-MM", e.g. "2025", "2025-Q3", "2025-07"');
  const year = Number(match[1]);
  if (year < FIRST_YEAR || year > LAST_YEAR)
    throw badInput(field, `the year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  const [first, count] = match[2] ? [(Number(match[2]) - 1) * 3, 3] : match[3] ? [Number(match[3]) - 1, 1] : [0, 12];
  const start = monthStart(year, first);
  const end = monthStart(year, first + count);
  if (start.getTime() > now.getTime()) throw badInput(field, `the period ${label} has not begun`);
  const until = Math.min(end.getTime(), now.getTime());
  const months: MonthKey[] = [];
  for (let m = first; m < first + count && monthStart(year, m).getTime() <= now.getTime(); m++) {
    months.push(monthKey(year, m));
  }
  const quarters: { label: string; months: MonthKey[] }[] = [];
  for (let q = Math.floor(first / 3); q * 3 < first + count; q++) {
    if (monthStart(year, q * 3).getTime() > now.getTime()) break;
    const counted: MonthKey[] = [];
    // A quarter is judged on what happened in it up to the period's end (a month period looks at
    // its quarter so far), never on months that have not started.
    for (let m = q * 3; m < q * 3 + 3 && m < first + count && monthStart(year, m).getTime() <= now.getTime(); m++) {
      counted.push(monthKey(year, m));
    }
    quarters.push({ label: `${year}-Q${q + 1}`, months: counted });
  }
  return { label, year, start, end, at: new Date(until - 1), months, quarters };
}

/** Every month a period's figures read: its own and, for a month period, its quarter's earlier ones. */
export function monthsRead(period: Period): { readonly from: MonthKey; readonly to: MonthKey } {
  const all = [...period.months, ...period.quarters.flatMap((quarter) => quarter.months)].sort();
  return { from: all[0] ?? monthOf(period.start), to: all.at(-1) ?? monthOf(period.start) };
}
