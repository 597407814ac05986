import { describe, expect, it } from 'vitest';
import { EventCatalogue } from './catalogue.js';
import type { EventEnvelope } from './envelope.js';

const schemaV1 = {
  type: 'object',
  additionalProperties: false,
  properties: { organizationId: { type: 'string', minLength: 1 }, title: { type: 'string', minLength: 1 } },
  required: ['organizationId', 'title'],
};
const schemaV2 = {
  type: 'object',
  additionalProperties: false,
  properties: {
    organizationId: { type: 'string', minLength: 1 },
    title: { type: 'string', minLength: 1 },
    language: { enum: ['vi', 'en'] },
  },
  required: ['organizationId', 'title', 'language'],
};

const catalogue = () =>
  new EventCatalogue([
    { type: 'NoticePosted', version: 1, schema: schemaV1 },
    { type: 'NoticePosted', version: 2, schema: schemaV2, upcast: (v1) => ({ ...v1, language: 'vi' }) },
  ]);

describe('event catalogue', () => {
  it('prepares a valid event at the latest version, with an id, UTC time and correlation', () => {
    const prepared = catalogue().prepare({
      type: 'NoticePosted',
      data: { organizationId: 'prov-hue', title: 'Thông báo', language: 'vi' },
      occurredAt: '2025-07-01T08:00:00+07:00',
    });
    expect(prepared.schemaVersion).toBe(2);
    expect(prepared.metadata.occurredAt).toBe('2025-07-01T01:00:00.000Z');
    expect(prepared.metadata.correlationId).toBe(prepared.id);
  });

  it('refuses data that breaks the schema with EVENT_SCHEMA_VIOLATION naming the field', () => {
    expect(() =>
      catalogue().prepare({ type: 'NoticePosted', data: { organizationId: 'prov-hue', title: '', language: 'vi' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'EVENT_SCHEMA_VIOLATION',
        details: expect.objectContaining({ field: 'data.title' }),
      }),
    );
    expect(() =>
      catalogue().prepare({ type: 'NoticePosted', data: { organizationId: 'prov-hue', language: 'vi' } }),
    ).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'data.title' }) }));
  });

  it('refuses an unknown type and a version it does not have', () => {
    expect(() => catalogue().prepare({ type: 'Nope', data: {} })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_EVENT_TYPE' }),
    );
    expect(() => catalogue().prepare({ type: 'NoticePosted', schemaVersion: 3, data: {} })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_EVENT_TYPE' }),
    );
  });

  it('reads a v1 event as v2 through the upcaster, leaving the stored envelope untouched', () => {
    const stored: EventEnvelope = {
      id: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      type: 'NoticePosted',
      schemaVersion: 1,
      stream: 'notice-1',
      revision: 0,
      position: '1',
      occurredAt: '2024-01-01T00:00:00.000Z',
      recordedAt: '2024-01-01T00:00:00.000Z',
      actor: null,
      organizationId: 'prov-hue',
      correlationId: 'c',
      causationId: null,
      data: { organizationId: 'prov-hue', title: 'Cũ' },
    };
    const read = catalogue().upcast(stored);
    expect(read).toMatchObject({ schemaVersion: 2, data: { organizationId: 'prov-hue', title: 'Cũ', language: 'vi' } });
    expect(stored.schemaVersion).toBe(1);
    expect(stored.data).toEqual({ organizationId: 'prov-hue', title: 'Cũ' });
  });

  it('insists that versions are registered in order and that every later version has an upcaster', () => {
    expect(() => new EventCatalogue([{ type: 'X', version: 2, schema: schemaV1 }])).toThrow(/out of order/);
    expect(
      () =>
        new EventCatalogue([
          { type: 'X', version: 1, schema: schemaV1 },
          { type: 'X', version: 2, schema: schemaV2 },
        ]),
    ).toThrow(/upcaster/);
  });

  it('holds every event type of the hub with a schema that compiles', async () => {
    const { hubCatalogue } = await import('./events/index.js');
    expect(hubCatalogue().eventTypes()).toEqual(
      expect.arrayContaining(['OrganizationRegistered', 'ContactAppointed', 'SpokespersonDesignated']),
    );
  });
});
