import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AudienceContext, type AudienceEvent, eventViewer } from '@hub/audience';
import { anonymous, type Caller, type UserCaller } from '@hub/auth';
import { hubCatalogue } from '@hub/event-catalogue';

/**
 * What the audience rule costs the live feed's fan-out: one event decided for 1,000 subscribers
 * (`eventViewer` once per event, then its per-caller test),
 * for every catalogue type in turn, in process (no I/O: the context is loaded once per event
 * before this). Baseline in the same run: the same loop doing only what the feed did before the
 * rule, a type-filter check and the copy handed to the subscriber.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SUBSCRIBERS = 1_000;
const ROUNDS = 200;

const user = (organizationId: string, ...roles: UserCaller['roles']): UserCaller => ({
  kind: 'user',
  userId: `user-of-${organizationId}`,
  organizationId,
  roles,
});

function subscribers(): Caller[] {
  const kinds: Caller[] = [
    anonymous,
    user('org-lead', 'ORG_EDITOR'),
    user('press-b', 'NEWSROOM_EDITOR'),
    user('province-1', 'ORG_EDITOR'),
    user('org-government-office', 'ADMIN'),
  ];
  return Array.from({ length: SUBSCRIBERS }, (_, i) =>
    i % 7 === 0 ? (kinds[i % kinds.length] as Caller) : user(`org-${i}`, 'VIEWER'),
  );
}

function events(): AudienceEvent[] {
  const catalogue = hubCatalogue();
  return catalogue.eventTypes().map((type) => {
    const definition = catalogue.definitions().find((d) => d.type === type);
    const keys = Object.keys((definition?.schema.properties ?? {}) as Record<string, unknown>);
    const data: Record<string, unknown> = Object.fromEntries(keys.map((key) => [key, `${key}-value`]));
    Object.assign(data, { organizationId: 'org-lead', ordererId: 'org-lead', newsroomId: 'press-b' });
    if ('recipientIds' in data) data.recipientIds = ['press-b'];
    if ('embargoUntil' in data) data.embargoUntil = '2999-01-01T00:00:00Z';
    return { type, organizationId: 'org-lead', data };
  });
}

function measure(run: () => number): { seconds: number; shown: number } {
  const started = performance.now();
  let shown = 0;
  for (let round = 0; round < ROUNDS; round++) shown += run();
  return { seconds: (performance.now() - started) / 1000, shown };
}

export async function runAudienceBench(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const callers = subscribers();
  const all = events();
  const context: AudienceContext = {
    now: new Date(),
    ancestors: new Map([['org-lead', ['province-1']]]),
    statementRecipients: new Map([['statementId-value', new Set(['press-b'])]]),
  };
  const types = new Set(all.map((event) => event.type));
  const baseline = () => {
    let shown = 0;
    for (const event of all) {
      for (const _caller of callers) {
        if (types.has(event.type)) {
          const copy = { ...event, data: event.data };
          if (copy) shown++;
        }
      }
    }
    return shown;
  };
  const withRule = () => {
    let shown = 0;
    for (const event of all) {
      const viewer = eventViewer(event, context);
      for (const caller of callers) {
        if (!types.has(event.type)) continue;
        const view = viewer(caller);
        if (view !== null) {
          const copy = { ...event, data: view.data };
          if (copy) shown++;
        }
      }
    }
    return shown;
  };
  // Warm both up, then interleave so load drift on a shared machine hits both alike.
  measure(baseline);
  measure(withRule);
  const totals = { baseline: 0, rule: 0 };
  let shown = { baseline: 0, rule: 0 };
  for (let slice = 0; slice < 3; slice++) {
    const b = measure(baseline);
    const r = measure(withRule);
    totals.baseline += b.seconds;
    totals.rule += r.seconds;
    shown = { baseline: b.shown, rule: r.shown };
  }
  const fanouts = 3 * ROUNDS * all.length;
  const microsPerFanout = (seconds: number) => (seconds * 1e6) / fanouts;
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] ?? 0 },
    subscribers: SUBSCRIBERS,
    eventTypes: all.length,
    fanouts,
    results: [
      {
        path: 'baseline: type filter and copy',
        microsPerEventTo1000: microsPerFanout(totals.baseline),
        shownPerRound: shown.baseline / ROUNDS,
      },
      {
        path: 'eventViewer once, then per subscriber',
        microsPerEventTo1000: microsPerFanout(totals.rule),
        shownPerRound: shown.rule / ROUNDS,
      },
    ],
  };
  console.table(report.results.map((r) => ({ ...r, microsPerEventTo1000: Number(r.microsPerEventTo1000.toFixed(1)) })));
  const folder = join(ROOT, 'bench-results');
  await mkdir(folder, { recursive: true });
  const base = join(folder, `${report.date}-${report.cores}cores-audience`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const lines = [
    `# Audience benchmark, ${report.date}`,
    '',
    `${report.cores} cores (${report.cpu}), Node.js ${report.node}; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${report.loadAverage.atEnd.toFixed(1)} at the end. One event of each of the ${all.length} catalogue types decided for ${SUBSCRIBERS} subscribers (mixed callers), ${fanouts} fan-outs in 3 interleaved slices after a warm-up; no I/O.`,
    '',
    '| path | µs per event to 1,000 subscribers | subscribers shown an event, per round of all types |',
    '|---|---:|---:|',
    ...report.results.map((r) => `| ${r.path} | ${r.microsPerEventTo1000.toFixed(1)} | ${r.shownPerRound} |`),
    '',
  ];
  await writeFile(`${base}.md`, lines.join('\n'));
  console.log(`saved ${base}.json and .md`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runAudienceBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
