import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { communesOfProvince } from '@hub/reference-data';
import { searchKey } from '@hub/vietnamese';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryHarness, startDirectoryHarness } from '../testing/harness.js';
import { formatCsv } from './csv.js';
import { runDirectoryCli } from './main.js';

const THANH_HOA = 'prov-thanh-hoa';
const communes = communesOfProvince(THANH_HOA);

/**
 * Thanh Hóa's list of commune focal points as a province would send it: two people per commune
 * (a focal point and a communications officer), the commune named by code on even rows and by
 * its name typed without diacritics on odd ones, then four bad rows at the end.
 */
function provinceList(): { csv: string; good: number; badLines: Record<number, string> } {
  const rows: string[][] = [['organization', 'commune', 'full_name', 'roles', 'phone']];
  communes.forEach((commune, i) => {
    const reference = i % 2 === 0 ? commune.code : searchKey(commune.name);
    rows.push(['PROVINCE:38', reference, `Lê Văn Đầu Mối ${i}`, 'FOCAL_POINT', `0912${String(i).padStart(6, '0')}`]);
    rows.push(['prov-thanh-hoa', reference, `Trần Thị Cán Bộ ${i}`, 'COMMUNICATIONS_OFFICER', '']);
  });
  const good = rows.length - 1;
  rows.push(['PROVINCE:38', '20333', 'Nguyễn Văn Sai Tỉnh', 'FOCAL_POINT', '']);
  rows.push(['PROVINCE:38', 'xa khong co that', 'Nguyễn Văn Không Có', 'FOCAL_POINT', '']);
  rows.push(['prov-atlantis', '14758', 'Nguyễn Văn Đâu', 'FOCAL_POINT', '']);
  // A commune of another province, resolved locally and refused by the directory on sending.
  rows.push(['PROVINCE:15', 'Bát Xát', 'Nguyễn Văn Lạc Đường', 'FOCAL_POINT', '']);
  const first = good + 2;
  return {
    csv: formatCsv(rows),
    good,
    badLines: {
      [first]: 'UNKNOWN_COMMUNE',
      [first + 1]: 'UNKNOWN_COMMUNE',
      [first + 2]: 'UNKNOWN_ORGANIZATION',
      [first + 3]: 'FORBIDDEN',
    },
  };
}

describe("pnpm directory import of a province's commune focal points (postgres)", () => {
  let hub: DirectoryHarness;
  let editor: string;
  let folder: string;
  const list = provinceList();
  beforeAll(async () => {
    hub = await startDirectoryHarness('postgres');
    editor = await hub.token(THANH_HOA, ['ORG_EDITOR'], 'thanh-hoa-importer');
    folder = await mkdtemp(join(os.tmpdir(), 'hub-directory-communes-'));
    await writeFile(join(folder, 'thanh-hoa.csv'), list.csv);
  });
  afterAll(async () => {
    await hub?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const run = async (...flags: string[]) => {
    const out: string[] = [];
    const code = await runDirectoryCli(
      ['import', 'thanh-hoa.csv', '--url', hub.directory.url, '--token', editor, ...flags],
      {
        env: {},
        cwd: folder,
        stdout: { write: (chunk: string) => out.push(chunk) },
        stderr: { isTTY: false, write: () => undefined },
      },
    );
    const lines = out.join('').trimEnd().split('\n');
    const rejected = Object.fromEntries(
      lines
        .map((line) => /^line (\d+) \(([A-Z_]+)\)/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [Number(match[1]), match[2]]),
    );
    return { code, lines, rejected };
  };

  it('given the list, when dry-run, then the local refusals are reported by line and nothing is appended', async () => {
    expect(communes).toHaveLength(166);
    const before = await hub.store.count();
    const result = await run('--dry-run');
    expect(result.code).toBe(1);
    const local = Object.fromEntries(Object.entries(list.badLines).filter(([, code]) => code !== 'FORBIDDEN'));
    expect(result.rejected).toEqual(local);
    expect(result.lines.at(-1)).toBe(
      `dry run, nothing sent: would import ${list.good + 1}, 0 already present, 3 rejected (of ${list.good + 4} rows)`,
    );
    expect(await hub.store.count()).toBe(before);
  });

  it("given the list, when imported by the province's editor, then every commune has its focal point and the other province's row is refused", async () => {
    const result = await run();
    expect(result.rejected).toEqual(list.badLines);
    expect(result.lines.at(-1)).toBe(`imported ${list.good}, 0 already present, 4 rejected (of ${list.good + 4} rows)`);

    const coverage = await hub.gql<{
      liaisonCoverage: { grassroots: { province: { id: string }; communes: number; withFocalPoint: number }[] };
    }>('{ liaisonCoverage { grassroots { province { id } communes withFocalPoint } } }');
    expect(coverage.data?.liaisonCoverage.grassroots.find((row) => row.province.id === THANH_HOA)).toEqual({
      province: { id: THANH_HOA },
      communes: 166,
      withFocalPoint: 166,
    });
    const gaps = await hub.gql<{ communesWithoutFocalPoint: { totalCount: number } }>(
      `{ communesWithoutFocalPoint(provinceId: "${THANH_HOA}") { totalCount } }`,
    );
    expect(gaps.data?.communesWithoutFocalPoint.totalCount).toBe(0);
  });

  it('given the same list again, when imported, then every good row is already present and nothing is appended', async () => {
    const before = await hub.store.count();
    const result = await run();
    expect(result.lines.at(-1)).toBe(`imported 0, ${list.good} already present, 4 rejected (of ${list.good + 4} rows)`);
    expect(await hub.store.count()).toBe(before);
  });
});
