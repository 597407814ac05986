import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FOLDER = fileURLToPath(new URL('../../bench-results', import.meta.url));

/**
 * Saves one benchmark's results as `bench-results/<date>-<cores>cores-<name>.json` and `.md`, so
 * every figure is kept with the machine's core count it was measured on.
 */
export async function saveResults(
  name: string,
  report: { readonly date: string; readonly cores: number },
  markdown: string,
): Promise<void> {
  await mkdir(FOLDER, { recursive: true });
  const base = join(FOLDER, `${report.date}-${report.cores}cores-${name}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  console.log(`saved ${base}.json and .md`);
}
