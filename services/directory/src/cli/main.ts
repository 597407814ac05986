import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProgressStream } from '@hub/projections';
import { GraphqlClient, HubUnavailableError } from './client.js';
import { exportNetwork } from './export.js';
import {
  DEFAULT_CONCURRENCY,
  formatRejection,
  formatSummary,
  type ImportReport,
  importContacts,
  rejectionReport,
} from './import.js';
import { RowProgress } from './progress.js';
import { CONTACT_COLUMNS, CsvFileError, ORGANIZATION_COLUMNS } from './rows.js';

export const DEFAULT_URL = 'http://localhost:4000/graphql';

export const USAGE = `Usage:
  pnpm directory import <file.csv> [--dry-run] [--url <graphql url>] [--token <jwt>]
                        [--concurrency <n>] [--report <bad-rows.csv>]
  pnpm directory export [--out <network.csv>] [--url <graphql url>] [--token <jwt>]

Imports liaison contacts from a CSV file into a running hub, or exports the network to CSV.

import   Checks every row (required columns, roles, phone, e-mail, date, organization ACTIVE
         today, duplicates within the file) and appoints the good ones. Each bad row is
         reported with its line number in the file and the reason. Rows the directory already
         has are not sent again, so re-running a file appends nothing new.
         --dry-run           check everything and look the organizations up, send nothing
         --concurrency <n>   batches in flight at once (default ${DEFAULT_CONCURRENCY}; each
                             batch is one request and one transaction of up to 500 rows)
         --report <file>     also write the rejected rows, with line and reason, as CSV
export   Every contact serving an ACTIVE organization, in the import's columns plus
         ${ORGANIZATION_COLUMNS.join(', ')}; the file can be imported again.
         --out <file>        write there instead of to standard output

Common options:
  --url <url>      the hub's GraphQL endpoint (default HUB_URL or ${DEFAULT_URL})
  --token <jwt>    bearer token (default HUB_TOKEN); import needs an ADMIN token, or an
                   ORG_EDITOR token for rows of its own organization (pnpm -s token --help)
  --help           show this text

CSV: UTF-8 (with or without BOM), comma-separated, a header row; columns
  ${CONTACT_COLUMNS.join(', ')}
  (organization, full_name and roles required; see README "Directory import and export (CSV)").

Exit status: 0 all rows fine, 1 some rows rejected, 2 usage, file or connection error.`;

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(chunk: string): unknown };
  /** Progress (on a terminal) and errors. */
  readonly stderr: ProgressStream;
  /** Relative paths are resolved here; default INIT_CWD (where `pnpm` was run) or the process's. */
  readonly cwd?: string;
}

class UsageError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readCsvFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UsageError(`${path} is not UTF-8 text; save it as "CSV UTF-8" and try again`);
  }
}

function concurrencyOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError('--concurrency must be a whole number from 1 to 256');
  return n;
}

/** The whole command over the given streams; resolves to the exit status. */
export async function runDirectoryCli(argv: readonly string[], io: CliIo): Promise<number> {
  const cwd = io.cwd ?? io.env.INIT_CWD ?? process.cwd();
  const fail = (message: string) => {
    io.stderr.write(`directory: ${message}\n`);
    return 2;
  };
  let file: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'dry-run': { type: 'boolean' },
        url: { type: 'string' },
        token: { type: 'string' },
        concurrency: { type: 'string' },
        report: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    const url = values.url ?? io.env.HUB_URL ?? DEFAULT_URL;
    const token = values.token ?? io.env.HUB_TOKEN ?? undefined;
    const client = new GraphqlClient(url, token || undefined);

    if (command === 'import') {
      if (rest.length !== 1) throw new UsageError('import takes exactly one CSV file');
      if (values.out !== undefined) throw new UsageError('--out is for export; import writes bad rows with --report');
      const dryRun = values['dry-run'] ?? false;
      if (!dryRun && !token) throw new UsageError('a token is needed to import: --token <jwt> or HUB_TOKEN');
      const concurrency = concurrencyOf(values.concurrency);
      file = rest[0] as string;
      const text = await readCsvFile(resolve(cwd, file));
      let progress: RowProgress | undefined;
      let report: ImportReport;
      try {
        report = await importContacts({
          text,
          client,
          dryRun,
          concurrency,
          onProgress: (done, total) => {
            progress ??= new RowProgress(io.stderr, 'import', total);
            progress.update(done);
          },
        });
      } finally {
        progress?.finish();
      }
      for (const rejection of report.rejected) io.stdout.write(`${formatRejection(rejection)}\n`);
      io.stdout.write(`${formatSummary(report)}\n`);
      if (values.report !== undefined) await writeFile(resolve(cwd, values.report), rejectionReport(report));
      return report.rejected.length > 0 ? 1 : 0;
    }

    if (command === 'export') {
      if (rest.length > 0) throw new UsageError('export takes no file argument; use --out <file>');
      for (const flag of ['dry-run', 'concurrency', 'report'] as const) {
        if (values[flag] !== undefined) throw new UsageError(`--${flag} is for import`);
      }
      const result = await exportNetwork(client);
      if (values.out === undefined) io.stdout.write(result.csv);
      else await writeFile(resolve(cwd, values.out), result.csv);
      io.stderr.write(`exported ${result.contacts} contacts of ${result.organizations} active organizations\n`);
      return 0;
    }
    throw new UsageError(command === undefined ? 'name a command: import or export' : `unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\nRun with --help for usage.`);
    if (error instanceof CsvFileError) return fail(`${file}: ${error.message}`);
    if (error instanceof HubUnavailableError) return fail(error.message);
    // parseArgs reports unknown or malformed options with a code rather than a class.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      return fail(`${error.message}\nRun with --help for usage.`);
    }
    throw error;
  }
}
