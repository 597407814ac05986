import { HubError } from '@hub/errors';
import type { EventEnvelope } from '@hub/event-catalogue';
import {
  CHECKPOINT_TABLE,
  type Projection,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type WaitOptions,
} from '@hub/projections';
import type { SqlExecutor } from '@hub/sql';
import type { AdvisoryLease } from './lease.js';
import { comparePositions } from './positions.js';

/** Each application recorded with the instance that made it, for the fault test and for audits. */
export const APPLICATION_AUDIT_TABLE = 'projection_application_audit';

export interface LeasedRunnerOptions extends ProjectionRunnerOptions {
  readonly lease: AdvisoryLease;
  /** Set: every event handed to `apply` is recorded with this instance's id, in the same transaction. */
  readonly auditInstance?: string;
  /** How often an instance without the lease looks at the checkpoints while waiting; default 20 ms. */
  readonly pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function audited(projection: Projection, instance: string): Projection {
  // Spelled out rather than spread, so a projection written as a class keeps its methods.
  return {
    name: projection.name,
    version: projection.version,
    handles: projection.handles,
    reset: (tx) => projection.reset(tx),
    async setup(tx: SqlExecutor) {
      await tx.exec(`CREATE TABLE IF NOT EXISTS ${APPLICATION_AUDIT_TABLE} (
        seq bigserial PRIMARY KEY,
        projection text NOT NULL,
        event_id text NOT NULL,
        instance text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
      await projection.setup(tx);
    },
    async apply(event, tx) {
      await tx.query(`INSERT INTO ${APPLICATION_AUDIT_TABLE} (projection, event_id, instance) VALUES ($1, $2, $3)`, [
        projection.name,
        event.id,
        instance,
      ]);
      await projection.apply(event, tx);
    },
  };
}

/**
 * A projection runner for a service with several instances: only the lease holder applies
 * events; the others serve reads from the same read models and answer `waitFor` (read-your-writes
 * after a command on any instance) by watching the checkpoints the holder commits.
 */
export class LeasedProjectionRunner extends ProjectionRunner {
  readonly lease: AdvisoryLease;
  private readonly names: readonly string[];
  private readonly leasedSql: SqlExecutor;
  private readonly pollMs: number;

  constructor(options: LeasedRunnerOptions) {
    const instance = options.auditInstance;
    super({
      ...options,
      projections: instance ? options.projections.map((p) => audited(p, instance)) : options.projections,
    });
    this.lease = options.lease;
    this.names = options.projections.map((p) => p.name);
    this.leasedSql = options.sql;
    this.pollMs = options.pollMs ?? 20;
  }

  /** Follows the store while this instance holds the lease, taking over when the holder dies. */
  override async start(): Promise<void> {
    await this.setup();
    await this.lease.hold(async () => {
      await super.start();
      return () => super.stop();
    });
    await this.lease.start();
  }

  override async stop(): Promise<void> {
    await this.lease.stop();
  }

  /** Applies what the store has only on the holder; elsewhere the holder does it. */
  override async catchUp(names?: readonly string[]): Promise<number> {
    if (this.lease.held) return super.catchUp(names);
    await this.setup();
    return 0;
  }

  override async waitFor(event: Pick<EventEnvelope, 'id' | 'position'>, options: WaitOptions = {}): Promise<void> {
    await this.setup();
    const names = options.projections ?? this.names;
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    const stop = new AbortController();
    const polled = this.pollUntilReached(event, names, deadline, stop.signal);
    try {
      if (!this.lease.held) return await polled;
      // The holder's own runner answers at once; the checkpoints answer for events applied by a
      // holder that died before this instance took over.
      await Promise.any([super.waitFor(event, { ...options, timeoutMs: deadline - Date.now() }), polled]);
    } catch (error) {
      throw error instanceof AggregateError ? error.errors[0] : error;
    } finally {
      stop.abort();
      polled.catch(() => undefined);
    }
  }

  private async pollUntilReached(
    event: Pick<EventEnvelope, 'id' | 'position'>,
    names: readonly string[],
    deadline: number,
    signal: AbortSignal,
  ): Promise<void> {
    while (!signal.aborted) {
      const { rows } = await this.leasedSql.query<{ checkpoint: string | null }>(
        `SELECT checkpoint FROM ${CHECKPOINT_TABLE} WHERE name = ANY($1::text[])`,
        [names],
      );
      const reached =
        rows.length === names.length &&
        rows.every((row) => row.checkpoint !== null && comparePositions(row.checkpoint, event.position) >= 0);
      if (reached) return;
      if (Date.now() > deadline) {
        throw new HubError('INTERNAL', `projections ${names.join(', ')} have not applied event ${event.id} in time`, {
          eventId: event.id,
        });
      }
      await sleep(this.lease.held ? this.pollMs * 10 : this.pollMs);
    }
  }
}
