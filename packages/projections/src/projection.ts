import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';

/**
 * A read model kept up to date from the event log. Every method gets the transaction it must use:
 * the runner writes the projection's checkpoint in that same transaction, so a read-model change
 * and the position it reflects commit (or vanish) together.
 */
export interface Projection {
  /** Unique in the database the read model lives in; also the checkpoint's key. */
  readonly name: string;
  /** Bump when `apply` changes meaning: the runner then empties the read model and replays. Default 1. */
  readonly version?: number;
  /** Creates the read model's tables if missing; runs on every start, so it must be idempotent. */
  setup(tx: SqlExecutor): Promise<void>;
  /** Empties the read model's tables (before a replay from the first event). */
  reset(tx: SqlExecutor): Promise<void>;
  /** Event types `apply` wants; others are skipped but still checkpointed. Omit for all. */
  readonly handles?: readonly string[];
  apply(event: EventEnvelope, tx: SqlExecutor): Promise<void>;
}
