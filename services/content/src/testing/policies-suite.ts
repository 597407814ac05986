import { beforeAll, describe, expect, it } from 'vitest';
import type { ContentHarness } from './harness.js';

type Policy = {
  id: string;
  title: string;
  status: string;
  documentNumber: string | null;
  leadOrganization: { id: string };
  consultationOpensAt: string | null;
  consultationClosesAt: string | null;
  issuedAt: string | null;
  effectiveAt: string | null;
};
type Feedback = { id: string; text: string; hidden: boolean; answer: string | null; policy: { id: string } };

/** Bộ Tư pháp, from the directory's reference data. */
const MINISTRY = 'min-justice';
const OTHER = 'prov-lao-cai';
const POLICY_FIELDS = `id title status documentNumber leadOrganization { id } consultationOpensAt consultationClosesAt issuedAt effectiveAt`;
const DRAFT = `mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { ${POLICY_FIELDS} } }`;
const OPEN = `mutation ($input: OpenConsultationInput!) { openConsultation(input: $input) { ${POLICY_FIELDS} } }`;
const SUBMIT = `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id text hidden answer policy { id } } }`;
const CLOSE = `mutation ($input: CloseConsultationInput!) { closeConsultation(input: $input) { ${POLICY_FIELDS} } }`;
const ISSUE = `mutation ($input: IssuePolicyInput!) { issuePolicy(input: $input) { ${POLICY_FIELDS} } }`;

