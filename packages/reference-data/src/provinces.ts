import { rankByMatch } from '@hub/vietnamese';
import { type AsOf, instantOf } from './as-of.js';

/** Stable identifier of a provincial unit; it never changes when the unit is renamed, recoded or enlarged. */
export type ProvinceId = `prov-${string}`;

/** A centrally-run city (thành phố trực thuộc trung ương) or a province (tỉnh). */
export type ProvinceKind = 'city' | 'province';

export interface ProvinceFlags {
  /** Shares a land border with China, Laos or Cambodia. */
  readonly border: boolean;
  /** Has a sea coast. */
  readonly coastal: boolean;
  /** Has island districts (after July 2025: island special zones, đặc khu). */
  readonly island: boolean;
}

export interface ProvincialUnit extends ProvinceFlags {
  readonly id: ProvinceId;
  /** The official two-digit code valid at the moment asked about. */
  readonly code: string;
  /** Official short name, NFC: "Hà Nội", "Thừa Thiên Huế", "TP. Hồ Chí Minh". */
  readonly name: string;
  /** "Thành phố Hà Nội", "Tỉnh Lào Cai". */
  readonly fullName: string;
  readonly nameEn: string;
  readonly kind: ProvinceKind;
}

type Row = readonly [
  code: string,
  id: ProvinceId,
  name: string,
  nameEn: string,
  kind: ProvinceKind,
  border: boolean,
  coastal: boolean,
  island: boolean,
];

const fullNameOf = (name: string, kind: ProvinceKind): string =>
  kind === 'city' ? `Thành phố ${name.replace(/^TP\. /u, '')}` : `Tỉnh ${name}`;

