import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, notFound, ok, type Result } from '@hub/errors';
import type { OrganizationKind } from '@hub/event-catalogue';
import type { ContentEvent } from '../events.js';

export interface DistributionState {
  readonly exists: boolean;
  readonly id: string;
  readonly organizationId: string;
  readonly statementId: string | null;
  readonly policyId: string | null;
  readonly recipientCount: number;
}

export const initialDistribution: DistributionState = {
  exists: false,
  id: '',
  organizationId: '',
  statementId: null,
  policyId: null,
  recipientCount: 0,
};

/** Who receives is decided once, at the start: every acknowledgement is then checked against it. */
export type DistributionCommand = {
  readonly type: 'Distribute';
  readonly distributionId: string;
  readonly organizationId: string;
  readonly statementId: string | null;
  readonly policyId: string | null;
  /** Recipients named by id and those the asked-for kinds resolved to, in any order, with repeats. */
  readonly recipientIds: readonly string[];
  readonly recipientKinds: readonly OrganizationKind[];
  readonly at: string;
};

export function decide(
  command: DistributionCommand,
  state: DistributionState,
): Result<readonly ContentEvent[], HubError> {
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

export function evolve(state: DistributionState, event: ContentEvent): DistributionState {
  switch (event.type) {
    case 'DistributionStarted':
      return {
        exists: true,
        id: event.data.distributionId,
        organizationId: event.data.organizationId,
        statementId: event.data.statementId,
        policyId: event.data.policyId,
        recipientCount: event.data.recipientIds.length,
      };
    default:
      return state;
  }
}

export const distributionDecider: Decider<DistributionCommand, DistributionState, ContentEvent> = {
  initialState: initialDistribution,
  decide,
  evolve,
};

/**
 * Each delivery's acknowledgement is its own small stream, so acknowledging costs the same for the
 * first newsroom as for the nine-hundredth; who the recipients are was fixed by DistributionStarted.
 */
export interface DeliveryState {
  readonly acknowledged: boolean;
}

export type AcknowledgeDelivery = {
  readonly type: 'AcknowledgeDelivery';
  /** The distribution as started, or null if there is none. */
  readonly distribution: Pick<DistributionState, 'id' | 'organizationId' | 'statementId' | 'policyId'> | null;
  readonly recipientId: string;
  /** Whether DistributionStarted named this recipient. */
  readonly isRecipient: boolean;
  readonly at: string;
};

export function decideAcknowledgement(
  command: AcknowledgeDelivery,
  state: DeliveryState,
): Result<readonly ContentEvent[], HubError> {
  const distribution = command.distribution;
  if (!distribution) return err(notFound('Distribution', '(unknown)'));
  if (!command.isRecipient) {
    return err(badInput('input.recipientId', `organization ${command.recipientId} is not a recipient`));
  }
  if (state.acknowledged) return ok([]);
  return ok([
    {
      type: 'DeliveryAcknowledged',
      data: {
        distributionId: distribution.id,
        organizationId: distribution.organizationId,
        recipientId: command.recipientId,
        statementId: distribution.statementId,
        policyId: distribution.policyId,
        acknowledgedAt: command.at,
      },
    },
  ]);
}

export const deliveryDecider: Decider<AcknowledgeDelivery, DeliveryState, ContentEvent> = {
  initialState: { acknowledged: false },
  decide: decideAcknowledgement,
  evolve: (state, event) => (event.type === 'DeliveryAcknowledged' ? { acknowledged: true } : state),
};
