import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryHarness, startDirectoryHarness } from '../testing/harness.js';
import { parseCsv } from './csv.js';
import { runDirectoryCli } from './main.js';

// Line numbers are physical lines of the file: the quoted title on line 10 runs onto line 11.
const CONTACTS = [
  'organization,full_name,title,roles,phone,email,appointed_from',
  'prov-lao-cai,Nguyễn Văn An,Chánh Văn phòng,SPOKESPERSON,0912 345 678,an.nv@laocai.gov.vn,2025-07-01',
  'prov-ha-noi,Trần Thị Bình,,FOCAL_POINT;EDITOR,024 3825 3536,,',
  'PROVINCE:15,Lê Văn Cường,,FOCAL_POINT,,,2025-08-01',
  'prov-lao-cai,Phạm Thị Dung,,FOCAL_POINT,12ab,,',
  'prov-lao-cai,Hoàng Văn Em,,PRESS_OFFICER,,,',
  'prov-atlantis,Vũ Thị Giang,,FOCAL_POINT,,,',
  'prov-yen-bai,Đỗ Văn Hải,,FOCAL_POINT,,,',
  'prov-lao-cai,,,FOCAL_POINT,,,',
  'prov-da-nang,"Ngô Thị Hồng, Ph.D.","Trưởng phòng',
  'Báo chí",COMMUNICATIONS_OFFICER,,hong@danang.gov.vn,2025-07-01T08:00:00+07:00',
  'prov-lao-cai,Bùi Văn Khoa,,FOCAL_POINT,,not-an-email,',
  'prov-lao-cai,Đặng Thị Lan,,DUTY_OFFICER,,,2025-02-30',
  'prov-ha-noi,Trần Thị Bình,,EDITOR;FOCAL_POINT,+84 24 3825 3536,,',
];
const FILE_TEXT = `\uFEFF${CONTACTS.join('\r\n')}\r\n`;

/** Each bad line and the start of its reason. */
const BAD_ROWS = [
  'line 5 (BAD_PHONE): phone: "12ab": Phone number must not contain letters',
  'line 6 (UNKNOWN_ROLE): roles: unknown role "PRESS_OFFICER"',
  'line 7 (UNKNOWN_ORGANIZATION): organization: "prov-atlantis" is not an organization id the directory knows',
  'line 8 (INACTIVE_ORGANIZATION): organization: prov-yen-bai (Tỉnh Yên Bái) is MERGED into prov-lao-cai',
  'line 9 (MISSING_VALUE): full_name: required',
  'line 12 (BAD_EMAIL): email: "not-an-email" is not a valid address',
  'line 13 (BAD_DATE): appointed_from: "2025-02-30" is not a date',
  'line 14 (DUPLICATE_ROW): duplicate of line 3',
];

