import { randomUUID } from 'node:crypto';
import { type Caller, requireRole, type UserCaller } from '@hub/auth';
import { type CommandContext, type CommandHandler, type CommandResult, deterministicId } from '@hub/command-handling';
import { badInput, notFound } from '@hub/errors';
import { type ContactRole, contactRoles, type OrganizationKind } from '@hub/event-catalogue';
import { isValidEmail, nfc, normalizeVietnamesePhone } from '@hub/vietnamese';
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
/** Parent links never run deeper than this (commune → province); a longer chain is a cycle in bad data. */
const MAX_DEPTH = 8;

function personName(value: string, field: string): string {
  const text = nfc(value);
  if (text.length === 0) throw badInput(field, `${field.split('.').pop()} must not be empty`);
  if (text.length > 300) throw badInput(field, `${field.split('.').pop()} must have at most 300 characters`);
  return text;
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
  return optional(value);
}

/** Waits until the read model has applied a command's events, so a mutation can answer with what it wrote. */
export type ReadYourWrites = (result: CommandResult<unknown>) => Promise<void>;

const optional = (value: string | null | undefined): string | null => {
  if (value === undefined || value === null) return null;
  const text = nfc(value);
  return text.length > 0 ? text : null;
};

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
    // Registering an organization of the national network is an administrator's act; an
    // organization's own editors may register its departments under it.
    const user = input.parentId
      ? requireRole(caller, ['ADMIN', 'ORG_EDITOR'], input.parentId)
      : requireRole(caller, ['ADMIN']);
    const name = nfc(input.name);
    if (name.length === 0) throw badInput('input.name', 'name must not be empty');
    if (name.length > 300) throw badInput('input.name', 'name must have at most 300 characters');
    const code = optional(input.code);
    if (code !== null && !/^[0-9A-Za-z.-]{1,20}$/.test(code)) {
      throw badInput('input.code', 'code has 1 to 20 letters, digits, dots or hyphens');
    }
    const now = this.now().toISOString();
    if (input.parentId) {
      const parents = await this.readModel.organizationsByIds([input.parentId], now);
      if (!parents.has(input.parentId)) throw notFound('Organization', input.parentId);
    }
    const organizationId = input.idempotencyKey
      ? deterministicId(['organization', user.userId, input.idempotencyKey])
      : randomUUID();
    const result = await this.commands.handle(
      organizationDecider,
      organizationStream(organizationId),
      {
        type: 'RegisterOrganization',
        organizationId,
        name,
        nameEn: optional(input.nameEn),
        shortName: optional(input.shortName),
        kind: input.kind,
        code,
        parentId: input.parentId ?? null,
        areas: { border: false, coastal: false, island: false },
        establishedAt: input.establishedAt ?? now,
      },
      this.context(user, organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.organizationNow(result.state.id);
  }

  async appointContact(caller: Caller, input: AppointContact): Promise<ContactRow> {
    const user = await this.requireEditorOf(caller, input.organizationId);
    const fullName = personName(input.fullName, 'input.fullName');
    if (input.roles.length === 0) throw badInput('input.roles', 'name at least one role');
    const roles = [...new Set(input.roles)];
    if (roles.some((role) => !contactRoles.includes(role))) throw badInput('input.roles', 'unknown role');
    const phone = phoneOf(input.phone, 'input.phone') ?? null;
    const email = emailOf(input.email, 'input.email') ?? null;
    const contactId = input.idempotencyKey
      ? deterministicId(['contact', user.userId, input.idempotencyKey])
      : randomUUID();
    const result = await this.commands.handle(
      organizationDecider,
      organizationStream(input.organizationId),
      {
        type: 'AppointContact',
        contactId,
        fullName,
        title: titleOf(input.title) ?? null,
        roles,
        phone,
        email,
        appointedFrom: input.appointedFrom ?? this.now().toISOString(),
      },
      this.context(user, input.organizationId, input.idempotencyKey),
    );
    await this.caughtUp(result);
    return this.contactNow(contactId);
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
        reason: optional(input.reason),
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
    const user = requireRole(caller, [...EDITORS]);
    if (user.roles.includes('ADMIN') || user.organizationId === organizationId) return user;
    const now = this.now().toISOString();
    let id = organizationId;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const parentId = (await this.readModel.organizationsByIds([id], now)).get(id)?.parentId;
      if (!parentId) break;
      if (parentId === user.organizationId) return user;
      id = parentId;
    }
    return requireRole(caller, [...EDITORS], organizationId);
  }

  private context(user: UserCaller, organizationId: string, idempotencyKey?: string | null): CommandContext {
    return {
      actor: { userId: user.userId, organizationId: user.organizationId },
      organizationId,
      idempotencyKey: idempotencyKey ?? null,
    };
  }
}
