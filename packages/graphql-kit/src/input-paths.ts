import { unacceptableCharacter } from '@hub/vietnamese';
import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * Where each piece of a client's input sits, named as the client wrote it: the argument and the
 * input fields under it (`input.appointedFrom`, `input.regions.0.kind`). Errors about input name
 * these paths in `extensions.field`, never a variable's name or a subgraph's internal one.
 */
export interface InputPaths {
  /** A value (or object field) by its position in the document. */
  readonly byLocation: ReadonlyMap<number, string>;
  /** The argument path where a variable is first used. */
  readonly byVariable: ReadonlyMap<string, string>;
}

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

function walkValue(
  value: ValueNode,
  path: string,
  paths: { byLocation: Map<number, string>; byVariable: Map<string, string> },
) {
  if (value.loc) paths.byLocation.set(value.loc.start, path);
  if (value.kind === Kind.VARIABLE) {
    if (!paths.byVariable.has(value.name.value)) paths.byVariable.set(value.name.value, path);
  } else if (value.kind === Kind.LIST) {
    for (const [index, item] of value.values.entries()) walkValue(item, join(path, index), paths);
  } else if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const fieldPath = join(path, field.name.value);
      if (field.loc) paths.byLocation.set(field.loc.start, fieldPath);
      walkValue(field.value, fieldPath, paths);
    }
  }
}

function walkSelections(
  selectionSet: SelectionSetNode | undefined,
  document: DocumentNode,
  paths: { byLocation: Map<number, string>; byVariable: Map<string, string> },
  seen: Set<string>,
) {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      walkField(selection, paths);
      walkSelections(selection.selectionSet, document, paths, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walkSelections(selection.selectionSet, document, paths, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) walkSelections(fragment.selectionSet, document, paths, seen);
    }
  }
}

function walkField(field: FieldNode, paths: { byLocation: Map<number, string>; byVariable: Map<string, string> }) {
  for (const argument of field.arguments ?? []) {
    if (argument.loc) paths.byLocation.set(argument.loc.start, argument.name.value);
    walkValue(argument.value, argument.name.value, paths);
  }
}

export function inputPaths(document: DocumentNode): InputPaths {
  const paths = { byLocation: new Map<number, string>(), byVariable: new Map<string, string>() };
  const seen = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) walkSelections(definition.selectionSet, document, paths, seen);
  }
  return paths;
}

// "Did you mean …?" names values and fields the caller did not know; production never offers them.
const SUGGESTION = /\s*Did you mean[^?]*\?/gu;
export const withoutSuggestions = (message: string): string => message.replace(SUGGESTION, '');

const VARIABLE_MESSAGE =
  /^Variable "\$([^"]+)" (?:got invalid value .*?(?: at "([^"]+)")?;|of required type|of non-null type)/su;
const MISSING_FIELD = /Field "(?:[^".]+\.)?([^"]+)" of required type "[^"]+" was not provided/u;
const UNKNOWN_FIELD = /Field "([^"]+)" is not defined by type/u;
const MISSING_ARGUMENT = /argument "([^"]+)" of type "[^"]+" is required/u;
const UNKNOWN_ARGUMENT = /^Unknown argument "([^"]+)"/u;
const VALUE_RULES =
  /^(?:Expected value of type|Value "|Enum "|String cannot|Int cannot|Float cannot|Boolean cannot|ID cannot|Expected type)/u;

/**
 * The client's input path an error of the GraphQL layer (validation or variable coercion) is
 * about, or undefined when it is not about input (an unknown field in a selection).
 */
export function inputFieldOf(error: GraphQLError, document: DocumentNode | undefined): string | undefined {
  const paths = document ? inputPaths(document) : undefined;
  const message = error.message;
  const variable = VARIABLE_MESSAGE.exec(message);
  if (variable) {
    const [, name = '', at] = variable;
    const base = paths?.byVariable.get(name) ?? name;
    // graphql-js writes list positions as `items[0]`; the hub's fields write `items.0`.
    let path = at ? base + at.slice(name.length).replace(/\[(\d+)\]/gu, '.$1') : base;
    const nested = MISSING_FIELD.exec(message) ?? UNKNOWN_FIELD.exec(message);
    if (nested?.[1]) path = join(path, nested[1]);
    return path;
  }
  const node = error.nodes?.[0];
  const located = node?.loc ? paths?.byLocation.get(node.loc.start) : undefined;
  const missingArgument = MISSING_ARGUMENT.exec(message);
  if (missingArgument?.[1]) return missingArgument[1];
  const unknownArgument = UNKNOWN_ARGUMENT.exec(message);
  if (unknownArgument?.[1]) return unknownArgument[1];
  const missing = MISSING_FIELD.exec(message);
  if (missing?.[1] && located !== undefined) return join(located, missing[1]);
  const fromScalar = error.extensions?.code === 'BAD_USER_INPUT';
  if (located !== undefined && (fromScalar || VALUE_RULES.test(message) || UNKNOWN_FIELD.test(message))) return located;
  return undefined;
}

/**
 * An error of the GraphQL layer as a client should see it: BAD_USER_INPUT with the input path when
 * it is about input, and no suggestions either way.
 */
export function clientInputError(error: GraphQLError, document: DocumentNode | undefined): GraphQLError {
  // A resolver's error (it has a path) or one that names its field already is the service's word.
  const decided = error.path !== undefined || error.extensions?.field !== undefined;
  const field = decided ? undefined : inputFieldOf(error, document);
  const message = withoutSuggestions(error.message);
  if (field === undefined) {
    if (message === error.message) return error;
    return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: error.extensions });
  }
  return new GraphQLError(message, {
    nodes: error.nodes,
    path: error.path,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', field },
  });
}

const refusal = (field: string, reason: string) =>
  new GraphQLError(`${field} ${reason}`, { extensions: { code: 'BAD_USER_INPUT', field } });

function screenJson(value: unknown, path: string): GraphQLError | null {
  if (typeof value === 'string') {
    const bad = unacceptableCharacter(value);
    return bad ? refusal(path, bad) : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = screenJson(item, join(path, index));
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = screenJson(item, join(path, key));
      if (found) return found;
    }
  }
  return null;
}

function screenLiteral(value: ValueNode, path: string): GraphQLError | null {
  if (value.kind === Kind.STRING) {
    const bad = unacceptableCharacter(value.value);
    return bad ? refusal(path, bad) : null;
  }
  if (value.kind === Kind.LIST) {
    for (const [index, item] of value.values.entries()) {
      const found = screenLiteral(item, join(path, index));
      if (found) return found;
    }
  }
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const found = screenLiteral(field.value, join(path, field.name.value));
      if (found) return found;
    }
  }
  return null;
}

/**
 * The first string in an operation's input (literals and variables) that can never be stored: a
 * lone surrogate, NUL or another control character (see unacceptableCharacter). Refusing these
 * before any resolver runs keeps them out of every subgraph, event and database.
 */
export function screenInput(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): GraphQLError | null {
  const paths = inputPaths(document);
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = screenJson(value, paths.byVariable.get(name) ?? name);
    if (found) return found;
  }
  const stack: SelectionSetNode[] = [operation.selectionSet];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) stack.push(definition.selectionSet);
  }
  while (stack.length > 0) {
    const selectionSet = stack.pop() as SelectionSetNode;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) continue;
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          const found = screenLiteral(argument.value, argument.name.value);
          if (found) return found;
        }
      }
      if (selection.selectionSet) stack.push(selection.selectionSet);
    }
  }
  return null;
}
