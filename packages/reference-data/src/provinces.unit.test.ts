import { searchKey } from '@hub/vietnamese';
import { describe, expect, it } from 'vitest';
import {
  findProvinces,
  type ProvincialUnit,
  provinceByCode,
  provinceById,
  provinceMerger2025,
  provinceRenames,
  provinces2008To2025,
  provincesAsOf,
  resolveProvince,
  successorOf,
} from './provinces.js';

// Verbatim from DESIGN.md §8.
const DESIGN_CODES_BEFORE_2025 = `01 Hà Nội, 02 Hà Giang, 04 Cao Bằng,
  06 Bắc Kạn, 08 Tuyên Quang, 10 Lào Cai, 11 Điện Biên, 12 Lai Châu, 14 Sơn La, 15 Yên Bái,
  17 Hòa Bình, 19 Thái Nguyên, 20 Lạng Sơn, 22 Quảng Ninh, 24 Bắc Giang, 25 Phú Thọ,
  26 Vĩnh Phúc, 27 Bắc Ninh, 30 Hải Dương, 31 Hải Phòng, 33 Hưng Yên, 34 Thái Bình, 35 Hà Nam,
  36 Nam Định, 37 Ninh Bình, 38 Thanh Hóa, 40 Nghệ An, 42 Hà Tĩnh, 44 Quảng Bình, 45 Quảng Trị,
  46 Thừa Thiên Huế (Huế), 48 Đà Nẵng, 49 Quảng Nam, 51 Quảng Ngãi, 52 Bình Định, 54 Phú Yên,
  56 Khánh Hòa, 58 Ninh Thuận, 60 Bình Thuận, 62 Kon Tum, 64 Gia Lai, 66 Đắk Lắk, 67 Đắk Nông,
  68 Lâm Đồng, 70 Bình Phước, 72 Tây Ninh, 74 Bình Dương, 75 Đồng Nai, 77 Bà Rịa–Vũng Tàu,
  79 TP. Hồ Chí Minh, 80 Long An, 82 Tiền Giang, 83 Bến Tre, 84 Trà Vinh, 86 Vĩnh Long,
  87 Đồng Tháp, 89 An Giang, 91 Kiên Giang, 92 Cần Thơ, 93 Hậu Giang, 94 Sóc Trăng, 95 Bạc Liêu,
  96 Cà Mau.`;

const DESIGN_CODES_FROM_2025 = `01 Hà Nội, 04 Cao Bằng,
  08 Tuyên Quang, 11 Điện Biên, 12 Lai Châu, 14 Sơn La, 15 Lào Cai, 19 Thái Nguyên, 20 Lạng Sơn,
  22 Quảng Ninh, 24 Bắc Ninh, 25 Phú Thọ, 31 Hải Phòng, 33 Hưng Yên, 37 Ninh Bình, 38 Thanh Hóa,
  40 Nghệ An, 42 Hà Tĩnh, 44 Quảng Trị, 46 Huế, 48 Đà Nẵng, 51 Quảng Ngãi, 52 Gia Lai,
  56 Khánh Hòa, 66 Đắk Lắk, 68 Lâm Đồng, 75 Đồng Nai, 79 TP. Hồ Chí Minh, 80 Tây Ninh,
  82 Đồng Tháp, 86 Vĩnh Long, 91 An Giang, 92 Cần Thơ, 96 Cà Mau.`;

const DESIGN_MERGER = `Tuyên Quang ← Hà Giang;
  Lào Cai ← Yên Bái; Thái Nguyên ← Bắc Kạn; Phú Thọ ← Vĩnh Phúc, Hòa Bình; Bắc Ninh ← Bắc Giang;
  Hưng Yên ← Thái Bình; Hải Phòng ← Hải Dương; Ninh Bình ← Hà Nam, Nam Định; Quảng Trị ← Quảng Bình;
  Đà Nẵng ← Quảng Nam; Quảng Ngãi ← Kon Tum; Gia Lai ← Bình Định; Khánh Hòa ← Ninh Thuận;
  Lâm Đồng ← Đắk Nông, Bình Thuận; Đắk Lắk ← Phú Yên; TP. Hồ Chí Minh ← Bình Dương, Bà Rịa–Vũng Tàu;
  Đồng Nai ← Bình Phước; Tây Ninh ← Long An; Cần Thơ ← Sóc Trăng, Hậu Giang; Vĩnh Long ← Bến Tre,
  Trà Vinh; Đồng Tháp ← Tiền Giang; Cà Mau ← Bạc Liêu; An Giang ← Kiên Giang.`;

