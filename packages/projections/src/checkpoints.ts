import type { Checkpoint } from '@hub/event-store';
import type { SqlExecutor } from '@hub/sql';

/** One row per projection, in the same database (and transactions) as the read models. */
export const CHECKPOINT_TABLE = 'projection_checkpoints';

export interface CheckpointRow {
  readonly name: string;
  readonly version: number;
  readonly checkpoint: Checkpoint | null;
  /** Events handed to `apply` since the read model was last emptied. */
  readonly applied: number;
}

/**
 * Several services (or replicas) may start against one database at once; holding this lock for
 * the rest of a setup transaction keeps their CREATE TABLE IF NOT EXISTS from racing.
 */
export async function lockSetup(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${CHECKPOINT_TABLE}'))`);
}

export async function createCheckpointTable(tx: SqlExecutor): Promise<void> {
  await lockSetup(tx);
  await tx.exec(`
    CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
      name text PRIMARY KEY,
      version integer NOT NULL,
      checkpoint text,
      applied bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
}

/** `lock` holds the row until the transaction ends, so concurrent starts decide one at a time. */
export async function readCheckpoint(
  tx: SqlExecutor,
  name: string,
  options: { readonly lock?: boolean } = {},
): Promise<CheckpointRow | undefined> {
  const result = await tx.query<CheckpointRow>(
    `SELECT name, version, checkpoint, applied FROM ${CHECKPOINT_TABLE} WHERE name = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [name],
  );
  return result.rows[0];
}

/** Registers a projection at the very beginning; leaves an existing checkpoint alone. */
export async function insertCheckpoint(tx: SqlExecutor, name: string, version: number): Promise<void> {
  await tx.query(
    `INSERT INTO ${CHECKPOINT_TABLE} (name, version, checkpoint, applied) VALUES ($1, $2, NULL, 0)
     ON CONFLICT (name) DO NOTHING`,
    [name, version],
  );
}

/** Restarts a projection from the first event (its read model must be emptied in the same transaction). */
export async function resetCheckpoint(tx: SqlExecutor, name: string, version: number): Promise<void> {
  await tx.query(
    `UPDATE ${CHECKPOINT_TABLE} SET version = $2, checkpoint = NULL, applied = 0, updated_at = now() WHERE name = $1`,
    [name, version],
  );
}

/**
 * Moves the checkpoint from `from` to `to`, but only if it is still at `from`. Taking the row
 * lock first also makes a second runner on the same database wait, then find the checkpoint
 * moved and apply nothing, so no event is applied twice even with several processes.
 */
export async function advanceCheckpoint(
  tx: SqlExecutor,
  name: string,
  from: Checkpoint | null,
  to: Checkpoint,
  applied: number,
): Promise<boolean> {
  const result = await tx.query(
    `UPDATE ${CHECKPOINT_TABLE}
     SET checkpoint = $3, applied = applied + $4, updated_at = now()
     WHERE name = $1 AND checkpoint IS NOT DISTINCT FROM $2`,
    [name, from, to, applied],
  );
  return result.rowCount === 1;
}
