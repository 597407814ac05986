import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, ok, type Result } from '@hub/errors';
import type { OrganizationKind } from '@hub/event-catalogue';
import type { DirectoryEvent } from '../events.js';

/**
 * The register of one official code of one kind: its own stream, so two organizations registered
 * with one code at the same moment meet on one expected revision and only one can hold it. A code
 * is unique at any instant, not forever: when its holder is merged, dissolved or recoded it is
 * released and may pass on (province code 15 was Yên Bái's until 1 July 2025, then Lào Cai's).
 */
export interface OfficialCodeState {
  readonly holder: string | null;
}

export type OfficialCodeCommand = {
  readonly type: 'ClaimCode' | 'ReleaseCode';
  readonly organizationId: string;
  readonly kind: OrganizationKind;
  readonly code: string;
};

type CodeEvent = Extract<DirectoryEvent, { type: 'OrganizationCodeClaimed' | 'OrganizationCodeReleased' }>;

export const officialCodeStream = (kind: OrganizationKind, code: string): string => `organization-code-${kind}-${code}`;

// Official codes by kind: provinces are numbered with two digits and commune-level units with
// five; other kinds use short abbreviations such as BTC or VTV.
const CODE_FORMATS: Readonly<Record<string, { readonly pattern: RegExp; readonly rule: string }>> = {
  PROVINCE: { pattern: /^\d{2}$/u, rule: 'a province code has exactly two digits' },
  COMMUNE: { pattern: /^\d{5}$/u, rule: 'a commune code has exactly five digits' },
};
const OTHER_CODES = { pattern: /^[\p{L}\p{N}.-]{1,20}$/u, rule: 'a code has 1 to 20 letters, digits, dots or hyphens' };

/** The code as the kind's official format requires it, or BAD_USER_INPUT on input.code. */
export function checkOfficialCode(kind: OrganizationKind, code: string): Result<string, HubError> {
  const format = CODE_FORMATS[kind] ?? OTHER_CODES;
  return format.pattern.test(code)
    ? ok(code)
    : err(badInput('input.code', `${format.rule}, not ${JSON.stringify(code)}`));
}

export const officialCodeDecider: Decider<OfficialCodeCommand, OfficialCodeState, CodeEvent> = {
  initialState: { holder: null },
  decide(command, state) {
    const { type, ...data } = command;
    if (type === 'ClaimCode') {
      if (state.holder === data.organizationId) return ok([]);
      if (state.holder !== null) {
        return err(
          conflict(`${data.kind} code ${data.code} is held by another organization`, {
            field: 'input.code',
          }),
        );
      }
      return ok([{ type: 'OrganizationCodeClaimed', data }]);
    }
    if (state.holder !== data.organizationId) return ok([]);
    return ok([{ type: 'OrganizationCodeReleased', data }]);
  },
  evolve(_state, event) {
    return event.type === 'OrganizationCodeClaimed' ? { holder: event.data.organizationId } : { holder: null };
  },
};
