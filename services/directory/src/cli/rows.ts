import { createHash } from 'node:crypto';
import { type ContactRole, contactRoles, type OrganizationKind, organizationKinds } from '@hub/event-catalogue';
import { isValidEmail, nfc, normalizeVietnamesePhone, searchKey } from '@hub/vietnamese';
import type { CsvRecord } from './csv.js';

/** The columns an import reads, in the order an export writes them. */
export const CONTACT_COLUMNS = [
  'organization',
  'full_name',
  'title',
  'roles',
  'phone',
  'email',
  'appointed_from',
] as const;
export type ContactColumn = (typeof CONTACT_COLUMNS)[number];

/**
 * Read by an import, never written by an export: with it, `organization` names a province and
 * this column one of its communes by five-digit code or name, as a province's own list has them.
 */
export const COMMUNE_COLUMN = 'commune';
export type ImportColumn = ContactColumn | typeof COMMUNE_COLUMN;

/** What an export adds for people reading the file; an import ignores them. */
export const ORGANIZATION_COLUMNS = ['organization_name', 'organization_kind', 'organization_code'] as const;

const REQUIRED_COLUMNS: readonly ContactColumn[] = ['organization', 'full_name', 'roles'];
const MAX_NAME_LENGTH = 300;

/** A problem with the file as a whole (its header): nothing can be imported from it. */
export class CsvFileError extends Error {}

export interface Header {
  /** Position of each contact column in a record; absent optional columns are undefined. */
  readonly positions: Readonly<Partial<Record<ImportColumn, number>>>;
  readonly names: readonly string[];
}

/** Reads the header row; column names are matched ignoring case and surrounding spaces. */
export function readHeader(record: CsvRecord | undefined): Header {
  if (!record) throw new CsvFileError('the file is empty: it needs a header row naming the columns');
  if (record.error) throw new CsvFileError(`line ${record.line} (the header): ${record.error}`);
  const names = record.fields.map((field) => field.trim().toLowerCase());
  const positions: Partial<Record<ImportColumn, number>> = {};
  const read = new Set<string>([...CONTACT_COLUMNS, COMMUNE_COLUMN]);
  const known = new Set<string>([...read, ...ORGANIZATION_COLUMNS]);
  for (const [index, name] of names.entries()) {
    if (!known.has(name)) {
      throw new CsvFileError(
        `unknown column ${JSON.stringify(record.fields[index])} in the header; the columns are ${CONTACT_COLUMNS.join(', ')}`,
      );
    }
    if (names.indexOf(name) !== index) throw new CsvFileError(`column ${name} appears twice in the header`);
    if (read.has(name)) positions[name as ImportColumn] = index;
  }
  const missing = REQUIRED_COLUMNS.filter((column) => positions[column] === undefined);
  if (missing.length > 0) throw new CsvFileError(`the header lacks the required column(s) ${missing.join(', ')}`);
  return { positions, names };
}

export interface OrganizationRef {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly code: string | null;
  readonly status: 'ACTIVE' | 'MERGED' | 'DISSOLVED';
  readonly successorId: string | null;
  readonly parentId: string | null;
}

/** Why a row cannot be imported, naming the column when one is at fault. */
export interface Problem {
  readonly code: string;
  readonly column: ImportColumn | null;
  readonly message: string;
}

export const describeProblems = (problems: readonly Problem[]): string =>
  problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ');

type Resolved = { ok: true; organization: OrganizationRef } | { ok: false; problem: Problem };

const CODE_REFERENCE = /^([A-Za-z_]+)\s*:\s*(\S.*)$/;
const COMMUNE_CODE = /^\d{5}$/;

/** The organizations as they are today, found by id or by `KIND:code`. */
export class OrganizationIndex {
  private readonly byId = new Map<string, OrganizationRef>();
  private readonly byCode = new Map<string, OrganizationRef[]>();
  /** Per province, its communes by folded full name and by folded name without "Xã"/"Phường"/"Đặc khu". */
  private readonly communesByName = new Map<string, Map<string, OrganizationRef[]>>();

