import type { DirectoryEvent, EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';

/**
 * What the content service knows of organizations and spokespersons, folded from the directory's
 * events (never read from the directory's tables). Every change keeps the date it takes effect,
 * so "active now" and "spokesperson at release" respect mergers and designations dated ahead.
 */
export const directoryKnowledgeProjection = {
  name: 'content.directory',
  // 2: organizations keep their parent, so a distribution can reach every commune of a province.
  version: 2,
  handles: [
    'OrganizationRegistered',
    'OrganizationRenamed',
    'OrganizationReclassified',
    'OrganizationMergedInto',
    'OrganizationDissolved',
    'SpokespersonDesignated',
    'ContactRelieved',
  ],
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS content_orgs (
        organization_id text PRIMARY KEY,
        name text NOT NULL,
        established_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_status text,
        successor_id text,
        parent_id text
      );
      ALTER TABLE content_orgs ADD COLUMN IF NOT EXISTS parent_id text;
      CREATE INDEX IF NOT EXISTS content_orgs_parent ON content_orgs (parent_id);
      CREATE TABLE IF NOT EXISTS content_org_kinds (
        organization_id text NOT NULL,
        valid_from timestamptz NOT NULL,
        kind text NOT NULL,
        PRIMARY KEY (organization_id, valid_from)
      );
      CREATE INDEX IF NOT EXISTS content_org_kinds_kind ON content_org_kinds (kind);
      CREATE TABLE IF NOT EXISTS content_spokesperson_terms (
        organization_id text NOT NULL,
        contact_id text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        PRIMARY KEY (organization_id, valid_from)
      );
      CREATE INDEX IF NOT EXISTS content_spokesperson_terms_contact ON content_spokesperson_terms (contact_id);
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE content_orgs, content_org_kinds, content_spokesperson_terms');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as DirectoryEvent;
    switch (event.type) {
      case 'OrganizationRegistered': {
        const d = event.data;
        await tx.query(
          `INSERT INTO content_orgs (organization_id, name, established_at, parent_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (organization_id) DO UPDATE
             SET name = EXCLUDED.name, established_at = EXCLUDED.established_at, parent_id = EXCLUDED.parent_id`,
          [d.organizationId, d.name, d.establishedAt, d.parentId],
        );
        await setKind(tx, d.organizationId, d.establishedAt, d.kind);
        return;
      }
      case 'OrganizationRenamed':
        await tx.query('UPDATE content_orgs SET name = $2 WHERE organization_id = $1', [
          event.data.organizationId,
          event.data.name,
        ]);
        return;
      case 'OrganizationReclassified':
        await setKind(tx, event.data.organizationId, event.data.effectiveAt, event.data.kind);
        return;
      case 'OrganizationMergedInto':
        await end(tx, event.data.organizationId, event.data.effectiveAt, 'MERGED', event.data.successorId);
        return;
      case 'OrganizationDissolved':
        await end(tx, event.data.organizationId, event.data.effectiveAt, 'DISSOLVED', null);
        return;
      case 'SpokespersonDesignated':
        await tx.query(
          'UPDATE content_spokesperson_terms SET valid_to = $2 WHERE organization_id = $1 AND valid_to IS NULL',
          [event.data.organizationId, event.data.from],
        );
        await tx.query(
          `INSERT INTO content_spokesperson_terms (organization_id, contact_id, valid_from) VALUES ($1, $2, $3)
           ON CONFLICT (organization_id, valid_from) DO UPDATE SET contact_id = EXCLUDED.contact_id, valid_to = NULL`,
          [event.data.organizationId, event.data.contactId, event.data.from],
        );
        return;
      case 'ContactRelieved':
        await tx.query(
          'UPDATE content_spokesperson_terms SET valid_to = $2 WHERE contact_id = $1 AND valid_to IS NULL',
          [event.data.contactId, event.data.relievedAt],
        );
        return;
      default:
        return;
    }
  },
};

const setKind = (tx: SqlExecutor, organizationId: string, from: string, kind: string) =>
  tx.query(
    `INSERT INTO content_org_kinds (organization_id, valid_from, kind) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, valid_from) DO UPDATE SET kind = EXCLUDED.kind`,
    [organizationId, from, kind],
  );

async function end(
  tx: SqlExecutor,
  organizationId: string,
  at: string,
  status: 'MERGED' | 'DISSOLVED',
  successorId: string | null,
): Promise<void> {
  await tx.query(
    'UPDATE content_orgs SET ended_at = $2, end_status = $3, successor_id = $4 WHERE organization_id = $1',
    [organizationId, at, status, successorId],
  );
  await tx.query(
    'UPDATE content_spokesperson_terms SET valid_to = $2 WHERE organization_id = $1 AND (valid_to IS NULL OR valid_to > $2)',
    [organizationId, at],
  );
}
