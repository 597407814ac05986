import type { AreaFlags, ContactRole, OrganizationKind } from '@hub/event-catalogue';
import type { Slice } from '@hub/graphql-kit';
import type { SqlExecutor } from '@hub/sql';
import { matchScore, searchKey } from '@hub/vietnamese';

export interface OrganizationRow {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly shortName: string | null;
  readonly code: string | null;
  readonly kind: OrganizationKind;
  readonly parentId: string | null;
  readonly areas: AreaFlags;
  readonly status: 'ACTIVE' | 'MERGED' | 'DISSOLVED';
  readonly successorId: string | null;
  /** The instant the row describes the organization at. */
  readonly asOf: string;
}

export interface OrganizationFilter {
  readonly kind?: OrganizationKind | null;
  readonly status?: OrganizationRow['status'] | null;
  readonly search?: string | null;
  readonly asOf: string;
}

export interface ContactRow {
  readonly id: string;
  readonly organizationId: string;
  readonly fullName: string;
  readonly title: string | null;
  /** Roles at `asOf`: SPOKESPERSON only while a designation runs. */
  readonly roles: readonly ContactRole[];
  readonly phone: string | null;
  readonly email: string | null;
  readonly appointedFrom: string;
  readonly relievedAt: string | null;
  /** The organization's spokesperson now: Decree 09/2017 has their phone and email published. */
  readonly currentSpokesperson: boolean;
  readonly asOf: string;
}

export interface ContactFilter {
  readonly search?: string | null;
  readonly organizationId?: string | null;
  readonly role?: ContactRole | null;
  readonly asOf: string;
}

/** Kinds whose liaison coverage the Government measures (Directive 07/CT-TTg). */
export const COVERED_KINDS: readonly OrganizationKind[] = [
  'GOVERNMENT_OFFICE',
  'MINISTRY',
  'MINISTERIAL_AGENCY',
  'GOVERNMENT_AGENCY',
  'PROVINCE',
];

/** One province's communes at an instant, and how many of them have a focal point and a spokesperson. */
export interface GrassrootsRow {
  readonly provinceId: string;
  readonly communes: number;
  readonly withFocalPoint: number;
  readonly withSpokesperson: number;
}

interface ContactRecord {
  contact_id: string;
  organization_id: string;
  full_name: string;
  title: string | null;
  roles: ContactRole[];
  phone: string | null;
  email: string | null;
  appointed_from: Date | string;
  relieved_at: Date | string | null;
  spokesperson_then: boolean;
  spokesperson_now: boolean;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

const toContact = (r: ContactRecord, asOf: string): ContactRow => ({
  id: r.contact_id,
  organizationId: r.organization_id,
  fullName: r.full_name,
  title: r.title,
  roles: [
    ...(r.spokesperson_then ? (['SPOKESPERSON'] as const) : []),
    ...r.roles.filter((role) => role !== 'SPOKESPERSON'),
  ],
  phone: r.phone,
  email: r.email,
  appointedFrom: iso(r.appointed_from),
  relievedAt: r.relieved_at === null ? null : iso(r.relieved_at),
  currentSpokesperson: r.spokesperson_now,
  asOf,
});

// $1 is the instant asked about, $2 the present.
const CONTACT_COLUMNS = `c.contact_id, c.organization_id, c.full_name, c.title, c.roles, c.phone, c.email, c.appointed_from, c.relieved_at,
  EXISTS (SELECT 1 FROM dir_spokesperson_terms t WHERE t.contact_id = c.contact_id
          AND t.valid_from <= $1 AND (t.valid_to IS NULL OR t.valid_to > $1)) AS spokesperson_then,
  EXISTS (SELECT 1 FROM dir_spokesperson_terms t WHERE t.contact_id = c.contact_id
          AND t.valid_from <= $2 AND (t.valid_to IS NULL OR t.valid_to > $2)) AS spokesperson_now`;
const SERVING = `c.appointed_from <= $1 AND (c.relieved_at IS NULL OR c.relieved_at > $1)`;

// Of the organization `o`, at the instant $1.
const HAS_FOCAL_POINT = `EXISTS (SELECT 1 FROM dir_contacts c WHERE c.organization_id = o.organization_id
  AND ${SERVING} AND 'FOCAL_POINT' = ANY(c.roles))`;
const HAS_SPOKESPERSON = `EXISTS (SELECT 1 FROM dir_spokesperson_terms t WHERE t.organization_id = o.organization_id
  AND t.valid_from <= $1 AND (t.valid_to IS NULL OR t.valid_to > $1))`;

const likeAll = (text: string): string[] =>
  searchKey(text)
    .split(' ')
    .filter(Boolean)
    .map((w: string) => `%${w.replaceAll(/[\\%_]/g, (c: string) => `\\${c}`)}%`);

interface VersionRecord {
  organization_id: string;
  name: string;
  name_en: string | null;
  short_name: string | null;
  code: string | null;
  kind: OrganizationKind;
  parent_id: string | null;
  areas: AreaFlags;
  status: OrganizationRow['status'];
  successor_id: string | null;
}

const COLUMNS = `organization_id, name, name_en, short_name, code, kind, parent_id, areas, status, successor_id`;
const AS_OF = `valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`;

const toRow = (r: VersionRecord, asOf: string): OrganizationRow => ({
  id: r.organization_id,
  name: r.name,
  nameEn: r.name_en,
  shortName: r.short_name,
  code: r.code,
  kind: r.kind,
  parentId: r.parent_id,
  areas: r.areas,
  status: r.status,
  successorId: r.successor_id,
  asOf,
});

/**
 * Queries over the directory's read model. Every method is one SQL statement whatever the
 * number of ids, so a GraphQL request's query count depends on its depth, not its rows.
 */
export class DirectoryReadModel {
  /** Counts statements, so tests can show a query's cost does not grow with its rows. */
  queries = 0;

