import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, ok, type Result } from '@hub/errors';
import type { StatementKind } from '@hub/event-catalogue';
import type { ContentEvent } from '../events.js';

export interface StatementState {
  readonly exists: boolean;
  readonly organizationId: string;
}

export const initialStatement: StatementState = { exists: false, organizationId: '' };

/** What the directory's events say about the releasing organization at the instant of release. */
export interface ReleasingOrganization {
  readonly status: 'ACTIVE' | 'MERGED' | 'DISSOLVED' | 'UNKNOWN';
  /** Its spokesperson then (Decree 09/2017); null when it has none. */
  readonly spokespersonId: string | null;
}

export type StatementCommand = {
  readonly type: 'ReleaseStatement';
  readonly statementId: string;
  readonly organizationId: string;
  readonly organization: ReleasingOrganization;
  readonly kind: StatementKind;
  readonly title: string;
  readonly body: string;
  readonly policyIds: readonly string[];
  readonly embargoUntil: string | null;
  readonly at: string;
};

export function decide(command: StatementCommand, state: StatementState): Result<readonly ContentEvent[], HubError> {
  if (state.exists) {
    return err(conflict(`statement ${command.statementId} was released already`, { field: 'input.idempotencyKey' }));
  }
  if (command.organization.status === 'UNKNOWN') {
    return err(badInput('input.organizationId', `organization ${command.organizationId} is not in the directory`));
  }
  if (command.organization.status !== 'ACTIVE') {
    return err(
      badInput('input.organizationId', `the organization is ${command.organization.status.toLowerCase()}`, {
        status: command.organization.status,
      }),
    );
  }
  if (command.organization.spokespersonId === null) {
    return err(
      badInput(
        'input.organizationId',
        'the organization has no spokesperson: under Decree 09/2017/NĐ-CP statements are given by the spokesperson the head designates; designate one in the directory first',
      ),
    );
  }
  if (command.embargoUntil !== null && Date.parse(command.embargoUntil) <= Date.parse(command.at)) {
    return err(badInput('input.embargoUntil', 'an embargo must end after the release'));
  }
  return ok([
    {
      type: 'StatementReleased',
      data: {
        statementId: command.statementId,
        organizationId: command.organizationId,
        kind: command.kind,
        title: command.title,
        body: command.body,
        spokespersonId: command.organization.spokespersonId,
        policyIds: [...new Set(command.policyIds)],
        releasedAt: command.at,
        embargoUntil: command.embargoUntil,
      },
    },
  ]);
}

export function evolve(state: StatementState, event: ContentEvent): StatementState {
  return event.type === 'StatementReleased' ? { exists: true, organizationId: event.data.organizationId } : state;
}

export const statementDecider: Decider<StatementCommand, StatementState, ContentEvent> = {
  initialState: initialStatement,
  decide,
  evolve,
};
