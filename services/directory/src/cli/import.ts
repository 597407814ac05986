import { type GraphqlClient, type GraphqlResponse, HubUnavailableError } from './client.js';
import { formatCsv, parseCsv } from './csv.js';
import { fetchContactsOf, fetchOrganizations } from './queries.js';
import {
  type ContactColumn,
  type ContactDraft,
  contentKey,
  describeProblems,
  OrganizationIndex,
  type Problem,
  readHeader,
  validateRecords,
} from './rows.js';

export interface ImportOptions {
  /** The CSV file's text. */
  readonly text: string;
  readonly client: GraphqlClient;
  /** Every check and lookup, but no mutation. */
  readonly dryRun?: boolean;
  /** Batches in flight at once; default 4. */
  readonly concurrency?: number;
  /** Rows sent per request (one transaction in the directory); default 500. */
  readonly batchSize?: number;
  /** Called as rows are sent: how many are done of how many will be. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RowRejection {
  readonly line: number;
  readonly problems: readonly Problem[];
  /** The row as written, for the bad-rows report. */
  readonly fields: readonly string[];
}

export interface ImportReport {
  readonly dryRun: boolean;
  /** The header's column names, as read. */
  readonly columns: readonly string[];
  /** Data rows in the file (blank lines aside). */
  readonly rows: number;
  /** Contacts appointed by this run; for a dry run, those it would send. */
  readonly imported: number;
  /** Rows whose contact the directory already has: nothing is appended for them. */
  readonly alreadyPresent: number;
  /** In line order. */
  readonly rejected: readonly RowRejection[];
}

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_BATCH_SIZE = 500;
/** The directory's limit on contacts per appointContacts call. */
const MAX_BATCH_SIZE = 1_000;
/** Tries per batch before a transient failure counts (see appointBatch). */
const MAX_ATTEMPTS = 4;

/**
 * Contacts are compared with those serving at any time from now on: a far-future instant sees
 * everyone appointed and not relieved, including appointments that start later.
 */
const FROM_NOW_ON = '9999-12-31T00:00:00Z';

const APPOINT_MANY = `mutation ImportContacts($inputs: [AppointContactInput!]!) {
  appointContacts(inputs: $inputs) { index contact { id appointedTo } error { code field message } }
}`;

/** Maps the directory's input fields back to the file's columns. */
const COLUMN_OF_FIELD: Readonly<Record<string, ContactColumn>> = {
  'input.organizationId': 'organization',
  'input.fullName': 'full_name',
  'input.title': 'title',
  'input.roles': 'roles',
  'input.phone': 'phone',
  'input.email': 'email',
  'input.appointedFrom': 'appointed_from',
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Sent = { ok: true; id: string; appointedTo: string | null } | { ok: false; problem: Problem };

interface Appointment {
  readonly index: number;
  readonly contact: { readonly id: string; readonly appointedTo: string | null } | null;
  readonly error: { readonly code: string; readonly field: string | null; readonly message: string } | null;
}

/** The gateway's code for a subgraph it could not reach or that dropped the connection. */
const TRANSPORT_FAILURE = 'SUBREQUEST_HTTP_ERROR';

const backoff = (attempt: number) => sleep(25 * 2 ** attempt * (0.5 + Math.random() / 2));

const problemOf = (code: string, field: string | null | undefined, message: string): Problem => ({
  code,
  column: field === undefined || field === null ? null : (COLUMN_OF_FIELD[field] ?? null),
  message,
});

/** One batch of rows in one request: each row's contact or the problem the directory found with it. */
async function appointBatch(client: GraphqlClient, drafts: readonly ContactDraft[]): Promise<Sent[]> {
  const inputs = drafts.map((draft) => ({
    organizationId: draft.organizationId,
    fullName: draft.fullName,
    title: draft.title,
    roles: draft.roles,
    phone: draft.phone,
    email: draft.email,
    ...(draft.appointedFrom === null ? {} : { appointedFrom: draft.appointedFrom }),
    idempotencyKey: draft.idempotencyKey,
  }));
  // Every row carries an idempotency key, so sending the batch again is safe whatever happened to
  // the first attempt: transient failures are retried (a dropped connection, the gateway losing
  // the subgraph, a CONFLICT without a field: other writers kept an organization busy). A row's
  // own error is a ruling and stands.
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= MAX_ATTEMPTS;
    let body: GraphqlResponse<{ appointContacts: Appointment[] }>;
    try {
      body = await client.request(APPOINT_MANY, { inputs });
    } catch (error) {
      if (last || !(error instanceof HubUnavailableError) || error.refusedToken) throw error;
      await backoff(attempt);
      continue;
    }
    const answers = body.data?.appointContacts;
    if (answers && answers.length === drafts.length) {
      return answers.map((answer): Sent => {
        if (answer.contact) return { ok: true, ...answer.contact };
        const error = answer.error;
        return {
          ok: false,
          problem: problemOf(
            error?.code ?? 'INTERNAL_SERVER_ERROR',
            error?.field,
            error?.message ?? 'the hub answered without the contact',
          ),
        };
      });
    }
    const error = body.errors?.[0];
    const code = error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    const field = error?.extensions?.field;
    if (!last && (code === TRANSPORT_FAILURE || (code === 'CONFLICT' && field === undefined))) {
      await backoff(attempt);
      continue;
    }
    const problem = problemOf(code, field, error?.message ?? 'the hub answered without the contacts');
    return drafts.map(() => ({ ok: false, problem }));
  }
}

