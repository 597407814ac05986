import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import {
  CsvFileError,
  type Header,
  idempotencyKeyOf,
  OrganizationIndex,
  type OrganizationRef,
  parseAppointedFrom,
  readHeader,
  validateRecord,
  validateRecords,
} from './rows.js';

const commune = (code: string, name: string, parentId: string): OrganizationRef => ({
  id: `commune-${code}`,
  name,
  kind: 'COMMUNE',
  code,
  status: 'ACTIVE',
  successorId: null,
  parentId,
});
const organizations: OrganizationRef[] = [
  {
    id: 'prov-lao-cai',
    name: 'Tỉnh Lào Cai',
    kind: 'PROVINCE',
    code: '15',
    status: 'ACTIVE',
    successorId: null,
    parentId: null,
  },
  {
    id: 'prov-yen-bai',
    name: 'Tỉnh Yên Bái',
    kind: 'PROVINCE',
    code: '15',
    status: 'MERGED',
    successorId: 'prov-lao-cai',
    parentId: null,
  },
  {
    id: 'prov-ha-noi',
    name: 'Thành phố Hà Nội',
    kind: 'PROVINCE',
    code: '01',
    status: 'ACTIVE',
    successorId: null,
    parentId: null,
  },
  commune('02683', 'Xã Bát Xát', 'prov-lao-cai'),
  commune('00004', 'Phường Ba Đình', 'prov-ha-noi'),
  // Two units of one province may share a name across kinds; only the code tells them apart.
  commune('90001', 'Xã Tân Lập', 'prov-lao-cai'),
  commune('90002', 'Phường Tân Lập', 'prov-lao-cai'),
  commune('90003', 'Xã Văn Lang', 'prov-lao-cai'),
  commune('90004', 'Xã Văn Lăng', 'prov-lao-cai'),
];
const index = new OrganizationIndex(organizations);
const HEADER_LINE = 'organization,full_name,title,roles,phone,email,appointed_from';
const header: Header = readHeader(parseCsv(HEADER_LINE)[0]);

const row = (csvLine: string, line = 2) => {
  const [record] = parseCsv(csvLine);
  if (!record) throw new Error('no record');
  return validateRecord({ ...record, line }, header, index);
};

const problemsOf = (outcome: ReturnType<typeof row>) => (outcome.ok ? [] : outcome.problems);

describe('readHeader', () => {
  it('finds the columns in any order and case, export-only columns included', () => {
    const found = readHeader(parseCsv(' Roles ,ORGANIZATION,full_name,organization_name\n')[0]);
    expect(found.positions).toEqual({ roles: 0, organization: 1, full_name: 2 });
  });

  it('refuses an unknown column, a repeated column and missing required columns', () => {
    expect(() => readHeader(parseCsv('organization,full_name,roles,emial\n')[0])).toThrow(/unknown column "emial"/);
    expect(() => readHeader(parseCsv('organization,full_name,roles,roles\n')[0])).toThrow(/roles appears twice/);
    expect(() => readHeader(parseCsv('organization,phone\n')[0])).toThrow(
      new CsvFileError('the header lacks the required column(s) full_name, roles'),
    );
    expect(() => readHeader(undefined)).toThrow(/the file is empty/);
  });
});

