import type { DirectoryEvent, EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';

/**
 * What press orders need to know of organizations, folded from the directory's events (a service
 * never reads another's tables): kind over time, when it came into being, and when it stopped
 * standing alone. Changes carry the date they take effect, which may lie in the future (a merger
 * decided today for next month), so "active now" is always a comparison with the present.
 */
export const organizationsKnowledgeProjection = {
  name: 'press-orders.organizations',
  handles: [
    'OrganizationRegistered',
    'OrganizationRenamed',
    'OrganizationReclassified',
    'OrganizationMergedInto',
    'OrganizationDissolved',
  ],
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS po_organizations (
        organization_id text PRIMARY KEY,
        name text NOT NULL,
        established_at timestamptz NOT NULL,
        ended_at timestamptz,
        ended_as text
      );
      CREATE TABLE IF NOT EXISTS po_organization_kinds (
        organization_id text NOT NULL,
        valid_from timestamptz NOT NULL,
        kind text NOT NULL,
        PRIMARY KEY (organization_id, valid_from)
      );
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE po_organizations, po_organization_kinds');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as DirectoryEvent;
    switch (event.type) {
      case 'OrganizationRegistered': {
        const d = event.data;
        await tx.query(
          `INSERT INTO po_organizations (organization_id, name, established_at) VALUES ($1, $2, $3)
           ON CONFLICT (organization_id) DO NOTHING`,
          [d.organizationId, d.name, d.establishedAt],
        );
        await setKind(tx, d.organizationId, d.establishedAt, d.kind);
        return;
      }
      case 'OrganizationRenamed':
        await tx.query('UPDATE po_organizations SET name = $2 WHERE organization_id = $1', [
          event.data.organizationId,
          event.data.name,
        ]);
        return;
      case 'OrganizationReclassified':
        await setKind(tx, event.data.organizationId, event.data.effectiveAt, event.data.kind);
        return;
      case 'OrganizationMergedInto':
        await end(tx, event.data.organizationId, event.data.effectiveAt, 'MERGED');
        return;
      case 'OrganizationDissolved':
        await end(tx, event.data.organizationId, event.data.effectiveAt, 'DISSOLVED');
        return;
      default:
        return;
    }
  },
};

const setKind = (tx: SqlExecutor, organizationId: string, from: string, kind: string) =>
  tx.query(
    `INSERT INTO po_organization_kinds (organization_id, valid_from, kind) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, valid_from) DO UPDATE SET kind = EXCLUDED.kind`,
    [organizationId, from, kind],
  );

// The earliest end wins: an organization merged away cannot be dissolved later in the world.
const end = (tx: SqlExecutor, organizationId: string, at: string, as: 'MERGED' | 'DISSOLVED') =>
  tx.query(
    `UPDATE po_organizations SET ended_at = $2, ended_as = $3
     WHERE organization_id = $1 AND (ended_at IS NULL OR ended_at > $2)`,
    [organizationId, at, as],
  );
