import { HubError } from '@hub/errors';
import type { EventEnvelope } from '@hub/event-catalogue';
import type { Checkpoint, SqlEventStore } from '@hub/event-store';
import { retryOnDeadlock, type SqlClient, type SqlExecutor } from '@hub/sql';
import { CHECKPOINT_TABLE, createCheckpointTable, lockSetup, readCheckpoint } from './checkpoints.js';
import { ProgressBar } from './progress.js';
import type { Projection } from './projection.js';
import type { ProjectionLogger, ProjectionStatus, RebuildOptions, RebuildReport } from './runner.js';

/**
 * One row per inline projection: the version its read model was built with. There is no
 * position to keep, since the read model commits with every append.
 */
export const INLINE_TABLE = 'inline_projections';

export interface InlineProjectionsOptions {
  /** The store's own database, where the read models live. */
  readonly sql: SqlClient;
  readonly store: SqlEventStore;
  readonly projections: readonly Projection[];
  /** Events read per round when a read model is rebuilt; default 1,000. */
  readonly batchSize?: number;
  readonly logger?: ProjectionLogger;
}

const stderrLogger: ProjectionLogger = ({ level, projection, message }) => {
  process.stderr.write(`${new Date().toISOString()} ${level} projection ${projection}: ${message}\n`);
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A service's own read models, applied in the transaction of each append (design: the event
 * core), so a command's answer reads a read model that already holds its events. A new
 * projection, a version change and a rebuild replay the log while appends wait (the store's
 * `exclusive`), so none is missed or applied twice.
 */
export class InlineProjections {
  private readonly sql: SqlClient;
  private readonly store: SqlEventStore;
  private readonly projections: readonly Projection[];
  private readonly handles: readonly (ReadonlySet<string> | null)[];
  private readonly batchSize: number;
  private readonly log: ProjectionLogger;
  private readonly applied = new Map<string, number>();
  private ready: Promise<void> | undefined;

