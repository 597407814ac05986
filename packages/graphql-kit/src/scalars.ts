import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

// An offset is required so a client in Hà Nội and one in UTC can never mean different instants.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(`DateTime must be an ISO 8601 string with an offset, such as 2025-07-01T08:00:00+07:00`);
  }
  return new Date(value).toISOString();
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
    if (ast.kind !== Kind.STRING) throw invalid('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

function parseVnd(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid('VND is a whole number of đồng');
  }
  return value;
}

/** Money in whole Vietnamese đồng: the currency has no minor unit in use. */
export const VndScalar = new GraphQLScalarType<number, number>({
  name: 'VND',
  description: 'An amount of money in whole Vietnamese đồng.',
  serialize: (value) => parseVnd(value),
  parseValue: parseVnd,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.INT) throw invalid('VND is a whole number of đồng');
    return parseVnd(Number(ast.value));
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
