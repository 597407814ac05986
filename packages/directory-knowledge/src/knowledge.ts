import type { DirectoryEvent, EventEnvelope, OrganizationKind } from '@hub/event-catalogue';
import type { Projection } from '@hub/projections';
import type { SqlExecutor } from '@hub/sql';

/**
 * What another service knows of the directory's organizations, folded from the directory's events
 * (a service never reads another's tables). Every attribute keeps the date it takes effect in the
 * world, which may lie ahead (a merger decided today for next month) or behind (a decree entered
 * late), so every question is asked "at" an instant and the answer does not depend on the order
 * the changes were recorded in; the directory's own timeline is the reference for that meaning.
 *
 * Three tables, named after the service's prefix:
 * - `<prefix>_known_organizations`: one row per organization as registered (parent, date of
 *   establishment, name, kind, code), so registering the thousands of communes is one statement each;
 * - `<prefix>_known_facts`: one row per later change and the date it takes effect (name, kind,
 *   code, end, successor); the value at t is the latest change at or before t, else the registered
 *   one. As in the directory, a change dated before the organization existed means nothing, and
 *   of two changes effective at the same instant the one recorded last wins;
 * - `<prefix>_known_spokespersons`: terms of spokespersons, for a service that asks for them.
 */
export interface DirectoryKnowledgeOptions {
  /** The projection's name in the service's database (its checkpoint key). */
  readonly name: string;
  /** Lower-case prefix of the tables: `content` gives `content_known_organizations`. */
  readonly tablePrefix: string;
  /** Also follow who speaks for each organization (designations and reliefs). */
  readonly spokespersons?: boolean;
}

export type OrganizationStanding = 'NOT_ESTABLISHED' | 'ACTIVE' | 'MERGED' | 'DISSOLVED';

/** An organization as it stands at the instant asked. */
export interface KnownOrganization {
  readonly id: string;
  /** The name in force then (before its establishment: the name it was registered with). */
  readonly name: string;
  readonly kind: OrganizationKind | null;
  readonly code: string | null;
  readonly parentId: string | null;
  readonly standing: OrganizationStanding;
  /** Whom it was merged into, once merged. */
  readonly successorId: string | null;
  /** Its spokesperson then, when the knowledge follows spokespersons and it is active. */
  readonly spokespersonId: string | null;
}

export interface ActiveOrganizationsQuery {
  /** Organizations asked for by id. */
  readonly ids: readonly string[];
  /** And every organization of these kinds… */
  readonly kinds: readonly OrganizationKind[];
  /** …that sits, at any depth, under one of these (all of them when empty). */
  readonly within?: readonly string[];
  readonly at: Instant;
}

export interface DirectoryKnowledge {
  readonly projection: Projection;
  /** The organizations among `ids` the directory has registered, as they stand at `at`; one statement. */
  organizationsAt(sql: SqlExecutor, ids: readonly string[], at: Instant): Promise<Map<string, KnownOrganization>>;
  /** The ids active at `at` among `query.ids`, plus those of `query.kinds` (under `query.within`), sorted; one statement. */
  activeOrganizations(sql: SqlExecutor, query: ActiveOrganizationsQuery): Promise<string[]>;
  /**
   * The province code of the organization at `at`: a province's own code, or that of the province
   * it sits under, where a unit merged by then counts as its successor (at 2025-07-01 an office
   * under Yên Bái is in Lào Cai, code 15). Null when no province is above it. One statement
   * whatever the depth.
   */
  provinceCodeOf(sql: SqlExecutor, organizationId: string, at: Instant): Promise<string | null>;
  /** The units above an organization by parent link, nearest first; one statement. */
  ancestorsOf(sql: SqlExecutor, organizationId: string): Promise<string[]>;
}

type Instant = Date | string;
const iso = (value: Instant): string => new Date(value).toISOString();

/** Parent and merger links never run deeper than this; a longer chain is a cycle in bad data. */
const MAX_HOPS = 12;

