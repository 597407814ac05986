import { checkVnd, parseInstant } from '@hub/vietnamese';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

// The literal's node lets the gateway name the input field a bad literal was given for.
const invalid = (message: string, node?: ValueNode) =>
  new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code: 'BAD_USER_INPUT' } });

/**
 * An instant a client gives: strict ISO 8601 with an offset, a real calendar day and time; refused,
 * never shifted. Mutations also hold it to the bounds users may give (boundMutationInstants).
 */
export function parseDateTime(value: unknown): string {
  if (typeof value !== 'string') throw invalid('DateTime must be an ISO 8601 string with an offset');
  const instant = parseInstant(value);
  if (!instant.ok) throw invalid(`DateTime ${JSON.stringify(value)} ${instant.reason}`);
  return instant.value;
}

/** DateTime travels as an ISO 8601 string; the hub keeps and returns it in UTC. */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant as an ISO 8601 string with offset; returned in UTC.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
    throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: parseDateTime,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw invalid('DateTime must be a string', ast);
    try {
      return parseDateTime(ast.value);
    } catch (error) {
      throw error instanceof GraphQLError ? invalid(error.message, ast) : error;
    }
  },
});

function parseVnd(value: unknown): number {
  const amount = checkVnd(value);
  if (!amount.ok) throw invalid(`VND ${amount.reason}`);
  return amount.value;
}

// Output is not bounded by MAX_VND: a total of many amounts may exceed it and is still exact.
function serializeVnd(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError('VND cannot represent an amount that is not a safe whole number');
  }
  return value;
}

/** Money in whole Vietnamese đồng: the currency has no minor unit in use. */
export const VndScalar = new GraphQLScalarType<number, number>({
  name: 'VND',
  description: 'An amount of money in whole Vietnamese đồng.',
  serialize: serializeVnd,
  parseValue: parseVnd,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.INT) throw invalid('VND is a whole number of đồng', ast);
    try {
      return parseVnd(Number(ast.value));
    } catch (error) {
      throw error instanceof GraphQLError ? invalid(error.message, ast) : error;
    }
  },
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined): Json {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalToJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value, variables)]));
    case Kind.VARIABLE:
      return (variables?.[ast.name.value] ?? null) as Json;
    default:
      throw invalid('JSON value expected');
  }
}

export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