const inAWhile = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Policies, consultation feedback and communication plans, against the harness `harness()` gives once it has started. */
export function policiesSuite(harness: () => ContentHarness): void {
  describe('policies and consultation', () => {
    let hub: ContentHarness;
    let editor: string;
    let otherEditor: string;
    let ministryId: string;

    beforeAll(async () => {
      hub = harness();
      ministryId = MINISTRY;
      editor = await hub.token(ministryId, ['ORG_EDITOR']);
      otherEditor = await hub.token(OTHER, ['ORG_EDITOR']);
    });

    const draft = async (title: string, token = editor) => {
      const result = await hub.gql<{ draftPolicy: Policy }>(
        DRAFT,
        { input: { title, leadOrganizationId: ministryId, summary: 'Tóm tắt' } },
        token,
      );
      return result;
    };
    const policyIn = async (title: string) => {
      const drafted = await draft(title);
      expect(drafted.errors).toBeUndefined();
      const id = drafted.data?.draftPolicy.id as string;
      const opened = await hub.gql<{ openConsultation: Policy }>(
        OPEN,
        { input: { policyId: id, opensAt: new Date(Date.now() - 1000).toISOString(), closesAt: inAWhile(3_600_000) } },
        editor,
      );
      expect(opened.errors).toBeUndefined();
      expect(opened.data?.openConsultation.status).toBe('IN_CONSULTATION');
      return id;
    };

    it('drafts a policy for the lead organization; a draft is seen only by that organization', async () => {
      const drafted = await draft('Luật Phổ biến, giáo dục pháp luật (sửa đổi)');
      expect(drafted.errors).toBeUndefined();
      expect(drafted.data?.draftPolicy).toMatchObject({ status: 'DRAFT', leadOrganization: { id: ministryId } });
      const id = drafted.data?.draftPolicy.id;
      const query = `query ($id: ID!) { policy(id: $id) { id status } }`;
      expect((await hub.gql<{ policy: Policy | null }>(query, { id }, editor)).data?.policy?.id).toBe(id);
      expect((await hub.gql<{ policy: Policy | null }>(query, { id })).data?.policy).toBeNull();
    });

    it('refuses an editor of another organization with FORBIDDEN and appends nothing', async () => {
      const before = await hub.store.count();
      const drafted = await draft('Nghị định về quảng cáo', otherEditor);
      expect(drafted.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const id = await policyIn('Nghị định về thông tin cơ sở');
      const afterOpen = await hub.store.count();
      const closed = await hub.gql(CLOSE, { input: { policyId: id } }, otherEditor);
      expect(closed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await hub.store.count()).toBe(afterOpen);
      expect(afterOpen).toBe((before ?? 0) + 2);
    });

    it('takes anonymous feedback while open, limits each caller, and refuses feedback after the consultation closes', async () => {
      const id = await policyIn('Dự thảo Luật Báo chí (sửa đổi)');
      const citizen = { 'x-forwarded-for': '203.0.113.7' };
      const submit = (text: string, token?: string, headers = citizen) =>
        hub.gql<{ submitFeedback: Feedback }>(SUBMIT, { input: { policyId: id, text } }, token, headers);
      const first = await submit('  Đề nghị bổ sung quy định về báo điện tử  ');
      expect(first.errors).toBeUndefined();
      expect(first.data?.submitFeedback).toMatchObject({
        text: 'Đề nghị bổ sung quy định về báo điện tử',
        hidden: false,
        answer: null,
        policy: { id },
      });
      expect((await submit('Ý kiến thứ hai')).errors).toBeUndefined();
      expect((await submit('Ý kiến thứ ba')).errors).toBeUndefined();
      const before = await hub.store.count();
      const limited = await submit('Ý kiến thứ tư');
      expect(limited.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(limited.errors?.[0]?.message).toMatch(/^too many feedback submissions, try again in \d+ s$/);
      expect(await hub.store.count()).toBe(before);

      const closed = await hub.gql<{ closeConsultation: Policy }>(CLOSE, { input: { policyId: id } }, editor);
      expect(closed.data?.closeConsultation.status).toBe('CONSULTATION_CLOSED');
      const afterClose = await hub.store.count();
      const late = await submit('Ý kiến muộn', await hub.token(OTHER, ['VIEWER']));
      expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.policyId' });
      expect(await hub.store.count()).toBe(afterClose);
    });

    it('answers feedback; hidden feedback is gone for the public but shown, marked, to the lead editors', async () => {
      const id = await policyIn('Dự thảo Nghị định về người phát ngôn');
      const headers = { 'x-forwarded-for': '198.51.100.4' };
      const a = await hub.gql<{ submitFeedback: Feedback }>(
        SUBMIT,
        { input: { policyId: id, text: 'Góp ý A' } },
        undefined,
        headers,
      );
      const b = await hub.gql<{ submitFeedback: Feedback }>(
        SUBMIT,
        { input: { policyId: id, text: 'Nội dung xấu' } },
        undefined,
        headers,
      );
      const answered = await hub.gql<{ answerFeedback: Feedback }>(
        `mutation ($input: AnswerFeedbackInput!) { answerFeedback(input: $input) { id answer } }`,
        { input: { feedbackId: a.data?.submitFeedback.id, answer: 'Xin tiếp thu' } },
        editor,
      );
      expect(answered.data?.answerFeedback.answer).toBe('Xin tiếp thu');
      const hidden = await hub.gql<{ hideFeedback: Feedback }>(
        `mutation ($input: HideFeedbackInput!) { hideFeedback(input: $input) { id hidden } }`,
        { input: { feedbackId: b.data?.submitFeedback.id, reason: 'Ngôn từ không phù hợp' } },
        editor,
      );
      expect(hidden.data?.hideFeedback.hidden).toBe(true);
      const query = `query ($id: ID!) { policy(id: $id) { feedback { totalCount edges { node { text hidden answer } } } } }`;
      type Result = { policy: { feedback: { totalCount: number; edges: { node: Feedback }[] } } };
      const publicView = await hub.gql<Result>(query, { id });
      expect(publicView.data?.policy.feedback).toEqual({
        totalCount: 1,
        edges: [{ node: { text: 'Góp ý A', hidden: false, answer: 'Xin tiếp thu' } }],
      });
      const editorView = await hub.gql<Result>(query, { id }, editor);
      expect(editorView.data?.policy.feedback.edges.map((e) => [e.node.text, e.node.hidden])).toEqual([
        ['Góp ý A', false],
        ['Nội dung xấu', true],
      ]);

      // The timeline once gave anyone the raw data of every event, hidden feedback's text included.
      const timelineQuery = `query ($id: ID!) { policy(id: $id) { timeline { type data } } }`;
      type Timeline = { policy: { timeline: { type: string; data: Record<string, unknown> }[] } };
      const feedbackEvents = (result: { data?: Timeline | null }) =>
        (result.data?.policy.timeline ?? []).filter((event) => event.type.startsWith('Feedback'));
      for (const caller of [undefined, otherEditor, await hub.token(ministryId, ['VIEWER'])]) {
        const events = feedbackEvents(await hub.gql<Timeline>(timelineQuery, { id }, caller));
        expect(events.map((event) => event.type)).toEqual([
          'FeedbackSubmitted',
          'FeedbackSubmitted',
          'FeedbackAnswered',
          'FeedbackHidden',
        ]);
        const shown = JSON.stringify(events);
        for (const secret of ['Nội dung xấu', 'Góp ý A', 'Xin tiếp thu', 'Ngôn từ không phù hợp']) {
          expect(shown).not.toContain(secret);
        }
        expect(Object.keys(events[0]?.data ?? {}).sort()).toEqual([
          'feedbackId',
          'organizationId',
          'policyId',
          'submittedAt',
        ]);
      }
      const moderated = JSON.stringify(feedbackEvents(await hub.gql<Timeline>(timelineQuery, { id }, editor)));
      for (const text of ['Nội dung xấu', 'Góp ý A', 'Xin tiếp thu', 'Ngôn từ không phù hợp']) {
        expect(moderated).toContain(text);
      }
    });

    it('issues with a validated, unique document number and an effective date not before issue', async () => {
      const id = await policyIn('Nghị quyết về chuyển đổi số');
      await hub.gql(CLOSE, { input: { policyId: id } }, editor);
      const issue = (documentNumber: string, issuedAt: string, effectiveAt: string, policyId = id) =>
        hub.gql<{ issuePolicy: Policy }>(ISSUE, { input: { policyId, documentNumber, issuedAt, effectiveAt } }, editor);
      const before = await hub.store.count();
      const malformed = await issue('NQ 12 CP', '2025-06-01T00:00:00+07:00', '2025-07-01T00:00:00+07:00');
      expect(malformed.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.documentNumber',
      });
      const early = await issue('12/NQ-CP', '2025-06-01T00:00:00+07:00', '2025-05-01T00:00:00+07:00');
      expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.effectiveAt' });
      expect(await hub.store.count()).toBe(before);

      const issued = await issue('12/NQ-CP', '2025-06-01T00:00:00+07:00', '2025-07-01T00:00:00+07:00');
      expect(issued.errors).toBeUndefined();
      expect(issued.data?.issuePolicy).toMatchObject({
        status: 'ISSUED',
        documentNumber: '12/NQ-CP',
        issuedAt: '2025-05-31T17:00:00.000Z',
        effectiveAt: '2025-06-30T17:00:00.000Z',
      });

      const second = (await draft('Một nghị quyết khác')).data?.draftPolicy.id as string;
      const duplicate = await issue('12/NQ-CP', '2025-06-01T00:00:00+07:00', '2025-07-01T00:00:00+07:00', second);
      expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.documentNumber' });

      const timeline = await hub.gql<{
        policy: { timeline: { type: string; stream: string; organization: { id: string } }[] };
      }>(`query ($id: ID!) { policy(id: $id) { timeline { type stream organization { id } } } }`, { id });
      expect(timeline.data?.policy.timeline.map((e) => e.type)).toEqual([
        'PolicyDrafted',
        'ConsultationOpened',
        'ConsultationClosed',
        'PolicyIssued',
      ]);
      expect(timeline.data?.policy.timeline[0]).toMatchObject({
        stream: `policy-${id}`,
        organization: { id: ministryId },
      });
    });

    it('lists policies by status and finds them ignoring case and diacritics', async () => {
      const found = await hub.gql<{ policies: { totalCount: number; edges: { node: Policy }[] } }>(
        '{ policies(search: "LUAT BAO CHI") { totalCount edges { node { title } } } }',
      );
      expect(found.data?.policies.edges.map((e) => e.node.title)).toEqual(['Dự thảo Luật Báo chí (sửa đổi)']);
      const issued = await hub.gql<{ policies: { totalCount: number } }>('{ policies(status: ISSUED) { totalCount } }');
      expect(issued.data?.policies.totalCount).toBe(1);
      const page = await hub.gql<{
        policies: { totalCount: number; edges: unknown[]; pageInfo: { hasNextPage: boolean } };
      }>('{ policies(first: 2) { totalCount edges { cursor } pageInfo { hasNextPage } } }');
      expect(page.data?.policies.edges).toHaveLength(2);
      expect(page.data?.policies.pageInfo.hasNextPage).toBe(true);
    });

    it("adopts an annual communication plan and lists its overdue milestones until they're completed", async () => {
      const plan = await hub.gql<{
        adoptPlan: { id: string; budget: number; milestones: { id: string; overdue: boolean }[] };
      }>(
        `mutation ($input: AdoptPlanInput!) { adoptPlan(input: $input) { id budget regions { kind provinceId }
           milestones { id title overdue } } }`,
        {
          input: {
            organizationId: ministryId,
            title: 'Kế hoạch truyền thông chính sách năm 2025',
            year: 2025,
            goals: ['Người dân nắm được chính sách mới'],
            audiences: ['Đồng bào vùng biên giới, hải đảo'],
            channels: ['PRESS', 'GRASSROOTS_LOUDSPEAKER'],
            regions: [{ kind: 'ISLAND', provinceId: 'prov-khanh-hoa' }],
            milestones: [
              { title: 'Họp báo quý I', dueAt: '2025-03-31T00:00:00+07:00' },
              { title: 'Tổng kết', dueAt: inAWhile(86_400_000) },
            ],
            budget: 1_500_000_000,
          },
        },
        editor,
      );
      expect(plan.errors).toBeUndefined();
      expect(plan.data?.adoptPlan.budget).toBe(1_500_000_000);
      expect(plan.data?.adoptPlan.milestones.map((m) => m.overdue)).toEqual([true, false]);
      const overdue = `query ($org: ID) { overdueMilestones(organizationId: $org) { title plan { id } } }`;
      const listed = await hub.gql<{ overdueMilestones: { title: string; plan: { id: string } }[] }>(overdue, {
        org: ministryId,
      });
      expect(listed.data?.overdueMilestones).toEqual([
        { title: 'Họp báo quý I', plan: { id: plan.data?.adoptPlan.id } },
      ]);
      await hub.gql(
        `mutation ($input: CompleteMilestoneInput!) { completeMilestone(input: $input) { id } }`,
        { input: { planId: plan.data?.adoptPlan.id, milestoneId: plan.data?.adoptPlan.milestones[0]?.id } },
        editor,
      );
      const after = await hub.gql<{ overdueMilestones: unknown[] }>(overdue, { org: ministryId });
      expect(after.data?.overdueMilestones).toEqual([]);
      const plans = await hub.gql<{ communicationPlans: { totalCount: number } }>(
        `query ($org: ID!) { communicationPlans(organizationId: $org, year: 2025) { totalCount } }`,
        { org: ministryId },
      );
      expect(plans.data?.communicationPlans.totalCount).toBe(1);
    });

    it('lets exactly one of two policies issued with one number at the same moment take it', async () => {
      for (const round of [1, 2, 3]) {
        const number = `${100 + round}/NĐ-CP`;
        const ids = await Promise.all(
          ['Nghị định A', 'Nghị định B'].map(
            async (title) => (await draft(`${title} ${round}`)).data?.draftPolicy.id as string,
          ),
        );
        const results = await Promise.all(
          ids.map((policyId) =>
            hub.gql<{ issuePolicy: Policy }>(
              ISSUE,
              {
                input: {
                  policyId,
                  documentNumber: number,
                  issuedAt: '2025-06-01T00:00:00+07:00',
                  effectiveAt: '2025-07-01T00:00:00+07:00',
                },
              },
              editor,
            ),
          ),
        );
        const issued = results.filter((r) => r.data?.issuePolicy.documentNumber === number);
        const refused = results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT');
        expect([issued.length, refused.length]).toEqual([1, 1]);
        expect(refused[0]?.errors?.[0]?.extensions).toMatchObject({ field: 'input.documentNumber' });
      }
    });
  });
}
