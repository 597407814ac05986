import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, notFound, ok, type Result } from '@hub/errors';
import { parseLegalDocumentNumber } from '@hub/vietnamese';
import type { ContentEvent } from '../events.js';

/**
 * A policy and the feedback on it are one consistency boundary: "feedback only while the
 * consultation is open" and "close only an open consultation" are decided where both are known.
 */
export type PolicyStatus = 'DRAFT' | 'IN_CONSULTATION' | 'CONSULTATION_CLOSED' | 'ISSUED' | 'SUPERSEDED';

export interface FeedbackState {
  readonly answered: boolean;
  readonly hidden: boolean;
}

export interface PolicyState {
  readonly exists: boolean;
  readonly id: string;
  readonly organizationId: string;
  readonly status: PolicyStatus;
  readonly opensAt: string | null;
  readonly closesAt: string | null;
  readonly documentNumber: string | null;
  readonly feedback: Readonly<Record<string, FeedbackState>>;
}

export const initialPolicy: PolicyState = {
  exists: false,
  id: '',
  organizationId: '',
  status: 'DRAFT',
  opensAt: null,
  closesAt: null,
  documentNumber: null,
  feedback: {},
};

/** Every command carries `at`, the instant it is decided at, so deciding stays pure. */
export type PolicyCommand =
  | {
      readonly type: 'DraftPolicy';
      readonly policyId: string;
      readonly organizationId: string;
      readonly title: string;
      readonly summary: string | null;
      readonly at: string;
    }
  | { readonly type: 'OpenConsultation'; readonly opensAt: string; readonly closesAt: string; readonly at: string }
  | {
      readonly type: 'SubmitFeedback';
      readonly feedbackId: string;
      readonly text: string;
      readonly submitterOrganizationId: string | null;
      readonly at: string;
    }
  | { readonly type: 'AnswerFeedback'; readonly feedbackId: string; readonly answer: string; readonly at: string }
  | { readonly type: 'HideFeedback'; readonly feedbackId: string; readonly reason: string; readonly at: string }
  | { readonly type: 'CloseConsultation'; readonly at: string }
  | {
      readonly type: 'IssuePolicy';
      readonly documentNumber: string;
      readonly issuedAt: string;
      readonly effectiveAt: string;
      /** Another policy already issued under this number, as the read model knows it; null if none. */
      readonly documentNumberHeldBy: string | null;
    }
  | { readonly type: 'SupersedePolicy'; readonly supersededById: string; readonly at: string };

type Decision = Result<readonly ContentEvent[], HubError>;

const ms = (instant: string): number => Date.parse(instant);

const notIn = (state: PolicyState, what: string): HubError =>
  badInput('input.policyId', `${what}: the policy is ${state.status.toLowerCase().replaceAll('_', ' ')}`, {
    status: state.status,
  });

export function consultationOpenAt(state: PolicyState, at: string): boolean {
  return (
    state.status === 'IN_CONSULTATION' &&
    state.opensAt !== null &&
    state.closesAt !== null &&
    ms(state.opensAt) <= ms(at) &&
    ms(at) < ms(state.closesAt)
  );
}

