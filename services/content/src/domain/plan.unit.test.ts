import { fold } from '@hub/command-handling';
import type { PlanContent } from '@hub/event-catalogue';
import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import { type PlanCommand, planDecider } from './plan.js';

const content: PlanContent = {
  title: 'Kế hoạch truyền thông chính sách năm 2026',
  policyId: null,
  year: 2026,
  goals: ['Người dân hiểu chính sách'],
  audiences: ['Đồng bào vùng biên giới'],
  channels: ['PRESS', 'GRASSROOTS_LOUDSPEAKER'],
  regions: [{ kind: 'BORDER', provinceId: 'prov-lao-cai', description: null }],
  milestones: [
    { milestoneId: 'm1', title: 'Họp báo', dueAt: '2026-03-01T00:00:00.000Z' },
    { milestoneId: 'm2', title: 'Phát thanh cơ sở', dueAt: '2026-06-01T00:00:00.000Z' },
  ],
  budget: 250_000_000,
};
const adopted: ContentEvent = {
  type: 'PlanAdopted',
  data: { planId: 'plan1', organizationId: 'prov-lao-cai', ...content, adoptedAt: '2026-01-05T00:00:00.000Z' },
};
const completed: ContentEvent = {
  type: 'MilestoneCompleted',
  data: {
    planId: 'plan1',
    organizationId: 'prov-lao-cai',
    milestoneId: 'm1',
    dueAt: '2026-03-01T00:00:00.000Z',
    completedAt: '2026-02-20T00:00:00.000Z',
  },
};
const adopt = (over: Partial<PlanContent> = {}): PlanCommand => ({
  type: 'AdoptPlan',
  planId: 'plan1',
  organizationId: 'prov-lao-cai',
  content: { ...content, ...over },
  at: '2026-01-05T00:00:00.000Z',
});

const when = (history: readonly ContentEvent[], command: PlanCommand) =>
  planDecider.decide(command, fold(planDecider, history));
const refusal = (result: ReturnType<typeof when>) => (result.ok ? null : [result.error.code, result.error.field]);

describe('plan decider', () => {
  it('given nothing, when adopting an annual plan, then PlanAdopted with milestones, regions and budget', () => {
    expect(when([], adopt())).toEqual({ ok: true, value: [adopted] });
  });

  it('when a plan names both a policy and a year, then BAD_USER_INPUT on policyId', () => {
    expect(refusal(when([], adopt({ policyId: 'p1' })))).toEqual(['BAD_USER_INPUT', 'input.policyId']);
  });

  it('when the budget is negative, then BAD_USER_INPUT on budget', () => {
    expect(refusal(when([], adopt({ budget: -1 })))).toEqual(['BAD_USER_INPUT', 'input.budget']);
  });

  it('given a plan, when completing a milestone, then MilestoneCompleted carries its due date; again, nothing', () => {
    const command: PlanCommand = { type: 'CompleteMilestone', milestoneId: 'm1', at: '2026-02-20T00:00:00.000Z' };
    expect(when([adopted], command)).toEqual({ ok: true, value: [completed] });
    expect(when([adopted, completed], command)).toEqual({ ok: true, value: [] });
  });

  it('given a completed milestone, when a revision drops it, then BAD_USER_INPUT on milestones', () => {
    const revise: PlanCommand = {
      type: 'RevisePlan',
      content: { ...content, milestones: content.milestones.slice(1) },
      reason: 'Điều chỉnh',
      at: '2026-02-21T00:00:00.000Z',
    };
    expect(refusal(when([adopted, completed], revise))).toEqual(['BAD_USER_INPUT', 'input.milestones']);
    expect(when([adopted], revise).ok).toBe(true);
  });

  it('given a plan, when completing an unknown milestone, then NOT_FOUND', () => {
    expect(
      refusal(when([adopted], { type: 'CompleteMilestone', milestoneId: 'mx', at: '2026-02-20T00:00:00.000Z' }))?.[0],
    ).toBe('NOT_FOUND');
  });
});
