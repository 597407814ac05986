import type { AreaFlags, OrganizationKind } from '@hub/event-catalogue';
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
    const words = filter.search ? searchKey(filter.search).split(' ').filter(Boolean) : [];
    if (words.length > 0) {
      params.push(words.map((w) => `%${w.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`));
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
}
