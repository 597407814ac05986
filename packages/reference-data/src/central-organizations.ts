import { type AsOf, instantOf } from './as-of.js';

/**
 * Kinds of the Government's member bodies, as the hub's OrganizationKind names them. The Government
 * Office is a ministerial-level agency in law; the hub gives it its own kind GOVERNMENT_OFFICE
 * because it coordinates the whole network, but it counts among the ministerial-level agencies:
 * 18 ministries + 4 ministerial-level agencies (Government Office included) before 1 March 2025,
 * 14 + 3 from then on.
 */
export type CentralOrganizationKind = 'MINISTRY' | 'MINISTERIAL_AGENCY' | 'GOVERNMENT_OFFICE';

export type CentralOrganizationId = `min-${string}` | `agency-${string}`;

export interface CentralOrganization {
  /** Stable through renames and reclassification, so its prefix tells the kind it was created with. */
  readonly id: CentralOrganizationId;
  /** Official Vietnamese name, NFC. */
  readonly name: string;
  readonly nameEn: string;
  /** The abbreviation used in document numbers and correspondence: BTC, BKHCN, VPCP… */
  readonly abbreviation: string;
  readonly kind: CentralOrganizationKind;
}

/** The Government's 22 member bodies from 2007 until 28 February 2025. */
export const centralOrganizationsBeforeMarch2025: readonly CentralOrganization[] = [
  {
    id: 'min-defence',
    name: 'Bộ Quốc phòng',
    nameEn: 'Ministry of National Defence',
    abbreviation: 'BQP',
    kind: 'MINISTRY',
  },
  {
    id: 'min-public-security',
    name: 'Bộ Công an',
    nameEn: 'Ministry of Public Security',
    abbreviation: 'BCA',
    kind: 'MINISTRY',
  },
  {
    id: 'min-foreign-affairs',
    name: 'Bộ Ngoại giao',
    nameEn: 'Ministry of Foreign Affairs',
    abbreviation: 'BNG',
    kind: 'MINISTRY',
  },
  {
    id: 'min-home-affairs',
    name: 'Bộ Nội vụ',
    nameEn: 'Ministry of Home Affairs',
    abbreviation: 'BNV',
    kind: 'MINISTRY',
  },
  { id: 'min-justice', name: 'Bộ Tư pháp', nameEn: 'Ministry of Justice', abbreviation: 'BTP', kind: 'MINISTRY' },
  {
    id: 'min-planning-investment',
    name: 'Bộ Kế hoạch và Đầu tư',
    nameEn: 'Ministry of Planning and Investment',
    abbreviation: 'BKHĐT',
    kind: 'MINISTRY',
  },
  { id: 'min-finance', name: 'Bộ Tài chính', nameEn: 'Ministry of Finance', abbreviation: 'BTC', kind: 'MINISTRY' },
  {
    id: 'min-industry-trade',
    name: 'Bộ Công Thương',
    nameEn: 'Ministry of Industry and Trade',
    abbreviation: 'BCT',
    kind: 'MINISTRY',
  },
  {
    id: 'min-agriculture',
    name: 'Bộ Nông nghiệp và Phát triển nông thôn',
    nameEn: 'Ministry of Agriculture and Rural Development',
    abbreviation: 'BNNPTNT',
    kind: 'MINISTRY',
  },
  {
    id: 'min-transport',
    name: 'Bộ Giao thông vận tải',
    nameEn: 'Ministry of Transport',
    abbreviation: 'BGTVT',
    kind: 'MINISTRY',
  },
  {
    id: 'min-construction',
    name: 'Bộ Xây dựng',
    nameEn: 'Ministry of Construction',
    abbreviation: 'BXD',
    kind: 'MINISTRY',
  },
  {
    id: 'min-natural-resources-environment',
    name: 'Bộ Tài nguyên và Môi trường',
    nameEn: 'Ministry of Natural Resources and Environment',
    abbreviation: 'BTNMT',
    kind: 'MINISTRY',
  },
  {
    id: 'min-information-communications',
    name: 'Bộ Thông tin và Truyền thông',
    nameEn: 'Ministry of Information and Communications',
    abbreviation: 'BTTTT',
    kind: 'MINISTRY',
  },
  {
    id: 'min-labour-invalids-social-affairs',
    name: 'Bộ Lao động - Thương binh và Xã hội',
    nameEn: 'Ministry of Labour, Invalids and Social Affairs',
    abbreviation: 'BLĐTBXH',
    kind: 'MINISTRY',
  },
  {
    id: 'min-culture-sports-tourism',
    name: 'Bộ Văn hóa, Thể thao và Du lịch',
    nameEn: 'Ministry of Culture, Sports and Tourism',
    abbreviation: 'BVHTTDL',
    kind: 'MINISTRY',
  },
  {
    id: 'min-science-technology',
    name: 'Bộ Khoa học và Công nghệ',
    nameEn: 'Ministry of Science and Technology',
    abbreviation: 'BKHCN',
    kind: 'MINISTRY',
  },
  {
    id: 'min-education-training',
    name: 'Bộ Giáo dục và Đào tạo',
    nameEn: 'Ministry of Education and Training',
    abbreviation: 'BGDĐT',
    kind: 'MINISTRY',
  },
  { id: 'min-health', name: 'Bộ Y tế', nameEn: 'Ministry of Health', abbreviation: 'BYT', kind: 'MINISTRY' },
  {
    id: 'agency-ethnic-affairs',
    name: 'Ủy ban Dân tộc',
    nameEn: 'Committee for Ethnic Minority Affairs',
    abbreviation: 'UBDT',
    kind: 'MINISTERIAL_AGENCY',
  },
  {
    id: 'agency-state-bank',
    name: 'Ngân hàng Nhà nước Việt Nam',
    nameEn: 'State Bank of Vietnam',
    abbreviation: 'NHNN',
    kind: 'MINISTERIAL_AGENCY',
  },
  {
    id: 'agency-government-inspectorate',
    name: 'Thanh tra Chính phủ',
    nameEn: 'Government Inspectorate',
    abbreviation: 'TTCP',
    kind: 'MINISTERIAL_AGENCY',
  },
  {
    id: 'agency-government-office',
    name: 'Văn phòng Chính phủ',
    nameEn: 'Government Office',
    abbreviation: 'VPCP',
    kind: 'GOVERNMENT_OFFICE',
  },
];