  constructor(organizations: readonly OrganizationRef[]) {
    for (const organization of organizations) {
      this.byId.set(organization.id, organization);
      if (organization.kind === 'COMMUNE' && organization.parentId)
        this.addCommune(organization.parentId, organization);
      if (organization.code === null) continue;
      const key = `${organization.kind}:${organization.code}`;
      this.byCode.set(key, [...(this.byCode.get(key) ?? []), organization]);
    }
  }

  get(id: string): OrganizationRef | undefined {
    return this.byId.get(id);
  }

  private addCommune(provinceId: string, commune: OrganizationRef): void {
    const names = this.communesByName.get(provinceId) ?? new Map<string, OrganizationRef[]>();
    this.communesByName.set(provinceId, names);
    const full = searchKey(commune.name);
    const short = full.replace(/^(xa|phuong|dac khu) /u, '');
    for (const key of new Set([full, short])) names.set(key, [...(names.get(key) ?? []), commune]);
  }

  /**
   * A commune of `province` named by its five-digit code or its name, with or without "Xã",
   * "Phường" or "Đặc khu", ignoring case and diacritics: "02683", "xa bat xat", "Bát Xát".
   */
  resolveCommune(province: OrganizationRef, reference: string): Resolved {
    const text = reference.trim();
    const problem = (code: string, message: string): Resolved => ({
      ok: false,
      problem: { code, column: COMMUNE_COLUMN, message },
    });
    let candidates: readonly OrganizationRef[];
    if (COMMUNE_CODE.test(text)) {
      const found = (this.byCode.get(`COMMUNE:${text}`) ?? []).find((o) => o.status === 'ACTIVE');
      if (found && found.parentId !== province.id) {
        const elsewhere = found.parentId ? this.byId.get(found.parentId) : undefined;
        return problem(
          'UNKNOWN_COMMUNE',
          `${text} is ${found.name}${elsewhere ? ` of ${elsewhere.name}` : ''}, not a commune of ${province.name}`,
        );
      }
      candidates = found ? [found] : [];
    } else {
      candidates = this.communesByName.get(province.id)?.get(searchKey(text)) ?? [];
    }
    candidates = candidates.filter((o) => o.status === 'ACTIVE');
    if (candidates.length > 1) {
      // Folded, "Văn Lang" and "Văn Lăng" are one name; written with diacritics they are two.
      const written = nfc(text).toLowerCase();
      const exact = candidates.filter((o) => {
        const name = nfc(o.name).toLowerCase();
        return name === written || name.endsWith(` ${written}`);
      });
      if (exact.length === 1) candidates = exact;
    }
    const [only, ...others] = candidates;
    if (!only) return problem('UNKNOWN_COMMUNE', `${province.name} has no commune ${JSON.stringify(text)} today`);
    if (others.length > 0) {
      const named = candidates.map((o) => `${o.code} ${o.name}`).join(', ');
      return problem(
        'AMBIGUOUS_COMMUNE',
        `${JSON.stringify(text)} names ${candidates.length} communes (${named}): give the code`,
      );
    }
    return { ok: true, organization: only };
  }

  resolve(reference: string): Resolved {
    const text = reference.trim();
    const problem = (code: string, message: string): Resolved => ({
      ok: false,
      problem: { code, column: 'organization', message },
    });
    const byCode = CODE_REFERENCE.exec(text);
    const kind = byCode?.[1]?.toUpperCase();
    let found: OrganizationRef | undefined;
    if (byCode && kind && (organizationKinds as readonly string[]).includes(kind)) {
      const code = (byCode[2] as string).trim();
      // A code names one unit at a time, but an absorbed unit keeps its old code: the one standing wins.
      const candidates = this.byCode.get(`${kind}:${code}`) ?? [];
      found = candidates.find((o) => o.status === 'ACTIVE') ?? candidates[0];
      if (!found) return problem('UNKNOWN_ORGANIZATION', `no ${kind} has code ${code} today`);
    } else {
      found = this.byId.get(text) ?? this.byId.get(text.toLowerCase());
      if (!found) {
        return problem(
          'UNKNOWN_ORGANIZATION',
          `${JSON.stringify(text)} is not an organization id the directory knows, nor KIND:code (such as PROVINCE:15)`,
        );
      }
    }
    if (found.status !== 'ACTIVE') {
      const successor = found.successorId ? this.byId.get(found.successorId) : undefined;
      const into = successor ? ` into ${successor.id} (${successor.name})` : '';
      return problem(
        'INACTIVE_ORGANIZATION',
        `${found.id} (${found.name}) is ${found.status}${into}; contacts go to an organization that is ACTIVE today`,
      );
    }
    return { ok: true, organization: found };
  }
}

