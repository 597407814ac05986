import type { Decider } from '@hub/command-handling';
import { conflict, err, ok } from '@hub/errors';
import type { ContentEvent } from '../events.js';

/**
 * The register of a legal document number: its own stream, so two policies issued with one
 * number at the same moment meet on one expected revision and only one can take it.
 */
export interface DocumentNumberState {
  readonly holder: string | null;
}

export type DocumentNumberCommand =
  | {
      readonly type: 'Reserve';
      readonly documentNumber: string;
      readonly policyId: string;
      readonly organizationId: string;
    }
  | {
      readonly type: 'Release';
      readonly documentNumber: string;
      readonly policyId: string;
      readonly organizationId: string;
    };

type NumberEvent = Extract<ContentEvent, { type: 'DocumentNumberReserved' | 'DocumentNumberReleased' }>;

export const documentNumberStream = (documentNumber: string): string => `document-number-${documentNumber}`;

export const documentNumberDecider: Decider<DocumentNumberCommand, DocumentNumberState, NumberEvent> = {
  initialState: { holder: null },
  decide(command, state) {
    const { documentNumber, policyId, organizationId } = command;
    if (command.type === 'Reserve') {
      if (state.holder === policyId) return ok([]);
      if (state.holder !== null) {
        return err(
          conflict(`document number ${documentNumber} is already used by another policy`, {
            field: 'input.documentNumber',
          }),
        );
      }
      return ok([{ type: 'DocumentNumberReserved', data: { documentNumber, policyId, organizationId } }]);
    }
    if (state.holder !== policyId) return ok([]);
    return ok([{ type: 'DocumentNumberReleased', data: { documentNumber, policyId, organizationId } }]);
  },
  evolve(_state, event) {
    return event.type === 'DocumentNumberReserved' ? { holder: event.data.policyId } : { holder: null };
  },
};
