import type { EventDefinition } from '../catalogue.js';
import { e164, email, id, instant, name, object, optionalText } from './schema-parts.js';

export const organizationKinds = [
  'GOVERNMENT_OFFICE',
  'MINISTRY',
  'MINISTERIAL_AGENCY',
  'GOVERNMENT_AGENCY',
  'PROVINCE',
  'PROVINCIAL_DEPARTMENT',
  'PRESS_AGENCY',
  'MASS_ORGANIZATION',
  // A commune-level unit since 1 July 2025 (xã, phường or đặc khu), its parent a PROVINCE.
  'COMMUNE',
] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

export const contactRoles = [
  'SPOKESPERSON',
  'FOCAL_POINT',
  'COMMUNICATIONS_OFFICER',
  'EDITOR',
  'DUTY_OFFICER',
] as const;
export type ContactRole = (typeof contactRoles)[number];

export type AreaFlags = {
  readonly border: boolean;
  readonly coastal: boolean;
  readonly island: boolean;
};

export type OrganizationRegistered = {
  readonly organizationId: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly shortName: string | null;
  readonly kind: OrganizationKind;
  readonly code: string | null;
  readonly parentId: string | null;
  readonly areas: AreaFlags;
  /** When the organization came into being in the world (reference data reaches back before the hub). */
  readonly establishedAt: string;
};
export type OrganizationRenamed = {
  readonly organizationId: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly shortName: string | null;
  readonly effectiveAt: string;
  readonly legalBasis: string | null;
};
export type OrganizationRecoded = {
  readonly organizationId: string;
  readonly code: string;
  readonly effectiveAt: string;
  readonly legalBasis: string | null;
};
export type OrganizationReclassified = {
  readonly organizationId: string;
  readonly kind: OrganizationKind;
  readonly effectiveAt: string;
  readonly legalBasis: string | null;
};
/** On the successor's stream: it absorbed these units. */
export type OrganizationsMerged = {
  readonly organizationId: string;
  readonly absorbedIds: readonly string[];
  readonly areas: AreaFlags;
  readonly effectiveAt: string;
  readonly legalBasis: string | null;
};
/** On each absorbed unit's stream, so its own decisions see that it no longer stands alone. */
export type OrganizationMergedInto = {
  readonly organizationId: string;
  readonly successorId: string;
  readonly effectiveAt: string;
  readonly legalBasis: string | null;
};
export type OrganizationDissolved = {
  readonly organizationId: string;
  readonly effectiveAt: string;
  readonly reason: string | null;
};
export type ContactAppointed = {
  readonly organizationId: string;
  readonly contactId: string;
  readonly fullName: string;
  readonly title: string | null;
  readonly roles: readonly ContactRole[];
  readonly phone: string | null;
  readonly email: string | null;
  readonly appointedFrom: string;
};
export type ContactDetailsChanged = {
  readonly organizationId: string;
  readonly contactId: string;
  readonly fullName: string;
  readonly title: string | null;
  readonly phone: string | null;
  readonly email: string | null;
};
export type ContactRelieved = {
  readonly organizationId: string;
  readonly contactId: string;
  readonly relievedAt: string;
  readonly reason: string | null;
};
export type SpokespersonDesignated = {
  readonly organizationId: string;
  readonly contactId: string;
  readonly from: string;
  /** The spokesperson whose designation this one ends, if any. */
  readonly previousContactId: string | null;
};

/**
 * On the register stream of one official code of one kind (`organization-code-PROVINCE-15`): the
 * organization that holds it from now on. One holder at a time is what keeps codes unique at any
 * instant while letting a code pass on (15 was Yên Bái's and is Lào Cai's since 1 July 2025).
 */
export type OrganizationCodeClaimed = {
  readonly organizationId: string;
  readonly kind: OrganizationKind;
  readonly code: string;
};
/** The holder gave the code up: it was merged, dissolved, recoded or reclassified, or its registration failed. */
export type OrganizationCodeReleased = {
  readonly organizationId: string;
  readonly kind: OrganizationKind;
  readonly code: string;
};

export interface DirectoryEventMap {
  OrganizationRegistered: OrganizationRegistered;
  OrganizationRenamed: OrganizationRenamed;
  OrganizationRecoded: OrganizationRecoded;
  OrganizationReclassified: OrganizationReclassified;
  OrganizationsMerged: OrganizationsMerged;
  OrganizationMergedInto: OrganizationMergedInto;
  OrganizationDissolved: OrganizationDissolved;
  ContactAppointed: ContactAppointed;
  ContactDetailsChanged: ContactDetailsChanged;
  ContactRelieved: ContactRelieved;
  SpokespersonDesignated: SpokespersonDesignated;
  OrganizationCodeClaimed: OrganizationCodeClaimed;
  OrganizationCodeReleased: OrganizationCodeReleased;
}