// code, id, name, nameEn, kind, border, coastal, island
const ROWS: readonly Row[] = [
  ['01', 'prov-ha-noi', 'Hà Nội', 'Ha Noi', 'city', false, false, false],
  ['02', 'prov-ha-giang', 'Hà Giang', 'Ha Giang', 'province', true, false, false],
  ['04', 'prov-cao-bang', 'Cao Bằng', 'Cao Bang', 'province', true, false, false],
  ['06', 'prov-bac-kan', 'Bắc Kạn', 'Bac Kan', 'province', false, false, false],
  ['08', 'prov-tuyen-quang', 'Tuyên Quang', 'Tuyen Quang', 'province', false, false, false],
  ['10', 'prov-lao-cai', 'Lào Cai', 'Lao Cai', 'province', true, false, false],
  ['11', 'prov-dien-bien', 'Điện Biên', 'Dien Bien', 'province', true, false, false],
  ['12', 'prov-lai-chau', 'Lai Châu', 'Lai Chau', 'province', true, false, false],
  ['14', 'prov-son-la', 'Sơn La', 'Son La', 'province', true, false, false],
  ['15', 'prov-yen-bai', 'Yên Bái', 'Yen Bai', 'province', false, false, false],
  ['17', 'prov-hoa-binh', 'Hòa Bình', 'Hoa Binh', 'province', false, false, false],
  ['19', 'prov-thai-nguyen', 'Thái Nguyên', 'Thai Nguyen', 'province', false, false, false],
  ['20', 'prov-lang-son', 'Lạng Sơn', 'Lang Son', 'province', true, false, false],
  ['22', 'prov-quang-ninh', 'Quảng Ninh', 'Quang Ninh', 'province', true, true, true],
  ['24', 'prov-bac-giang', 'Bắc Giang', 'Bac Giang', 'province', false, false, false],
  ['25', 'prov-phu-tho', 'Phú Thọ', 'Phu Tho', 'province', false, false, false],
  ['26', 'prov-vinh-phuc', 'Vĩnh Phúc', 'Vinh Phuc', 'province', false, false, false],
  ['27', 'prov-bac-ninh', 'Bắc Ninh', 'Bac Ninh', 'province', false, false, false],
  ['30', 'prov-hai-duong', 'Hải Dương', 'Hai Duong', 'province', false, false, false],
  ['31', 'prov-hai-phong', 'Hải Phòng', 'Hai Phong', 'city', false, true, true],
  ['33', 'prov-hung-yen', 'Hưng Yên', 'Hung Yen', 'province', false, false, false],
  ['34', 'prov-thai-binh', 'Thái Bình', 'Thai Binh', 'province', false, true, false],
  ['35', 'prov-ha-nam', 'Hà Nam', 'Ha Nam', 'province', false, false, false],
  ['36', 'prov-nam-dinh', 'Nam Định', 'Nam Dinh', 'province', false, true, false],
  ['37', 'prov-ninh-binh', 'Ninh Bình', 'Ninh Binh', 'province', false, true, false],
  ['38', 'prov-thanh-hoa', 'Thanh Hóa', 'Thanh Hoa', 'province', true, true, false],
  ['40', 'prov-nghe-an', 'Nghệ An', 'Nghe An', 'province', true, true, false],
  ['42', 'prov-ha-tinh', 'Hà Tĩnh', 'Ha Tinh', 'province', true, true, false],
  ['44', 'prov-quang-binh', 'Quảng Bình', 'Quang Binh', 'province', true, true, false],
  ['45', 'prov-quang-tri', 'Quảng Trị', 'Quang Tri', 'province', true, true, true],
  ['46', 'prov-hue', 'Thừa Thiên Huế', 'Thua Thien Hue', 'province', true, true, false],
  ['48', 'prov-da-nang', 'Đà Nẵng', 'Da Nang', 'city', false, true, true],
  ['49', 'prov-quang-nam', 'Quảng Nam', 'Quang Nam', 'province', true, true, false],
  ['51', 'prov-quang-ngai', 'Quảng Ngãi', 'Quang Ngai', 'province', false, true, true],
  ['52', 'prov-binh-dinh', 'Bình Định', 'Binh Dinh', 'province', false, true, false],
  ['54', 'prov-phu-yen', 'Phú Yên', 'Phu Yen', 'province', false, true, false],
  ['56', 'prov-khanh-hoa', 'Khánh Hòa', 'Khanh Hoa', 'province', false, true, true],
  ['58', 'prov-ninh-thuan', 'Ninh Thuận', 'Ninh Thuan', 'province', false, true, false],
  ['60', 'prov-binh-thuan', 'Bình Thuận', 'Binh Thuan', 'province', false, true, true],
  ['62', 'prov-kon-tum', 'Kon Tum', 'Kon Tum', 'province', true, false, false],
  ['64', 'prov-gia-lai', 'Gia Lai', 'Gia Lai', 'province', true, false, false],
  ['66', 'prov-dak-lak', 'Đắk Lắk', 'Dak Lak', 'province', true, false, false],
  ['67', 'prov-dak-nong', 'Đắk Nông', 'Dak Nong', 'province', true, false, false],
  ['68', 'prov-lam-dong', 'Lâm Đồng', 'Lam Dong', 'province', false, false, false],
  ['70', 'prov-binh-phuoc', 'Bình Phước', 'Binh Phuoc', 'province', true, false, false],
  ['72', 'prov-tay-ninh', 'Tây Ninh', 'Tay Ninh', 'province', true, false, false],
  ['74', 'prov-binh-duong', 'Bình Dương', 'Binh Duong', 'province', false, false, false],
  ['75', 'prov-dong-nai', 'Đồng Nai', 'Dong Nai', 'province', false, false, false],
  ['77', 'prov-ba-ria-vung-tau', 'Bà Rịa–Vũng Tàu', 'Ba Ria–Vung Tau', 'province', false, true, true],
  ['79', 'prov-ho-chi-minh', 'TP. Hồ Chí Minh', 'Ho Chi Minh City', 'city', false, true, false],
  ['80', 'prov-long-an', 'Long An', 'Long An', 'province', true, false, false],
  ['82', 'prov-tien-giang', 'Tiền Giang', 'Tien Giang', 'province', false, true, false],
  ['83', 'prov-ben-tre', 'Bến Tre', 'Ben Tre', 'province', false, true, false],
  ['84', 'prov-tra-vinh', 'Trà Vinh', 'Tra Vinh', 'province', false, true, false],
  ['86', 'prov-vinh-long', 'Vĩnh Long', 'Vinh Long', 'province', false, false, false],
  ['87', 'prov-dong-thap', 'Đồng Tháp', 'Dong Thap', 'province', true, false, false],
  ['89', 'prov-an-giang', 'An Giang', 'An Giang', 'province', true, false, false],
  ['91', 'prov-kien-giang', 'Kiên Giang', 'Kien Giang', 'province', true, true, true],
  ['92', 'prov-can-tho', 'Cần Thơ', 'Can Tho', 'city', false, false, false],
  ['93', 'prov-hau-giang', 'Hậu Giang', 'Hau Giang', 'province', false, false, false],
  ['94', 'prov-soc-trang', 'Sóc Trăng', 'Soc Trang', 'province', false, true, false],
  ['95', 'prov-bac-lieu', 'Bạc Liêu', 'Bac Lieu', 'province', false, true, false],
  ['96', 'prov-ca-mau', 'Cà Mau', 'Ca Mau', 'province', false, true, false],
];

