import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlClient, SqlExecutor } from '@hub/sql';
import { expect } from 'vitest';
import type { Projection } from '../projection.js';

/** A full envelope around a domain event, at `position` in a test's global order. */
export function envelope(
  event: { readonly type: string; readonly data: Record<string, unknown> },
  position: number,
  overrides: Partial<EventEnvelope> = {},
): EventEnvelope {
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: 1,
    stream: `spec-${position}`,
    revision: 0,
    position: String(position),
    occurredAt: '2026-03-02T02:00:00.000Z',
    recordedAt: '2026-03-02T02:00:00.000Z',
    actor: { userId: 'spec-user', organizationId: 'spec-org' },
    organizationId: 'spec-org',
    correlationId: randomUUID(),
    causationId: null,
    data: event.data,
    ...overrides,
  };
}

export interface ProjectionSpec<Rows> {
  readonly projection: Projection;
  /** A database of the test's own (in-memory PGlite will do); the spec creates the read model in it. */
  readonly sql: SqlClient;
  readonly given: readonly EventEnvelope[];
  /** Reads the rows the spec is about. */
  readonly read: (sql: SqlExecutor) => Promise<Rows>;
  /** What `read` must find. */
  readonly rows: Rows;
}

/**
 * Given events, then rows: applies the events as the runner would (each in a transaction, only
 * the types the projection handles), expects the rows, then empties the read model, replays the
 * same events and expects the very same rows, so a rebuild can never disagree with live updates.
 */
export async function expectProjection<Rows>(spec: ProjectionSpec<Rows>): Promise<void> {
  const { projection, sql } = spec;
  const handles = projection.handles ? new Set(projection.handles) : null;
  const replay = async () => {
    for (const event of spec.given) {
      if (handles && !handles.has(event.type)) continue;
      await sql.transaction((tx) => projection.apply(event, tx));
    }
    return spec.read(sql);
  };
  await sql.transaction((tx) => projection.setup(tx));
  await sql.transaction((tx) => projection.reset(tx));
  const first = await replay();
  expect(first).toEqual(spec.rows);
  await sql.transaction((tx) => projection.reset(tx));
  expect(await replay(), 'a second replay from empty tables gives other rows').toEqual(first);
}
