/** Who caused an event: the acting user and the organization they acted for. */
export interface Actor {
  readonly userId: string;
  readonly organizationId: string | null;
}

/**
 * The one envelope every event travels in (design §4). `revision` is the event's 0-based
 * position in its stream; `position` is an opaque checkpoint in the store's global order.
 */
export interface EventEnvelope<TData = Record<string, unknown>, TType extends string = string> {
  readonly id: string;
  readonly type: TType;
  readonly schemaVersion: number;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
  /** When it happened in the world (ISO 8601, UTC). */
  readonly occurredAt: string;
  /** When the store recorded it (ISO 8601, UTC). */
  readonly recordedAt: string;
  readonly actor: Actor | null;
  /** The organization the event is about or from, so feeds and scoreboards can filter by it. */
  readonly organizationId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly data: TData;
}

/** What a writer hands to the store; the store fills in stream, revision, position and times. */
export interface NewEvent<TData = Record<string, unknown>, TType extends string = string> {
  readonly id?: string;
  readonly type: TType;
  /** Defaults to the catalogue's latest version of `type`. */
  readonly schemaVersion?: number;
  readonly data: TData;
  readonly occurredAt?: string;
  readonly actor?: Actor | null;
  readonly organizationId?: string | null;
  readonly correlationId?: string;
  readonly causationId?: string | null;
}

/** Metadata persisted beside the data; stored as one JSON document by SQL adapters. */
export interface EventMetadata {
  readonly occurredAt: string;
  readonly actor: Actor | null;
  readonly organizationId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
}
