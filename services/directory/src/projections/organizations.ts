import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import { searchKey } from '@hub/vietnamese';
import type { DirectoryEvent } from '../events.js';
import { effectiveAt, organizationTimeline, type RecordedChange } from './timeline.js';

const ORGANIZATION_EVENTS = [
  'OrganizationRegistered',
  'OrganizationRenamed',
  'OrganizationRecoded',
  'OrganizationReclassified',
  'OrganizationsMerged',
  'OrganizationMergedInto',
  'OrganizationDissolved',
] as const;

/**
 * Organizations as of any date: `dir_org_versions` holds one row per period in which an
 * organization's attributes stayed the same, so "as of" is a range lookup.
 */
export const organizationsProjection = {
  name: 'directory.organizations',
  handles: ORGANIZATION_EVENTS,
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS dir_org_changes (
        organization_id text NOT NULL,
        sequence bigint NOT NULL,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (organization_id, sequence)
      );
      CREATE TABLE IF NOT EXISTS dir_org_versions (
        organization_id text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        name text NOT NULL,
        name_en text,
        short_name text,
        code text,
        kind text NOT NULL,
        parent_id text,
        areas jsonb NOT NULL,
        status text NOT NULL,
        successor_id text,
        search_key text NOT NULL,
        PRIMARY KEY (organization_id, valid_from)
      );
      CREATE INDEX IF NOT EXISTS dir_org_versions_current ON dir_org_versions (kind, status) WHERE valid_to IS NULL;
      CREATE INDEX IF NOT EXISTS dir_org_versions_code ON dir_org_versions (code, kind);
      CREATE INDEX IF NOT EXISTS dir_org_versions_parent ON dir_org_versions (parent_id, kind);
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE dir_org_changes, dir_org_versions');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as DirectoryEvent;
    if (effectiveAt(event) === null) return;
    const organizationId = event.data.organizationId;
    const inserted = await tx.query<{ sequence: number }>(
      `INSERT INTO dir_org_changes (organization_id, sequence, event_type, data)
       SELECT $1, COALESCE(MAX(sequence), 0) + 1, $2, $3 FROM dir_org_changes WHERE organization_id = $1
       RETURNING sequence`,
      [organizationId, event.type, JSON.stringify(event.data)],
    );
    const sequence = Number(inserted.rows[0]?.sequence ?? 1);
    // An organization's first change has nothing before it to read back or replace: registering
    // the thousands of communes costs two statements each instead of five.
    const changes =
      sequence === 1
        ? [{ sequence, event_type: event.type, data: event.data }]
        : (
            await tx.query<{ sequence: number; event_type: string; data: DirectoryEvent['data'] }>(
              'SELECT sequence, event_type, data FROM dir_org_changes WHERE organization_id = $1 ORDER BY sequence',
              [organizationId],
            )
          ).rows;
    const timeline = organizationTimeline(
      changes.map(
        (row): RecordedChange => ({
          sequence: Number(row.sequence),
          event: { type: row.event_type, data: row.data } as DirectoryEvent,
        }),
      ),
    );
    if (sequence > 1) {
      await tx.query('DELETE FROM dir_org_versions WHERE organization_id = $1', [organizationId]);
    }
    for (const v of timeline) {
      await tx.query(
        `INSERT INTO dir_org_versions (organization_id, valid_from, valid_to, name, name_en, short_name, code, kind,
           parent_id, areas, status, successor_id, search_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          v.organizationId,
          v.validFrom,
          v.validTo,
          v.name,
          v.nameEn,
          v.shortName,
          v.code,
          v.kind,
          v.parentId,
          JSON.stringify(v.areas),
          v.status,
          v.successorId,
          searchKey([v.name, v.shortName, v.nameEn, v.code].filter(Boolean).join(' ')),
        ],
      );
    }
  },
};
