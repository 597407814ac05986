import { DateTimeScalar, pageOf, type RequestContext } from '@hub/graphql-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { OrganizationRow } from '../read-model.js';
import type { DirectoryService } from '../service.js';
import {
  Organization,
  OrganizationConnection,
  OrganizationKindEnum,
  OrganizationStatusEnum,
  RegisterOrganizationInput,
  toOrganization,
} from './types.js';

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
    const rows = await ctx.directory.readModel.listOrganizations({ kind, status, search, asOf: instant(asOf) });
    return pageOf(rows.map(toOrganization), { first, after });
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

  @Mutation(() => Organization)
  async registerOrganization(
    @Ctx() ctx: DirectoryContext,
    @Arg('input', () => RegisterOrganizationInput) input: RegisterOrganizationInput,
  ): Promise<Organization> {
    return toOrganization(await ctx.directory.registerOrganization(ctx.caller, input));
  }
}

/** Federation: other subgraphs refer to an organization by id and get it as it is now. */
export const referenceResolvers = {
  Organization: {
    __resolveReference: (reference: { id: string }, ctx: DirectoryContext) =>
      organizationLoader(ctx, instant(null)).load(reference.id),
  },
};
