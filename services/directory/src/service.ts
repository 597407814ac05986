import { randomUUID } from 'node:crypto';
import { type Caller, requireRole, type UserCaller } from '@hub/auth';
import {
  type BulkCommand,
  bulkCommand,
  type CommandContext,
  type CommandHandler,
  type CommandResult,
  deterministicId,
} from '@hub/command-handling';
import { badInput, err, HubError, isHubError, notFound, ok, type Result } from '@hub/errors';
import { type ContactRole, contactRoles, type OrganizationKind } from '@hub/event-catalogue';
import { optionalText, requiredText } from '@hub/graphql-kit';
import { isValidEmail, normalizeVietnamesePhone } from '@hub/vietnamese';
import { checkOfficialCode, officialCodeDecider, officialCodeStream } from './domain/official-code.js';
import { organizationDecider } from './domain/organization.js';
import { organizationStream } from './events.js';
import type { ContactRow, DirectoryReadModel, OrganizationRow } from './read-model.js';

export interface RegisterOrganization {
  readonly name: string;
  readonly nameEn?: string | null;
  readonly shortName?: string | null;
  readonly kind: OrganizationKind;
  readonly code?: string | null;
  readonly parentId?: string | null;
  readonly establishedAt?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface AppointContact {
  readonly organizationId: string;
  readonly fullName: string;
  readonly title?: string | null;
  readonly roles: readonly ContactRole[];
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly appointedFrom?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface UpdateContact {
  readonly contactId: string;
  readonly fullName?: string | null;
  readonly title?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface RelieveContact {
  readonly contactId: string;
  readonly relievedAt?: string | null;
  readonly reason?: string | null;
  readonly idempotencyKey?: string | null;
}

export interface DesignateSpokesperson {
  readonly organizationId: string;
  readonly contactId: string;
  readonly from?: string | null;
  readonly idempotencyKey?: string | null;
}

const EDITORS = ['ADMIN', 'ORG_EDITOR'] as const;
/** Contacts one `appointContacts` call may carry: one transaction, kept short. */
export const MAX_BULK_APPOINTMENTS = 1_000;
/** Parent links never run deeper than this (commune → province); a longer chain is a cycle in bad data. */
const MAX_DEPTH = 8;

/**
 * The national structure: the Government Office, ministries, ministerial-level and government
 * agencies, provinces and communes. Only administrators register or change these.
 */
const NATIONAL_KINDS: ReadonlySet<string> = new Set([
  'GOVERNMENT_OFFICE',
  'MINISTRY',
  'MINISTERIAL_AGENCY',
  'GOVERNMENT_AGENCY',
  'PROVINCE',
  'COMMUNE',
]);
/** Kinds that stand at the top of the structure, under no parent. */
const TOP_LEVEL_KINDS: ReadonlySet<string> = new Set([
  'GOVERNMENT_OFFICE',
  'MINISTRY',
  'MINISTERIAL_AGENCY',
  'GOVERNMENT_AGENCY',
  'PROVINCE',
]);
/** Kinds whose parent must be of one kind. */
const PARENT_KIND: Readonly<Record<string, OrganizationKind>> = {
  COMMUNE: 'PROVINCE',
  PROVINCIAL_DEPARTMENT: 'PROVINCE',
};

const notFoundAt = (field: string, message: string) => new HubError('NOT_FOUND', message, { field });

/**
 * Who may register what: administrators anything; an organization's editors only units of other
 * kinds under their own organization. The national structure is never an editor's to extend.
 */
function authorizeRegistration(caller: Caller, input: RegisterOrganization): UserCaller {
  if (NATIONAL_KINDS.has(input.kind)) {
    const user = requireRole(caller, ['ADMIN']);
    if (TOP_LEVEL_KINDS.has(input.kind) && input.parentId) {
      throw badInput('input.parentId', `a ${input.kind.toLowerCase()} stands under no parent organization`);
    }
    return user;
  }
  return input.parentId ? requireRole(caller, [...EDITORS], input.parentId) : requireRole(caller, ['ADMIN']);
}

function personName(value: string, field: string): string {
  return requiredText(value, field, { max: 300 });
}

/** undefined: leave as is; null or blank: clear; otherwise the E.164 form. */
function phoneOf(value: string | null | undefined, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const phone = normalizeVietnamesePhone(value);
  if (!phone.ok) throw badInput(field, `phone ${JSON.stringify(value)}: ${phone.reason}`);
  return phone.value;
}

function emailOf(value: string | null | undefined, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  const email = value.trim().toLowerCase();
  if (!isValidEmail(email)) throw badInput(field, `email ${JSON.stringify(value)} is not a valid address`);
  return email;
}

function titleOf(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return optionalText(value, 'input.title', { max: 300 });
}

/** Waits until the read model has applied a command's events, so a mutation can answer with what it wrote. */
export type ReadYourWrites = (result: CommandResult<unknown>) => Promise<void>;

/**
 * The directory's use cases: authorize, turn input into a valid command, let the decider rule,
 * and answer from the read model once it has caught up.
 */
export class DirectoryService {
  constructor(
    readonly readModel: DirectoryReadModel,
    private readonly commands: CommandHandler,
    private readonly caughtUp: ReadYourWrites,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async registerOrganization(caller: Caller, input: RegisterOrganization) {
    const user = authorizeRegistration(caller, input);
    const name = requiredText(input.name, 'input.name', { max: 300 });
    const code = optionalText(input.code, 'input.code', { max: 20 });
    if (code !== null) {
      const checked = checkOfficialCode(input.kind, code);
      if (!checked.ok) throw checked.error;
    }
    const now = this.now().toISOString();
    if (input.parentId) await this.requireOpenParent(input.parentId, input.kind, now);
    const organizationId = input.idempotencyKey
      ? deterministicId(['organization', user.userId, input.idempotencyKey])
      : randomUUID();
    const register = {
      type: 'RegisterOrganization',
      organizationId,
      name,
      nameEn: optionalText(input.nameEn, 'input.nameEn', { max: 300 }),
      shortName: optionalText(input.shortName, 'input.shortName', { max: 100 }),
      kind: input.kind,
      code,
      parentId: input.parentId ?? null,
      areas: { border: false, coastal: false, island: false },
      establishedAt: input.establishedAt ?? now,
    } as const;
    const context = this.context(user, organizationId, input.idempotencyKey);
    // Refused input is refused before the code is taken, so it writes nothing.
    await this.commands.check(organizationDecider, organizationStream(organizationId), register, context);
    const claim = code === null ? null : ({ organizationId, kind: input.kind, code } as const);
    // The code's own stream decides who holds it, so two registrations racing for one code cannot
    // both take it; a registration that still fails gives the code back.
    if (claim) {
      await this.commands.handle(
        officialCodeDecider,
        officialCodeStream(claim.kind, claim.code),
        { type: 'ClaimCode', ...claim },
        this.context(user, organizationId, null),
      );
    }
    let result: CommandResult<unknown>;
    try {
      result = await this.commands.handle(organizationDecider, organizationStream(organizationId), register, context);
    } catch (error) {
      if (claim) {
        await this.commands.handle(
          officialCodeDecider,
          officialCodeStream(claim.kind, claim.code),
          { type: 'ReleaseCode', ...claim },
          this.context(user, organizationId, null),
        );
      }
      throw error;
    }
    await this.caughtUp(result);
    return this.organizationNow(organizationId);
  }

  /** A new unit goes only under a parent that exists and still stands on its own. */
  private async requireOpenParent(parentId: string, kind: OrganizationKind, now: string): Promise<void> {
    const parent = (await this.readModel.organizationsByIds([parentId], now)).get(parentId);
    if (!parent) throw notFoundAt('input.parentId', `Organization ${parentId} does not exist`);
    if (parent.status !== 'ACTIVE') {
      throw badInput('input.parentId', `${parent.name} is ${parent.status.toLowerCase()} and takes no new units`);
    }
    const required = PARENT_KIND[kind];
    if (required && parent.kind !== required) {
      throw badInput('input.parentId', `a ${kind.toLowerCase()} belongs under a ${required.toLowerCase()}`);
    }
  }

  async appointContact(caller: Caller, input: AppointContact): Promise<ContactRow> {
    const user = await this.requireEditorOf(caller, input.organizationId);
    const { stream, command, context } = this.appointment(user, input);
    const result = await this.commands.handle(organizationDecider, stream, command, context);
    await this.caughtUp(result);
    return this.contactNow(command.contactId);
  }

  /**
   * Many appointments in one transaction, each authorized, checked and decided exactly as
   * `appointContact` would: a row that fails gets its own error and the others go ahead.
   */
  async appointContacts(caller: Caller, inputs: readonly AppointContact[]): Promise<Result<ContactRow, HubError>[]> {
    if (inputs.length > MAX_BULK_APPOINTMENTS) {
      throw badInput('inputs', `at most ${MAX_BULK_APPOINTMENTS} contacts per call, got ${inputs.length}`);
    }
    const editors = await this.editorsOf(
      caller,
      inputs.map((input) => input.organizationId),
    );
    const prepared: Result<{ contactId: string; command: BulkCommand }, HubError>[] = inputs.map((input) => {
      try {
        const user = editors.get(input.organizationId);
        if (!user) throw new HubError('INTERNAL', 'organization not authorized');
        if (!user.ok) throw user.error;
        const { stream, command, context } = this.appointment(user.value, input);
        return ok({
          contactId: command.contactId,
          command: bulkCommand(organizationDecider, stream, command, context),
        });
      } catch (error) {
        if (isHubError(error)) return err(error);
        throw error;
      }
    });
    const commands = prepared.flatMap((row) => (row.ok ? [row.value.command] : []));
    const outcomes = commands.length > 0 ? await this.commands.handleMany(commands) : [];
    // Every appended event is in one transaction; waiting for each stream's last one is enough.
    const lastOfStream = new Map<string, CommandResult<unknown>>();
    for (const outcome of outcomes)
      if (outcome.ok && outcome.value.events.length > 0) lastOfStream.set(outcome.value.stream, outcome.value);
    await Promise.all([...lastOfStream.values()].map((result) => this.caughtUp(result)));
    const now = this.now().toISOString();
    const contactIds = prepared.flatMap((row) => (row.ok ? [row.value.contactId] : []));
    const rows = await this.readModel.contactsByIds(contactIds, now, now);
    let next = 0;
    return prepared.map((row) => {
      if (!row.ok) return row;
      const outcome = outcomes[next++];
      if (!outcome) throw new HubError('INTERNAL', 'a bulk answered fewer commands than it was given');
      if (!outcome.ok) return outcome;
      const contact = rows.get(row.value.contactId);
      return contact ? ok(contact) : err(notFound('Contact', row.value.contactId));
    });
  }

  /** An appointment as a command on the organization's stream, its input checked and normalised. */
  private appointment(user: UserCaller, input: AppointContact) {
    const fullName = personName(input.fullName, 'input.fullName');
    if (input.roles.length === 0) throw badInput('input.roles', 'name at least one role');
    const roles = [...new Set(input.roles)];
    if (roles.some((role) => !contactRoles.includes(role))) throw badInput('input.roles', 'unknown role');
    const phone = phoneOf(input.phone, 'input.phone') ?? null;
    const email = emailOf(input.email, 'input.email') ?? null;
    const contactId = input.idempotencyKey
      ? deterministicId(['contact', user.userId, input.idempotencyKey])
      : randomUUID();
    return {
      stream: organizationStream(input.organizationId),
      command: {
        type: 'AppointContact',
        contactId,
        fullName,
        title: titleOf(input.title) ?? null,
        roles,
        phone,
        email,
        appointedFrom: input.appointedFrom ?? this.now().toISOString(),
      } as const,
      context: this.context(user, input.organizationId, input.idempotencyKey),
    };
  }

  async updateContact(caller: Caller, input: UpdateContact): Promise<ContactRow> {
    const contact = await this.contactNow(input.contactId);
    const user = await this.requireEditorOf(caller, contact.organizationId);
    const result = await this.commands.handle(
      organizationDecider,
      organizationStream(contact.organizationId),
      {
        type: 'UpdateContact',
        contactId: contact.id,
        ...(input.fullName === undefined || input.fullName === null
          ? {}
          : { fullName: personName(input.fullName, 'input.fullName') }),
        ...(input.title === undefined ? {} : { title: titleOf(input.title) }),
        ...(input.phone === undefined ? {} : { phone: phoneOf(input.phone, 'input.phone') }),
        ...(input.email === undefined ? {} : { email: emailOf(input.email, 'input.email') }),
      },
      this.context(user, contact.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.contactNow(contact.id);
  }

  async relieveContact(caller: Caller, input: RelieveContact): Promise<ContactRow> {
    const contact = await this.contactNow(input.contactId);
    const user = await this.requireEditorOf(caller, contact.organizationId);
    const result = await this.commands.handle(
      organizationDecider,
      organizationStream(contact.organizationId),
      {
        type: 'RelieveContact',
        contactId: contact.id,
        relievedAt: input.relievedAt ?? this.now().toISOString(),
        reason: optionalText(input.reason, 'input.reason', { max: 1000 }),
      },
      this.context(user, contact.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.contactNow(contact.id);
  }

  async designateSpokesperson(caller: Caller, input: DesignateSpokesperson): Promise<ContactRow> {
    const user = await this.requireEditorOf(caller, input.organizationId);
    const contact = await this.contactNow(input.contactId);
    if (contact.organizationId !== input.organizationId) {
      throw badInput('input.contactId', `contact ${input.contactId} belongs to another organization`);
    }
    const result = await this.commands.handle(
      organizationDecider,
      organizationStream(input.organizationId),
      { type: 'DesignateSpokesperson', contactId: contact.id, from: input.from ?? this.now().toISOString() },
      this.context(user, input.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.contactNow(contact.id);
  }

  async contactNow(id: string): Promise<ContactRow> {
    const now = this.now().toISOString();
    const row = (await this.readModel.contactsByIds([id], now, now)).get(id);
    if (!row) throw notFound('Contact', id);
    return row;
  }

  async organizationNow(id: string): Promise<OrganizationRow> {
    const now = this.now().toISOString();
    const row = (await this.readModel.organizationsByIds([id], now)).get(id);
    if (!row) throw notFound('Organization', id);
    return row;
  }

  /**
   * An editor of the organization itself or of any unit above it: a province's editors manage its
   * communes' contacts, since the grassroots network is built province by province.
   */
  private async requireEditorOf(caller: Caller, organizationId: string): Promise<UserCaller> {
    const decided = (await this.editorsOf(caller, [organizationId])).get(organizationId) as Result<UserCaller>;
    if (!decided.ok) throw decided.error;
    return decided.value;
  }

  /**
   * `requireEditorOf` for many organizations at once: the parent chains are read level by level,
   * one query per level for all of them, not one per organization and hop.
   */
  private async editorsOf(
    caller: Caller,
    organizationIds: readonly string[],
  ): Promise<Map<string, Result<UserCaller>>> {
    const ids = [...new Set(organizationIds)];
    const decided = new Map<string, Result<UserCaller>>();
    let user: UserCaller;
    try {
      user = requireRole(caller, [...EDITORS]);
    } catch (error) {
      if (!isHubError(error)) throw error;
      for (const id of ids) decided.set(id, err(error));
      return decided;
    }
    const now = this.now().toISOString();
    // Each organization climbs its own chain; `at` is where it has got to.
    const climbing = new Map<string, string>();
    for (const id of ids) {
      if (user.roles.includes('ADMIN') || user.organizationId === id) decided.set(id, ok(user));
      else climbing.set(id, id);
    }
    for (let depth = 0; depth < MAX_DEPTH && climbing.size > 0; depth++) {
      const rows = await this.readModel.organizationsByIds([...new Set(climbing.values())], now);
      for (const [id, at] of climbing) {
        const parentId = rows.get(at)?.parentId;
        if (parentId === user.organizationId) decided.set(id, ok(user));
        if (!parentId || parentId === user.organizationId) climbing.delete(id);
        else climbing.set(id, parentId);
      }
    }
    for (const id of ids) {
      if (decided.has(id)) continue;
      try {
        decided.set(id, ok(requireRole(caller, [...EDITORS], id)));
      } catch (error) {
        if (!isHubError(error)) throw error;
        decided.set(id, err(error));
      }
    }
    return decided;
  }

  private context(user: UserCaller, organizationId: string, idempotencyKey?: string | null): CommandContext {
    return {
      actor: { userId: user.userId, organizationId: user.organizationId },
      organizationId,
      idempotencyKey: idempotencyKey ?? null,
    };
  }
}