/** A row that passed every local check, normalised as the directory stores it. */
export interface ContactDraft {
  readonly line: number;
  readonly organizationId: string;
  readonly fullName: string;
  readonly title: string | null;
  /** Distinct and sorted, so the order written in the file does not matter. */
  readonly roles: readonly ContactRole[];
  /** E.164. */
  readonly phone: string | null;
  readonly email: string | null;
  /** An instant in UTC, or null for "from now". */
  readonly appointedFrom: string | null;
  /** From the content alone, so the same contact anywhere in any file is the same command. */
  readonly idempotencyKey: string;
}

export type RowOutcome =
  | { readonly ok: true; readonly draft: ContactDraft }
  | { readonly ok: false; readonly line: number; readonly problems: readonly Problem[] };

/** The identity of a contact for import purposes: who, where, in which roles, how reached, since when. */
export interface ContactContent {
  readonly organizationId: string;
  readonly fullName: string;
  readonly roles: readonly string[];
  readonly phone: string | null;
  readonly email: string | null;
  readonly appointedFrom: string | null;
}

/** A canonical text for a contact's content; `withDate: false` leaves the start out. */
export function contentKey(content: ContactContent, withDate = true): string {
  return JSON.stringify([
    content.organizationId,
    content.fullName,
    [...content.roles].sort(),
    content.phone ?? '',
    content.email ?? '',
    withDate ? (content.appointedFrom ?? '') : '',
  ]);
}

export const idempotencyKeyOf = (content: ContactContent): string =>
  `contact-import:${createHash('sha256').update(contentKey(content)).digest('hex')}`;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

const realDay = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/**
 * An ISO date (00:00 in Vietnam that day) or date-time (in Vietnam time unless it has Z or an
 * offset) as a UTC instant; null when it is neither. Vietnam has kept UTC+7 without daylight
 * saving since 1975, so a fixed offset is exact for any date a contact can have.
 */
