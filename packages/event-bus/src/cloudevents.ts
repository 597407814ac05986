import { HubError } from '@hub/errors';
import type { Actor, EventEnvelope } from '@hub/event-catalogue';

/** The Kafka content type of a structured-mode CloudEvent (CloudEvents Kafka protocol binding). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * An EventEnvelope as a CloudEvents 1.0 JSON event (design §4). Envelope fields without a core
 * attribute travel as extension attributes; those must be lowercase alphanumeric scalars, so the
 * actor is split in two and a null value is simply absent (JSON format: null means unset).
 */
export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  /** The stream id: the entity the event is about, and the Kafka message key. */
  readonly subject: string;
  /** The envelope's occurredAt: when it happened in the world. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Record<string, unknown>;
  readonly schemaversion: number;
  readonly revision: number;
  readonly position: string;
  readonly recordedat: string;
  readonly correlationid: string;
  readonly actoruserid?: string;
  readonly actororganizationid?: string;
  readonly organizationid?: string;
  readonly causationid?: string;
}

/** The CloudEvents `source` for events published on a topic: one topic per bounded context. */
export const cloudEventSource = (topic: string): string => `/hub/${topic}`;

export function toCloudEvent(event: EventEnvelope, source: string): CloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source,
    type: event.type,
    subject: event.stream,
    time: event.occurredAt,
    datacontenttype: 'application/json',
    data: event.data,
    schemaversion: event.schemaVersion,
    revision: event.revision,
    position: event.position,
    recordedat: event.recordedAt,
    correlationid: event.correlationId,
    ...(event.actor === null ? {} : { actoruserid: event.actor.userId }),
    ...(event.actor?.organizationId == null ? {} : { actororganizationid: event.actor.organizationId }),
    ...(event.organizationId === null ? {} : { organizationid: event.organizationId }),
    ...(event.causationId === null ? {} : { causationid: event.causationId }),
  };
}

type Json = Record<string, unknown>;

const violation = (field: string, expected: string): HubError =>
  new HubError('EVENT_SCHEMA_VIOLATION', `CloudEvent attribute "${field}" must be ${expected}`, { field });

/** CloudEvents requires id, source, type and subject to be non-empty; the envelope's other strings may be. */
function requiredString(value: Json, field: string, { nonEmpty = false } = {}): string {
  const attribute = value[field];
  if (typeof attribute !== 'string') throw violation(field, 'a string');
  if (nonEmpty && attribute === '') throw violation(field, 'a non-empty string');
  return attribute;
}

function optionalString(value: Json, field: string): string | null {
  const attribute = value[field];
  if (attribute === undefined || attribute === null) return null;
  if (typeof attribute !== 'string') throw violation(field, 'a string when present');
  return attribute;
}

function integer(value: Json, field: string): number {
  const attribute = value[field];
  if (typeof attribute !== 'number' || !Number.isSafeInteger(attribute) || attribute < 0) {
    throw violation(field, 'a non-negative integer');
  }
  return attribute;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The inverse of toCloudEvent; rejects anything that is not one of ours with EVENT_SCHEMA_VIOLATION. */
export function fromCloudEvent(value: unknown): EventEnvelope {
  if (!isObject(value)) throw violation('(event)', 'a JSON object');
  if (value.specversion !== '1.0') throw violation('specversion', '"1.0"');
  const datacontenttype = value.datacontenttype;
  if (datacontenttype !== undefined && datacontenttype !== 'application/json') {
    throw violation('datacontenttype', '"application/json"');
  }
  if (!isObject(value.data)) throw violation('data', 'a JSON object');
  requiredString(value, 'source', { nonEmpty: true });

  const actorUserId = optionalString(value, 'actoruserid');
  const actorOrganizationId = optionalString(value, 'actororganizationid');
  if (actorUserId === null && actorOrganizationId !== null) {
    throw violation('actoruserid', 'present when actororganizationid is');
  }
  const actor: Actor | null =
    actorUserId === null ? null : { userId: actorUserId, organizationId: actorOrganizationId };

  return {
    id: requiredString(value, 'id', { nonEmpty: true }),
    type: requiredString(value, 'type', { nonEmpty: true }),
    schemaVersion: integer(value, 'schemaversion'),
    stream: requiredString(value, 'subject', { nonEmpty: true }),
    revision: integer(value, 'revision'),
    position: requiredString(value, 'position'),
    occurredAt: requiredString(value, 'time'),
    recordedAt: requiredString(value, 'recordedat'),
    actor,
    organizationId: optionalString(value, 'organizationid'),
    correlationId: requiredString(value, 'correlationid'),
    causationId: optionalString(value, 'causationid'),
    data: value.data,
  };
}

/** The bytes of a Kafka message value, and back. */
export const encodeCloudEvent = (event: EventEnvelope, source: string): Buffer =>
  Buffer.from(JSON.stringify(toCloudEvent(event, source)), 'utf8');

export function decodeCloudEvent(bytes: Buffer | string): EventEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch {
    throw violation('(event)', 'JSON');
  }
  return fromCloudEvent(parsed);
}
