import { fold } from '@hub/command-handling';
import { describe, expect, it } from 'vitest';
import type { ContentEvent } from '../events.js';
import { type PolicyCommand, policyDecider } from './policy.js';

const ref = { policyId: 'p1', organizationId: 'bo-tu-phap' };
const drafted: ContentEvent = {
  type: 'PolicyDrafted',
  data: {
    ...ref,
    title: 'Luật Phổ biến, giáo dục pháp luật (sửa đổi)',
    summary: null,
    draftedAt: '2025-03-01T00:00:00.000Z',
  },
};
const opened: ContentEvent = {
  type: 'ConsultationOpened',
  data: { ...ref, opensAt: '2025-03-10T00:00:00.000Z', closesAt: '2025-05-10T00:00:00.000Z' },
};
const submitted = (feedbackId: string): ContentEvent => ({
  type: 'FeedbackSubmitted',
  data: {
    ...ref,
    feedbackId,
    text: 'Đề nghị làm rõ điều 5',
    submittedAt: '2025-04-01T00:00:00.000Z',
    submitterOrganizationId: null,
  },
});
const closed: ContentEvent = {
  type: 'ConsultationClosed',
  data: { ...ref, closedAt: '2025-05-11T00:00:00.000Z', feedbackCount: 1, answeredCount: 0 },
};
const issue = (
  documentNumber: string,
  over: Partial<Extract<PolicyCommand, { type: 'IssuePolicy' }>> = {},
): PolicyCommand => ({
  type: 'IssuePolicy',
  documentNumber,
  issuedAt: '2025-06-01T00:00:00.000Z',
  effectiveAt: '2025-07-01T00:00:00.000Z',
  documentNumberHeldBy: null,
  ...over,
});

/** given `history`, when `command`: the events decided, or the error. */
const when = (history: readonly ContentEvent[], command: PolicyCommand) =>
  policyDecider.decide(command, fold(policyDecider, history));

const refusal = (result: ReturnType<typeof when>) => (result.ok ? null : [result.error.code, result.error.field]);