export interface CentralMerger {
  readonly absorbedId: CentralOrganizationId;
  readonly successorId: CentralOrganizationId;
  readonly notes?: string;
}

export interface CentralRename {
  readonly id: CentralOrganizationId;
  readonly name: string;
  readonly nameEn: string;
  readonly abbreviation: string;
}

export interface CentralReclassification {
  readonly id: CentralOrganizationId;
  readonly from: CentralOrganizationKind;
  readonly to: CentralOrganizationKind;
}

/** A state-management function that moved from one body to another. */
export interface FunctionTransfer {
  readonly function: string;
  readonly fromId: CentralOrganizationId;
  readonly toId: CentralOrganizationId;
  /** The act that assigned the function to its new holder, where it is a different act from the reorganization's. */
  readonly legalBasis?: string;
}

export interface CentralReorganization {
  readonly effective: string;
  readonly legalBasis: string;
  readonly mergers: readonly CentralMerger[];
  readonly renames: readonly CentralRename[];
  readonly reclassifications: readonly CentralReclassification[];
  readonly functionTransfers: readonly FunctionTransfer[];
}

/** The Government's structure for the rest of the 15th term: 14 ministries and 3 ministerial-level agencies. */
export const ministryReorganization2025: CentralReorganization = {
  effective: '2025-03-01T00:00:00+07:00',
  legalBasis: '176/2025/QH15',
  mergers: [
    { absorbedId: 'min-planning-investment', successorId: 'min-finance' },
    { absorbedId: 'min-information-communications', successorId: 'min-science-technology' },
    { absorbedId: 'min-transport', successorId: 'min-construction' },
    { absorbedId: 'min-natural-resources-environment', successorId: 'min-agriculture' },
    {
      absorbedId: 'min-labour-invalids-social-affairs',
      successorId: 'min-home-affairs',
      notes:
        'Social protection and children went to the Ministry of Health, vocational education to the Ministry of Education and Training; the rest of the ministry merged into the Ministry of Home Affairs.',
    },
  ],
  renames: [
    {
      id: 'min-agriculture',
      name: 'Bộ Nông nghiệp và Môi trường',
      nameEn: 'Ministry of Agriculture and Environment',
      abbreviation: 'BNNMT',
    },
    {
      id: 'agency-ethnic-affairs',
      name: 'Bộ Dân tộc và Tôn giáo',
      nameEn: 'Ministry of Ethnic and Religious Affairs',
      abbreviation: 'BDTTG',
    },
  ],
  reclassifications: [{ id: 'agency-ethnic-affairs', from: 'MINISTERIAL_AGENCY', to: 'MINISTRY' }],
  functionTransfers: [
    {
      function: 'state management of the press',
      fromId: 'min-information-communications',
      toId: 'min-culture-sports-tourism',
      legalBasis: '43/2025/NĐ-CP',
    },
    {
      function: 'social protection and children',
      fromId: 'min-labour-invalids-social-affairs',
      toId: 'min-health',
    },
    {
      function: 'vocational education',
      fromId: 'min-labour-invalids-social-affairs',
      toId: 'min-education-training',
    },
    {
      function: 'state management of religion',
      fromId: 'min-home-affairs',
      toId: 'agency-ethnic-affairs',
    },
  ],
};

