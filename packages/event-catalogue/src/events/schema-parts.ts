import type { JsonSchema } from '../catalogue.js';

/** Reusable JSON Schema fragments, so every context spells ids, times and names the same way. */
export const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 100 };
export const instant: JsonSchema = { type: 'string', format: 'date-time' };
export const name: JsonSchema = { type: 'string', minLength: 1, maxLength: 300 };
export const optionalText = (maxLength: number): JsonSchema => ({ type: ['string', 'null'], maxLength });
export const e164: JsonSchema = { type: ['string', 'null'], pattern: '^\\+[1-9][0-9]{6,14}$' };
export const email: JsonSchema = { type: ['string', 'null'], format: 'email', maxLength: 254 };

export const object = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
