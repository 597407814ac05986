import { describe, expect, it } from 'vitest';
import {
  type CentralOrganization,
  centralOrganizationById,
  centralOrganizationsAsOf,
  centralOrganizationsBeforeMarch2025,
  centralSuccessorOf,
  isCentralOrganizationId,
  ministryReorganization2025,
  pressAuthorityAsOf,
} from './central-organizations.js';

const BEFORE = '2025-02-28';
const FROM = '2025-03-01';

const count = (organizations: readonly CentralOrganization[]) => ({
  ministries: organizations.filter((o) => o.kind === 'MINISTRY').length,
  // The Government Office is a ministerial-level agency with a kind of its own in the hub.
  ministerialLevelAgencies: organizations.filter(
    (o) => o.kind === 'MINISTERIAL_AGENCY' || o.kind === 'GOVERNMENT_OFFICE',
  ).length,
});

const names = (organizations: readonly CentralOrganization[], kind: CentralOrganization['kind']) =>
  organizations
    .filter((o) => o.kind === kind)
    .map((o) => o.name)
    .sort((a, b) => a.localeCompare(b, 'vi'));

describe('the Government before 1 March 2025', () => {
  it('has 18 ministries and 4 ministerial-level agencies, the Government Office among the agencies', () => {
    const before = centralOrganizationsAsOf(BEFORE);
    expect(before).toBe(centralOrganizationsBeforeMarch2025);
    expect(count(before)).toEqual({ ministries: 18, ministerialLevelAgencies: 4 });
    expect(names(before, 'MINISTERIAL_AGENCY')).toEqual([
      'Ngân hàng Nhà nước Việt Nam',
      'Thanh tra Chính phủ',
      'Ủy ban Dân tộc',
    ]);
    expect(names(before, 'GOVERNMENT_OFFICE')).toEqual(['Văn phòng Chính phủ']);
  });

  it('has distinct ids, abbreviations and names, all NFC', () => {
    for (const field of ['id', 'abbreviation', 'name', 'nameEn'] as const) {
      expect(new Set(centralOrganizationsBeforeMarch2025.map((o) => o[field])).size).toBe(22);
    }
    for (const o of centralOrganizationsBeforeMarch2025) {
      expect(o.name).toBe(o.name.normalize('NFC'));
      expect(o.abbreviation).toBe(o.abbreviation.normalize('NFC'));
      expect(o.id).toMatch(o.kind === 'MINISTRY' ? /^min-[a-z-]+$/u : /^agency-[a-z-]+$/u);
    }
  });
});