const ORGANIZATION_EVENTS = [
  'OrganizationRegistered',
  'OrganizationRenamed',
  'OrganizationRecoded',
  'OrganizationReclassified',
  'OrganizationMergedInto',
  'OrganizationDissolved',
] as const;
const SPOKESPERSON_EVENTS = ['SpokespersonDesignated', 'ContactRelieved'] as const;

type Fact = 'name' | 'kind' | 'code' | 'end' | 'successor';

export function directoryKnowledge(options: DirectoryKnowledgeOptions): DirectoryKnowledge {
  const prefix = options.tablePrefix;
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`tablePrefix must be a lower-case SQL name: ${prefix}`);
  const organizations = `${prefix}_known_organizations`;
  const facts = `${prefix}_known_facts`;
  const spokespersons = `${prefix}_known_spokespersons`;
  const followsSpokespersons = options.spokespersons === true;

  /** The latest change of `fact` in force at `at` for the organization aliased `o`, if any. */
  const changeAt = (fact: Fact, at: string) =>
    `(SELECT f.value FROM ${facts} f WHERE f.organization_id = o.organization_id AND f.fact = '${fact}'
        AND f.valid_from >= o.established_at AND f.valid_from <= ${at} ORDER BY f.valid_from DESC LIMIT 1)`;
  /** A registered attribute at `at`: none before the organization existed. */
  const attributeAt = (fact: 'name' | 'kind' | 'code', at: string) =>
    `(CASE WHEN o.established_at <= ${at} THEN COALESCE(${changeAt(fact, at)}, o.${fact}) END)`;
  const activeAt = (at: string) => `(o.established_at <= ${at} AND ${changeAt('end', at)} IS NULL)`;

  const setFacts = (tx: SqlExecutor, organizationId: string, at: string, values: [Fact, string | null][]) =>
    tx.query(
      `INSERT INTO ${facts} (organization_id, fact, valid_from, value)
       SELECT $1, v.fact, $2::timestamptz, v.value
       FROM unnest($3::text[], $4::text[]) AS v(fact, value) WHERE v.value IS NOT NULL
       ON CONFLICT (organization_id, fact, valid_from) DO UPDATE SET value = EXCLUDED.value`,
      [organizationId, at, values.map(([fact]) => fact), values.map(([, value]) => value)],
    );

  const projection: Projection = {
    name: options.name,
    // 3: one folding for every service (names, kinds and codes over time; ends by effective date).
    version: 3,
    handles: followsSpokespersons ? [...ORGANIZATION_EVENTS, ...SPOKESPERSON_EVENTS] : ORGANIZATION_EVENTS,
    async setup(tx) {
      await tx.exec(`
        CREATE TABLE IF NOT EXISTS ${organizations} (
          organization_id text PRIMARY KEY,
          parent_id text,
          established_at timestamptz NOT NULL,
          name text NOT NULL,
          kind text NOT NULL,
          code text
        );
        CREATE INDEX IF NOT EXISTS ${organizations}_parent ON ${organizations} (parent_id);
        CREATE INDEX IF NOT EXISTS ${organizations}_kind ON ${organizations} (kind);
        CREATE TABLE IF NOT EXISTS ${facts} (
          organization_id text NOT NULL,
          fact text NOT NULL,
          valid_from timestamptz NOT NULL,
          value text NOT NULL,
          PRIMARY KEY (organization_id, fact, valid_from)
        );
        ${
          followsSpokespersons
            ? `CREATE TABLE IF NOT EXISTS ${spokespersons} (
                 organization_id text NOT NULL,
                 contact_id text NOT NULL,
                 valid_from timestamptz NOT NULL,
                 valid_to timestamptz,
                 PRIMARY KEY (organization_id, valid_from)
               );
               CREATE INDEX IF NOT EXISTS ${spokespersons}_contact ON ${spokespersons} (contact_id);`
            : ''
        }`);
    },
    async reset(tx) {
      await tx.exec(`TRUNCATE ${[organizations, facts, ...(followsSpokespersons ? [spokespersons] : [])].join(', ')}`);
    },
    async apply(envelope: EventEnvelope, tx: SqlExecutor) {
      const event = { type: envelope.type, data: envelope.data } as unknown as DirectoryEvent;
      switch (event.type) {
        case 'OrganizationRegistered': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${organizations} (organization_id, parent_id, established_at, name, kind, code)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (organization_id) DO UPDATE SET parent_id = EXCLUDED.parent_id,
               established_at = EXCLUDED.established_at, name = EXCLUDED.name, kind = EXCLUDED.kind, code = EXCLUDED.code`,
            [d.organizationId, d.parentId ?? null, d.establishedAt, d.name, d.kind, d.code ?? null],
          );
          return;
        }
        case 'OrganizationRenamed':
          await setFacts(tx, event.data.organizationId, event.data.effectiveAt, [['name', event.data.name]]);
          return;
        case 'OrganizationRecoded':
          await setFacts(tx, event.data.organizationId, event.data.effectiveAt, [['code', event.data.code]]);
          return;
        case 'OrganizationReclassified':
          await setFacts(tx, event.data.organizationId, event.data.effectiveAt, [['kind', event.data.kind]]);
          return;
        case 'OrganizationMergedInto':
          await setFacts(tx, event.data.organizationId, event.data.effectiveAt, [
            ['end', 'MERGED'],
            ['successor', event.data.successorId],
          ]);
          return;
        case 'OrganizationDissolved':
          await setFacts(tx, event.data.organizationId, event.data.effectiveAt, [['end', 'DISSOLVED']]);
          return;
        case 'SpokespersonDesignated':
          await tx.query(`UPDATE ${spokespersons} SET valid_to = $2 WHERE organization_id = $1 AND valid_to IS NULL`, [
            event.data.organizationId,
            event.data.from,
          ]);
          await tx.query(
            `INSERT INTO ${spokespersons} (organization_id, contact_id, valid_from) VALUES ($1, $2, $3)
             ON CONFLICT (organization_id, valid_from) DO UPDATE SET contact_id = EXCLUDED.contact_id, valid_to = NULL`,
            [event.data.organizationId, event.data.contactId, event.data.from],
          );
          return;
        case 'ContactRelieved':
          await tx.query(`UPDATE ${spokespersons} SET valid_to = $2 WHERE contact_id = $1 AND valid_to IS NULL`, [
            event.data.contactId,
            event.data.relievedAt,
          ]);
          return;
        default:
          return;
      }
    },
  };

  // A term is not cut short by the organization's end here (that end may be recorded before or
  // after the designation): an organization that no longer stands has no spokesperson, by query.
  const spokespersonAt = followsSpokespersons
    ? `(SELECT t.contact_id FROM ${spokespersons} t WHERE t.organization_id = o.organization_id
          AND t.valid_from <= $2 AND (t.valid_to IS NULL OR t.valid_to > $2) ORDER BY t.valid_from DESC LIMIT 1)`
    : 'NULL::text';

  const ORGANIZATIONS_AT = `
    SELECT o.organization_id, o.parent_id, o.established_at <= $2 AS established,
      COALESCE(${attributeAt('name', '$2')}, o.name) AS name, ${attributeAt('kind', '$2')} AS kind,
      ${attributeAt('code', '$2')} AS code, ${changeAt('end', '$2')} AS ended_as,
      ${changeAt('successor', '$2')} AS successor_id, ${spokespersonAt} AS spokesperson_id
    FROM ${organizations} o WHERE o.organization_id = ANY($1)`;

  const ACTIVE_ORGANIZATIONS = `
    WITH RECURSIVE under (organization_id, depth) AS (
      SELECT organization_id, 1 FROM ${organizations} WHERE parent_id = ANY($4)
      UNION SELECT o.organization_id, u.depth + 1 FROM ${organizations} o JOIN under u ON o.parent_id = u.organization_id
      WHERE u.depth < ${MAX_HOPS}
    )
    SELECT o.organization_id FROM ${organizations} o
    WHERE ${activeAt('$3')}
      AND (o.organization_id = ANY($1) OR (${attributeAt('kind', '$3')} = ANY($2)
        AND (cardinality($4::text[]) = 0 OR o.organization_id IN (SELECT organization_id FROM under))))
    ORDER BY o.organization_id`;

  // Each step of the walk goes to the successor of a unit merged by $2, stops at a province, or
  // goes up to the parent.
  const PROVINCE_CODE = `
    WITH RECURSIVE walk (id, hop, code, done) AS (
      SELECT $1::text, 0, NULL::text, false
      UNION ALL
      SELECT CASE WHEN s.successor_id IS NOT NULL THEN s.successor_id ELSE s.parent_id END, w.hop + 1,
             CASE WHEN s.successor_id IS NULL AND s.kind = 'PROVINCE' THEN s.code END,
             s.successor_id IS NULL AND s.kind = 'PROVINCE'
      FROM walk w
      CROSS JOIN LATERAL (
        SELECT o.parent_id, ${changeAt('successor', '$2')} AS successor_id,
          ${attributeAt('kind', '$2')} AS kind, ${attributeAt('code', '$2')} AS code
        FROM ${organizations} o WHERE o.organization_id = w.id
      ) s
      WHERE NOT w.done AND w.id IS NOT NULL AND w.hop < ${MAX_HOPS}
    )
    SELECT code FROM walk WHERE done LIMIT 1`;

  const ANCESTORS = `
    WITH RECURSIVE up (id, hops) AS (
      SELECT parent_id, 1 FROM ${organizations} WHERE organization_id = $1 AND parent_id IS NOT NULL
      UNION ALL
      SELECT o.parent_id, up.hops + 1 FROM ${organizations} o JOIN up ON o.organization_id = up.id
      WHERE o.parent_id IS NOT NULL AND up.hops < ${MAX_HOPS})
    SELECT id FROM up ORDER BY hops`;

  return {
    projection,
    async organizationsAt(sql, ids, at) {
      const result = await sql.query<{
        organization_id: string;
        parent_id: string | null;
        established: boolean;
        name: string;
        kind: OrganizationKind | null;
        code: string | null;
        ended_as: 'MERGED' | 'DISSOLVED' | null;
        successor_id: string | null;
        spokesperson_id: string | null;
      }>(ORGANIZATIONS_AT, [[...ids], iso(at)]);
      return new Map(
        result.rows.map((row) => {
          const standing: OrganizationStanding = !row.established ? 'NOT_ESTABLISHED' : (row.ended_as ?? 'ACTIVE');
          return [
            row.organization_id,
            {
              id: row.organization_id,
              name: row.name,
              kind: row.kind,
              code: row.code,
              parentId: row.parent_id,
              standing,
              successorId: row.successor_id,
              spokespersonId: standing === 'ACTIVE' ? row.spokesperson_id : null,
            },
          ];
        }),
      );
    },
    async activeOrganizations(sql, query) {
      const result = await sql.query<{ organization_id: string }>(ACTIVE_ORGANIZATIONS, [
        [...query.ids],
        [...query.kinds],
        iso(query.at),
        [...(query.within ?? [])],
      ]);
      return result.rows.map((row) => row.organization_id);
    },
    async provinceCodeOf(sql, organizationId, at) {
      const result = await sql.query<{ code: string | null }>(PROVINCE_CODE, [organizationId, iso(at)]);
      return result.rows[0]?.code ?? null;
    },
    async ancestorsOf(sql, organizationId) {
      const result = await sql.query<{ id: string }>(ANCESTORS, [organizationId]);
      return result.rows.map((row) => row.id);
    },
  };
}