  constructor(private readonly sql: SqlExecutor) {}

  private async query<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    this.queries++;
    const result = await this.sql.query<R>(text, params as never[]);
    return result.rows;
  }

  async organizationsByIds(ids: readonly string[], asOf: string): Promise<Map<string, OrganizationRow>> {
    const rows = await this.query<VersionRecord>(
      `SELECT ${COLUMNS} FROM dir_org_versions WHERE ${AS_OF} AND organization_id = ANY($2)`,
      [asOf, [...ids]],
    );
    return new Map(rows.map((r) => [r.organization_id, toRow(r, asOf)]));
  }

  async organizationByCode(code: string, kind: OrganizationKind, asOf: string): Promise<OrganizationRow | null> {
    // A code names one unit at a time; an absorbed unit keeps its old code in its MERGED rows, so
    // the unit that stands (ACTIVE) wins over one that was merged away.
    const rows = await this.query<VersionRecord>(
      `SELECT ${COLUMNS} FROM dir_org_versions WHERE ${AS_OF} AND code = $2 AND kind = $3
       ORDER BY (status = 'ACTIVE') DESC, organization_id LIMIT 1`,
      [asOf, code, kind],
    );
    return rows[0] ? toRow(rows[0], asOf) : null;
  }

  async listOrganizations(filter: OrganizationFilter): Promise<OrganizationRow[]> {
    const params: unknown[] = [filter.asOf];
    const where = [AS_OF];
    if (filter.kind) {
      params.push(filter.kind);
      where.push(`kind = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.search && likeAll(filter.search).length > 0) {
      params.push(likeAll(filter.search));
      where.push(`search_key LIKE ALL($${params.length})`);
    }
    const rows = await this.query<VersionRecord>(
      `SELECT ${COLUMNS} FROM dir_org_versions WHERE ${where.join(' AND ')} ORDER BY code NULLS LAST, name, organization_id`,
      params,
    );
    const found = rows.map((r) => toRow(r, filter.asOf));
    if (!filter.search) return found;
    const query = filter.search;
    const scored = found.map((row, index) => ({
      row,
      index,
      score: Math.max(
        ...[row.name, row.shortName, row.nameEn, row.code]
          .filter((s): s is string => !!s)
          .map((s) => matchScore(query, s)),
      ),
    }));
    return scored
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .map((s) => s.row);
  }

  /** One page of organizations in the list's order (code, then name), for lists without a search. */
  async pageOrganizations(
    filter: Omit<OrganizationFilter, 'search'>,
    offset: number,
    limit: number,
  ): Promise<Slice<OrganizationRow>> {
    const params: unknown[] = [filter.asOf];
    const where = [AS_OF];
    if (filter.kind) {
      params.push(filter.kind);
      where.push(`kind = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    return this.slice(
      `FROM dir_org_versions WHERE ${where.join(' AND ')}`,
      'code NULLS LAST, name, organization_id',
      params,
      {
        offset,
        limit,
        asOf: filter.asOf,
      },
    );
  }

  /**
   * Rows `from` (a FROM … WHERE clause over $1…$n of `params`) in `order`, cut at offset and limit,
   * with the whole list's size: one statement, a second only when the page is empty (first: 0,
   * or a cursor past the end) and the window count has no row to ride on.
   */
  private async slice(
    from: string,
    order: string,
    params: readonly unknown[],
    page: { offset: number; limit: number; asOf: string },
  ): Promise<Slice<OrganizationRow>> {
    const n = params.length;
    const rows = await this.query<VersionRecord & { total: string | number }>(
      `SELECT ${COLUMNS}, count(*) OVER () AS total ${from} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, page.limit, page.offset],
    );
    if (rows[0]) return { rows: rows.map((r) => toRow(r, page.asOf)), total: Number(rows[0].total) };
    const count = await this.query<{ total: string | number }>(`SELECT count(*) AS total ${from}`, params);
    return { rows: [], total: Number(count[0]?.total ?? 0) };
  }

  /** The units whose parent is each of `parentIds` at `asOf`, of one kind or all, in one statement. */
  async childrenOf(
    parentIds: readonly string[],
    kind: OrganizationKind | null,
    asOf: string,
  ): Promise<Map<string, OrganizationRow[]>> {
    const rows = await this.query<VersionRecord>(
      `SELECT ${COLUMNS} FROM dir_org_versions WHERE ${AS_OF} AND parent_id = ANY($2) AND ($3::text IS NULL OR kind = $3)
       ORDER BY parent_id, code NULLS LAST, name, organization_id`,
      [asOf, [...parentIds], kind],
    );
    const byParent = new Map<string, OrganizationRow[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) byParent.get(row.parent_id as string)?.push(toRow(row, asOf));
    return byParent;
  }

  /**
   * Per province, its active communes at `asOf` and how many have a focal point and a spokesperson
   * serving then: one statement for all 3,321.
   */
  async grassrootsCoverage(asOf: string): Promise<GrassrootsRow[]> {
    const rows = await this.query<{
      province_id: string;
      communes: string | number;
      with_focal_point: string | number;
      with_spokesperson: string | number;
    }>(
      `SELECT o.parent_id AS province_id, count(*) AS communes,
         count(*) FILTER (WHERE ${HAS_FOCAL_POINT}) AS with_focal_point,
         count(*) FILTER (WHERE ${HAS_SPOKESPERSON}) AS with_spokesperson
       FROM dir_org_versions o
       WHERE o.valid_from <= $1 AND (o.valid_to IS NULL OR o.valid_to > $1) AND o.kind = 'COMMUNE' AND o.status = 'ACTIVE'
       GROUP BY o.parent_id ORDER BY o.parent_id`,
      [asOf],
    );
    return rows.map((r) => ({
      provinceId: r.province_id,
      communes: Number(r.communes),
      withFocalPoint: Number(r.with_focal_point),
      withSpokesperson: Number(r.with_spokesperson),
    }));
  }

  /** One page of a province's active communes with no focal point serving at `asOf`, by code. */
  async communesWithoutFocalPoint(
    provinceId: string,
    asOf: string,
    offset: number,
    limit: number,
  ): Promise<Slice<OrganizationRow>> {
    return this.slice(
      `FROM dir_org_versions o
       WHERE o.valid_from <= $1 AND (o.valid_to IS NULL OR o.valid_to > $1) AND o.kind = 'COMMUNE' AND o.status = 'ACTIVE'
         AND o.parent_id = $2 AND NOT (${HAS_FOCAL_POINT})`,
      'o.code, o.organization_id',
      [asOf, provinceId],
      { offset, limit, asOf },
    );
  }

  /** Contacts serving at `asOf`, for any number of organizations in one statement. */
  async contactsOfOrganizations(
    organizationIds: readonly string[],
    asOf: string,
    now: string,
  ): Promise<Map<string, ContactRow[]>> {
    const rows = await this.query<ContactRecord>(
      `SELECT ${CONTACT_COLUMNS} FROM dir_contacts c WHERE ${SERVING} AND c.organization_id = ANY($3)
       ORDER BY c.organization_id, c.full_name, c.contact_id`,
      [asOf, now, [...organizationIds]],
    );
    const byOrganization = new Map<string, ContactRow[]>(organizationIds.map((id) => [id, []]));
    for (const row of rows) byOrganization.get(row.organization_id)?.push(toContact(row, asOf));
    return byOrganization;
  }

  /**
   * The spokesperson and focal points serving at `asOf`: what the network query and coverage need,
   * without the other contacts (a province may name hundreds of editors and duty officers).
   */
  async liaisonsOfOrganizations(
    organizationIds: readonly string[],
    asOf: string,
    now: string,
  ): Promise<Map<string, ContactRow[]>> {
    const rows = await this.query<ContactRecord>(
      `SELECT ${CONTACT_COLUMNS} FROM dir_contacts c WHERE ${SERVING} AND c.organization_id = ANY($3)
         AND ('FOCAL_POINT' = ANY(c.roles) OR EXISTS (SELECT 1 FROM dir_spokesperson_terms t WHERE t.contact_id = c.contact_id
              AND t.valid_from <= $1 AND (t.valid_to IS NULL OR t.valid_to > $1)))
       ORDER BY c.organization_id, c.full_name, c.contact_id`,
      [asOf, now, [...organizationIds]],
    );
    const byOrganization = new Map<string, ContactRow[]>(organizationIds.map((id) => [id, []]));
    for (const row of rows) byOrganization.get(row.organization_id)?.push(toContact(row, asOf));
    return byOrganization;
  }

  /** Contacts by id whether serving or relieved, with their roles at `asOf`. */
  async contactsByIds(ids: readonly string[], asOf: string, now: string): Promise<Map<string, ContactRow>> {
    const rows = await this.query<ContactRecord>(
      `SELECT ${CONTACT_COLUMNS} FROM dir_contacts c WHERE c.contact_id = ANY($3)`,
      [asOf, now, [...ids]],
    );
    return new Map(rows.map((r) => [r.contact_id, toContact(r, asOf)]));
  }

  /** Contacts serving at `asOf`, filtered, best search match first. */
  async listContacts(filter: ContactFilter, now: string): Promise<ContactRow[]> {
    const params: unknown[] = [filter.asOf, now];
    const where = [SERVING];
    if (filter.organizationId) {
      params.push(filter.organizationId);
      where.push(`c.organization_id = $${params.length}`);
    }
    if (filter.search && likeAll(filter.search).length > 0) {
      params.push(likeAll(filter.search));
      where.push(`c.search_key LIKE ALL($${params.length})`);
    }
    const rows = await this.query<ContactRecord>(
      `SELECT ${CONTACT_COLUMNS} FROM dir_contacts c WHERE ${where.join(' AND ')} ORDER BY c.full_name, c.contact_id`,
      params,
    );
    let contacts = rows.map((r) => toContact(r, filter.asOf));
    if (filter.role) contacts = contacts.filter((c) => c.roles.includes(filter.role as ContactRole));
    if (!filter.search) return contacts;
    const query = filter.search;
    return contacts
      .map((row, index) => ({
        row,
        index,
        score: Math.max(matchScore(query, row.fullName), row.title ? matchScore(query, row.title) / 2 : 0),
      }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .map((s) => s.row);
  }
}
