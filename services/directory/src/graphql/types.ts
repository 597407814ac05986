import { contactRoles, organizationKinds } from '@hub/event-catalogue';
import { DateTimeScalar, PageInfo } from '@hub/graphql-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { OrganizationRow } from '../read-model.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const OrganizationKindEnum = enumOf(organizationKinds);
export const OrganizationStatusEnum = enumOf(['ACTIVE', 'MERGED', 'DISSOLVED'] as const);
export const ContactRoleEnum = enumOf(contactRoles);
registerEnumType(OrganizationKindEnum, { name: 'OrganizationKind' });
registerEnumType(OrganizationStatusEnum, { name: 'OrganizationStatus' });
registerEnumType(ContactRoleEnum, { name: 'ContactRole' });

/**
 * The GraphQL Organization is the read-model row itself; `asOf` (not a field) travels with it so
 * nested fields answer for the same instant (contract: asOf applies to the whole subtree).
 */
@ObjectType('Organization')
@Directive('@key(fields: "id")')
export class Organization implements OrganizationRow {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Official code where one exists (provinces: two digits).' })
  code!: string | null;

  @Field(() => String, { description: 'Official Vietnamese name.' })
  name!: string;

  @Field(() => String, { nullable: true })
  nameEn!: string | null;

  @Field(() => String, { nullable: true })
  shortName!: string | null;

  @Field(() => OrganizationKindEnum)
  kind!: OrganizationRow['kind'];

  @Field(() => OrganizationStatusEnum)
  status!: OrganizationRow['status'];

  @Field(() => Boolean, { description: 'Shares a land border with a neighbouring country.' })
  get border(): boolean {
    return this.areas.border;
  }

  @Field(() => Boolean, { description: 'Has a sea coast.' })
  get coastal(): boolean {
    return this.areas.coastal;
  }

  @Field(() => Boolean, { description: 'Has island districts or communes.' })
  get island(): boolean {
    return this.areas.island;
  }

  parentId!: string | null;
  areas!: OrganizationRow['areas'];
  successorId!: string | null;
  asOf!: string;
}

export const toOrganization = (row: OrganizationRow): Organization => Object.assign(new Organization(), row);

@ObjectType('OrganizationEdge')
export class OrganizationEdge {
  @Field(() => Organization)
  node!: Organization;

  @Field(() => String)
  cursor!: string;
}

@ObjectType('OrganizationConnection')
export class OrganizationConnection {
  @Field(() => [OrganizationEdge])
  edges!: OrganizationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType('RegisterOrganizationInput')
export class RegisterOrganizationInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  nameEn?: string | null;

  @Field(() => OrganizationKindEnum)
  kind!: OrganizationRow['kind'];

  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => ID, { nullable: true })
  parentId?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;

  @Field(() => String, { nullable: true })
  shortName?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it came into being; default now.' })
  establishedAt?: string | null;
}