interface Batch {
  /** Batches of one lane are sent one after another: they share an organization's stream. */
  readonly lane: string;
  readonly drafts: ContactDraft[];
}

/**
 * Rows in batches, each organization's rows together: batches in flight at once then never write
 * the same event stream, where they would only conflict and retry. An organization with more rows
 * than a batch holds gets batches of its own, sent in turn.
 */
function batchesOf(drafts: readonly ContactDraft[], size: number): Batch[] {
  const byOrganization = new Map<string, ContactDraft[]>();
  for (const draft of drafts) {
    const rows = byOrganization.get(draft.organizationId);
    if (rows) rows.push(draft);
    else byOrganization.set(draft.organizationId, [draft]);
  }
  const batches: Batch[] = [];
  let mixed: Batch | undefined;
  for (const [organizationId, rows] of byOrganization) {
    if (rows.length > size) {
      for (let start = 0; start < rows.length; start += size) {
        batches.push({ lane: `organization:${organizationId}`, drafts: rows.slice(start, start + size) });
      }
      continue;
    }
    if (!mixed || mixed.drafts.length + rows.length > size) {
      mixed = { lane: `batch:${batches.length}`, drafts: [] };
      batches.push(mixed);
    }
    mixed.drafts.push(...rows);
  }
  return batches;
}

/**
 * Runs `work` over items with at most `concurrency` in flight, but never two of the same lane at
 * once, while different lanes proceed in parallel. Lanes take turns.
 */
