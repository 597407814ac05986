import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, notFound, ok, type Result } from '@hub/errors';
import type { OrganizationKind } from '@hub/event-catalogue';
import type { ContentEvent } from '../events.js';

/**
 * Acknowledgements are kept as a linked list, newest first: a distribution to ~900 newsrooms folds
 * one event per acknowledgement, and copying a map on each would make every command quadratic.
 */
export type Acknowledgements = { readonly recipientId: string; readonly rest: Acknowledgements } | null;

export interface DistributionState {
  readonly exists: boolean;
  readonly id: string;
  readonly organizationId: string;
  readonly statementId: string | null;
  readonly policyId: string | null;
  readonly recipients: ReadonlySet<string>;
  readonly acknowledged: Acknowledgements;
}

export const initialDistribution: DistributionState = {
  exists: false,
  id: '',
  organizationId: '',
  statementId: null,
  policyId: null,
  recipients: new Set(),
  acknowledged: null,
};

export type DistributionCommand =
  | {
      readonly type: 'Distribute';
      readonly distributionId: string;
      readonly organizationId: string;
      readonly statementId: string | null;
      readonly policyId: string | null;
      /** Recipients named by id and those the asked-for kinds resolved to, in any order, with repeats. */
      readonly recipientIds: readonly string[];
      readonly recipientKinds: readonly OrganizationKind[];
      readonly at: string;
    }
  | { readonly type: 'AcknowledgeDelivery'; readonly recipientId: string; readonly at: string };

export function isAcknowledged(state: DistributionState, recipientId: string): boolean {
  for (let node = state.acknowledged; node; node = node.rest) if (node.recipientId === recipientId) return true;
  return false;
}

export function decide(
  command: DistributionCommand,
  state: DistributionState,
): Result<readonly ContentEvent[], HubError> {
  if (command.type === 'Distribute') {
    if (state.exists) {
      return err(conflict(`distribution ${command.distributionId} exists already`, { field: 'input.idempotencyKey' }));
    }
    if (command.statementId !== null && command.policyId !== null) {
      return err(badInput('input.policyId', 'distribute a statement or a policy, not both at once'));
    }
    if (command.statementId === null && command.policyId === null) {
      return err(badInput('input.statementId', 'name the statement or the issued policy to distribute'));
    }
    // The sender does not deliver to itself, for example a province sending to all provinces.
    const recipientIds = [...new Set(command.recipientIds)].filter((id) => id !== command.organizationId);
    if (recipientIds.length === 0) {
      return err(
        badInput(
          command.recipientKinds.length > 0 ? 'input.recipientKinds' : 'input.recipientIds',
          'no recipients: name organizations by id or by kind (active organizations of that kind)',
        ),
      );
    }
    return ok([
      {
        type: 'DistributionStarted',
        data: {
          distributionId: command.distributionId,
          organizationId: command.organizationId,
          statementId: command.statementId,
          policyId: command.policyId,
          recipientIds,
          recipientKinds: [...new Set(command.recipientKinds)],
          deliveredAt: command.at,
        },
      },
    ]);
  }
  if (!state.exists) return err(notFound('Distribution', state.id || '(unknown)'));
  if (!state.recipients.has(command.recipientId)) {
    return err(badInput('input.recipientId', `organization ${command.recipientId} is not a recipient`));
  }
  if (isAcknowledged(state, command.recipientId)) return ok([]);
  return ok([
    {
      type: 'DeliveryAcknowledged',
      data: {
        distributionId: state.id,
        organizationId: state.organizationId,
        recipientId: command.recipientId,
        statementId: state.statementId,
        policyId: state.policyId,
        acknowledgedAt: command.at,
      },
    },
  ]);
}

export function evolve(state: DistributionState, event: ContentEvent): DistributionState {
  switch (event.type) {
    case 'DistributionStarted':
      return {
        exists: true,
        id: event.data.distributionId,
        organizationId: event.data.organizationId,
        statementId: event.data.statementId,
        policyId: event.data.policyId,
        recipients: new Set(event.data.recipientIds),
        acknowledged: null,
      };
    case 'DeliveryAcknowledged':
      return { ...state, acknowledged: { recipientId: event.data.recipientId, rest: state.acknowledged } };
    default:
      return state;
  }
}

export const distributionDecider: Decider<DistributionCommand, DistributionState, ContentEvent> = {
  initialState: initialDistribution,
  decide,
  evolve,
};
