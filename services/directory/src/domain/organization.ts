import type { Decider } from '@hub/command-handling';
import { badInput, conflict, err, type HubError, notFound, ok, type Result } from '@hub/errors';
import type { AreaFlags, ContactRole, OrganizationKind } from '@hub/event-catalogue';
import type { DirectoryEvent } from '../events.js';

/**
 * One organization and the people it names is the consistency boundary: "at most one current
 * spokesperson" can only be enforced where all of an organization's appointments are decided.
 */
export type OrganizationStatus = 'ACTIVE' | 'MERGED' | 'DISSOLVED';

export interface ContactState {
  readonly id: string;
  readonly fullName: string;
  readonly title: string | null;
  readonly roles: readonly ContactRole[];
  readonly phone: string | null;
  readonly email: string | null;
  readonly appointedFrom: string;
  readonly relievedAt: string | null;
}

export interface OrganizationState {
  readonly exists: boolean;
  readonly id: string;
  readonly name: string;
  readonly kind: OrganizationKind | null;
  /** The official code it holds now, released on its code's register when it stops standing alone. */
  readonly code: string | null;
  readonly establishedAt: string | null;
  readonly status: OrganizationStatus;
  readonly successorId: string | null;
  readonly contacts: Readonly<Record<string, ContactState>>;
  readonly spokesperson: { readonly contactId: string; readonly from: string } | null;
}

export const initialOrganization: OrganizationState = {
  exists: false,
  id: '',
  name: '',
  kind: null,
  code: null,
  establishedAt: null,
  status: 'ACTIVE',
  successorId: null,
  contacts: {},
  spokesperson: null,
};

export type OrganizationCommand =
  | {
      readonly type: 'RegisterOrganization';
      readonly organizationId: string;
      readonly name: string;
      readonly nameEn: string | null;
      readonly shortName: string | null;
      readonly kind: OrganizationKind;
      readonly code: string | null;
      readonly parentId: string | null;
      readonly areas: AreaFlags;
      readonly establishedAt: string;
    }
  | {
      readonly type: 'RenameOrganization';
      readonly name: string;
      readonly nameEn: string | null;
      readonly shortName: string | null;
      readonly effectiveAt: string;
      readonly legalBasis: string | null;
    }
  | {
      readonly type: 'RecodeOrganization';
      readonly code: string;
      readonly effectiveAt: string;
      readonly legalBasis: string | null;
    }
  | {
      readonly type: 'ReclassifyOrganization';
      readonly kind: OrganizationKind;
      readonly effectiveAt: string;
      readonly legalBasis: string | null;
    }
  | {
      readonly type: 'AbsorbOrganizations';
      readonly absorbedIds: readonly string[];
      readonly areas: AreaFlags;
      readonly effectiveAt: string;
      readonly legalBasis: string | null;
    }
  | {
      readonly type: 'MergeInto';
      readonly successorId: string;
      readonly effectiveAt: string;
      readonly legalBasis: string | null;
    }
  | { readonly type: 'DissolveOrganization'; readonly effectiveAt: string; readonly reason: string | null }
  | {
      readonly type: 'AppointContact';
      readonly contactId: string;
      readonly fullName: string;
      readonly title: string | null;
      readonly roles: readonly ContactRole[];
      readonly phone: string | null;
      readonly email: string | null;
      readonly appointedFrom: string;
    }
  | {
      readonly type: 'UpdateContact';
      readonly contactId: string;
      readonly fullName?: string;
      readonly title?: string | null;
      readonly phone?: string | null;
      readonly email?: string | null;
    }
  | {
      readonly type: 'RelieveContact';
      readonly contactId: string;
      readonly relievedAt: string;
      readonly reason: string | null;
    }
  | { readonly type: 'DesignateSpokesperson'; readonly contactId: string; readonly from: string };

type Decision = Result<readonly DirectoryEvent[], HubError>;

const before = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

function requireActive(state: OrganizationState, field = 'input.organizationId'): HubError | null {
  if (!state.exists) return notFound('Organization', state.id || '(unknown)');
  if (state.status !== 'ACTIVE') {
    return badInput(
      field,
      `${state.name} is ${state.status === 'MERGED' ? 'merged' : 'dissolved'} and takes no changes`,
      {
        status: state.status,
      },
    );
  }
  return null;
}