  constructor(options: InlineProjectionsOptions) {
    this.sql = options.sql;
    this.store = options.store;
    this.projections = options.projections;
    this.handles = options.projections.map((p) => (p.handles ? new Set(p.handles) : null));
    this.batchSize = options.batchSize ?? 1_000;
    this.log = options.logger ?? stderrLogger;
    const names = new Set<string>();
    for (const projection of options.projections) {
      if (names.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      names.add(projection.name);
    }
  }

  /**
   * Creates the read models' tables, replays what a new or changed projection has not seen, then
   * has every append of the store apply the projections. Runs once.
   */
  setup(): Promise<void> {
    this.ready ??= retryOnDeadlock(() => this.runSetup()).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Stops applying on append (the read models then fall behind until the next setup). */
  stop(): void {
    this.store.inline(undefined);
    this.ready = undefined;
  }

  /** Empties the read model and replays every event, with appends held off meanwhile. */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildReport> {
    await this.setup();
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new HubError('NOT_FOUND', `projection ${name} does not exist`, { id: name });
    const stream = options.progress === true ? process.stderr : options.progress || undefined;
    const bar = stream
      ? new ProgressBar({ label: `rebuild ${name}`, total: await this.store.count(), stream })
      : undefined;
    const started = performance.now();
    try {
      const { events, applied } = await this.store.exclusive(async (tx, read) => {
        await projection.reset(tx);
        const replayed = await this.replay(tx, read, projection, null, (n) => bar?.update(n));
        await this.markBuilt(tx, projection);
        return replayed;
      });
      bar?.finish();
      this.applied.set(name, applied);
      this.log({ level: 'info', projection: name, message: `rebuilt from ${events} events` });
      return { name, events, applied, durationMs: performance.now() - started };
    } catch (error) {
      bar?.finish('failed');
      throw error;
    }
  }

  status(): ProjectionStatus[] {
    return this.projections.map((projection) => ({
      name: projection.name,
      version: projection.version ?? 1,
      state: this.ready ? 'live' : 'stopped',
      checkpoint: null,
      applied: this.applied.get(projection.name) ?? 0,
      failure: null,
    }));
  }

  /** What the store runs in each append's transaction. */
  private readonly apply = async (tx: SqlExecutor, events: readonly EventEnvelope[]): Promise<void> => {
    for (const event of events) {
      for (const [i, projection] of this.projections.entries()) {
        const handles = this.handles[i];
        if (handles && !handles.has(event.type)) continue;
        try {
          await projection.apply(event, tx);
        } catch (error) {
          throw new HubError(
            'INTERNAL',
            `projection ${projection.name} failed on event ${event.id} (${event.type}): ${messageOf(error)}`,
            { projection: projection.name, eventId: event.id, eventType: event.type, cause: error },
          );
        }
        this.applied.set(projection.name, (this.applied.get(projection.name) ?? 0) + 1);
      }
    }
  };

  private async runSetup(): Promise<void> {
    // Appends held off meanwhile: \`CREATE INDEX IF NOT EXISTS\` locks its table before finding the
    // index there, and an append of another instance, holding one read model's table and wanting
    // the next, would otherwise deadlock with it, and PostgreSQL might fail the user's command.
    await this.store.exclusive(async (tx) => {
      await createCheckpointTable(tx);
      await tx.exec(`CREATE TABLE IF NOT EXISTS ${INLINE_TABLE} (
        name text PRIMARY KEY,
        version integer NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now()
      )`);
      for (const projection of this.projections) await projection.setup(tx);
    });
    const { rows } = await this.sql.query<{ name: string; version: number }>(
      `SELECT name, version FROM ${INLINE_TABLE}`,
    );
    const built = new Map(rows.map((row) => [row.name, row.version]));
    for (const projection of this.projections) {
      const version = projection.version ?? 1;
      if (built.get(projection.name) === version) continue;
      await this.store.exclusive(async (tx, read) => {
        await lockSetup(tx);
        const row = (
          await tx.query<{ version: number }>(`SELECT version FROM ${INLINE_TABLE} WHERE name = $1`, [projection.name])
        ).rows[0];
        if (row?.version === version) return; // another instance built it meanwhile
        // A projection applied asynchronously until now continues from its checkpoint.
        const previous = row ? undefined : await readCheckpoint(tx, projection.name);
        const from = previous?.version === version ? previous.checkpoint : null;
        if (from === null) await projection.reset(tx);
        const { events } = await this.replay(tx, read, projection, from, () => {});
        await this.markBuilt(tx, projection);
        this.log({
          level: 'info',
          projection: projection.name,
          message: `${row ? `version ${row.version} → ${version}: ` : ''}applied ${events} events${from ? ` after ${from}` : ''}; now applied on append`,
        });
      });
    }
    this.store.inline(this.apply);
  }

  private async replay(
    tx: SqlExecutor,
    read: (
      from: Checkpoint | null,
      limit: number,
    ) => Promise<{ events: EventEnvelope[]; checkpoint: Checkpoint | null }>,
    projection: Projection,
    from: Checkpoint | null,
    progress: (events: number) => void,
  ): Promise<{ events: number; applied: number }> {
    const handles = projection.handles ? new Set(projection.handles) : null;
    let events = 0;
    let applied = 0;
    for (let checkpoint = from; ; ) {
      const slice = await read(checkpoint, this.batchSize);
      for (const event of slice.events) {
        if (handles && !handles.has(event.type)) continue;
        await projection.apply(event, tx);
        applied++;
      }
      events += slice.events.length;
      progress(events);
      if (slice.events.length < this.batchSize) return { events, applied };
      checkpoint = slice.checkpoint;
    }
  }

  private async markBuilt(tx: SqlExecutor, projection: Projection): Promise<void> {
    await tx.query(
      `INSERT INTO ${INLINE_TABLE} (name, version) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, built_at = now()`,
      [projection.name, projection.version ?? 1],
    );
    await tx.query(`DELETE FROM ${CHECKPOINT_TABLE} WHERE name = $1`, [projection.name]);
  }
}
