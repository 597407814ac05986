/**
 * The rules every text, instant and amount a user sends must pass before the hub records it. They
 * live here once, so every service and the GraphQL edge refuse the same things the same way.
 */

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = (reason: string): Checked<never> => ({ ok: false, reason });

// Refused: C0 and C1 control characters and DEL, except tab, line feed and carriage return (NUL
// breaks PostgreSQL text, ESC starts terminal escape sequences); surrogates without their partner
// (not Unicode at all); the noncharacters U+FFFE and U+FFFF.
const isRefusedControl = (unit: number): boolean =>
  (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) || (unit >= 0x7f && unit <= 0x9f);
const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;
const hex = (unit: number): string => unit.toString(16).toUpperCase().padStart(4, '0');

// Invisible format characters (Unicode category Cf: zero-width space and joiners, word joiner,
// byte order mark, soft hyphen, bidirectional overrides): removed, so a name cannot look empty or
// be spoofed by reordering, while text that merely carries one stays acceptable.
const INVISIBLE = /\p{Cf}/gu;

/** Why a string can never be stored, or null. */
export function unacceptableCharacter(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (isRefusedControl(unit)) return `contains the control character U+${hex(unit)}`;
    if (isHighSurrogate(unit)) {
      if (!isLowSurrogate(value.charCodeAt(i + 1))) return 'contains a lone surrogate (not valid Unicode)';
      i += 1;
    } else if (isLowSurrogate(unit)) return 'contains a lone surrogate (not valid Unicode)';
    else if (unit === 0xfffe || unit === 0xffff) return `contains the noncharacter U+${hex(unit)}`;
  }
  return null;
}

export interface TextRule {
  /** Longest accepted text, in UTF-16 code units, after cleaning. */
  readonly max: number;
  /** Keep line breaks (a statement's body); otherwise every run of whitespace becomes one space. */
  readonly multiline?: boolean;
}

/**
 * A user's text as the hub stores it: refused if it holds a character that can never be stored;
 * otherwise invisible format characters removed, NFC, trimmed, whitespace runs made one space (in
 * multi-line text: line breaks kept as \n, other runs of spaces made one), and at most `max` long.
 * The empty string is a valid result; callers decide whether empty is allowed.
 */
export function cleanText(value: string, rule: TextRule): Checked<string> {
  const bad = unacceptableCharacter(value);
  if (bad) return refuse(bad);
  const visible = value.replace(INVISIBLE, '').normalize('NFC');
  const clean = rule.multiline
    ? visible
        .replace(/\r\n?/gu, '\n')
        .split('\n')
        .map((line) => line.replace(/[^\S\n]+/gu, ' ').trim())
        .join('\n')
        .replace(/\n{3,}/gu, '\n\n')
        .trim()
    : visible.trim().replace(/\s+/gu, ' ');
  if (clean.length > rule.max) return refuse(`must have at most ${rule.max} characters`);
  return accept(clean);
}

/**
 * Instants users give lie in [INSTANT_BOUNDS.earliest, now + INSTANT_BOUNDS.yearsAhead years]:
 * far enough back for the founding dates of the national structure, and not so far ahead that
 * a date in year 9999 can lock an organization's later designations.
 */
export const INSTANT_BOUNDS = { earliest: '1900-01-01T00:00:00.000Z', yearsAhead: 5 } as const;

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/u;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The latest instant a user may give now. */
export const latestAcceptedInstant = (now: Date): Date => {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + INSTANT_BOUNDS.yearsAhead);
  return latest;
};

/**
 * An ISO 8601 instant with a zone, as UTC ISO text. Refused, never shifted: a day the month does
 * not have (2025-02-30, 2025-02-29, 2025-04-31), hour 24, second 60, an offset beyond ±14:00.
 */
export function parseInstant(value: string): Checked<string> {
  const match = ISO_INSTANT.exec(value);
  if (!match) return refuse('must be an ISO 8601 instant with an offset, such as 2025-07-01T08:00:00+07:00');
  const [, y, mo, d, h, mi, s, , zone, , offsetHours, offsetMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return refuse(`has no month ${mo}`);
  if (day < 1 || day > daysIn(year, month)) return refuse(`${y}-${mo} has no day ${d}`);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return refuse('has a time of day that does not exist');
  if (zone !== 'Z' && (Number(offsetHours) > 14 || Number(offsetMinutes) > 59)) return refuse('has no such offset');
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return refuse('is not a valid instant');
  return accept(instant.toISOString());
}

/**
 * An instant a user gives in a command (an appointment, an embargo, a deadline) within
 * INSTANT_BOUNDS. Queries may ask about any instant (`asOf`), so this is not the scalar's rule.
 */
export function checkInstantBounds(instant: string, now: Date = new Date()): Checked<string> {
  const time = Date.parse(instant);
  if (Number.isNaN(time)) return refuse('is not a valid instant');
  if (time < Date.parse(INSTANT_BOUNDS.earliest)) return refuse('must not be before 1900-01-01');
  if (time > latestAcceptedInstant(now).getTime()) {
    return refuse(`must not be more than ${INSTANT_BOUNDS.yearsAhead} years ahead`);
  }
  return accept(instant);
}

/**
 * The largest amount one VND value may hold: 10^12 đồng (one thousand billion). Totals add many
 * amounts; at this bound more than 9,000 of them still sum exactly in a JavaScript number.
 */
export const MAX_VND = 1_000_000_000_000;

/** A whole, non-negative amount of đồng no larger than MAX_VND. */
export function checkVnd(value: unknown): Checked<number> {
  if (typeof value !== 'number' || !Number.isInteger(value)) return refuse('must be a whole number of đồng');
  if (value < 0) return refuse('must not be negative');
  if (value > MAX_VND) return refuse(`must be at most ${MAX_VND.toLocaleString('en-US')} đồng`);
  return accept(value);
}