/**
 * The 63 provincial units in force from 1 August 2008 to 30 June 2025, as constituted on
 * 1 August 2008 with their pre-2025 codes. Later changes are in provinceRenames and
 * provinceMerger2025; provincesAsOf applies them.
 */
export const provinces2008To2025: readonly ProvincialUnit[] = ROWS.map(
  ([code, id, name, nameEn, kind, border, coastal, island]) => ({
    id,
    code,
    name,
    fullName: fullNameOf(name, kind),
    nameEn,
    kind,
    border,
    coastal,
    island,
  }),
);

export interface ProvinceRename {
  readonly id: ProvinceId;
  readonly effective: string;
  readonly legalBasis: string;
  readonly name: string;
  readonly fullName: string;
  readonly nameEn: string;
  readonly kind: ProvinceKind;
}

/** Units that stayed the same organization under a new name or status, code unchanged; in order of effect. */
export const provinceRenames: readonly ProvinceRename[] = [
  {
    id: 'prov-hue',
    effective: '2025-01-01T00:00:00+07:00',
    legalBasis: '175/2024/QH15',
    name: 'Huế',
    fullName: 'Thành phố Huế',
    nameEn: 'Hue',
    kind: 'city',
  },
];

export interface ProvinceMergerSuccessor {
  /** The unit whose name the merged unit kept; the same organization continues under this id. */
  readonly successorId: ProvinceId;
  readonly absorbedIds: readonly ProvinceId[];
  /** The successor's code from the merger on: the code of the unit where its seat is. */
  readonly code: string;
}

export interface ProvinceMerger {
  readonly effective: string;
  readonly legalBasis: string;
  /** The decision that assigned the codes valid from `effective`. */
  readonly codesLegalBasis: string;
  readonly successors: readonly ProvinceMergerSuccessor[];
  /** Codes of the units that were neither merged nor absorbed; each keeps the code it had. */
  readonly unchangedCodes: readonly string[];
}

/** 63 provincial units became 34 on 1 July 2025 (Resolution 202/2025/QH15). */
export const provinceMerger2025: ProvinceMerger = {
  effective: '2025-07-01T00:00:00+07:00',
  legalBasis: '202/2025/QH15',
  codesLegalBasis: '19/2025/QĐ-TTg',
  successors: [
    { successorId: 'prov-tuyen-quang', absorbedIds: ['prov-ha-giang'], code: '08' },
    { successorId: 'prov-lao-cai', absorbedIds: ['prov-yen-bai'], code: '15' },
    { successorId: 'prov-thai-nguyen', absorbedIds: ['prov-bac-kan'], code: '19' },
    { successorId: 'prov-phu-tho', absorbedIds: ['prov-vinh-phuc', 'prov-hoa-binh'], code: '25' },
    { successorId: 'prov-bac-ninh', absorbedIds: ['prov-bac-giang'], code: '24' },
    { successorId: 'prov-hung-yen', absorbedIds: ['prov-thai-binh'], code: '33' },
    { successorId: 'prov-hai-phong', absorbedIds: ['prov-hai-duong'], code: '31' },
    { successorId: 'prov-ninh-binh', absorbedIds: ['prov-ha-nam', 'prov-nam-dinh'], code: '37' },
    { successorId: 'prov-quang-tri', absorbedIds: ['prov-quang-binh'], code: '44' },
    { successorId: 'prov-da-nang', absorbedIds: ['prov-quang-nam'], code: '48' },
    { successorId: 'prov-quang-ngai', absorbedIds: ['prov-kon-tum'], code: '51' },
    { successorId: 'prov-gia-lai', absorbedIds: ['prov-binh-dinh'], code: '52' },
    { successorId: 'prov-khanh-hoa', absorbedIds: ['prov-ninh-thuan'], code: '56' },
    { successorId: 'prov-lam-dong', absorbedIds: ['prov-dak-nong', 'prov-binh-thuan'], code: '68' },
    { successorId: 'prov-dak-lak', absorbedIds: ['prov-phu-yen'], code: '66' },
    { successorId: 'prov-ho-chi-minh', absorbedIds: ['prov-binh-duong', 'prov-ba-ria-vung-tau'], code: '79' },
    { successorId: 'prov-dong-nai', absorbedIds: ['prov-binh-phuoc'], code: '75' },
    { successorId: 'prov-tay-ninh', absorbedIds: ['prov-long-an'], code: '80' },
    { successorId: 'prov-can-tho', absorbedIds: ['prov-soc-trang', 'prov-hau-giang'], code: '92' },
    { successorId: 'prov-vinh-long', absorbedIds: ['prov-ben-tre', 'prov-tra-vinh'], code: '86' },
    { successorId: 'prov-dong-thap', absorbedIds: ['prov-tien-giang'], code: '82' },
    { successorId: 'prov-ca-mau', absorbedIds: ['prov-bac-lieu'], code: '96' },
    { successorId: 'prov-an-giang', absorbedIds: ['prov-kien-giang'], code: '91' },
  ],
  unchangedCodes: ['01', '04', '11', '12', '14', '20', '22', '38', '40', '42', '46'],
};

