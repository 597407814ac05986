import { type EventStore, isSqlEventStore } from '@hub/event-store';
import type { SqlClient } from '@hub/sql';
import { InlineProjections } from './inline.js';
import type { ProgressStream } from './progress.js';
import type { Projection } from './projection.js';
import { type ProjectionLogEntry, ProjectionRunner, type RebuildReport } from './runner.js';

export interface RebuildCliOptions {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Projection names, `--all`, `--no-progress`, `--help`. */
  readonly argv: readonly string[];
  /** Where progress, reports and errors go; default process.stderr. */
  readonly output?: ProgressStream;
  readonly batchSize?: number;
}

const usage = (names: readonly string[]) =>
  `usage: rebuild (--all | <projection>...) [--no-progress]\nprojections: ${names.join(', ')}\n`;

/**
 * What a service's `rebuild` script runs: empties and replays the named read models, one after
 * another, with a progress display. Resolves to a process exit code (0 ok, 1 failed, 2 misuse).
 */
export async function runRebuildCli(options: RebuildCliOptions): Promise<number> {
  const output = options.output ?? process.stderr;
  const known = options.projections.map((projection) => projection.name);
  const flags = new Set(options.argv.filter((arg) => arg.startsWith('--')));
  const names = options.argv.filter((arg) => !arg.startsWith('--'));
  const unknownFlags = [...flags].filter((flag) => !['--all', '--no-progress', '--help'].includes(flag));
  const unknownNames = names.filter((name) => !known.includes(name));
  if (flags.has('--help')) {
    output.write(usage(known));
    return 0;
  }
  if (unknownFlags.length > 0 || unknownNames.length > 0 || (names.length === 0) === !flags.has('--all')) {
    for (const name of unknownNames) output.write(`unknown projection ${name}\n`);
    for (const flag of unknownFlags) output.write(`unknown option ${flag}\n`);
    output.write(usage(known));
    return 2;
  }

  // The report line below says what a rebuild did; only problems are worth a log line here.
  const logger = ({ level, projection, message }: ProjectionLogEntry) => {
    if (level !== 'info') output.write(`${level} projection ${projection}: ${message}\n`);
  };
  const { sql, store, projections, batchSize } = options;
  // A service's own read models on a SQL store are inline: rebuilt with appends held off.
  const runner = isSqlEventStore(store)
    ? new InlineProjections({ sql, store, projections, batchSize, logger })
    : new ProjectionRunner({ sql, store, projections, batchSize, logger });
  const targets = flags.has('--all') ? known : names;
  const progress = flags.has('--no-progress') ? undefined : output;
  for (const name of targets) {
    let report: RebuildReport;
    try {
      report = await runner.rebuild(name, { progress });
    } catch (error) {
      output.write(`rebuild ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const seconds = report.durationMs / 1000;
    const rate = seconds > 0 ? Math.round(report.events / seconds) : report.events;
    output.write(
      `rebuilt ${name}: ${report.events} events (${report.applied} applied) in ${seconds.toFixed(1)} s, ${rate} ev/s\n`,
    );
  }
  return 0;
}