export function parseAppointedFrom(text: string): string | null {
  const date = DATE.exec(text);
  if (date) {
    const [, y, m, d] = date;
    if (!realDay(Number(y), Number(m), Number(d))) return null;
    return new Date(`${y}-${m}-${d}T00:00:00+07:00`).toISOString();
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) return null;
  const [, y, m, d, hh, mm, ss = '00', fraction = '', zone = '+07:00'] = dateTime;
  if (!realDay(Number(y), Number(m), Number(d)) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  const instant = new Date(`${y}-${m}-${d}T${hh}:${mm}:${ss}${fraction.slice(0, 4)}${zone.toUpperCase()}`);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

const roleList = contactRoles.join(', ');

/** Checks one data record against the header and the organizations, collecting every problem. */
export function validateRecord(record: CsvRecord, header: Header, organizations: OrganizationIndex): RowOutcome {
  const fail = (problems: Problem[]): RowOutcome => ({ ok: false, line: record.line, problems });
  if (record.error) return fail([{ code: 'MALFORMED_ROW', column: null, message: record.error }]);
  if (record.fields.length !== header.names.length) {
    return fail([
      {
        code: 'MALFORMED_ROW',
        column: null,
        message: `the row has ${record.fields.length} fields but the header names ${header.names.length} columns`,
      },
    ]);
  }
  const value = (column: ImportColumn): string => {
    const position = header.positions[column];
    return position === undefined ? '' : (record.fields[position] ?? '').trim();
  };
  const problems: Problem[] = [];
  const problem = (code: string, column: ImportColumn, message: string) => problems.push({ code, column, message });

  let organizationId = '';
  if (value('organization') === '') problem('MISSING_VALUE', 'organization', 'required');
  else {
    const resolved = organizations.resolve(value('organization'));
    if (!resolved.ok) problems.push(resolved.problem);
    else if (value(COMMUNE_COLUMN) === '') organizationId = resolved.organization.id;
    else {
      const commune = organizations.resolveCommune(resolved.organization, value(COMMUNE_COLUMN));
      if (commune.ok) organizationId = commune.organization.id;
      else problems.push(commune.problem);
    }
  }

  const fullName = nfc(value('full_name'));
  if (fullName === '') problem('MISSING_VALUE', 'full_name', 'required');
  else if (fullName.length > MAX_NAME_LENGTH) {
    problem('BAD_VALUE', 'full_name', `at most ${MAX_NAME_LENGTH} characters, got ${fullName.length}`);
  }
  const title = nfc(value('title')) || null;

  const written = value('roles')
    .split(';')
    .map((role) => role.trim().toUpperCase())
    .filter(Boolean);
  const unknownRoles = written.filter((role) => !(contactRoles as readonly string[]).includes(role));
  if (written.length === 0) problem('MISSING_VALUE', 'roles', `required: one or more of ${roleList}, separated by ";"`);
  else if (unknownRoles.length > 0) {
    problem(
      'UNKNOWN_ROLE',
      'roles',
      `unknown role ${unknownRoles.map((r) => JSON.stringify(r)).join(', ')} (use ${roleList})`,
    );
  }
  const roles = [...new Set(written as ContactRole[])].sort();

  let phone: string | null = null;
  if (value('phone') !== '') {
    const normalized = normalizeVietnamesePhone(value('phone'));
    if (normalized.ok) phone = normalized.value;
    else problem('BAD_PHONE', 'phone', `${JSON.stringify(value('phone'))}: ${normalized.reason}`);
  }

  let email: string | null = null;
  if (value('email') !== '') {
    email = value('email').toLowerCase();
    if (!isValidEmail(email)) problem('BAD_EMAIL', 'email', `${JSON.stringify(value('email'))} is not a valid address`);
  }

  let appointedFrom: string | null = null;
  if (value('appointed_from') !== '') {
    appointedFrom = parseAppointedFrom(value('appointed_from'));
    if (appointedFrom === null) {
      problem(
        'BAD_DATE',
        'appointed_from',
        `${JSON.stringify(value('appointed_from'))} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:mm, optionally with Z or ±hh:mm)`,
      );
    }
  }

  if (problems.length > 0) return fail(problems);
  const content = { organizationId, fullName, roles, phone, email, appointedFrom };
  return {
    ok: true,
    draft: { line: record.line, ...content, title, idempotencyKey: idempotencyKeyOf(content) },
  };
}

/**
 * Validates every data record, then marks rows that repeat an earlier row's content (whatever
 * their title) as duplicates of it, so each contact is sent once.
 */
export function validateRecords(
  records: readonly CsvRecord[],
  header: Header,
  organizations: OrganizationIndex,
): RowOutcome[] {
  const firstLine = new Map<string, number>();
  return records.map((record) => {
    const outcome = validateRecord(record, header, organizations);
    if (!outcome.ok) return outcome;
    const earlier = firstLine.get(outcome.draft.idempotencyKey);
    if (earlier === undefined) {
      firstLine.set(outcome.draft.idempotencyKey, outcome.draft.line);
      return outcome;
    }
    return {
      ok: false,
      line: record.line,
      problems: [
        {
          code: 'DUPLICATE_ROW',
          column: null,
          message: `duplicate of line ${earlier} (same organization, full_name, roles, phone, email and appointed_from)`,
        },
      ],
    };
  });
}
