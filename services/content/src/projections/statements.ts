import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import type { ContentEvent } from '../events.js';

/**
 * Statements, and distributions with one delivery row per recipient. Recipients of a statement
 * (who may see it under embargo) are the deliveries of its distributions.
 */
export const statementsProjection = {
  name: 'content.statements',
  handles: ['StatementReleased', 'DistributionStarted', 'DeliveryAcknowledged'],
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS content_statements (
        statement_id text PRIMARY KEY,
        organization_id text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        spokesperson_id text NOT NULL,
        policy_ids text[] NOT NULL,
        released_at timestamptz NOT NULL,
        embargo_until timestamptz
      );
      CREATE INDEX IF NOT EXISTS content_statements_organization ON content_statements (organization_id, released_at DESC);
      CREATE INDEX IF NOT EXISTS content_statements_released ON content_statements (released_at DESC, statement_id);
      CREATE TABLE IF NOT EXISTS content_distributions (
        distribution_id text PRIMARY KEY,
        organization_id text NOT NULL,
        statement_id text,
        policy_id text,
        recipient_count integer NOT NULL,
        acknowledged_count integer NOT NULL DEFAULT 0,
        delivered_at timestamptz NOT NULL
      );
      CREATE INDEX IF NOT EXISTS content_distributions_statement ON content_distributions (statement_id);
      CREATE TABLE IF NOT EXISTS content_deliveries (
        distribution_id text NOT NULL,
        recipient_id text NOT NULL,
        position integer NOT NULL,
        statement_id text,
        delivered_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        PRIMARY KEY (distribution_id, recipient_id)
      );
      CREATE INDEX IF NOT EXISTS content_deliveries_recipient ON content_deliveries (recipient_id, statement_id);
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE content_statements, content_distributions, content_deliveries');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as ContentEvent;
    switch (event.type) {
      case 'StatementReleased': {
        const d = event.data;
        await tx.query(
          `INSERT INTO content_statements (statement_id, organization_id, kind, title, body, spokesperson_id, policy_ids,
             released_at, embargo_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (statement_id) DO NOTHING`,
          [
            d.statementId,
            d.organizationId,
            d.kind,
            d.title,
            d.body,
            d.spokespersonId,
            [...d.policyIds],
            d.releasedAt,
            d.embargoUntil,
          ],
        );
        return;
      }
      case 'DistributionStarted': {
        const d = event.data;
        await tx.query(
          `INSERT INTO content_distributions (distribution_id, organization_id, statement_id, policy_id, recipient_count, delivered_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (distribution_id) DO NOTHING`,
          [d.distributionId, d.organizationId, d.statementId, d.policyId, d.recipientIds.length, d.deliveredAt],
        );
        // One statement for all recipients: a distribution to every newsroom stays one round trip.
        await tx.query(
          `INSERT INTO content_deliveries (distribution_id, recipient_id, position, statement_id, delivered_at)
           SELECT $1, r.id, r.n, $3, $4 FROM unnest($2::text[]) WITH ORDINALITY AS r(id, n)
           ON CONFLICT (distribution_id, recipient_id) DO NOTHING`,
          [d.distributionId, [...d.recipientIds], d.statementId, d.deliveredAt],
        );
        return;
      }
      case 'DeliveryAcknowledged': {
        const d = event.data;
        const updated = await tx.query(
          `UPDATE content_deliveries SET acknowledged_at = $3
           WHERE distribution_id = $1 AND recipient_id = $2 AND acknowledged_at IS NULL`,
          [d.distributionId, d.recipientId, d.acknowledgedAt],
        );
        if (updated.rowCount > 0) {
          await tx.query(
            'UPDATE content_distributions SET acknowledged_count = acknowledged_count + 1 WHERE distribution_id = $1',
            [d.distributionId],
          );
        }
        return;
      }
      default:
        return;
    }
  },
};
