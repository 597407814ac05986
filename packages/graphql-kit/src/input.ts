import { badInput } from '@hub/errors';
import { cleanText, parseInstant } from '@hub/vietnamese';

/**
 * A mutation's text input cleaned by the hub's one text rule (cleanText in @hub/vietnamese), or
 * BAD_USER_INPUT on the field. Every service turns input text into stored text through these.
 */
export interface TextInputRule {
  readonly max: number;
  /** Keep line breaks (a body, a brief, feedback); names and titles are one line. */
  readonly multiline?: boolean;
}

const lastSegment = (field: string): string => field.split('.').pop() ?? field;

/** Text that must not be empty once cleaned. */
export function requiredText(value: string, field: string, rule: TextInputRule): string {
  const clean = cleanText(value, rule);
  if (!clean.ok) throw badInput(field, `${lastSegment(field)} ${clean.reason}`);
  if (clean.value.length === 0) throw badInput(field, `${lastSegment(field)} must not be empty`);
  return clean.value;
}

/** Text that may be absent: null, undefined and text that cleans to nothing all give null. */
export function optionalText(value: string | null | undefined, field: string, rule: TextInputRule): string | null {
  if (value === undefined || value === null) return null;
  const clean = cleanText(value, rule);
  if (!clean.ok) throw badInput(field, `${lastSegment(field)} ${clean.reason}`);
  return clean.value.length > 0 ? clean.value : null;
}

/** An instant given as text outside the DateTime scalar, by the same rule (parseInstant). */
export function instantInput(value: string, field: string): string {
  const checked = parseInstant(value);
  if (!checked.ok) throw badInput(field, `${lastSegment(field)} ${checked.reason}`);
  return checked.value;
}