describe('OrganizationIndex', () => {
  it('resolves an id, and KIND:code to the unit that stands today', () => {
    expect(index.resolve('prov-ha-noi')).toMatchObject({ ok: true, organization: { id: 'prov-ha-noi' } });
    expect(index.resolve('province:15')).toMatchObject({ ok: true, organization: { id: 'prov-lao-cai' } });
  });

  it("resolves a province's commune by code, or by name with or without its kind, ignoring case and diacritics", () => {
    const laoCai = index.get('prov-lao-cai')!;
    for (const reference of ['02683', 'xa bat xat', 'Bát Xát', ' XÃ BÁT XÁT ']) {
      expect(index.resolveCommune(laoCai, reference)).toMatchObject({
        ok: true,
        organization: { id: 'commune-02683' },
      });
    }
    expect(index.resolveCommune(laoCai, 'Phường Tân Lập')).toMatchObject({ organization: { id: 'commune-90002' } });
    // Without diacritics these two names fold alike; written with them, each names one commune.
    expect(index.resolveCommune(laoCai, 'Văn Lăng')).toMatchObject({ organization: { id: 'commune-90004' } });
    expect(index.resolveCommune(laoCai, 'xã văn lang')).toMatchObject({ organization: { id: 'commune-90003' } });
    expect(index.resolveCommune(laoCai, 'van lang')).toMatchObject({
      ok: false,
      problem: { code: 'AMBIGUOUS_COMMUNE' },
    });
  });

  it('refuses a commune of another province, an unknown one, and a name two communes share', () => {
    const laoCai = index.get('prov-lao-cai')!;
    expect(index.resolveCommune(laoCai, '00004')).toEqual({
      ok: false,
      problem: {
        code: 'UNKNOWN_COMMUNE',
        column: 'commune',
        message: '00004 is Phường Ba Đình of Thành phố Hà Nội, not a commune of Tỉnh Lào Cai',
      },
    });
    expect(index.resolveCommune(laoCai, 'Ba Đình')).toMatchObject({ ok: false, problem: { code: 'UNKNOWN_COMMUNE' } });
    expect(index.resolveCommune(laoCai, 'tan lap')).toMatchObject({
      ok: false,
      problem: { code: 'AMBIGUOUS_COMMUNE', column: 'commune' },
    });
  });

  it('refuses a merged unit, naming what it merged into', () => {
    expect(index.resolve('prov-yen-bai')).toEqual({
      ok: false,
      problem: {
        code: 'INACTIVE_ORGANIZATION',
        column: 'organization',
        message:
          'prov-yen-bai (Tỉnh Yên Bái) is MERGED into prov-lao-cai (Tỉnh Lào Cai); contacts go to an organization that is ACTIVE today',
      },
    });
  });

  it('refuses unknown ids and codes', () => {
    expect(index.resolve('prov-atlantis')).toMatchObject({ ok: false, problem: { code: 'UNKNOWN_ORGANIZATION' } });
    expect(index.resolve('PROVINCE:99')).toMatchObject({
      ok: false,
      problem: { code: 'UNKNOWN_ORGANIZATION', message: 'no PROVINCE has code 99 today' },
    });
  });
});

describe('parseAppointedFrom', () => {
  it('reads a date as midnight in Vietnam', () => {
    expect(parseAppointedFrom('2025-07-01')).toBe('2025-06-30T17:00:00.000Z');
  });

  it('reads a date-time in Vietnam time unless it carries a zone', () => {
    expect(parseAppointedFrom('2025-07-01T08:30')).toBe('2025-07-01T01:30:00.000Z');
    expect(parseAppointedFrom('2025-07-01 08:30:15')).toBe('2025-07-01T01:30:15.000Z');
    expect(parseAppointedFrom('2025-07-01T08:30:00Z')).toBe('2025-07-01T08:30:00.000Z');
    expect(parseAppointedFrom('2025-07-01T08:30:00.123456+09:00')).toBe('2025-06-30T23:30:00.123Z');
  });

  it('refuses days that do not exist and other formats', () => {
    for (const text of ['2025-02-30', '2025-13-01', '01/07/2025', '2025-07-01T24:00', 'soon']) {
      expect(parseAppointedFrom(text), text).toBeNull();
    }
  });
});