const byId = new Map<ProvinceId, ProvincialUnit>(provinces2008To2025.map((unit) => [unit.id, unit]));

const unitOf = (id: ProvinceId): ProvincialUnit => {
  const unit = byId.get(id);
  if (!unit) throw new Error(`reference data names unknown province ${id}`);
  return unit;
};

const successorIdByAbsorbedId = new Map<string, ProvinceId>(
  provinceMerger2025.successors.flatMap(({ successorId, absorbedIds }) =>
    absorbedIds.map((absorbedId): [string, ProvinceId] => [absorbedId, successorId]),
  ),
);

const withRenames = (unit: ProvincialUnit, at: number): ProvincialUnit => {
  let current = unit;
  for (const { id, effective, name, fullName, nameEn, kind } of provinceRenames) {
    if (id === unit.id && Date.parse(effective) <= at) current = { ...current, name, fullName, nameEn, kind };
  }
  return current;
};

const byCode = (a: ProvincialUnit, b: ProvincialUnit): number => a.code.localeCompare(b.code);

const before2025Merger = (at: number): ProvincialUnit[] =>
  provinces2008To2025.map((unit) => withRenames(unit, at)).sort(byCode);

const after2025Merger = (at: number): ProvincialUnit[] => {
  const successors = provinceMerger2025.successors.map(({ successorId, absorbedIds, code }) => {
    const parts = [unitOf(successorId), ...absorbedIds.map(unitOf)];
    return {
      ...withRenames(unitOf(successorId), at),
      code,
      border: parts.some((part) => part.border),
      coastal: parts.some((part) => part.coastal),
      island: parts.some((part) => part.island),
    };
  });
  const unchanged = provinces2008To2025
    .filter((unit) => provinceMerger2025.unchangedCodes.includes(unit.code))
    .map((unit) => withRenames(unit, at));
  return [...unchanged, ...successors].sort(byCode);
};

/**
 * The provincial units in force at `asOf`, ordered by code, each with the code, name and flags it
 * had then: 63 before 1 July 2025 (Vietnam time), 34 from then on. A successor's flags are those
 * of any of its parts.
 */
export const provincesAsOf = (asOf: AsOf): ProvincialUnit[] => {
  const at = instantOf(asOf);
  return at < Date.parse(provinceMerger2025.effective) ? before2025Merger(at) : after2025Merger(at);
};

/** The unit that had `code` at `asOf`: "15" is Yên Bái on 2025-06-30 and Lào Cai on 2025-07-01. */
export const provinceByCode = (code: string, asOf: AsOf): ProvincialUnit | undefined =>
  provincesAsOf(asOf).find((unit) => unit.code === code);

/** The unit `id` as it was at `asOf`, or undefined when it did not exist then (absorbed, or unknown). */
export const provinceById = (id: string, asOf: AsOf): ProvincialUnit | undefined =>
  provincesAsOf(asOf).find((unit) => unit.id === id);

/** The id of the unit that absorbed `id` on 1 July 2025; undefined for units that were never absorbed. */
export const successorOf = (id: string): ProvinceId | undefined => successorIdByAbsorbedId.get(id);

/**
 * The unit that carries `id` on at `asOf`: the unit itself while it exists, its successor once it
 * has been absorbed; undefined for an unknown id. This is how an organization's province is derived
 * across the merger.
 */
export const resolveProvince = (id: string, asOf: AsOf): ProvincialUnit | undefined => {
  const unit = provinceById(id, asOf);
  if (unit) return unit;
  const successorId = successorOf(id);
  return successorId === undefined ? undefined : provinceById(successorId, asOf);
};

/**
 * The units in force at `asOf` whose Vietnamese short name, full name or English name matches
 * `query`, best match first (see matchScore in @hub/vietnamese): "thanh hoa", "THANH HÓA" and
 * "Thanh Hoá" all find Thanh Hóa.
 */
export const findProvinces = (query: string, asOf: AsOf): ProvincialUnit[] =>
  rankByMatch(query, provincesAsOf(asOf), (unit) => [unit.name, unit.fullName, unit.nameEn]);
