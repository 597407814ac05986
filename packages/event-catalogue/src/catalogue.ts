import { randomUUID } from 'node:crypto';
import { HubError } from '@hub/errors';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { EventEnvelope, EventMetadata, NewEvent } from './envelope.js';

// ajv-formats ships CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

export type JsonSchema = Record<string, unknown>;

/**
 * One version of one event type. `upcast` turns the data of version `version - 1` into this
 * version's shape; it runs on read, so stored events are never rewritten.
 */
export interface EventDefinition {
  readonly type: string;
  readonly version: number;
  readonly schema: JsonSchema;
  readonly upcast?: (previous: Record<string, unknown>) => Record<string, unknown>;
  readonly description?: string;
}

/** An event checked against its schema and ready to be written. */
export interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

interface Versioned {
  readonly definition: EventDefinition;
  readonly validate: ValidateFunction;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EventCatalogue {
  private readonly ajv = addFormats(new Ajv2020({ allErrors: false, strict: true }));
  private readonly types = new Map<string, Versioned[]>();

  constructor(definitions: readonly EventDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EventDefinition): this {
    const versions = this.types.get(definition.type) ?? [];
    const expected = versions.length + 1;
    if (definition.version !== expected) {
      throw new Error(`${definition.type} v${definition.version} registered out of order: expected v${expected}`);
    }
    if (definition.version > 1 && !definition.upcast) {
      throw new Error(`${definition.type} v${definition.version} needs an upcaster from v${definition.version - 1}`);
    }
    versions.push({ definition, validate: this.ajv.compile(definition.schema) });
    this.types.set(definition.type, versions);
    return this;
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  eventTypes(): string[] {
    return [...this.types.keys()].sort();
  }

  definitions(): EventDefinition[] {
    return [...this.types.values()].flatMap((versions) => versions.map((v) => v.definition));
  }

  latestVersion(type: string): number {
    return this.versionsOf(type).length;
  }

  /** Checks data against the schema of `type` at `version`; throws EVENT_SCHEMA_VIOLATION naming the field. */
  validate(type: string, version: number, data: unknown): void {
    const entry = this.versionsOf(type)[version - 1];
    if (!entry) {
      throw new HubError('UNKNOWN_EVENT_TYPE', `${type} has no version ${version}`, { type, version });
    }
    if (entry.validate(data)) return;
    const first = entry.validate.errors?.[0];
    const path = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
    const missing =
      first?.keyword === 'required' ? String((first.params as { missingProperty?: string }).missingProperty) : '';
    const field = ['data', path, missing].filter(Boolean).join('.');
    throw new HubError('EVENT_SCHEMA_VIOLATION', `${type} v${version}: ${field} ${first?.message ?? 'is invalid'}`, {
      field,
      type,
      version,
    });
  }

  /** Fills defaults and validates, so nothing invalid ever reaches a store. */
  prepare(event: NewEvent): PreparedEvent {
    const schemaVersion = event.schemaVersion ?? this.latestVersion(event.type);
    this.validate(event.type, schemaVersion, event.data);
    if (event.id !== undefined && !UUID.test(event.id)) {
      throw new HubError('EVENT_SCHEMA_VIOLATION', `event id ${event.id} is not a UUID`, { field: 'id' });
    }
    const occurredAt = event.occurredAt ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(occurredAt))) {
      throw new HubError('EVENT_SCHEMA_VIOLATION', `occurredAt ${occurredAt} is not a date`, { field: 'occurredAt' });
    }
    const id = event.id ?? randomUUID();
    return {
      id,
      type: event.type,
      schemaVersion,
      data: event.data,
      metadata: {
        occurredAt: new Date(occurredAt).toISOString(),
        actor: event.actor ?? null,
        organizationId: event.organizationId ?? null,
        correlationId: event.correlationId ?? id,
        causationId: event.causationId ?? null,
      },
    };
  }

  /** Reads an event stored at any version as the latest version of its type. */
  upcast<E extends EventEnvelope>(envelope: E): E {
    const versions = this.types.get(envelope.type);
    if (!versions || envelope.schemaVersion >= versions.length) return envelope;
    let data = envelope.data as Record<string, unknown>;
    for (let v = envelope.schemaVersion + 1; v <= versions.length; v++) {
      const upcast = versions[v - 1]?.definition.upcast;
      if (upcast) data = upcast(data);
    }
    return { ...envelope, schemaVersion: versions.length, data };
  }

  private versionsOf(type: string): Versioned[] {
    const versions = this.types.get(type);
    if (!versions) throw new HubError('UNKNOWN_EVENT_TYPE', `unknown event type ${type}`, { type, field: 'type' });
    return versions;
  }
}
