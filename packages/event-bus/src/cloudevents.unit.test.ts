import type { EventEnvelope } from '@hub/event-catalogue';
import { describe, expect, it } from 'vitest';
import { cloudEventSource, decodeCloudEvent, encodeCloudEvent, fromCloudEvent, toCloudEvent } from './cloudevents.js';

const issued: EventEnvelope = {
  id: '0b6f3c1e-8f0a-4a57-9d2e-5c1f2a7b9e10',
  type: 'PolicyIssued',
  schemaVersion: 2,
  stream: 'policy-7a1c',
  revision: 3,
  position: '0000000000000042',
  occurredAt: '2025-07-01T01:30:00.000Z',
  recordedAt: '2025-07-01T01:30:00.250Z',
  actor: { userId: 'user-lao-cai-officer', organizationId: 'org-ubnd-lao-cai' },
  organizationId: 'org-ubnd-lao-cai',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  causationId: 'c0ffee00-0000-4000-8000-000000000002',
  data: { title: 'Quyết định 407/QĐ-TTg', effectiveFrom: '2025-07-01', tags: ['truyền thông', 'chính sách'] },
};

const roundTrip = (event: EventEnvelope): EventEnvelope =>
  decodeCloudEvent(encodeCloudEvent(event, cloudEventSource('policies')));

describe('toCloudEvent', () => {
  it('maps the envelope onto CloudEvents 1.0 core and lowercase extension attributes', () => {
    expect(toCloudEvent(issued, cloudEventSource('policies'))).toEqual({
      specversion: '1.0',
      id: issued.id,
      source: '/hub/policies',
      type: 'PolicyIssued',
      subject: 'policy-7a1c',
      time: '2025-07-01T01:30:00.000Z',
      datacontenttype: 'application/json',
      data: issued.data,
      schemaversion: 2,
      revision: 3,
      position: '0000000000000042',
      recordedat: '2025-07-01T01:30:00.250Z',
      correlationid: issued.correlationId,
      actoruserid: 'user-lao-cai-officer',
      actororganizationid: 'org-ubnd-lao-cai',
      organizationid: 'org-ubnd-lao-cai',
      causationid: issued.causationId,
    });
  });

  it('names every attribute as the CloudEvents spec requires: lowercase letters and digits only', () => {
    for (const name of Object.keys(toCloudEvent(issued, '/hub/policies'))) expect(name).toMatch(/^[a-z0-9]+$/);
  });

  it('leaves null envelope fields out instead of sending null attributes', () => {
    const event = toCloudEvent({ ...issued, actor: null, organizationId: null, causationId: null }, '/hub/policies');
    for (const name of ['actoruserid', 'actororganizationid', 'organizationid', 'causationid']) {
      expect(event).not.toHaveProperty(name);
    }
    expect(Object.values(event)).not.toContain(null);
  });
});

describe('fromCloudEvent', () => {
  it.each([
    ['a fully populated envelope', issued],
    ['no actor, organization or cause', { ...issued, actor: null, organizationId: null, causationId: null }],
    ['an actor acting for no organization', { ...issued, actor: { userId: 'citizen-1', organizationId: null } }],
    ['empty strings and empty data', { ...issued, correlationId: '', position: '', data: {} }],
  ])('round-trips %s exactly through the wire format', (_, event) => {
    expect(roundTrip(event)).toStrictEqual(event);
  });

  it('ignores extension attributes it does not know, as CloudEvents consumers must', () => {
    const withExtra = { ...toCloudEvent(issued, '/hub/policies'), traceparent: '00-abc-def-01' };
    expect(fromCloudEvent(withExtra)).toStrictEqual(issued);
  });

  it.each([
    ['not an object', [], '(event)'],
    ['another spec version', { specversion: '0.3' }, 'specversion'],
    ['a non-JSON content type', { datacontenttype: 'text/plain' }, 'datacontenttype'],
    ['data that is not an object', { data: 'plain text' }, 'data'],
    ['an empty id', { id: '' }, 'id'],
    ['no subject', { subject: undefined }, 'subject'],
    ['a fractional revision', { revision: 1.5 }, 'revision'],
    ['a schema version given as text', { schemaversion: '2' }, 'schemaversion'],
    ['an actor organization without an actor', { actoruserid: undefined }, 'actoruserid'],
    ['a numeric causation id', { causationid: 7 }, 'causationid'],
  ])('rejects %s with EVENT_SCHEMA_VIOLATION naming the attribute', (_, change, field) => {
    const value = Array.isArray(change) ? change : { ...toCloudEvent(issued, '/hub/policies'), ...change };
    expect(() => fromCloudEvent(value)).toThrow(
      expect.objectContaining({ code: 'EVENT_SCHEMA_VIOLATION', details: { field } }),
    );
  });

  it('rejects bytes that are not JSON', () => {
    expect(() => decodeCloudEvent(Buffer.from('{"specversion":'))).toThrow(
      expect.objectContaining({ code: 'EVENT_SCHEMA_VIOLATION' }),
    );
  });
});