export function decide(command: PolicyCommand, state: PolicyState): Decision {
  if (command.type === 'DraftPolicy') {
    if (state.exists) return err(conflict(`policy ${command.policyId} already exists`, { field: 'input.policyId' }));
    return ok([
      {
        type: 'PolicyDrafted',
        data: {
          policyId: command.policyId,
          organizationId: command.organizationId,
          title: command.title,
          summary: command.summary,
          draftedAt: command.at,
        },
      },
    ]);
  }
  if (!state.exists) return err(notFound('Policy', state.id || '(unknown)'));
  const ref = { policyId: state.id, organizationId: state.organizationId };

  switch (command.type) {
    case 'OpenConsultation': {
      if (state.status !== 'DRAFT') return err(notIn(state, 'only a draft can be opened for comment'));
      if (ms(command.closesAt) <= ms(command.opensAt)) {
        return err(badInput('input.closesAt', 'the consultation must close after it opens'));
      }
      if (ms(command.closesAt) <= ms(command.at)) {
        return err(badInput('input.closesAt', 'the consultation must close in the future'));
      }
      return ok([
        { type: 'ConsultationOpened', data: { ...ref, opensAt: command.opensAt, closesAt: command.closesAt } },
      ]);
    }
    case 'SubmitFeedback': {
      if (!consultationOpenAt(state, command.at)) {
        const window = state.opensAt && state.closesAt ? ` (open from ${state.opensAt} until ${state.closesAt})` : '';
        return err(
          badInput('input.policyId', `the policy is not open for comment now${window}`, {
            status: state.status,
            opensAt: state.opensAt,
            closesAt: state.closesAt,
          }),
        );
      }
      if (state.feedback[command.feedbackId]) {
        return err(conflict(`feedback ${command.feedbackId} already exists`, { field: 'input.feedbackId' }));
      }
      return ok([
        {
          type: 'FeedbackSubmitted',
          data: {
            ...ref,
            feedbackId: command.feedbackId,
            text: command.text,
            submittedAt: command.at,
            submitterOrganizationId: command.submitterOrganizationId,
          },
        },
      ]);
    }
    case 'AnswerFeedback': {
      const feedback = state.feedback[command.feedbackId];
      if (!feedback) return err(notFound('Feedback', command.feedbackId));
      if (feedback.hidden) return err(badInput('input.feedbackId', 'hidden feedback is not answered'));
      if (feedback.answered) {
        return err(conflict(`feedback ${command.feedbackId} is already answered`, { field: 'input.feedbackId' }));
      }
      return ok([
        {
          type: 'FeedbackAnswered',
          data: { ...ref, feedbackId: command.feedbackId, answer: command.answer, answeredAt: command.at },
        },
      ]);
    }
    case 'HideFeedback': {
      const feedback = state.feedback[command.feedbackId];
      if (!feedback) return err(notFound('Feedback', command.feedbackId));
      if (feedback.hidden) return ok([]);
      return ok([
        {
          type: 'FeedbackHidden',
          data: { ...ref, feedbackId: command.feedbackId, reason: command.reason, hiddenAt: command.at },
        },
      ]);
    }
    case 'CloseConsultation': {
      if (state.status !== 'IN_CONSULTATION') return err(notIn(state, 'only an open consultation can be closed'));
      const all = Object.values(state.feedback);
      return ok([
        {
          type: 'ConsultationClosed',
          data: {
            ...ref,
            closedAt: command.at,
            feedbackCount: all.length,
            answeredCount: all.filter((f) => f.answered).length,
          },
        },
      ]);
    }
    case 'IssuePolicy': {
      if (state.status === 'IN_CONSULTATION') {
        return err(notIn(state, 'close the consultation before issuing'));
      }
      if (state.status !== 'DRAFT' && state.status !== 'CONSULTATION_CLOSED') {
        return err(notIn(state, 'the policy has been issued already'));
      }
      if (!parseLegalDocumentNumber(command.documentNumber)) {
        return err(
          badInput(
            'input.documentNumber',
            `${JSON.stringify(command.documentNumber)} is not a document number such as 12/NQ-CP, 09/2017/NĐ-CP or 407/QĐ-TTg`,
          ),
        );
      }
      if (command.documentNumberHeldBy !== null && command.documentNumberHeldBy !== state.id) {
        return err(
          conflict(`document number ${command.documentNumber} is already used by another policy`, {
            field: 'input.documentNumber',
            policyId: command.documentNumberHeldBy,
          }),
        );
      }
      if (ms(command.effectiveAt) < ms(command.issuedAt)) {
        return err(badInput('input.effectiveAt', 'a policy cannot take effect before it is issued'));
      }
      return ok([
        {
          type: 'PolicyIssued',
          data: {
            ...ref,
            documentNumber: command.documentNumber,
            issuedAt: command.issuedAt,
            effectiveAt: command.effectiveAt,
          },
        },
      ]);
    }
    case 'SupersedePolicy': {
      if (state.status !== 'ISSUED') return err(notIn(state, 'only an issued policy can be superseded'));
      if (command.supersededById === state.id) {
        return err(badInput('input.supersededById', 'a policy cannot supersede itself'));
      }
      return ok([
        {
          type: 'PolicySuperseded',
          data: { ...ref, supersededById: command.supersededById, supersededAt: command.at },
        },
      ]);
    }
  }
}

function withFeedback(state: PolicyState, feedbackId: string, change: Partial<FeedbackState>): PolicyState {
  const feedback = state.feedback[feedbackId];
  if (!feedback) return state;
  return { ...state, feedback: { ...state.feedback, [feedbackId]: { ...feedback, ...change } } };
}

export function evolve(state: PolicyState, event: ContentEvent): PolicyState {
  switch (event.type) {
    case 'PolicyDrafted':
      return { ...state, exists: true, id: event.data.policyId, organizationId: event.data.organizationId };
    case 'ConsultationOpened':
      return { ...state, status: 'IN_CONSULTATION', opensAt: event.data.opensAt, closesAt: event.data.closesAt };
    case 'FeedbackSubmitted':
      return {
        ...state,
        feedback: { ...state.feedback, [event.data.feedbackId]: { answered: false, hidden: false } },
      };
    case 'FeedbackAnswered':
      return withFeedback(state, event.data.feedbackId, { answered: true });
    case 'FeedbackHidden':
      return withFeedback(state, event.data.feedbackId, { hidden: true });
    case 'ConsultationClosed':
      return { ...state, status: 'CONSULTATION_CLOSED' };
    case 'PolicyIssued':
      return { ...state, status: 'ISSUED', documentNumber: event.data.documentNumber };
    case 'PolicySuperseded':
      return { ...state, status: 'SUPERSEDED' };
    default:
      return state;
  }
}

export const policyDecider: Decider<PolicyCommand, PolicyState, ContentEvent> = {
  initialState: initialPolicy,
  decide,
  evolve,
};
