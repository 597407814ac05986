import type { EventEnvelope } from '@hub/event-catalogue';
import { type EventStore, isSqlEventStore } from '@hub/event-store';
import type { SqlClient } from '@hub/sql';
import { newProjectionRunner, type ProjectionRunnerFactory } from './factory.js';
import { InlineProjections } from './inline.js';
import type { Projection } from './projection.js';
import type { ProjectionLogger, ProjectionRunner, ProjectionStatus, RebuildOptions, RebuildReport } from './runner.js';

export interface ReadModelsOptions {
  /** The service's own database: its event store's tables (SQL stores), read models and checkpoints. */
  readonly sql: SqlClient;
  /** The service's own event store. */
  readonly store: EventStore;
  /** The service's own read models: applied in each append's transaction where the store is SQL. */
  readonly projections: readonly Projection[];
  /** What the service learns from another context's store, applied asynchronously. */
  readonly knowledge?: { readonly store: EventStore; readonly projections: readonly Projection[] };
  /** Default: plain runners; a process among several instances passes leased ones. */
  readonly projectionRunners?: ProjectionRunnerFactory;
  readonly logger?: ProjectionLogger;
  /** How long a command's answer waits for asynchronous own read models; default 10 s. */
  readonly readYourWritesTimeoutMs?: number;
}

/** A service's own read models, however they are kept. */
export interface OwnReadModels {
  /** True: applied in the append's transaction; false: by an asynchronous runner (KurrentDB, memory). */
  readonly inline: boolean;
  /** The runner when `inline` is false. */
  readonly runner: ProjectionRunner | undefined;
  status(): ProjectionStatus[];
  rebuild(name: string, options?: RebuildOptions): Promise<RebuildReport>;
  /** Resolves once the read models hold every event the store has now (at once when inline). */
  catchUp(): Promise<void>;
}

/** The result of a command, as far as read-your-writes needs it. */
export interface Committed {
  readonly events: readonly EventEnvelope[];
  /** The idempotency key had been seen: the events were appended by an earlier request. */
  readonly replayed: boolean;
}

export interface ServiceReadModels {
  readonly own: OwnReadModels;
  /** The runner of `knowledge`, when the service has any. */
  readonly knowledge: ProjectionRunner | undefined;
  /**
   * What a service calls after a command, before it answers from its read models. Never throws:
   * the command has committed, and a slow read model must not turn that into an error a client
   * would retry (creating a duplicate without an idempotency key).
   */
  afterCommand(result: Committed): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The one way a service keeps its read models: its own ones inline (SQL stores) or by a runner
 * that commands wait for (other stores), and its knowledge of other contexts by runners following
 * those stores. Everything is caught up before this resolves, so the service can serve at once.
 */
export async function startReadModels(options: ReadModelsOptions): Promise<ServiceReadModels> {
  const runners = options.projectionRunners ?? newProjectionRunner;
  const log = options.logger;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    // Knowledge first: its runner creates the checkpoint table the own read models share.
    let knowledge: ProjectionRunner | undefined;
    if (options.knowledge) {
      const runner = runners({
        sql: options.sql,
        store: options.knowledge.store,
        projections: options.knowledge.projections,
        logger: log,
      });
      knowledge = runner;
      await runner.catchUp();
      await runner.start();
      stops.push(() => runner.stop());
    }

    let own: OwnReadModels;
    let afterCommand: (result: Committed) => Promise<void>;
    if (isSqlEventStore(options.store)) {
      const inline = new InlineProjections({
        sql: options.sql,
        store: options.store,
        projections: options.projections,
        logger: log,
      });
      await inline.setup();
      stops.push(async () => inline.stop());
      own = {
        inline: true,
        runner: undefined,
        status: () => inline.status(),
        rebuild: (name, rebuildOptions) => inline.rebuild(name, rebuildOptions),
        catchUp: async () => {},
      };
      afterCommand = async () => {};
    } else {
      const runner = runners({ sql: options.sql, store: options.store, projections: options.projections, logger: log });
      await runner.catchUp();
      await runner.start();
      stops.push(() => runner.stop());
      own = {
        inline: false,
        runner,
        status: () => runner.status(),
        rebuild: (name, rebuildOptions) => runner.rebuild(name, rebuildOptions),
        catchUp: async () => void (await runner.catchUp()),
      };
      const timeoutMs = options.readYourWritesTimeoutMs ?? 10_000;
      afterCommand = async ({ events, replayed }) => {
        const last = events.at(-1);
        if (!last) return;
        try {
          // A replayed command's events were applied long ago, unless the first request is still
          // in flight; the runner only remembers recent ids, so do not insist.
          await runner.waitFor(last, { timeoutMs: replayed ? Math.min(2_000, timeoutMs) : timeoutMs });
        } catch (error) {
          (log ?? defaultLog)({
            level: 'warn',
            projection: options.projections.map((p) => p.name).join('+'),
            message: `answering before the read models hold event ${last.id}: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      };
    }
    return { own, knowledge, afterCommand, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const defaultLog: ProjectionLogger = ({ level, projection, message }) => {
  process.stderr.write(`${new Date().toISOString()} ${level} projection ${projection}: ${message}\n`);
};