const byIdBefore = new Map<string, CentralOrganization>(
  centralOrganizationsBeforeMarch2025.map((organization) => [organization.id, organization]),
);

const centralOrganizationsFromMarch2025: readonly CentralOrganization[] = (() => {
  const { mergers, renames, reclassifications } = ministryReorganization2025;
  const absorbed = new Set<string>(mergers.map((merger) => merger.absorbedId));
  return centralOrganizationsBeforeMarch2025
    .filter((organization) => !absorbed.has(organization.id))
    .map((organization) => {
      const rename = renames.find((r) => r.id === organization.id);
      const reclassification = reclassifications.find((r) => r.id === organization.id);
      return {
        ...organization,
        ...(rename && { name: rename.name, nameEn: rename.nameEn, abbreviation: rename.abbreviation }),
        ...(reclassification && { kind: reclassification.to }),
      };
    });
})();

const reorganized = (at: number): boolean => at >= Date.parse(ministryReorganization2025.effective);

/** The ministries and ministerial-level agencies in force at `asOf`, with the names and kinds they had then. */
export const centralOrganizationsAsOf = (asOf: AsOf): readonly CentralOrganization[] =>
  reorganized(instantOf(asOf)) ? centralOrganizationsFromMarch2025 : centralOrganizationsBeforeMarch2025;

/** The body `id` as it was at `asOf`, or undefined when it did not exist then (merged away, or unknown). */
export const centralOrganizationById = (id: string, asOf: AsOf): CentralOrganization | undefined =>
  centralOrganizationsAsOf(asOf).find((organization) => organization.id === id);

/** The id of the body that absorbed `id` on 1 March 2025; undefined for bodies never absorbed. */
export const centralSuccessorOf = (id: string): CentralOrganizationId | undefined =>
  ministryReorganization2025.mergers.find((merger) => merger.absorbedId === id)?.successorId;

/**
 * The ministry in charge of the press at `asOf`: Information and Communications until
 * 28 February 2025, Culture, Sports and Tourism from 1 March 2025 (Decree 43/2025/NĐ-CP).
 */
export const pressAuthorityAsOf = (asOf: AsOf): CentralOrganization => {
  const transfer = ministryReorganization2025.functionTransfers.find(
    (t) => t.function === 'state management of the press',
  )!;
  const id = reorganized(instantOf(asOf)) ? transfer.toId : transfer.fromId;
  return centralOrganizationById(id, asOf)!;
};

/** Whether `id` names one of the Government's member bodies at any time the data covers. */
export const isCentralOrganizationId = (id: string): id is CentralOrganizationId => byIdBefore.has(id);
