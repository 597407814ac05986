import { randomUUID } from 'node:crypto';
import { type Caller, requireRole, type UserCaller } from '@hub/auth';
import { type CommandContext, type CommandHandler, type CommandResult, deterministicId } from '@hub/command-handling';
import { badInput, notFound } from '@hub/errors';
import type { OrganizationKind } from '@hub/event-catalogue';
import { nfc } from '@hub/vietnamese';
import { organizationDecider } from './domain/organization.js';
import { organizationStream } from './events.js';
import type { DirectoryReadModel, OrganizationRow } from './read-model.js';

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

  async organizationNow(id: string): Promise<OrganizationRow> {
    const now = this.now().toISOString();
    const row = (await this.readModel.organizationsByIds([id], now)).get(id);
    if (!row) throw notFound('Organization', id);
    return row;
  }

  private context(user: UserCaller, organizationId: string, idempotencyKey?: string | null): CommandContext {
    return {
      actor: { userId: user.userId, organizationId: user.organizationId },
      organizationId,
      idempotencyKey: idempotencyKey ?? null,
    };
  }
}
