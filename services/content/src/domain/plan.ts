import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, notFound, ok, type Result } from '@hub/errors';
import type { PlanContent } from '@hub/event-catalogue';
import type { ContentEvent } from '../events.js';

/** A communication plan (Directive 07/CT-TTg): for one policy, or an organization's plan for a year. */
export interface MilestoneState {
  readonly dueAt: string;
  readonly completedAt: string | null;
}

export interface PlanState {
  readonly exists: boolean;
  readonly id: string;
  readonly organizationId: string;
  readonly milestones: Readonly<Record<string, MilestoneState>>;
}

export const initialPlan: PlanState = { exists: false, id: '', organizationId: '', milestones: {} };

export type PlanCommand =
  | {
      readonly type: 'AdoptPlan';
      readonly planId: string;
      readonly organizationId: string;
      readonly content: PlanContent;
      readonly at: string;
    }
  | { readonly type: 'RevisePlan'; readonly content: PlanContent; readonly reason: string | null; readonly at: string }
  | { readonly type: 'CompleteMilestone'; readonly milestoneId: string; readonly at: string };

function invalidContent(content: PlanContent): HubError | null {
  if ((content.policyId === null) === (content.year === null)) {
    return badInput(
      content.policyId === null ? 'input.year' : 'input.policyId',
      'a plan is either for one policy (policyId) or an annual plan (year), not both',
    );
  }
  if (!Number.isSafeInteger(content.budget) || content.budget < 0) {
    return badInput('input.budget', 'budget is a whole, non-negative number of đồng');
  }
  if (content.channels.length === 0) return badInput('input.channels', 'name at least one channel');
  const ids = new Set(content.milestones.map((m) => m.milestoneId));
  if (ids.size !== content.milestones.length) return badInput('input.milestones', 'milestone ids repeat');
  return null;
}

export function decide(command: PlanCommand, state: PlanState): Result<readonly ContentEvent[], HubError> {
  if (command.type === 'AdoptPlan') {
    if (state.exists) return err(conflict(`plan ${command.planId} exists already`, { field: 'input.idempotencyKey' }));
    const invalid = invalidContent(command.content);
    if (invalid) return err(invalid);
    return ok([
      {
        type: 'PlanAdopted',
        data: {
          planId: command.planId,
          organizationId: command.organizationId,
          ...command.content,
          adoptedAt: command.at,
        },
      },
    ]);
  }
  if (!state.exists) return err(notFound('Plan', state.id || '(unknown)'));
  if (command.type === 'RevisePlan') {
    const invalid = invalidContent(command.content);
    if (invalid) return err(invalid);
    const kept = new Set(command.content.milestones.map((m) => m.milestoneId));
    const dropped = Object.entries(state.milestones).find(([id, m]) => m.completedAt !== null && !kept.has(id));
    if (dropped) {
      return err(badInput('input.milestones', `milestone ${dropped[0]} is completed and stays in the plan`));
    }
    return ok([
      {
        type: 'PlanRevised',
        data: {
          planId: state.id,
          organizationId: state.organizationId,
          ...command.content,
          revisedAt: command.at,
          reason: command.reason,
        },
      },
    ]);
  }
  const milestone = state.milestones[command.milestoneId];
  if (!milestone) return err(notFound('Milestone', command.milestoneId));
  if (milestone.completedAt !== null) return ok([]);
  return ok([
    {
      type: 'MilestoneCompleted',
      data: {
        planId: state.id,
        organizationId: state.organizationId,
        milestoneId: command.milestoneId,
        dueAt: milestone.dueAt,
        completedAt: command.at,
      },
    },
  ]);
}

function milestonesOf(content: PlanContent, previous: PlanState['milestones']): PlanState['milestones'] {
  return Object.fromEntries(
    content.milestones.map((m) => [
      m.milestoneId,
      { dueAt: m.dueAt, completedAt: previous[m.milestoneId]?.completedAt ?? null },
    ]),
  );
}

export function evolve(state: PlanState, event: ContentEvent): PlanState {
  switch (event.type) {
    case 'PlanAdopted':
      return {
        exists: true,
        id: event.data.planId,
        organizationId: event.data.organizationId,
        milestones: milestonesOf(event.data, {}),
      };
    case 'PlanRevised':
      return { ...state, milestones: milestonesOf(event.data, state.milestones) };
    case 'MilestoneCompleted': {
      const milestone = state.milestones[event.data.milestoneId];
      if (!milestone) return state;
      return {
        ...state,
        milestones: {
          ...state.milestones,
          [event.data.milestoneId]: { ...milestone, completedAt: event.data.completedAt },
        },
      };
    }
    default:
      return state;
  }
}

export const planDecider: Decider<PlanCommand, PlanState, ContentEvent> = {
  initialState: initialPlan,
  decide,
  evolve,
};