describe('pnpm directory import / export (embedded)', () => {
  let hub: DirectoryHarness;
  let admin: string;
  let folder: string;
  beforeAll(async () => {
    hub = await startDirectoryHarness('embedded');
    admin = await hub.token('central-office', ['ADMIN'], 'importer');
    folder = await mkdtemp(join(os.tmpdir(), 'hub-directory-cli-'));
    await writeFile(join(folder, 'contacts.csv'), FILE_TEXT);
  });
  afterAll(async () => {
    await hub?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDirectoryCli(argv, {
      env: {},
      cwd: folder,
      stdout: { write: (chunk: string) => out.push(chunk) },
      stderr: { isTTY: false, write: (chunk: string) => err.push(chunk) },
    });
    const stdout = out.join('');
    return { code, lines: stdout.trimEnd().split('\n'), stdout, stderr: err.join('') };
  };
  const importing = (file: string, ...flags: string[]) =>
    run('import', file, '--url', hub.directory.url, '--token', admin, ...flags);

  const expectBadRows = (lines: readonly string[]) => {
    const reported = lines.filter((line) => line.startsWith('line '));
    expect(reported).toHaveLength(BAD_ROWS.length);
    BAD_ROWS.forEach((bad, i) => {
      expect(reported[i]?.startsWith(bad), `${reported[i]} should start with ${bad}`).toBe(true);
    });
  };

  it('dry run: reports each bad row with its line and reason, and appends nothing', async () => {
    const before = await hub.store.count();
    const result = await importing('contacts.csv', '--dry-run', '--report', 'dry-bad.csv');
    expect(result.code).toBe(1);
    expectBadRows(result.lines);
    expect(result.lines.at(-1)).toBe(
      'dry run, nothing sent: would import 4, 0 already present, 8 rejected (of 12 rows)',
    );
    expect(await hub.store.count()).toBe(before);
    expect(result.stderr).toBe('');
  });

  it('real run: imports exactly the good rows and rejects the same rows as the dry run', async () => {
    const before = (await hub.store.count()) ?? 0;
    const result = await importing('contacts.csv', '--report', 'bad.csv');
    expect(result.code).toBe(1);
    expectBadRows(result.lines);
    expect(result.lines.at(-1)).toBe('imported 4, 0 already present, 8 rejected (of 12 rows)');
    // Four appointments, and the spokesperson's designation alongside hers.
    expect(await hub.store.count()).toBe(before + 5);
    expect(await readFile(join(folder, 'bad.csv'), 'utf8')).toBe(await readFile(join(folder, 'dry-bad.csv'), 'utf8'));

    const report = parseCsv(await readFile(join(folder, 'bad.csv'), 'utf8'));
    expect(report[0]?.fields.slice(0, 4)).toEqual(['line', 'code', 'column', 'reason']);
    expect(report.slice(1).map((r) => r.fields.slice(0, 3))).toEqual([
      ['5', 'BAD_PHONE', 'phone'],
      ['6', 'UNKNOWN_ROLE', 'roles'],
      ['7', 'UNKNOWN_ORGANIZATION', 'organization'],
      ['8', 'INACTIVE_ORGANIZATION', 'organization'],
      ['9', 'MISSING_VALUE', 'full_name'],
      ['12', 'BAD_EMAIL', 'email'],
      ['13', 'BAD_DATE', 'appointed_from'],
      ['14', 'DUPLICATE_ROW', ''],
    ]);
    expect(report[1]?.fields.slice(4)).toEqual(['prov-lao-cai', 'Phạm Thị Dung', '', 'FOCAL_POINT', '12ab', '', '']);

    type Contact = {
      fullName: string;
      title: string | null;
      roles: string[];
      phone: string | null;
      email: string | null;
    };
    const found = await hub.gql<{ contacts: { edges: { node: Contact & { organization: { id: string } } }[] } }>(
      '{ contacts(first: 50) { edges { node { fullName title roles phone email organization { id } } } } }',
      {},
      admin,
    );
    // In Vietnamese alphabetical order: the read model's SQL collation may order them otherwise.
    const names = (found.data?.contacts.edges ?? []).map((e) => e.node);
    expect(names.sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi'))).toEqual([
      {
        fullName: 'Lê Văn Cường',
        title: null,
        roles: ['FOCAL_POINT'],
        phone: null,
        email: null,
        organization: { id: 'prov-lao-cai' },
      },
      {
        fullName: 'Ngô Thị Hồng, Ph.D.',
        title: 'Trưởng phòng Báo chí',
        roles: ['COMMUNICATIONS_OFFICER'],
        phone: null,
        email: 'hong@danang.gov.vn',
        organization: { id: 'prov-da-nang' },
      },
      {
        fullName: 'Nguyễn Văn An',
        title: 'Chánh Văn phòng',
        roles: ['SPOKESPERSON'],
        phone: '+84912345678',
        email: 'an.nv@laocai.gov.vn',
        organization: { id: 'prov-lao-cai' },
      },
      {
        fullName: 'Trần Thị Bình',
        title: null,
        roles: ['EDITOR', 'FOCAL_POINT'],
        phone: '+842438253536',
        email: null,
        organization: { id: 'prov-ha-noi' },
      },
    ]);
  });

  it('second run of the same file, and of its rows reversed: appends nothing, reports them already present', async () => {
    const before = await hub.store.count();
    const again = await importing('contacts.csv');
    expect(again.code).toBe(1);
    expect(again.lines.at(-1)).toBe('imported 0, 4 already present, 8 rejected (of 12 rows)');

    const [header, ...rows] = parseCsv(FILE_TEXT).map((r) => r.fields);
    const reversed = [header, ...rows.reverse()].map((fields) =>
      (fields ?? []).map((f) => (/[",\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(','),
    );
    await writeFile(join(folder, 'reversed.csv'), `${reversed.join('\n')}\n`);
    const reorderedRun = await importing('reversed.csv');
    expect(reorderedRun.lines.at(-1)).toBe('imported 0, 4 already present, 8 rejected (of 12 rows)');
    expect(await hub.store.count()).toBe(before);
  });

  it('a row sent again under its idempotency key is recognised as present though its contact changed since', async () => {
    const laoCai = await hub.gql<{
      organization: { contacts: { edges: { node: { id: string; fullName: string } }[] } };
    }>('{ organization(id: "prov-lao-cai") { contacts { edges { node { id fullName } } } } }', {}, admin);
    const cuong = laoCai.data?.organization.contacts.edges.find((e) => e.node.fullName === 'Lê Văn Cường')?.node;
    const updated = await hub.gql(
      'mutation ($input: UpdateContactInput!) { updateContact(input: $input) { id } }',
      { input: { contactId: cuong?.id, email: 'cuong@laocai.gov.vn' } },
      admin,
    );
    expect(updated.errors).toBeUndefined();
    const before = await hub.store.count();
    const again = await importing('contacts.csv');
    expect(again.lines.at(-1)).toBe('imported 0, 4 already present, 8 rejected (of 12 rows)');
    expect(await hub.store.count()).toBe(before);
  });

  it('exports the network in the import columns, and the export imports again without appending', async () => {
    const exported = await run('export', '--url', hub.directory.url, '--token', admin, '--out', 'network.csv');
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/^exported 4 contacts of \d+ active organizations\n$/);
    const text = await readFile(join(folder, 'network.csv'), 'utf8');
    const [header, ...rows] = parseCsv(text).map((r) => r.fields);
    expect(header).toEqual([
      'organization',
      'full_name',
      'title',
      'roles',
      'phone',
      'email',
      'appointed_from',
      'organization_name',
      'organization_kind',
      'organization_code',
    ]);
    expect(rows.map((r) => [r[0], r[1], r[7], r[8], r[9]])).toEqual([
      ['prov-ha-noi', 'Trần Thị Bình', 'Thành phố Hà Nội', 'PROVINCE', '01'],
      ['prov-lao-cai', 'Lê Văn Cường', 'Tỉnh Lào Cai', 'PROVINCE', '15'],
      ['prov-lao-cai', 'Nguyễn Văn An', 'Tỉnh Lào Cai', 'PROVINCE', '15'],
      ['prov-da-nang', 'Ngô Thị Hồng, Ph.D.', 'Thành phố Đà Nẵng', 'PROVINCE', '48'],
    ]);
    expect(rows[2]).toEqual([
      'prov-lao-cai',
      'Nguyễn Văn An',
      'Chánh Văn phòng',
      'SPOKESPERSON',
      '+84912345678',
      'an.nv@laocai.gov.vn',
      '2025-06-30T17:00:00.000Z',
      'Tỉnh Lào Cai',
      'PROVINCE',
      '15',
    ]);

    const before = await hub.store.count();
    const reimported = await importing('network.csv');
    expect(reimported.code).toBe(0);
    expect(reimported.stdout).toBe('imported 0, 4 already present, 0 rejected (of 4 rows)\n');
    expect(await hub.store.count()).toBe(before);
  });

  it('turns refusals by the directory into row rejections with their code', async () => {
    const laoCaiEditor = await hub.token('prov-lao-cai', ['ORG_EDITOR']);
    await writeFile(
      join(folder, 'editor.csv'),
      [
        'organization,full_name,roles,appointed_from',
        'prov-lao-cai,Mai Thị Ngọc,EDITOR,2026-01-05',
        'prov-ha-noi,Lý Văn Phúc,EDITOR,2026-01-05',
        'prov-lao-cai,Tạ Văn Quang,EDITOR,1999-12-31',
      ].join('\n'),
    );
    const before = (await hub.store.count()) ?? 0;
    const dry = await run('import', 'editor.csv', '--dry-run', '--url', hub.directory.url, '--token', laoCaiEditor);
    expect(dry.stdout).toBe('dry run, nothing sent: would import 3, 0 already present, 0 rejected (of 3 rows)\n');
    const result = await run('import', 'editor.csv', '--url', hub.directory.url, '--token', laoCaiEditor);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      'line 3 (FORBIDDEN): you act for organization prov-lao-cai, not prov-ha-noi',
      'line 4 (BAD_USER_INPUT): appointed_from: appointment cannot start before the organization was established',
      'imported 1, 0 already present, 2 rejected (of 3 rows)',
    ]);
    expect(await hub.store.count()).toBe(before + 1);
  });

  it('exits 2 with a reason for usage, file and connection errors', async () => {
    expect((await run('import')).code).toBe(2);
    expect((await run('import', 'contacts.csv', '--url', hub.directory.url)).stderr).toMatch(/a token is needed/);
    expect((await run('import', 'missing.csv', '--dry-run')).stderr).toMatch(/cannot read .*missing\.csv/);
    await writeFile(join(folder, 'latin1.csv'), Buffer.from([0x6f, 0x72, 0x67, 0xe0, 0x0a]));
    expect((await run('import', 'latin1.csv', '--dry-run')).stderr).toMatch(/is not UTF-8 text/);
    await writeFile(join(folder, 'typo.csv'), 'organization,full_name,roles,emial\n');
    const typo = await run('import', 'typo.csv', '--dry-run', '--url', hub.directory.url);
    expect(typo).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^directory: typo.csv: unknown column "emial"/),
    });
    const closed = await run('import', 'contacts.csv', '--dry-run', '--url', 'http://127.0.0.1:9/graphql');
    expect(closed).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot reach the hub at http:\/\/127/) });
    const badToken = await run('export', '--url', hub.directory.url, '--token', 'not-a-jwt');
    expect(badToken).toMatchObject({ code: 2, stderr: expect.stringMatching(/the hub refused the token/) });
    expect((await run('export', '--bogus')).code).toBe(2);
    expect((await run('--help')).stdout).toMatch(/^Usage:/);
  });
});
