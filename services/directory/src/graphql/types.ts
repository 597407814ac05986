import { contactRoles, organizationKinds } from '@hub/event-catalogue';
import { connectionOf, DateTimeScalar } from '@hub/graphql-kit';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ContactRow, OrganizationRow } from '../read-model.js';

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

  @Field(() => Boolean, { description: 'Is, or includes, an island unit (every đặc khu is one).' })
  get island(): boolean {
    return this.areas.island;
  }

  parentId!: string | null;
  areas!: OrganizationRow['areas'];
  successorId!: string | null;
  asOf!: string;
}

export const toOrganization = (row: OrganizationRow): Organization => Object.assign(new Organization(), row);

export const OrganizationConnection = connectionOf(Organization, 'Organization');
export type OrganizationConnection = InstanceType<typeof OrganizationConnection>;

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

/** A person an organization names for its communication work. */
@ObjectType('LiaisonContact')
@Directive('@key(fields: "id")')
export class LiaisonContact implements ContactRow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  fullName!: string;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => [ContactRoleEnum])
  roles!: ContactRow['roles'];

  @Field(() => DateTimeScalar)
  appointedFrom!: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the appointment ended (the contact was relieved).',
  })
  get appointedTo(): string | null {
    return this.relievedAt;
  }

  organizationId!: string;
  phone!: string | null;
  email!: string | null;
  relievedAt!: string | null;
  currentSpokesperson!: boolean;
  asOf!: string;
}

export const toContact = (row: ContactRow): LiaisonContact => Object.assign(new LiaisonContact(), row);

export const LiaisonContactConnection = connectionOf(LiaisonContact, 'LiaisonContact');
export type LiaisonContactConnection = InstanceType<typeof LiaisonContactConnection>;

@ObjectType('CoverageGap')
export class CoverageGap {
  @Field(() => Organization)
  organization!: Organization;

  @Field(() => Boolean)
  missingSpokesperson!: boolean;

  @Field(() => Boolean)
  missingFocalPoint!: boolean;
}

@ObjectType('GrassrootsCoverage', { description: "One province's commune-level units and their liaisons." })
export class GrassrootsCoverage {
  @Field(() => Organization)
  province!: Organization;

  @Field(() => Int, { description: 'Its active communes, wards and special zones.' })
  communes!: number;

  @Field(() => Int)
  withFocalPoint!: number;

  @Field(() => Int)
  withSpokesperson!: number;
}

@ObjectType('LiaisonCoverage')
export class LiaisonCoverage {
  @Field(() => Int, { description: 'Active organizations counted (ministries, agencies, provinces).' })
  organizations!: number;

  @Field(() => Int)
  withSpokesperson!: number;

  @Field(() => Int)
  withFocalPoint!: number;

  @Field(() => [CoverageGap])
  gaps!: CoverageGap[];

  @Field(() => [GrassrootsCoverage], {
    description: 'Per active province, by code: its communes and how many have a focal point and a spokesperson.',
  })
  grassroots!: GrassrootsCoverage[];
}

@InputType('AppointContactInput')
export class AppointContactInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => String)
  fullName!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => [ContactRoleEnum])
  roles!: ContactRow['roles'];

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  appointedFrom?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@ObjectType('ContactAppointmentError', {
  description: 'Why one appointment of a bulk was refused: as the single mutation would answer.',
})
export class ContactAppointmentError {
  @Field(() => String, { description: 'BAD_USER_INPUT, FORBIDDEN, NOT_FOUND, CONFLICT, …' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'The input field at fault, as in extensions.field.' })
  field!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType('ContactAppointment', { description: 'One input of appointContacts: the contact, or why it was refused.' })
export class ContactAppointment {
  @Field(() => Int, { description: 'Position of the input in the list, from 0.' })
  index!: number;

  @Field(() => LiaisonContact, { nullable: true })
  contact!: LiaisonContact | null;

  @Field(() => ContactAppointmentError, { nullable: true })
  error!: ContactAppointmentError | null;
}

@InputType('UpdateContactInput')
export class UpdateContactInput {
  @Field(() => ID)
  contactId!: string;

  @Field(() => String, { nullable: true })
  fullName?: string | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('RelieveContactInput')
export class RelieveContactInput {
  @Field(() => ID)
  contactId!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  relievedAt?: string | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType('DesignateSpokespersonInput')
export class DesignateSpokespersonInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  contactId!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  from?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}