const DESIGN_UNCHANGED = `Hà Nội, Huế, Cao Bằng, Điện Biên, Hà Tĩnh, Lai Châu, Lạng Sơn,
  Nghệ An, Quảng Ninh, Thanh Hóa, Sơn La`;

// "46 Thừa Thiên Huế (Huế)" names the unit and its later name; the table holds the first.
const codeTable = (text: string): [string, string][] =>
  text
    .replace(/\.$/u, '')
    .split(',')
    .map((entry) => entry.trim().replace(/ \(.*\)$/u, ''))
    .map((entry) => [entry.slice(0, 2), entry.slice(3)]);

const list = (text: string): string[] => text.split(',').map((name) => name.trim());

const codesAndNames = (units: readonly ProvincialUnit[]): [string, string][] => units.map((u) => [u.code, u.name]);

const pre2025ByName = new Map(provinces2008To2025.map((unit) => [unit.name, unit]));
const idOfPre2025Name = (name: string): string => {
  const unit = pre2025ByName.get(name === 'Huế' ? 'Thừa Thiên Huế' : name);
  if (!unit) throw new Error(`no pre-2025 unit named ${name}`);
  return unit.id;
};

const BEFORE = '2025-06-30';
const FROM = '2025-07-01';

describe('the 63 units of 2008–2025', () => {
  it('are the 63 units of DESIGN.md with their codes, in code order, codes distinct', () => {
    expect(codesAndNames(provinces2008To2025)).toEqual(codeTable(DESIGN_CODES_BEFORE_2025));
    expect(provinces2008To2025).toHaveLength(63);
    expect(new Set(provinces2008To2025.map((u) => u.code)).size).toBe(63);
  });

  it('have distinct ids derived from their names', () => {
    expect(new Set(provinces2008To2025.map((u) => u.id)).size).toBe(63);
    for (const unit of provinces2008To2025) {
      const expected =
        unit.id === 'prov-hue' || unit.id === 'prov-ho-chi-minh'
          ? unit.id
          : `prov-${searchKey(unit.name).replace(/ /g, '-')}`;
      expect(unit.id).toBe(expected);
    }
    expect(provinces2008To2025.find((u) => u.code === '46')?.id).toBe('prov-hue');
    expect(provinces2008To2025.find((u) => u.code === '79')?.id).toBe('prov-ho-chi-minh');
  });

  it('have the five centrally-run cities as cities, named "Thành phố …", the rest "Tỉnh …"', () => {
    const cities = provinces2008To2025.filter((u) => u.kind === 'city');
    expect(cities.map((u) => u.fullName)).toEqual([
      'Thành phố Hà Nội',
      'Thành phố Hải Phòng',
      'Thành phố Đà Nẵng',
      'Thành phố Hồ Chí Minh',
      'Thành phố Cần Thơ',
    ]);
    for (const unit of provinces2008To2025.filter((u) => u.kind === 'province')) {
      expect(unit.fullName).toBe(`Tỉnh ${unit.name}`);
    }
  });

  it('have English names without diacritics that fold to the Vietnamese name', () => {
    expect(provinces2008To2025.find((u) => u.code === '01')?.nameEn).toBe('Ha Noi');
    expect(provinces2008To2025.find((u) => u.code === '46')?.nameEn).toBe('Thua Thien Hue');
    expect(provinces2008To2025.find((u) => u.code === '79')?.nameEn).toBe('Ho Chi Minh City');
    for (const unit of provinces2008To2025) {
      expect(unit.nameEn).toMatch(/^[A-Za-z –]+$/u);
      expect(searchKey(unit.nameEn).replace(/ city$/u, '')).toBe(searchKey(unit.name).replace(/^tp /u, ''));
    }
  });

  it('have 25 border, 28 coastal and 9 island-district units', () => {
    const names = (flag: 'border' | 'coastal' | 'island') =>
      provinces2008To2025.filter((u) => u[flag]).map((u) => u.name);
    expect(names('border')).toEqual([
      'Hà Giang',
      'Cao Bằng',
      'Lào Cai',
      'Điện Biên',
      'Lai Châu',
      'Sơn La',
      'Lạng Sơn',
      'Quảng Ninh',
      'Thanh Hóa',
      'Nghệ An',
      'Hà Tĩnh',
      'Quảng Bình',
      'Quảng Trị',
      'Thừa Thiên Huế',
      'Quảng Nam',
      'Kon Tum',
      'Gia Lai',
      'Đắk Lắk',
      'Đắk Nông',
      'Bình Phước',
      'Tây Ninh',
      'Long An',
      'Đồng Tháp',
      'An Giang',
      'Kiên Giang',
    ]);
    expect(names('coastal')).toHaveLength(28);
    expect(names('island')).toEqual([
      'Quảng Ninh',
      'Hải Phòng',
      'Quảng Trị',
      'Đà Nẵng',
      'Quảng Ngãi',
      'Khánh Hòa',
      'Bình Thuận',
      'Bà Rịa–Vũng Tàu',
      'Kiên Giang',
    ]);
    for (const unit of provinces2008To2025.filter((u) => u.island)) expect(unit.coastal).toBe(true);
  });

  it('store every name in NFC', () => {
    for (const unit of provinces2008To2025) {
      for (const text of [unit.name, unit.fullName, unit.nameEn]) expect(text).toBe(text.normalize('NFC'));
    }
    for (const rename of provinceRenames) expect(rename.name).toBe(rename.name.normalize('NFC'));
  });
});