/** A directory event as deciders and other contexts' projections see it: type and data. */
export type DirectoryEvent = {
  [K in keyof DirectoryEventMap]: { readonly type: K; readonly data: DirectoryEventMap[K] };
}[keyof DirectoryEventMap];

const kind = { enum: [...organizationKinds] };
const legalBasis = optionalText(100);
const areas = object({ border: { type: 'boolean' }, coastal: { type: 'boolean' }, island: { type: 'boolean' } }, [
  'border',
  'coastal',
  'island',
]);

export const directoryEvents: EventDefinition[] = [
  {
    type: 'OrganizationRegistered',
    version: 1,
    schema: object(
      {
        organizationId: id,
        name,
        nameEn: optionalText(300),
        shortName: optionalText(100),
        kind,
        code: { type: ['string', 'null'], minLength: 1, maxLength: 20 },
        parentId: { type: ['string', 'null'], minLength: 1, maxLength: 100 },
        areas,
        establishedAt: instant,
      },
      ['organizationId', 'name', 'nameEn', 'shortName', 'kind', 'code', 'parentId', 'areas', 'establishedAt'],
    ),
  },
  {
    type: 'OrganizationRenamed',
    version: 1,
    schema: object(
      {
        organizationId: id,
        name,
        nameEn: optionalText(300),
        shortName: optionalText(100),
        effectiveAt: instant,
        legalBasis,
      },
      ['organizationId', 'name', 'nameEn', 'shortName', 'effectiveAt', 'legalBasis'],
    ),
  },
  {
    type: 'OrganizationRecoded',
    version: 1,
    schema: object(
      { organizationId: id, code: { type: 'string', minLength: 1, maxLength: 20 }, effectiveAt: instant, legalBasis },
      ['organizationId', 'code', 'effectiveAt', 'legalBasis'],
    ),
  },
  {
    type: 'OrganizationReclassified',
    version: 1,
    schema: object({ organizationId: id, kind, effectiveAt: instant, legalBasis }, [
      'organizationId',
      'kind',
      'effectiveAt',
      'legalBasis',
    ]),
  },
  {
    type: 'OrganizationsMerged',
    version: 1,
    schema: object(
      {
        organizationId: id,
        absorbedIds: { type: 'array', items: id, minItems: 1, uniqueItems: true },
        areas,
        effectiveAt: instant,
        legalBasis,
      },
      ['organizationId', 'absorbedIds', 'areas', 'effectiveAt', 'legalBasis'],
    ),
  },
  {
    type: 'OrganizationMergedInto',
    version: 1,
    schema: object({ organizationId: id, successorId: id, effectiveAt: instant, legalBasis }, [
      'organizationId',
      'successorId',
      'effectiveAt',
      'legalBasis',
    ]),
  },
  {
    type: 'OrganizationDissolved',
    version: 1,
    schema: object({ organizationId: id, effectiveAt: instant, reason: optionalText(1000) }, [
      'organizationId',
      'effectiveAt',
      'reason',
    ]),
  },
  {
    type: 'ContactAppointed',
    version: 1,
    schema: object(
      {
        organizationId: id,
        contactId: id,
        fullName: name,
        title: optionalText(300),
        roles: { type: 'array', items: { enum: [...contactRoles] }, minItems: 1, uniqueItems: true },
        phone: e164,
        email,
        appointedFrom: instant,
      },
      ['organizationId', 'contactId', 'fullName', 'title', 'roles', 'phone', 'email', 'appointedFrom'],
    ),
  },
  {
    type: 'ContactDetailsChanged',
    version: 1,
    schema: object(
      { organizationId: id, contactId: id, fullName: name, title: optionalText(300), phone: e164, email },
      ['organizationId', 'contactId', 'fullName', 'title', 'phone', 'email'],
    ),
  },
  {
    type: 'ContactRelieved',
    version: 1,
    schema: object({ organizationId: id, contactId: id, relievedAt: instant, reason: optionalText(1000) }, [
      'organizationId',
      'contactId',
      'relievedAt',
      'reason',
    ]),
  },
  {
    type: 'SpokespersonDesignated',
    version: 1,
    schema: object(
      { organizationId: id, contactId: id, from: instant, previousContactId: { type: ['string', 'null'] } },
      ['organizationId', 'contactId', 'from', 'previousContactId'],
    ),
  },
  ...(['OrganizationCodeClaimed', 'OrganizationCodeReleased'] as const).map(
    (type): EventDefinition => ({
      type,
      version: 1,
      schema: object({ organizationId: id, kind, code: { type: 'string', minLength: 1, maxLength: 20 } }, [
        'organizationId',
        'kind',
        'code',
      ]),
    }),
  ),
];