function requireContact(state: OrganizationState, contactId: string): Result<ContactState, HubError> {
  const contact = state.contacts[contactId];
  return contact ? ok(contact) : err(notFound('Contact', contactId));
}

function designation(state: OrganizationState, contactId: string, from: string): DirectoryEvent {
  return {
    type: 'SpokespersonDesignated',
    data: {
      organizationId: state.id,
      contactId,
      from,
      previousContactId:
        state.spokesperson && state.spokesperson.contactId !== contactId ? state.spokesperson.contactId : null,
    },
  };
}

export function decide(command: OrganizationCommand, state: OrganizationState): Decision {
  if (command.type === 'RegisterOrganization') {
    if (state.exists)
      return err(conflict(`organization ${command.organizationId} is already registered`, { field: 'input.id' }));
    if (command.parentId === command.organizationId)
      return err(badInput('input.parentId', 'an organization cannot be its own parent'));
    const { type: _type, ...data } = command;
    return ok([{ type: 'OrganizationRegistered', data }]);
  }

  const inactive = requireActive(state);
  if (inactive) return err(inactive);
  const organizationId = state.id;

  switch (command.type) {
    case 'RenameOrganization':
      return ok([
        {
          type: 'OrganizationRenamed',
          data: { organizationId, ...pick(command, ['name', 'nameEn', 'shortName', 'effectiveAt', 'legalBasis']) },
        },
      ]);
    case 'RecodeOrganization':
      return ok([
        {
          type: 'OrganizationRecoded',
          data: { organizationId, ...pick(command, ['code', 'effectiveAt', 'legalBasis']) },
        },
      ]);
    case 'ReclassifyOrganization':
      return ok([
        {
          type: 'OrganizationReclassified',
          data: { organizationId, ...pick(command, ['kind', 'effectiveAt', 'legalBasis']) },
        },
      ]);
    case 'AbsorbOrganizations':
      if (command.absorbedIds.includes(organizationId)) {
        return err(badInput('input.absorbedIds', 'an organization cannot absorb itself'));
      }
      return ok([
        {
          type: 'OrganizationsMerged',
          data: { organizationId, ...pick(command, ['absorbedIds', 'areas', 'effectiveAt', 'legalBasis']) },
        },
      ]);
    case 'MergeInto':
      if (command.successorId === organizationId)
        return err(badInput('input.successorId', 'an organization cannot merge into itself'));
      return ok([
        {
          type: 'OrganizationMergedInto',
          data: { organizationId, ...pick(command, ['successorId', 'effectiveAt', 'legalBasis']) },
        },
      ]);
    case 'DissolveOrganization':
      return ok([
        {
          type: 'OrganizationDissolved',
          data: { organizationId, effectiveAt: command.effectiveAt, reason: command.reason },
        },
      ]);
    case 'AppointContact': {
      if (state.contacts[command.contactId]) {
        return err(conflict(`contact ${command.contactId} is already appointed`, { field: 'input.contactId' }));
      }
      if (state.establishedAt && before(command.appointedFrom, state.establishedAt)) {
        return err(badInput('input.appointedFrom', 'appointment cannot start before the organization was established'));
      }
      const appointed: DirectoryEvent = {
        type: 'ContactAppointed',
        data: {
          organizationId,
          ...pick(command, ['contactId', 'fullName', 'title', 'roles', 'phone', 'email', 'appointedFrom']),
        },
      };
      if (!command.roles.includes('SPOKESPERSON')) return ok([appointed]);
      if (state.spokesperson && before(command.appointedFrom, state.spokesperson.from)) {
        return err(badInput('input.appointedFrom', 'a new spokesperson cannot start before the current one did'));
      }
      return ok([appointed, designation(state, command.contactId, command.appointedFrom)]);
    }
    case 'UpdateContact': {
      const found = requireContact(state, command.contactId);
      if (!found.ok) return found;
      const contact = found.value;
      if (contact.relievedAt)
        return err(badInput('input.contactId', `${contact.fullName} has been relieved and cannot be changed`));
      const next = {
        fullName: command.fullName ?? contact.fullName,
        title: command.title === undefined ? contact.title : command.title,
        phone: command.phone === undefined ? contact.phone : command.phone,
        email: command.email === undefined ? contact.email : command.email,
      };
      const unchanged =
        next.fullName === contact.fullName &&
        next.title === contact.title &&
        next.phone === contact.phone &&
        next.email === contact.email;
      if (unchanged) return ok([]);
      return ok([{ type: 'ContactDetailsChanged', data: { organizationId, contactId: contact.id, ...next } }]);
    }
    case 'RelieveContact': {
      const found = requireContact(state, command.contactId);
      if (!found.ok) return found;
      if (found.value.relievedAt)
        return err(conflict(`${found.value.fullName} has already been relieved`, { field: 'input.contactId' }));
      if (before(command.relievedAt, found.value.appointedFrom)) {
        return err(badInput('input.relievedAt', 'relief cannot come before the appointment'));
      }
      return ok([
        { type: 'ContactRelieved', data: { organizationId, ...pick(command, ['contactId', 'relievedAt', 'reason']) } },
      ]);
    }
    case 'DesignateSpokesperson': {
      const found = requireContact(state, command.contactId);
      if (!found.ok) return found;
      const contact = found.value;
      if (contact.relievedAt)
        return err(badInput('input.contactId', `${contact.fullName} has been relieved and cannot be designated`));
      if (before(command.from, contact.appointedFrom)) {
        return err(badInput('input.from', 'designation cannot start before the contact was appointed'));
      }
      if (state.spokesperson?.contactId === contact.id) return ok([]);
      if (state.spokesperson && before(command.from, state.spokesperson.from)) {
        return err(badInput('input.from', 'a new spokesperson cannot start before the current one did'));
      }
      return ok([designation(state, contact.id, command.from)]);
    }
  }
}