describe('the merger of 1 July 2025', () => {
  it('takes effect at midnight in Vietnam under Resolution 202/2025/QH15 with codes from Decision 19/2025/QĐ-TTg', () => {
    expect(provinceMerger2025.effective).toBe('2025-07-01T00:00:00+07:00');
    expect(provinceMerger2025.legalBasis).toBe('202/2025/QH15');
    expect(provinceMerger2025.codesLegalBasis).toBe('19/2025/QĐ-TTg');
  });

  it('has exactly the successors and absorbed units of DESIGN.md', () => {
    const expected = DESIGN_MERGER.replace(/\.$/u, '')
      .split(';')
      .map((entry) => {
        const [successor, absorbed] = entry.split('←').map((side) => side.trim());
        return { successorId: idOfPre2025Name(successor!), absorbedIds: list(absorbed!).map(idOfPre2025Name) };
      });
    expect(provinceMerger2025.successors.map(({ successorId, absorbedIds }) => ({ successorId, absorbedIds }))).toEqual(
      expected,
    );
  });

  it('absorbs 29 units, each exactly once, each pointing to its successor', () => {
    const absorbed = provinceMerger2025.successors.flatMap((s) => s.absorbedIds);
    expect(absorbed).toHaveLength(29);
    expect(new Set(absorbed).size).toBe(29);
    for (const { successorId, absorbedIds } of provinceMerger2025.successors) {
      for (const id of absorbedIds) expect(successorOf(id)).toBe(successorId);
      expect(successorOf(successorId)).toBeUndefined();
    }
  });

  it('leaves the 11 units of DESIGN.md unchanged, with their own codes', () => {
    const unchangedIds = list(DESIGN_UNCHANGED).map(idOfPre2025Name).sort();
    const byCode = new Map(provinces2008To2025.map((u) => [u.code, u.id]));
    expect(provinceMerger2025.unchangedCodes.map((code) => byCode.get(code)).sort()).toEqual(unchangedIds);
    expect(provinceMerger2025.unchangedCodes).toEqual([
      '01',
      '04',
      '11',
      '12',
      '14',
      '20',
      '22',
      '38',
      '40',
      '42',
      '46',
    ]);
    for (const id of unchangedIds) expect(successorOf(id)).toBeUndefined();
  });

  it('accounts for every one of the 63 units exactly once: 23 successors, 29 absorbed, 11 unchanged', () => {
    const byCode = new Map(provinces2008To2025.map((u) => [u.code, u.id]));
    const all = [
      ...provinceMerger2025.successors.flatMap((s) => [s.successorId, ...s.absorbedIds]),
      ...provinceMerger2025.unchangedCodes.map((code) => byCode.get(code)),
    ];
    expect(provinceMerger2025.successors).toHaveLength(23);
    expect(all.sort()).toEqual(provinces2008To2025.map((u) => u.id).sort());
  });
});