describe('policy decider', () => {
  it('given nothing, when drafting, then PolicyDrafted names the lead organization', () => {
    const result = when([], {
      type: 'DraftPolicy',
      ...ref,
      title: drafted.data.title as string,
      summary: null,
      at: '2025-03-01T00:00:00.000Z',
    });
    expect(result).toEqual({ ok: true, value: [drafted] });
  });

  it('given a draft, when opening a consultation that closes before it opens, then BAD_USER_INPUT on closesAt', () => {
    const result = when([drafted], {
      type: 'OpenConsultation',
      opensAt: '2025-04-01T00:00:00.000Z',
      closesAt: '2025-03-20T00:00:00.000Z',
      at: '2025-03-05T00:00:00.000Z',
    });
    expect(refusal(result)).toEqual(['BAD_USER_INPUT', 'input.closesAt']);
  });

  it('given an open consultation, when feedback arrives inside the window, then FeedbackSubmitted', () => {
    const result = when([drafted, opened], {
      type: 'SubmitFeedback',
      feedbackId: 'f1',
      text: 'Đề nghị làm rõ điều 5',
      submitterOrganizationId: null,
      at: '2025-04-01T00:00:00.000Z',
    });
    expect(result).toEqual({ ok: true, value: [submitted('f1')] });
  });

  it('given an open consultation, when feedback arrives after closesAt, then BAD_USER_INPUT on policyId', () => {
    const result = when([drafted, opened], {
      type: 'SubmitFeedback',
      feedbackId: 'f1',
      text: 'Muộn',
      submitterOrganizationId: null,
      at: '2025-05-10T00:00:00.000Z',
    });
    expect(refusal(result)).toEqual(['BAD_USER_INPUT', 'input.policyId']);
  });

  it('given a closed consultation, when feedback arrives, then it is refused', () => {
    const result = when([drafted, opened, closed], {
      type: 'SubmitFeedback',
      feedbackId: 'f2',
      text: 'Muộn',
      submitterOrganizationId: null,
      at: '2025-04-02T00:00:00.000Z',
    });
    expect(refusal(result)).toEqual(['BAD_USER_INPUT', 'input.policyId']);
  });

  it('given a draft that never opened, when feedback arrives, then it is refused', () => {
    const result = when([drafted], {
      type: 'SubmitFeedback',
      feedbackId: 'f1',
      text: 'Sớm',
      submitterOrganizationId: null,
      at: '2025-04-02T00:00:00.000Z',
    });
    expect(refusal(result)).toEqual(['BAD_USER_INPUT', 'input.policyId']);
  });

  it('given feedback, when answering it twice, then the second is a CONFLICT', () => {
    const answered: ContentEvent = {
      type: 'FeedbackAnswered',
      data: { ...ref, feedbackId: 'f1', answer: 'Đã tiếp thu', answeredAt: '2025-04-02T00:00:00.000Z' },
    };
    const command: PolicyCommand = {
      type: 'AnswerFeedback',
      feedbackId: 'f1',
      answer: 'Đã tiếp thu',
      at: '2025-04-02T00:00:00.000Z',
    };
    expect(when([drafted, opened, submitted('f1')], command)).toEqual({ ok: true, value: [answered] });
    expect(refusal(when([drafted, opened, submitted('f1'), answered], command))).toEqual([
      'CONFLICT',
      'input.feedbackId',
    ]);
  });

  it('given hidden feedback, when hiding again, then nothing; when answering, then BAD_USER_INPUT', () => {
    const hidden: ContentEvent = {
      type: 'FeedbackHidden',
      data: { ...ref, feedbackId: 'f1', reason: 'Ngôn từ xúc phạm', hiddenAt: '2025-04-02T00:00:00.000Z' },
    };
    const history = [drafted, opened, submitted('f1'), hidden];
    expect(
      when(history, { type: 'HideFeedback', feedbackId: 'f1', reason: 'x', at: '2025-04-03T00:00:00.000Z' }),
    ).toEqual({ ok: true, value: [] });
    expect(
      refusal(when(history, { type: 'AnswerFeedback', feedbackId: 'f1', answer: 'a', at: '2025-04-03T00:00:00.000Z' })),
    ).toEqual(['BAD_USER_INPUT', 'input.feedbackId']);
  });

  it('given an open consultation with feedback, when closing, then ConsultationClosed counts feedback and answers', () => {
    const result = when([drafted, opened, submitted('f1')], {
      type: 'CloseConsultation',
      at: '2025-05-11T00:00:00.000Z',
    });
    expect(result).toEqual({ ok: true, value: [closed] });
  });

  it('given an open consultation, when issuing, then BAD_USER_INPUT: close it first', () => {
    expect(refusal(when([drafted, opened], issue('12/NQ-CP')))).toEqual(['BAD_USER_INPUT', 'input.policyId']);
  });

  it('given a closed consultation, when issuing with a valid number, then PolicyIssued', () => {
    const result = when([drafted, opened, closed], issue('09/2017/NĐ-CP'));
    expect(result).toEqual({
      ok: true,
      value: [
        {
          type: 'PolicyIssued',
          data: {
            ...ref,
            documentNumber: '09/2017/NĐ-CP',
            issuedAt: '2025-06-01T00:00:00.000Z',
            effectiveAt: '2025-07-01T00:00:00.000Z',
          },
        },
      ],
    });
  });

  it('when issuing with a malformed number, then BAD_USER_INPUT on documentNumber', () => {
    expect(refusal(when([drafted], issue('NQ 12 CP')))).toEqual(['BAD_USER_INPUT', 'input.documentNumber']);
  });

  it('when issuing with a number another policy holds, then CONFLICT on documentNumber', () => {
    expect(refusal(when([drafted], issue('407/QĐ-TTg', { documentNumberHeldBy: 'p0' })))).toEqual([
      'CONFLICT',
      'input.documentNumber',
    ]);
  });

  it('when the effective date is before the issue date, then BAD_USER_INPUT on effectiveAt', () => {
    expect(refusal(when([drafted], issue('12/NQ-CP', { effectiveAt: '2025-05-01T00:00:00.000Z' })))).toEqual([
      'BAD_USER_INPUT',
      'input.effectiveAt',
    ]);
  });

  it('given an issued policy, when issuing again, then refused; when superseding, then PolicySuperseded', () => {
    const issued: ContentEvent = {
      type: 'PolicyIssued',
      data: {
        ...ref,
        documentNumber: '12/NQ-CP',
        issuedAt: '2025-06-01T00:00:00.000Z',
        effectiveAt: '2025-07-01T00:00:00.000Z',
      },
    };
    expect(refusal(when([drafted, issued], issue('13/NQ-CP')))).toEqual(['BAD_USER_INPUT', 'input.policyId']);
    expect(
      when([drafted, issued], { type: 'SupersedePolicy', supersededById: 'p2', at: '2026-01-01T00:00:00.000Z' }),
    ).toEqual({
      ok: true,
      value: [
        { type: 'PolicySuperseded', data: { ...ref, supersededById: 'p2', supersededAt: '2026-01-01T00:00:00.000Z' } },
      ],
    });
  });

  it('given nothing, when opening a consultation, then NOT_FOUND', () => {
    const result = when([], {
      type: 'OpenConsultation',
      opensAt: '2025-03-10T00:00:00.000Z',
      closesAt: '2025-05-10T00:00:00.000Z',
      at: '2025-03-01T00:00:00.000Z',
    });
    expect(refusal(result)?.[0]).toBe('NOT_FOUND');
  });
});
