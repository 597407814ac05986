import type { EventEnvelope, PlanContent } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import type { ContentEvent } from '../events.js';

/** Communication plans and their milestones, so overdue milestones are one indexed query. */
export const plansProjection = {
  name: 'content.plans',
  handles: ['PlanAdopted', 'PlanRevised', 'MilestoneCompleted'],
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS content_plans (
        plan_id text PRIMARY KEY,
        organization_id text NOT NULL,
        policy_id text,
        year integer,
        title text NOT NULL,
        goals jsonb NOT NULL,
        audiences jsonb NOT NULL,
        channels jsonb NOT NULL,
        regions jsonb NOT NULL,
        budget bigint NOT NULL,
        adopted_at timestamptz NOT NULL,
        revised_at timestamptz
      );
      CREATE INDEX IF NOT EXISTS content_plans_organization ON content_plans (organization_id, adopted_at DESC);
      CREATE TABLE IF NOT EXISTS content_milestones (
        plan_id text NOT NULL,
        milestone_id text NOT NULL,
        position integer NOT NULL,
        title text NOT NULL,
        due_at timestamptz NOT NULL,
        completed_at timestamptz,
        PRIMARY KEY (plan_id, milestone_id)
      );
      CREATE INDEX IF NOT EXISTS content_milestones_open ON content_milestones (due_at) WHERE completed_at IS NULL;
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE content_plans, content_milestones');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as ContentEvent;
    switch (event.type) {
      case 'PlanAdopted': {
        const d = event.data;
        await tx.query(
          `INSERT INTO content_plans (plan_id, organization_id, policy_id, year, title, goals, audiences, channels, regions,
             budget, adopted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (plan_id) DO NOTHING`,
          [d.planId, d.organizationId, d.policyId, d.year, d.title, ...jsonParts(d), d.budget, d.adoptedAt],
        );
        await replaceMilestones(tx, d.planId, d);
        return;
      }
      case 'PlanRevised': {
        const d = event.data;
        await tx.query(
          `UPDATE content_plans SET policy_id = $2, year = $3, title = $4, goals = $5, audiences = $6, channels = $7,
             regions = $8, budget = $9, revised_at = $10 WHERE plan_id = $1`,
          [d.planId, d.policyId, d.year, d.title, ...jsonParts(d), d.budget, d.revisedAt],
        );
        await replaceMilestones(tx, d.planId, d);
        return;
      }
      case 'MilestoneCompleted':
        await tx.query('UPDATE content_milestones SET completed_at = $3 WHERE plan_id = $1 AND milestone_id = $2', [
          event.data.planId,
          event.data.milestoneId,
          event.data.completedAt,
        ]);
        return;
      default:
        return;
    }
  },
};

const jsonParts = (content: PlanContent): string[] => [
  JSON.stringify(content.goals),
  JSON.stringify(content.audiences),
  JSON.stringify(content.channels),
  JSON.stringify(content.regions),
];

async function replaceMilestones(tx: SqlExecutor, planId: string, content: PlanContent): Promise<void> {
  const completed = await tx.query<{ milestone_id: string; completed_at: Date | string }>(
    'SELECT milestone_id, completed_at FROM content_milestones WHERE plan_id = $1 AND completed_at IS NOT NULL',
    [planId],
  );
  const done = new Map(completed.rows.map((r) => [r.milestone_id, new Date(r.completed_at).toISOString()]));
  await tx.query('DELETE FROM content_milestones WHERE plan_id = $1', [planId]);
  for (const [position, m] of content.milestones.entries()) {
    await tx.query(
      `INSERT INTO content_milestones (plan_id, milestone_id, position, title, due_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [planId, m.milestoneId, position, m.title, m.dueAt, done.get(m.milestoneId) ?? null],
    );
  }
}
