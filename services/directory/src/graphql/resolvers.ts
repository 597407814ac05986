import { isAuthenticated } from '@hub/auth';
import type { HubError } from '@hub/errors';
import { DateTimeScalar, fetchPage, pageOf, type RequestContext } from '@hub/graphql-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { COVERED_KINDS, type ContactRow, type OrganizationRow } from '../read-model.js';
import type { DirectoryService } from '../service.js';
import {
  AppointContactInput,
  ContactAppointment,
  ContactRoleEnum,
  type CoverageGap,
  DesignateSpokespersonInput,
  type GrassrootsCoverage,
  LiaisonContact,
  LiaisonContactConnection,
  LiaisonCoverage,
  Organization,
  OrganizationConnection,
  OrganizationKindEnum,
  OrganizationStatusEnum,
  RegisterOrganizationInput,
  RelieveContactInput,
  toContact,
  toOrganization,
  UpdateContactInput,
} from './types.js';

const appointmentError = (error: HubError) => ({
  code: error.code,
  field: typeof error.details.field === 'string' ? error.details.field : null,
  message: error.message,
});

export interface DirectoryContext extends RequestContext {
  readonly directory: DirectoryService;
}

const instant = (asOf: string | null | undefined): string => asOf ?? new Date().toISOString();

/** Organizations by id at one instant, batched per request. */
export function organizationLoader(ctx: DirectoryContext, asOf: string) {
  return ctx.loaders.get<string, Organization | null>(`organization@${asOf}`, async (ids) => {
    const rows = await ctx.directory.readModel.organizationsByIds(ids, asOf);
    return ids.map((id) => {
      const row = rows.get(id);
      return row ? toOrganization(row) : null;
    });
  });
}

/** The contacts serving each organization at one instant, batched per request. */
export function contactsLoader(ctx: DirectoryContext, asOf: string) {
  return ctx.loaders.get<string, LiaisonContact[]>(`contacts@${asOf}`, async (ids) => {
    const byOrganization = await ctx.directory.readModel.contactsOfOrganizations(ids, asOf, new Date().toISOString());
    return ids.map((id) => (byOrganization.get(id) ?? []).map(toContact));
  });
}

/** The units under each organization at one instant, of one kind or all, batched per request. */
function childrenLoader(ctx: DirectoryContext, asOf: string, kind: OrganizationRow['kind'] | null) {
  return ctx.loaders.get<string, Organization[]>(`children@${asOf}@${kind ?? '*'}`, async (ids) => {
    const byParent = await ctx.directory.readModel.childrenOf(ids, kind, asOf);
    return ids.map((id) => (byParent.get(id) ?? []).map(toOrganization));
  });
}

