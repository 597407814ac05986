import type { CentralOrganizationId } from './central-organizations.js';
import { type ProvinceId, provinceMerger2025, provincesAsOf } from './provinces.js';

export type PressAgencyId = `press-${string}`;

export interface PressAgency {
  readonly id: PressAgencyId;
  /** Official Vietnamese name, NFC. */
  readonly name: string;
  readonly nameEn: string;
  readonly abbreviation?: string;
  readonly kind: 'PRESS_AGENCY';
  /** The organization in this data set it belongs to: a ministry, the Government Office, a province, another press agency. */
  readonly parentId?: CentralOrganizationId | ProvinceId | PressAgencyId;
  /** The governing body when it is not an organization in this data set (Party, Government, unions). */
  readonly governingBody?: string;
}

/** Central press agencies the network works with first; the ≈880 others register through the directory. */
export const nationalPressAgencies: readonly PressAgency[] = [
  {
    id: 'press-nhan-dan',
    name: 'Báo Nhân Dân',
    nameEn: 'Nhan Dan Newspaper',
    kind: 'PRESS_AGENCY',
    governingBody: 'Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam',
  },
  {
    id: 'press-vtv',
    name: 'Đài Truyền hình Việt Nam',
    nameEn: 'Vietnam Television',
    abbreviation: 'VTV',
    kind: 'PRESS_AGENCY',
    governingBody: 'Chính phủ',
  },
  {
    id: 'press-vov',
    name: 'Đài Tiếng nói Việt Nam',
    nameEn: 'Voice of Vietnam',
    abbreviation: 'VOV',
    kind: 'PRESS_AGENCY',
    governingBody: 'Chính phủ',
  },
  {
    id: 'press-vna',
    name: 'Thông tấn xã Việt Nam',
    nameEn: 'Vietnam News Agency',
    abbreviation: 'TTXVN',
    kind: 'PRESS_AGENCY',
    governingBody: 'Chính phủ',
  },
  {
    id: 'press-qdnd',
    name: 'Báo Quân đội nhân dân',
    nameEn: "People's Army Newspaper",
    abbreviation: 'QĐND',
    kind: 'PRESS_AGENCY',
    parentId: 'min-defence',
  },
  {
    id: 'press-cand',
    name: 'Báo Công an nhân dân',
    nameEn: "People's Public Security Newspaper",
    abbreviation: 'CAND',
    kind: 'PRESS_AGENCY',
    parentId: 'min-public-security',
  },
  {
    id: 'press-vgp',
    name: 'Báo Điện tử Chính phủ',
    nameEn: 'Vietnam Government Portal News',
    abbreviation: 'VGP',
    kind: 'PRESS_AGENCY',
    parentId: 'agency-government-office',
  },
  {
    id: 'press-vietnamplus',
    name: 'Báo điện tử VietnamPlus',
    nameEn: 'VietnamPlus',
    kind: 'PRESS_AGENCY',
    parentId: 'press-vna',
  },
  {
    id: 'press-tuoi-tre',
    name: 'Báo Tuổi Trẻ',
    nameEn: 'Tuoi Tre Newspaper',
    kind: 'PRESS_AGENCY',
    governingBody: 'Thành đoàn Thành phố Hồ Chí Minh',
  },
  {
    id: 'press-thanh-nien',
    name: 'Báo Thanh Niên',
    nameEn: 'Thanh Nien Newspaper',
    kind: 'PRESS_AGENCY',
    governingBody: 'Hội Liên hiệp Thanh niên Việt Nam',
  },
  {
    id: 'press-lao-dong',
    name: 'Báo Lao Động',
    nameEn: 'Lao Dong Newspaper',
    kind: 'PRESS_AGENCY',
    governingBody: 'Tổng Liên đoàn Lao động Việt Nam',
  },
];

/**
 * One "Báo và Phát thanh, Truyền hình" per provincial unit in force since 1 July 2025, the form into
 * which provincial newspapers and radio-TV stations were merged in 2025. Hà Nội and TP. Hồ Chí Minh
 * kept different arrangements; the hub still gives each one agency named after the 2025 pattern so
 * that every province has a press agency to distribute to.
 */
export const provincialPressAgencies: readonly PressAgency[] = provincesAsOf(provinceMerger2025.effective).map(
  (province) => ({
    id: `press-prov-${province.id.slice('prov-'.length)}`,
    name: `Báo và Phát thanh, Truyền hình ${province.name}`,
    nameEn: `${province.nameEn} Newspaper and Radio-Television`,
    kind: 'PRESS_AGENCY',
    parentId: province.id,
  }),
);

export const pressAgencies: readonly PressAgency[] = [...nationalPressAgencies, ...provincialPressAgencies];
