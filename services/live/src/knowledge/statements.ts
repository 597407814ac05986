import type { EventEnvelope } from '@hub/event-catalogue';
import type { Projection } from '@hub/projections';
import type { SqlExecutor } from '@hub/sql';

/**
 * Who may see a statement, folded from the content context's events on the bus: its organization
 * always, the recipients of its distributions from the moment they receive it, everyone once its
 * embargo (if any) has passed.
 */
export const statementsKnowledge: Projection = {
  name: 'live.statements',
  handles: ['StatementReleased', 'DistributionStarted'],
  async setup(tx) {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS live_statements (
        id text PRIMARY KEY,
        organization_id text NOT NULL,
        released_at timestamptz NOT NULL,
        embargo_until timestamptz
      );
      CREATE TABLE IF NOT EXISTS live_statement_recipients (
        statement_id text NOT NULL,
        organization_id text NOT NULL,
        PRIMARY KEY (statement_id, organization_id)
      )`);
  },
  async reset(tx) {
    await tx.exec('DELETE FROM live_statements; DELETE FROM live_statement_recipients');
  },
  async apply(event: EventEnvelope, tx: SqlExecutor) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'StatementReleased') {
      await tx.query(
        `INSERT INTO live_statements (id, organization_id, released_at, embargo_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id,
           released_at = EXCLUDED.released_at, embargo_until = EXCLUDED.embargo_until`,
        [
          data.statementId as string,
          data.organizationId as string,
          data.releasedAt as string,
          data.embargoUntil ?? null,
        ],
      );
      return;
    }
    const statementId = data.statementId;
    if (typeof statementId !== 'string') return;
    for (const recipient of data.recipientIds as string[]) {
      await tx.query(
        `INSERT INTO live_statement_recipients (statement_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [statementId, recipient],
      );
    }
  },
};

export interface StatementAccess {
  readonly id: string;
  readonly organizationId: string;
  readonly embargoUntil: Date | null;
  readonly recipients: ReadonlySet<string>;
}

export async function statementAccess(sql: SqlExecutor, statementId: string): Promise<StatementAccess | null> {
  const statement = await sql.query<{ organization_id: string; embargo_until: Date | string | null }>(
    'SELECT organization_id, embargo_until FROM live_statements WHERE id = $1',
    [statementId],
  );
  const row = statement.rows[0];
  if (!row) return null;
  const recipients = await sql.query<{ organization_id: string }>(
    'SELECT organization_id FROM live_statement_recipients WHERE statement_id = $1',
    [statementId],
  );
  return {
    id: statementId,
    organizationId: row.organization_id,
    embargoUntil: row.embargo_until === null ? null : new Date(row.embargo_until),
    recipients: new Set(recipients.rows.map((recipient) => recipient.organization_id)),
  };
}

/** Statements whose embargo ends after `now`, for scheduling their public release. */
export async function embargoedStatements(
  sql: SqlExecutor,
  now: Date,
): Promise<{ id: string; organizationId: string; embargoUntil: Date }[]> {
  const result = await sql.query<{ id: string; organization_id: string; embargo_until: Date | string }>(
    'SELECT id, organization_id, embargo_until FROM live_statements WHERE embargo_until > $1 ORDER BY embargo_until',
    [now.toISOString()],
  );
  return result.rows.map((row) => ({
    id: row.id,
    organizationId: row.organization_id,
    embargoUntil: new Date(row.embargo_until),
  }));
}