/** Each organization's spokesperson and focal points at one instant, batched per request. */
export function liaisonsLoader(ctx: DirectoryContext, asOf: string) {
  return ctx.loaders.get<string, LiaisonContact[]>(`liaisons@${asOf}`, async (ids) => {
    const byOrganization = await ctx.directory.readModel.liaisonsOfOrganizations(ids, asOf, new Date().toISOString());
    return ids.map((id) => (byOrganization.get(id) ?? []).map(toContact));
  });
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => OrganizationConnection)
  async organizations(
    @Ctx() ctx: DirectoryContext,
    @Arg('kind', () => OrganizationKindEnum, { nullable: true }) kind?: OrganizationRow['kind'] | null,
    @Arg('status', () => OrganizationStatusEnum, { nullable: true }) status?: OrganizationRow['status'] | null,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('asOf', () => DateTimeScalar, { nullable: true }) asOf?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<OrganizationConnection> {
    const at = instant(asOf);
    if (!search?.trim()) {
      // Without a search the order is the database's, so only the page asked for is read (3,321 communes).
      return fetchPage(
        { first, after },
        (offset, limit) => ctx.directory.readModel.pageOrganizations({ kind, status, asOf: at }, offset, limit),
        toOrganization,
      );
    }
    const rows = await ctx.directory.readModel.listOrganizations({ kind, status, search, asOf: at });
    return pageOf(rows.map(toOrganization), { first, after });
  }

  @Query(() => OrganizationConnection, {
    description:
      "A province's active communes with no focal point serving, by code: who has nobody to receive a policy.",
  })
  communesWithoutFocalPoint(
    @Ctx() ctx: DirectoryContext,
    @Arg('provinceId', () => ID) provinceId: string,
    @Arg('asOf', () => DateTimeScalar, { nullable: true }) asOf?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<OrganizationConnection> {
    const at = instant(asOf);
    return fetchPage(
      { first, after },
      (offset, limit) => ctx.directory.readModel.communesWithoutFocalPoint(provinceId, at, offset, limit),
      toOrganization,
    );
  }

  @Query(() => Organization, { nullable: true })
  organization(
    @Ctx() ctx: DirectoryContext,
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => DateTimeScalar, { nullable: true }) asOf?: string | null,
  ): Promise<Organization | null> {
    return organizationLoader(ctx, instant(asOf)).load(id);
  }

  @Query(() => Organization, { nullable: true })
  async organizationByCode(
    @Ctx() ctx: DirectoryContext,
    @Arg('code', () => String) code: string,
    @Arg('kind', () => OrganizationKindEnum) kind: OrganizationRow['kind'],
    @Arg('asOf', () => DateTimeScalar, { nullable: true }) asOf?: string | null,
  ): Promise<Organization | null> {
    const row = await ctx.directory.readModel.organizationByCode(code.trim(), kind, instant(asOf));
    return row ? toOrganization(row) : null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'Set when MERGED: the unit it was merged into.' })
  successor(@Root() organization: Organization, @Ctx() ctx: DirectoryContext): Promise<Organization | null> | null {
    return organization.successorId ? organizationLoader(ctx, organization.asOf).load(organization.successorId) : null;
  }

  @FieldResolver(() => Organization, { nullable: true })
  parent(@Root() organization: Organization, @Ctx() ctx: DirectoryContext): Promise<Organization | null> | null {
    return organization.parentId ? organizationLoader(ctx, organization.asOf).load(organization.parentId) : null;
  }

  @FieldResolver(() => OrganizationConnection, { description: 'Units whose parent this is, at the same instant.' })
  async children(
    @Root() organization: Organization,
    @Ctx() ctx: DirectoryContext,
    @Arg('kind', () => OrganizationKindEnum, { nullable: true }) kind?: OrganizationRow['kind'] | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<OrganizationConnection> {
    const children = await childrenLoader(ctx, organization.asOf, kind ?? null).load(organization.id);
    return pageOf(children, { first, after });
  }

  @FieldResolver(() => LiaisonContact, { nullable: true, description: 'The spokesperson at the same instant, if any.' })
  async spokesperson(@Root() organization: Organization, @Ctx() ctx: DirectoryContext): Promise<LiaisonContact | null> {
    const liaisons = await liaisonsLoader(ctx, organization.asOf).load(organization.id);
    return liaisons.find((c) => c.roles.includes('SPOKESPERSON')) ?? null;
  }

  @FieldResolver(() => [LiaisonContact])
  async focalPoints(@Root() organization: Organization, @Ctx() ctx: DirectoryContext): Promise<LiaisonContact[]> {
    const liaisons = await liaisonsLoader(ctx, organization.asOf).load(organization.id);
    return liaisons.filter((c) => c.roles.includes('FOCAL_POINT'));
  }

  @FieldResolver(() => LiaisonContactConnection)
  async contacts(
    @Root() organization: Organization,
    @Ctx() ctx: DirectoryContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<LiaisonContactConnection> {
    return pageOf(await contactsLoader(ctx, organization.asOf).load(organization.id), { first, after });
  }

  @Query(() => LiaisonCoverage)
  async liaisonCoverage(
    @Ctx() ctx: DirectoryContext,
    @Arg('asOf', () => DateTimeScalar, { nullable: true }) asOf?: string | null,
  ): Promise<LiaisonCoverage> {
    const at = instant(asOf);
    const organizations = (await ctx.directory.readModel.listOrganizations({ status: 'ACTIVE', asOf: at })).filter(
      (o) => COVERED_KINDS.includes(o.kind),
    );
    const contacts = await liaisonsLoader(ctx, at).loadMany(organizations.map((o) => o.id));
    const gaps: CoverageGap[] = [];
    let withSpokesperson = 0;
    let withFocalPoint = 0;
    organizations.forEach((organization, i) => {
      const serving = contacts[i];
      const list = Array.isArray(serving) ? serving : [];
      const hasSpokesperson = list.some((c) => c.roles.includes('SPOKESPERSON'));
      const hasFocalPoint = list.some((c) => c.roles.includes('FOCAL_POINT'));
      if (hasSpokesperson) withSpokesperson++;
      if (hasFocalPoint) withFocalPoint++;
      if (!hasSpokesperson || !hasFocalPoint) {
        gaps.push({
          organization: toOrganization(organization),
          missingSpokesperson: !hasSpokesperson,
          missingFocalPoint: !hasFocalPoint,
        });
      }
    });
    const provinces = new Map(
      organizations.filter((o) => o.kind === 'PROVINCE').map((o) => [o.id, toOrganization(o)] as const),
    );
    const grassroots: GrassrootsCoverage[] = [];
    for (const row of await ctx.directory.readModel.grassrootsCoverage(at)) {
      const province = provinces.get(row.provinceId);
      if (province) grassroots.push({ ...row, province });
    }
    grassroots.sort((a, b) => (a.province.code ?? '').localeCompare(b.province.code ?? ''));
    return { organizations: organizations.length, withSpokesperson, withFocalPoint, gaps, grassroots };
  }

  @Mutation(() => Organization)
  async registerOrganization(
    @Ctx() ctx: DirectoryContext,
    @Arg('input', () => RegisterOrganizationInput) input: RegisterOrganizationInput,
  ): Promise<Organization> {
    return toOrganization(await ctx.directory.registerOrganization(ctx.caller, input));
  }
}

@Resolver(() => LiaisonContact)
export class ContactResolver {
  @Query(() => LiaisonContactConnection)
  async contacts(
    @Ctx() ctx: DirectoryContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string | null,
    @Arg('role', () => ContactRoleEnum, { nullable: true }) role?: ContactRow['roles'][number] | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<LiaisonContactConnection> {
    const now = instant(null);
    const rows = await ctx.directory.readModel.listContacts({ search, organizationId, role, asOf: now }, now);
    return pageOf(rows.map(toContact), { first, after });
  }

  @FieldResolver(() => Organization)
  async organization(@Root() contact: LiaisonContact, @Ctx() ctx: DirectoryContext): Promise<Organization> {
    const found = await organizationLoader(ctx, contact.asOf).load(contact.organizationId);
    // A contact appointed before its organization's recorded history still names it: fall back to now.
    return (
      found ??
      (await organizationLoader(ctx, instant(null)).load(contact.organizationId)) ??
      unknownOrganization(contact)
    );
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'E.164. Public for a current spokesperson (Decree 09/2017); otherwise only for signed-in users.',
  })
  async phone(@Root() contact: LiaisonContact, @Ctx() ctx: DirectoryContext): Promise<string | null> {
    return (await mayReachContact(contact, ctx)) ? contact.phone : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async email(@Root() contact: LiaisonContact, @Ctx() ctx: DirectoryContext): Promise<string | null> {
    return (await mayReachContact(contact, ctx)) ? contact.email : null;
  }

  @Mutation(() => LiaisonContact)
  async appointContact(
    @Ctx() ctx: DirectoryContext,
    @Arg('input', () => AppointContactInput) input: AppointContactInput,
  ): Promise<LiaisonContact> {
    return toContact(await ctx.directory.appointContact(ctx.caller, input));
  }

  @Mutation(() => [ContactAppointment], {
    description:
      'Appoints many contacts in one transaction (imports); each input is authorized and checked as appointContact.',
  })
  async appointContacts(
    @Ctx() ctx: DirectoryContext,
    @Arg('inputs', () => [AppointContactInput]) inputs: AppointContactInput[],
  ): Promise<ContactAppointment[]> {
    const outcomes = await ctx.directory.appointContacts(ctx.caller, inputs);
    return outcomes.map((outcome, index) =>
      Object.assign(new ContactAppointment(), {
        index,
        contact: outcome.ok ? toContact(outcome.value) : null,
        error: outcome.ok ? null : appointmentError(outcome.error),
      }),
    );
  }

  @Mutation(() => LiaisonContact)
  async updateContact(
    @Ctx() ctx: DirectoryContext,
    @Arg('input', () => UpdateContactInput) input: UpdateContactInput,
  ): Promise<LiaisonContact> {
    return toContact(await ctx.directory.updateContact(ctx.caller, input));
  }

  @Mutation(() => LiaisonContact)
  async relieveContact(
    @Ctx() ctx: DirectoryContext,
    @Arg('input', () => RelieveContactInput) input: RelieveContactInput,
  ): Promise<LiaisonContact> {
    return toContact(await ctx.directory.relieveContact(ctx.caller, input));
  }

  @Mutation(() => LiaisonContact)
  async designateSpokesperson(
    @Ctx() ctx: DirectoryContext,
    @Arg('input', () => DesignateSpokespersonInput) input: DesignateSpokespersonInput,
  ): Promise<LiaisonContact> {
    return toContact(await ctx.directory.designateSpokesperson(ctx.caller, input));
  }
}

/**
 * Decree 09/2017 has a spokesperson's phone and e-mail published; anyone else's are for users of
 * an organization registered in the network (administrators always).
 */
async function mayReachContact(contact: LiaisonContact, ctx: DirectoryContext): Promise<boolean> {
  if (contact.currentSpokesperson) return true;
  if (!isAuthenticated(ctx.caller)) return false;
  if (ctx.caller.roles.includes('ADMIN')) return true;
  return (await organizationLoader(ctx, instant(null)).load(ctx.caller.organizationId)) !== null;
}

function unknownOrganization(contact: LiaisonContact): Organization {
  throw new Error(
    `contact ${contact.id} names organization ${contact.organizationId}, which the directory does not know`,
  );
}

/** Federation: other subgraphs refer to an organization by id and get it as it is now. */
export const referenceResolvers = {
  Organization: {
    __resolveReference: (reference: { id: string }, ctx: DirectoryContext) =>
      organizationLoader(ctx, instant(null)).load(reference.id),
  },
  LiaisonContact: {
    __resolveReference: (reference: { id: string }, ctx: DirectoryContext) =>
      ctx.loaders
        .get<string, LiaisonContact | null>('contact@now', async (ids) => {
          const now = instant(null);
          const rows = await ctx.directory.readModel.contactsByIds(ids, now, now);
          return ids.map((id) => {
            const row = rows.get(id);
            return row ? toContact(row) : null;
          });
        })
        .load(reference.id),
  },
};