describe('the Government from 1 March 2025 (Resolution 176/2025/QH15)', () => {
  it('has 14 ministries and 3 ministerial-level agencies', () => {
    expect(ministryReorganization2025.effective).toBe('2025-03-01T00:00:00+07:00');
    expect(ministryReorganization2025.legalBasis).toBe('176/2025/QH15');
    expect(count(centralOrganizationsAsOf(FROM))).toEqual({ ministries: 14, ministerialLevelAgencies: 3 });
  });

  it('has exactly these 14 ministries', () => {
    expect(names(centralOrganizationsAsOf(FROM), 'MINISTRY')).toEqual(
      [
        'Bộ Công an',
        'Bộ Công Thương',
        'Bộ Dân tộc và Tôn giáo',
        'Bộ Giáo dục và Đào tạo',
        'Bộ Khoa học và Công nghệ',
        'Bộ Ngoại giao',
        'Bộ Nội vụ',
        'Bộ Nông nghiệp và Môi trường',
        'Bộ Quốc phòng',
        'Bộ Tài chính',
        'Bộ Tư pháp',
        'Bộ Văn hóa, Thể thao và Du lịch',
        'Bộ Xây dựng',
        'Bộ Y tế',
      ].sort((a, b) => a.localeCompare(b, 'vi')),
    );
    expect(names(centralOrganizationsAsOf(FROM), 'MINISTERIAL_AGENCY')).toEqual([
      'Ngân hàng Nhà nước Việt Nam',
      'Thanh tra Chính phủ',
    ]);
    expect(names(centralOrganizationsAsOf(FROM), 'GOVERNMENT_OFFICE')).toEqual(['Văn phòng Chính phủ']);
  });

  it('switches at midnight Vietnam time', () => {
    expect(centralOrganizationsAsOf('2025-02-28T16:59:59Z')).toHaveLength(22);
    expect(centralOrganizationsAsOf('2025-02-28T17:00:00Z')).toHaveLength(17);
  });

  it('merges five ministries into their successors', () => {
    const merged = ministryReorganization2025.mergers.map(({ absorbedId, successorId }) => [absorbedId, successorId]);
    expect(merged).toEqual([
      ['min-planning-investment', 'min-finance'],
      ['min-information-communications', 'min-science-technology'],
      ['min-transport', 'min-construction'],
      ['min-natural-resources-environment', 'min-agriculture'],
      ['min-labour-invalids-social-affairs', 'min-home-affairs'],
    ]);
    for (const [absorbedId, successorId] of merged) {
      expect(centralSuccessorOf(absorbedId!)).toBe(successorId);
      expect(centralOrganizationById(absorbedId!, BEFORE)).toBeDefined();
      expect(centralOrganizationById(absorbedId!, FROM)).toBeUndefined();
      expect(centralOrganizationById(successorId!, FROM)).toBeDefined();
    }
    expect(centralSuccessorOf('min-finance')).toBeUndefined();
    expect(ministryReorganization2025.mergers[4]?.notes).toContain('Ministry of Health');
    expect(ministryReorganization2025.mergers[4]?.notes).toContain('vocational education');
  });

  it('renames Agriculture to Agriculture and Environment, keeping the organization', () => {
    expect(centralOrganizationById('min-agriculture', BEFORE)?.name).toBe('Bộ Nông nghiệp và Phát triển nông thôn');
    expect(centralOrganizationById('min-agriculture', FROM)).toEqual({
      id: 'min-agriculture',
      name: 'Bộ Nông nghiệp và Môi trường',
      nameEn: 'Ministry of Agriculture and Environment',
      abbreviation: 'BNNMT',
      kind: 'MINISTRY',
    });
  });

  it('turns the Committee for Ethnic Minority Affairs into the Ministry of Ethnic and Religious Affairs', () => {
    expect(centralOrganizationById('agency-ethnic-affairs', BEFORE)).toMatchObject({
      name: 'Ủy ban Dân tộc',
      kind: 'MINISTERIAL_AGENCY',
    });
    expect(centralOrganizationById('agency-ethnic-affairs', FROM)).toEqual({
      id: 'agency-ethnic-affairs',
      name: 'Bộ Dân tộc và Tôn giáo',
      nameEn: 'Ministry of Ethnic and Religious Affairs',
      abbreviation: 'BDTTG',
      kind: 'MINISTRY',
    });
  });

  it('moves state management of the press from Information and Communications to Culture, Sports and Tourism', () => {
    expect(ministryReorganization2025.functionTransfers).toContainEqual({
      function: 'state management of the press',
      fromId: 'min-information-communications',
      toId: 'min-culture-sports-tourism',
      legalBasis: '43/2025/NĐ-CP',
    });
    expect(pressAuthorityAsOf(BEFORE).abbreviation).toBe('BTTTT');
    expect(pressAuthorityAsOf(FROM).abbreviation).toBe('BVHTTDL');
  });

  it('refers only to known organizations, with the kinds they had', () => {
    const { mergers, renames, reclassifications, functionTransfers } = ministryReorganization2025;
    const ids = [
      ...mergers.flatMap((m) => [m.absorbedId, m.successorId]),
      ...renames.map((r) => r.id),
      ...reclassifications.map((r) => r.id),
      ...functionTransfers.flatMap((t) => [t.fromId, t.toId]),
    ];
    for (const id of ids) expect(isCentralOrganizationId(id)).toBe(true);
    for (const { id, from } of reclassifications) expect(centralOrganizationById(id, BEFORE)?.kind).toBe(from);
    expect(isCentralOrganizationId('min-tourism')).toBe(false);
  });
});