describe('validateRecord', () => {
  it('normalises a good row as the directory stores it', () => {
    const outcome = row(
      'prov-lao-cai,  Nguyễn   Văn An ,Chánh Văn phòng,focal_point; SPOKESPERSON,0912 345 678,An.NV@LaoCai.gov.vn,2025-07-01',
    );
    expect(outcome).toEqual({
      ok: true,
      draft: {
        line: 2,
        organizationId: 'prov-lao-cai',
        fullName: 'Nguyễn Văn An',
        title: 'Chánh Văn phòng',
        roles: ['FOCAL_POINT', 'SPOKESPERSON'],
        phone: '+84912345678',
        email: 'an.nv@laocai.gov.vn',
        appointedFrom: '2025-06-30T17:00:00.000Z',
        idempotencyKey: expect.stringMatching(/^contact-import:[0-9a-f]{64}$/),
      },
    });
  });

  it('names each faulty column with its reason', () => {
    expect(problemsOf(row('prov-lao-cai,Trần Bình,,FOCAL_POINT,12ab,,'))).toEqual([
      { code: 'BAD_PHONE', column: 'phone', message: '"12ab": Phone number must not contain letters' },
    ]);
    expect(problemsOf(row('prov-lao-cai,Trần Bình,,PRESS_OFFICER,,,'))).toEqual([
      {
        code: 'UNKNOWN_ROLE',
        column: 'roles',
        message:
          'unknown role "PRESS_OFFICER" (use SPOKESPERSON, FOCAL_POINT, COMMUNICATIONS_OFFICER, EDITOR, DUTY_OFFICER)',
      },
    ]);
    expect(problemsOf(row('prov-lao-cai,Trần Bình,,EDITOR,,a@b,'))).toEqual([
      { code: 'BAD_EMAIL', column: 'email', message: '"a@b" is not a valid address' },
    ]);
    expect(problemsOf(row('prov-lao-cai,Trần Bình,,EDITOR,,,2025-02-30'))[0]).toMatchObject({
      code: 'BAD_DATE',
      column: 'appointed_from',
    });
  });

  it('reports every problem of a row at once', () => {
    // Blank but not empty: the parser keeps it, the checks find it wanting.
    const problems = problemsOf(row(' , ,, ,,,'));
    expect(problems.map((p) => [p.code, p.column])).toEqual([
      ['MISSING_VALUE', 'organization'],
      ['MISSING_VALUE', 'full_name'],
      ['MISSING_VALUE', 'roles'],
    ]);
  });

  it('refuses a row whose field count differs from the header', () => {
    expect(problemsOf(row('prov-lao-cai,Trần Bình,EDITOR'))).toEqual([
      { code: 'MALFORMED_ROW', column: null, message: 'the row has 3 fields but the header names 7 columns' },
    ]);
  });
});

describe('idempotency keys and duplicates', () => {
  it('gives the same key to the same contact however it is written, and another to another start date', () => {
    const a = row('PROVINCE:15,Nguyễn Văn An,Trưởng phòng,EDITOR;FOCAL_POINT,0912345678,a@laocai.gov.vn,2025-07-01');
    const b = row('prov-lao-cai,Nguyễn  Văn An,,focal_point;editor,+84 912 345 678,A@LAOCAI.GOV.VN,2025-07-01T00:00');
    const c = row('prov-lao-cai,Nguyễn Văn An,,EDITOR;FOCAL_POINT,0912345678,a@laocai.gov.vn,2025-07-02');
    if (!a.ok || !b.ok || !c.ok) throw new Error('rows should be valid');
    expect(b.draft.idempotencyKey).toBe(a.draft.idempotencyKey);
    expect(c.draft.idempotencyKey).not.toBe(a.draft.idempotencyKey);
    expect(a.draft.idempotencyKey).toBe(idempotencyKeyOf(a.draft));
  });

  it('rejects a later row with the content of an earlier one, naming the earlier line', () => {
    const records = parseCsv(
      [
        HEADER_LINE,
        'prov-ha-noi,Trần Thị Bình,,FOCAL_POINT;EDITOR,024 3825 3536,,',
        'prov-ha-noi,Lê Văn Cường,,EDITOR,,,',
        'prov-ha-noi,Trần Thị Bình,Phó phòng,EDITOR;FOCAL_POINT,+84 24 3825 3536,,',
      ].join('\n'),
    ).slice(1);
    const outcomes = validateRecords(records, header, index);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(outcomes[2]).toEqual({
      ok: false,
      line: 4,
      problems: [
        {
          code: 'DUPLICATE_ROW',
          column: null,
          message: 'duplicate of line 2 (same organization, full_name, roles, phone, email and appointed_from)',
        },
      ],
    });
  });
});