async function inLanes<T>(
  items: readonly T[],
  laneOf: (item: T) => string,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const lane = lanes.get(laneOf(item));
    if (lane) lane.push(item);
    else lanes.set(laneOf(item), [item]);
  }
  const ready = [...lanes.values()];
  let busy = 0;
  let failure: { error: unknown } | undefined;
  let waiters: (() => void)[] = [];
  const wakeAll = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const worker = async () => {
    while (!failure) {
      const lane = ready.shift();
      if (!lane) {
        if (busy === 0) return;
        await new Promise<void>((resolve) => waiters.push(resolve));
        continue;
      }
      busy++;
      try {
        await work(lane.shift() as T);
      } catch (error) {
        failure ??= { error };
      } finally {
        busy--;
        if (lane.length > 0) ready.push(lane);
        wakeAll();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) throw failure.error;
}

/**
 * Imports the contacts of a CSV file through the hub's GraphQL API. Rows are checked locally and
 * against the directory's organizations before anything is sent; rows whose contact is already
 * there are not sent; the rest carry an idempotency key derived from their content, so a second
 * run of the same file appends nothing even where the comparison cannot tell.
 * Throws CsvFileError for a file without a usable header and HubUnavailableError when the hub
 * cannot be asked.
 */
export async function importContacts(options: ImportOptions): Promise<ImportReport> {
  const records = parseCsv(options.text);
  const header = readHeader(records[0]);
  const data = records.slice(1);
  const organizations = new OrganizationIndex(await fetchOrganizations(options.client));
  const outcomes = validateRecords(data, header, organizations);

  const fieldsByLine = new Map(data.map((record) => [record.line, record.fields]));
  const rejected: RowRejection[] = [];
  const reject = (line: number, problems: readonly Problem[]) =>
    rejected.push({ line, problems, fields: fieldsByLine.get(line) ?? [] });
  const drafts: ContactDraft[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) drafts.push(outcome.draft);
    else reject(outcome.line, outcome.problems);
  }

  const organizationIds = [...new Set(drafts.map((draft) => draft.organizationId))];
  const existing = await fetchContactsOf(options.client, organizationIds, FROM_NOW_ON);
  const existingIds = new Set<string>();
  const present = new Set<string>();
  for (const [organizationId, contacts] of existing) {
    for (const contact of contacts) {
      existingIds.add(contact.id);
      const content = { ...contact, organizationId };
      present.add(contentKey(content));
      present.add(contentKey(content, false));
    }
  }
  // A row without appointed_from means "serving from whenever"; one with it must match the date too.
  const toSend = drafts.filter((draft) => !present.has(contentKey(draft, draft.appointedFrom !== null)));
  let alreadyPresent = drafts.length - toSend.length;
  let imported = 0;

  if (options.dryRun) imported = toSend.length;
  else {
    let done = 0;
    options.onProgress?.(0, toSend.length);
    const size = Math.min(MAX_BATCH_SIZE, Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE));
    await inLanes(
      batchesOf(toSend, size),
      (batch) => batch.lane,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      async ({ drafts: batch }) => {
        const sent = await appointBatch(options.client, batch);
        for (const [index, draft] of batch.entries()) {
          const row = sent[index] as Sent;
          // An idempotent replay answers with the contact appointed the first time: one the
          // directory listed before this run, or one relieved since (a new one cannot be).
          if (!row.ok) reject(draft.line, [row.problem]);
          else if (existingIds.has(row.id) || row.appointedTo !== null) alreadyPresent++;
          else imported++;
        }
        done += batch.length;
        options.onProgress?.(done, toSend.length);
      },
    );
  }
  rejected.sort((a, b) => a.line - b.line);
  return {
    dryRun: options.dryRun ?? false,
    columns: header.names,
    rows: data.length,
    imported,
    alreadyPresent,
    rejected,
  };
}

const distinct = (values: readonly (string | null)[]): string =>
  [...new Set(values.filter((v): v is string => v !== null))].join(';');

/** `line 5 (BAD_PHONE): phone: "12ab": Phone number must not contain letters`. */
export const formatRejection = (rejection: RowRejection): string =>
  `line ${rejection.line} (${distinct(rejection.problems.map((p) => p.code))}): ${describeProblems(rejection.problems)}`;

export function formatSummary(report: ImportReport): string {
  const counts = `${report.alreadyPresent} already present, ${report.rejected.length} rejected (of ${report.rows} rows)`;
  return report.dryRun
    ? `dry run, nothing sent: would import ${report.imported}, ${counts}`
    : `imported ${report.imported}, ${counts}`;
}

/** The rejected rows as CSV: where, why, then the row as it was written. */
export function rejectionReport(report: ImportReport): string {
  return formatCsv([
    ['line', 'code', 'column', 'reason', ...report.columns],
    ...report.rejected.map((r) => [
      String(r.line),
      distinct(r.problems.map((p) => p.code)),
      distinct(r.problems.map((p) => p.column)),
      describeProblems(r.problems),
      ...r.fields,
    ]),
  ]);
}
