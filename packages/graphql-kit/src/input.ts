import { badInput } from '@hub/errors';
import { checkInstantBounds, cleanText, parseInstant } from '@hub/vietnamese';
import { type GraphQLInputType, type GraphQLSchema, isInputObjectType, isListType, isNonNullType } from 'graphql';

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

/** An instant a command is given: a real one (parseInstant) within the bounds users may give. */
export function instantInput(value: string, field: string): string {
  const parsed = parseInstant(value);
  const checked = parsed.ok ? checkInstantBounds(parsed.value) : parsed;
  if (!checked.ok) throw badInput(field, `${lastSegment(field)} ${checked.reason}`);
  return checked.value;
}

/**
 * Every DateTime anywhere in a mutation's arguments is an instant a user gives, so each is held to
 * the bounds before the resolver runs (queries, asking about any instant, are not).
 */
export function boundMutationInstants(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve;
    if (!resolve) continue;
    field.resolve = (source, args, context, info) => {
      for (const arg of field.args) checkInstantsIn(arg.type, args[arg.name], arg.name);
      return resolve(source, args, context, info);
    };
  }
}

function checkInstantsIn(type: GraphQLInputType, value: unknown, path: string): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) {
    checkInstantsIn(type.ofType, value, path);
    return;
  }
  if (isListType(type)) {
    if (Array.isArray(value))
      for (const [i, item] of value.entries()) checkInstantsIn(type.ofType, item, `${path}.${i}`);
    return;
  }
  if (isInputObjectType(type)) {
    const record = value as Record<string, unknown>;
    for (const field of Object.values(type.getFields()))
      checkInstantsIn(field.type, record[field.name], `${path}.${field.name}`);
    return;
  }
  if (type.name === 'DateTime' && typeof value === 'string') {
    const checked = checkInstantBounds(value);
    if (!checked.ok) throw badInput(path, `${lastSegment(path)} ${checked.reason}`);
  }
}
