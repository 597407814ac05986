import { randomUUID } from 'node:crypto';
import { EventCatalogue, type NewEvent } from '@hub/event-catalogue';

/**
 * A small catalogue for store tests: `TestCounted` (one version) and `TestNoted`, whose v2 adds
 * a language that the v1→v2 upcaster fills in, so every adapter's read path is seen upcasting.
 */
export function testCatalogue(): EventCatalogue {
  return new EventCatalogue([
    {
      type: 'TestCounted',
      version: 1,
      schema: {
        type: 'object',
        properties: { by: { type: 'integer', minimum: 1 }, writer: { type: 'string' } },
        required: ['by'],
        additionalProperties: false,
      },
    },
    {
      type: 'TestNoted',
      version: 1,
      schema: {
        type: 'object',
        properties: { text: { type: 'string', minLength: 1 } },
        required: ['text'],
        additionalProperties: false,
      },
    },
    {
      type: 'TestNoted',
      version: 2,
      schema: {
        type: 'object',
        properties: { text: { type: 'string', minLength: 1 }, language: { enum: ['vi', 'en'] } },
        required: ['text', 'language'],
        additionalProperties: false,
      },
      upcast: (previous) => ({ ...previous, language: 'vi' }),
    },
  ]);
}

export const counted = (by = 1, extra: Partial<NewEvent> = {}): NewEvent => ({
  id: randomUUID(),
  type: 'TestCounted',
  data: { by },
  ...extra,
});

export const noted = (text: string, extra: Partial<NewEvent> = {}): NewEvent => ({
  id: randomUUID(),
  type: 'TestNoted',
  data: { text, language: 'vi' },
  ...extra,
});

/** A `TestNoted` written at v1, as an older service version would have written it. */
export const notedV1 = (text: string): NewEvent => ({
  id: randomUUID(),
  type: 'TestNoted',
  schemaVersion: 1,
  data: { text },
});