describe('provincesAsOf', () => {
  it('given 30 June 2025, then the 63 units with their pre-2025 codes', () => {
    expect(codesAndNames(provincesAsOf(BEFORE))).toEqual(
      codeTable(DESIGN_CODES_BEFORE_2025).map(([code, name]) => [code, code === '46' ? 'Huế' : name]),
    );
  });

  it('given 1 July 2025, then the 34 units of DESIGN.md with their new codes, in code order', () => {
    const after = provincesAsOf(FROM);
    expect(after).toHaveLength(34);
    expect(codesAndNames(after)).toEqual(codeTable(DESIGN_CODES_FROM_2025));
    expect(new Set(after.map((u) => u.id)).size).toBe(34);
  });

  it('switches at midnight Vietnam time, which is 17:00 UTC the day before', () => {
    expect(provincesAsOf('2025-06-30T16:59:59.999Z')).toHaveLength(63);
    expect(provincesAsOf('2025-06-30T17:00:00Z')).toHaveLength(34);
    expect(provincesAsOf('2025-07-01T00:00:00+07:00')).toHaveLength(34);
    expect(provincesAsOf(new Date('2025-06-30T23:59:00+07:00'))).toHaveLength(63);
  });

  it('keeps the same organization (id) for a successor, with the OR of its parts as flags', () => {
    const laoCai = provinceById('prov-lao-cai', FROM);
    expect(laoCai).toEqual({
      id: 'prov-lao-cai',
      code: '15',
      name: 'Lào Cai',
      fullName: 'Tỉnh Lào Cai',
      nameEn: 'Lao Cai',
      kind: 'province',
      border: true,
      coastal: false,
      island: false,
    });
    const hcm = provinceById('prov-ho-chi-minh', FROM);
    expect(hcm).toMatchObject({ code: '79', name: 'TP. Hồ Chí Minh', fullName: 'Thành phố Hồ Chí Minh', island: true });
    expect(provinceById('prov-da-nang', FROM)).toMatchObject({ border: true, coastal: true, island: true });
    expect(provinceById('prov-gia-lai', FROM)).toMatchObject({ code: '52', border: true, coastal: true });
    expect(provinceById('prov-lam-dong', FROM)).toMatchObject({ border: true, coastal: true, island: true });
    expect(provinceById('prov-an-giang', FROM)).toMatchObject({ border: true, coastal: true, island: true });
  });

  it('gives 22 border, 21 coastal and 9 island units among the 34', () => {
    const after = provincesAsOf(FROM);
    expect(after.filter((u) => u.border)).toHaveLength(22);
    expect(after.filter((u) => u.coastal)).toHaveLength(21);
    expect(after.filter((u) => u.island).map((u) => u.code)).toEqual([
      '22',
      '31',
      '44',
      '48',
      '51',
      '56',
      '68',
      '79',
      '91',
    ]);
  });

  it('shows Thừa Thiên Huế as a province until 2024 and as the city of Huế from 1 January 2025, code 46 throughout', () => {
    expect(provinceById('prov-hue', '2024-12-31')).toMatchObject({
      code: '46',
      name: 'Thừa Thiên Huế',
      fullName: 'Tỉnh Thừa Thiên Huế',
      nameEn: 'Thua Thien Hue',
      kind: 'province',
    });
    const hue = { code: '46', name: 'Huế', fullName: 'Thành phố Huế', nameEn: 'Hue', kind: 'city' };
    expect(provinceById('prov-hue', '2025-01-01')).toMatchObject(hue);
    expect(provinceById('prov-hue', FROM)).toMatchObject(hue);
    expect(provinceRenames).toEqual([expect.objectContaining({ legalBasis: '175/2024/QH15' })]);
  });

  it('given a date before 1 August 2008 or no valid date, then RangeError', () => {
    expect(() => provincesAsOf('2008-07-31')).toThrow(RangeError);
    expect(() => provincesAsOf('2025-07-01T00:00:00')).toThrow(RangeError);
    expect(() => provincesAsOf('tomorrow')).toThrow(RangeError);
    expect(() => provincesAsOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(provincesAsOf('2008-08-01')).toHaveLength(63);
  });
});

describe('provinceByCode', () => {
  it('given code 15, then Yên Bái on 30 June 2025 and Lào Cai on 1 July 2025', () => {
    expect(provinceByCode('15', BEFORE)?.name).toBe('Yên Bái');
    expect(provinceByCode('15', BEFORE)?.id).toBe('prov-yen-bai');
    expect(provinceByCode('15', FROM)?.name).toBe('Lào Cai');
    expect(provinceByCode('15', FROM)?.id).toBe('prov-lao-cai');
  });

  it('given codes whose holder changed, then the holder at that date', () => {
    const holders = (date: string) =>
      ['10', '24', '27', '44', '45', '52', '64', '80', '72', '82', '87', '91', '89'].map(
        (code) => provinceByCode(code, date)?.name,
      );
    expect(holders(BEFORE)).toEqual([
      'Lào Cai',
      'Bắc Giang',
      'Bắc Ninh',
      'Quảng Bình',
      'Quảng Trị',
      'Bình Định',
      'Gia Lai',
      'Long An',
      'Tây Ninh',
      'Tiền Giang',
      'Đồng Tháp',
      'Kiên Giang',
      'An Giang',
    ]);
    expect(holders(FROM)).toEqual([
      undefined,
      'Bắc Ninh',
      undefined,
      'Quảng Trị',
      undefined,
      'Gia Lai',
      undefined,
      'Tây Ninh',
      undefined,
      'Đồng Tháp',
      undefined,
      'An Giang',
      undefined,
    ]);
  });
});

describe('provinceById, successorOf and resolveProvince', () => {
  it('given an absorbed unit, then it exists before the merger, not after, and resolves to its successor', () => {
    expect(provinceById('prov-yen-bai', BEFORE)?.code).toBe('15');
    expect(provinceById('prov-yen-bai', FROM)).toBeUndefined();
    expect(successorOf('prov-yen-bai')).toBe('prov-lao-cai');
    expect(resolveProvince('prov-yen-bai', BEFORE)?.id).toBe('prov-yen-bai');
    expect(resolveProvince('prov-yen-bai', FROM)).toMatchObject({ id: 'prov-lao-cai', code: '15' });
  });

  it('given an unknown id, then undefined', () => {
    expect(provinceById('prov-ha-tay', FROM)).toBeUndefined();
    expect(successorOf('prov-ha-tay')).toBeUndefined();
    expect(resolveProvince('prov-ha-tay', FROM)).toBeUndefined();
  });
});

describe('findProvinces', () => {
  it('given any case, diacritics or tone placement, then the unit', () => {
    for (const query of ['thanh hoa', 'THANH HÓA', 'Thanh Hoá', 'Tỉnh Thanh Hóa']) {
      expect(findProvinces(query, FROM)[0]?.name).toBe('Thanh Hóa');
    }
    expect(findProvinces('ba ria vung tau', BEFORE).map((u) => u.name)).toEqual(['Bà Rịa–Vũng Tàu']);
    expect(findProvinces('ho chi minh', FROM)[0]?.code).toBe('79');
  });

  it('given an absorbed unit after the merger, then nothing', () => {
    expect(findProvinces('Yên Bái', FROM)).toEqual([]);
    expect(findProvinces('Yên Bái', BEFORE).map((u) => u.code)).toEqual(['15']);
  });

  it('given a prefix, then exact-diacritics matches first', () => {
    expect(
      findProvinces('Hà', BEFORE)
        .map((u) => u.name)
        .slice(0, 4),
    ).toEqual(['Hà Nội', 'Hà Giang', 'Hà Nam', 'Hà Tĩnh']);
  });
});
