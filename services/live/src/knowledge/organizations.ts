import type { EventEnvelope, OrganizationKind } from '@hub/event-catalogue';
import type { Projection } from '@hub/projections';
import type { SqlExecutor } from '@hub/sql';

/**
 * What the live network knows of organizations, folded from the directory's events: enough to
 * place any organization in a province at a date. Names are not kept: clients get them from the
 * directory through federation.
 */
export const organizationsKnowledge: Projection = {
  name: 'live.organizations',
  handles: [
    'OrganizationRegistered',
    'OrganizationRecoded',
    'OrganizationReclassified',
    'OrganizationMergedInto',
    'OrganizationDissolved',
  ],
  async setup(tx) {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS live_organizations (
        id text PRIMARY KEY,
        parent_id text,
        successor_id text,
        merged_at timestamptz
      );
      CREATE TABLE IF NOT EXISTS live_organization_kinds (
        organization_id text NOT NULL,
        kind text NOT NULL,
        effective_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, effective_at)
      );
      CREATE TABLE IF NOT EXISTS live_organization_codes (
        organization_id text NOT NULL,
        code text NOT NULL,
        effective_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, effective_at)
      )`);
  },
  async reset(tx) {
    await tx.exec(
      'DELETE FROM live_organizations; DELETE FROM live_organization_kinds; DELETE FROM live_organization_codes',
    );
  },
  async apply(event: EventEnvelope, tx: SqlExecutor) {
    const data = event.data as Record<string, unknown>;
    const id = data.organizationId as string;
    switch (event.type) {
      case 'OrganizationRegistered': {
        await tx.query(
          `INSERT INTO live_organizations (id, parent_id) VALUES ($1, $2)
           ON CONFLICT (id) DO UPDATE SET parent_id = EXCLUDED.parent_id`,
          [id, (data.parentId as string | null) ?? null],
        );
        await setKind(tx, id, data.kind as OrganizationKind, data.establishedAt as string);
        if (typeof data.code === 'string') await setCode(tx, id, data.code, data.establishedAt as string);
        return;
      }
      case 'OrganizationRecoded':
        return setCode(tx, id, data.code as string, data.effectiveAt as string);
      case 'OrganizationReclassified':
        return setKind(tx, id, data.kind as OrganizationKind, data.effectiveAt as string);
      case 'OrganizationMergedInto':
        await tx.query('UPDATE live_organizations SET successor_id = $2, merged_at = $3 WHERE id = $1', [
          id,
          data.successorId as string,
          data.effectiveAt as string,
        ]);
        return;
      case 'OrganizationDissolved':
        // A dissolved unit keeps its place: events about its past still belong to its province.
        return;
    }
  },
};

async function setKind(tx: SqlExecutor, id: string, kind: OrganizationKind, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO live_organization_kinds (organization_id, kind, effective_at) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, effective_at) DO UPDATE SET kind = EXCLUDED.kind`,
    [id, kind, at],
  );
}

async function setCode(tx: SqlExecutor, id: string, code: string, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO live_organization_codes (organization_id, code, effective_at) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, effective_at) DO UPDATE SET code = EXCLUDED.code`,
    [id, code, at],
  );
}

/** Parent and merger links never run deeper than this; a longer chain is a cycle in bad data. */
const MAX_HOPS = 12;

/**
 * One statement whatever the depth: each step of the walk goes to the successor of a unit merged
 * by `$2`, stops at a province, or goes up to the parent.
 */
const PROVINCE_CODE = `
WITH RECURSIVE walk (id, hop, code, done) AS (
  SELECT $1::text, 0, NULL::text, false
  UNION ALL
  SELECT CASE WHEN s.moved THEN s.successor_id ELSE s.parent_id END, w.hop + 1,
         CASE WHEN NOT s.moved AND s.kind = 'PROVINCE' THEN s.code END,
         NOT s.moved AND s.kind = 'PROVINCE'
  FROM walk w
  CROSS JOIN LATERAL (
    SELECT o.parent_id, o.successor_id,
      (o.merged_at IS NOT NULL AND o.merged_at <= $2 AND o.successor_id IS NOT NULL) AS moved,
      (SELECT kind FROM live_organization_kinds k WHERE k.organization_id = o.id AND k.effective_at <= $2
         ORDER BY k.effective_at DESC LIMIT 1) AS kind,
      (SELECT code FROM live_organization_codes c WHERE c.organization_id = o.id AND c.effective_at <= $2
         ORDER BY c.effective_at DESC LIMIT 1) AS code
    FROM live_organizations o WHERE o.id = w.id
  ) s
  WHERE NOT w.done AND w.id IS NOT NULL AND w.hop < ${MAX_HOPS}
)
SELECT code FROM walk WHERE done LIMIT 1`;

/**
 * The province code of the organization at `at`: a province's own code, or that of the province an
 * organization sits under (its parent chain), where a unit merged by then counts as its successor.
 * So at 2025-07-01 an office under Yên Bái is in Lào Cai, code 15. Null when no province is above it
 * (ministries, national press agencies).
 */
export async function provinceCodeOf(sql: SqlExecutor, organizationId: string, at: Date): Promise<string | null> {
  const result = await sql.query<{ code: string | null }>(PROVINCE_CODE, [organizationId, at.toISOString()]);
  return result.rows[0]?.code ?? null;
}

/**
 * The units above an organization, nearest first, by parent link: whose editors count among its
 * members. Bounded like the province walk, so bad data with a cycle cannot hang the feed.
 */
export async function ancestorsOf(sql: SqlExecutor, organizationId: string): Promise<string[]> {
  const result = await sql.query<{ id: string }>(
    `WITH RECURSIVE up (id, hops) AS (
       SELECT parent_id, 1 FROM live_organizations WHERE id = $1 AND parent_id IS NOT NULL
       UNION ALL
       SELECT o.parent_id, up.hops + 1 FROM live_organizations o JOIN up ON o.id = up.id
       WHERE o.parent_id IS NOT NULL AND up.hops < $2)
     SELECT id FROM up ORDER BY hops`,
    [organizationId, MAX_HOPS],
  );
  return result.rows.map((row) => row.id);
}