export function evolve(state: OrganizationState, event: DirectoryEvent): OrganizationState {
  switch (event.type) {
    case 'OrganizationRegistered':
      return {
        ...state,
        exists: true,
        id: event.data.organizationId,
        name: event.data.name,
        kind: event.data.kind,
        code: event.data.code,
        establishedAt: event.data.establishedAt,
      };
    case 'OrganizationRenamed':
      return { ...state, name: event.data.name };
    case 'OrganizationReclassified':
      return { ...state, kind: event.data.kind };
    case 'OrganizationMergedInto':
      return { ...state, status: 'MERGED', successorId: event.data.successorId, spokesperson: null };
    case 'OrganizationDissolved':
      return { ...state, status: 'DISSOLVED', spokesperson: null };
    case 'ContactAppointed': {
      const { organizationId: _org, ...contact } = event.data;
      return {
        ...state,
        contacts: {
          ...state.contacts,
          [contact.contactId]: { id: contact.contactId, ...withoutId(contact), relievedAt: null },
        },
      };
    }
    case 'ContactDetailsChanged':
      return updateContact(state, event.data.contactId, {
        fullName: event.data.fullName,
        title: event.data.title,
        phone: event.data.phone,
        email: event.data.email,
      });
    case 'ContactRelieved': {
      const next = updateContact(state, event.data.contactId, { relievedAt: event.data.relievedAt });
      return next.spokesperson?.contactId === event.data.contactId ? { ...next, spokesperson: null } : next;
    }
    case 'SpokespersonDesignated':
      return { ...state, spokesperson: { contactId: event.data.contactId, from: event.data.from } };
    case 'OrganizationRecoded':
      return { ...state, code: event.data.code };
    case 'OrganizationsMerged':
    case 'OrganizationCodeClaimed':
    case 'OrganizationCodeReleased':
      return state;
  }
}

export const organizationDecider: Decider<OrganizationCommand, OrganizationState, DirectoryEvent> = {
  initialState: initialOrganization,
  decide,
  evolve,
};

function updateContact(state: OrganizationState, contactId: string, change: Partial<ContactState>): OrganizationState {
  const contact = state.contacts[contactId];
  if (!contact) return state;
  return { ...state, contacts: { ...state.contacts, [contactId]: { ...contact, ...change } } };
}

function withoutId<T extends { contactId: string }>(value: T): Omit<T, 'contactId'> {
  const { contactId: _id, ...rest } = value;
  return rest;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = value[key];
  return out;
}
