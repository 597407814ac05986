import { buildSchema, execute, GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clientInputError, inputFieldOf, screenInput, withoutSuggestions } from './input-paths.js';
import { DateTimeScalar } from './scalars.js';

const schema = buildSchema(`
  scalar DateTime
  enum Kind { PROVINCE MINISTRY }
  input Item { at: DateTime! note: String }
  input Register { name: String! kind: Kind! items: [Item!] }
  type Query { ok: Boolean }
  type Mutation { register(input: Register!): Boolean }
`);
Object.assign(schema.getType('DateTime') as object, {
  parseValue: DateTimeScalar.parseValue,
  parseLiteral: DateTimeScalar.parseLiteral,
});

const validationField = (source: string) => {
  const document = parse(source);
  const [error] = validate(schema, document);
  return error && { field: inputFieldOf(error, document), message: clientInputError(error, document).message };
};

const executionField = async (source: string, variables: Record<string, unknown>) => {
  const document = parse(source);
  const result = await execute({ schema, document, variableValues: variables });
  const error = result.errors?.[0];
  return error && clientInputError(error, document).extensions;
};

describe('input paths of GraphQL-layer errors', () => {
  it('given a literal enum value that does not exist, then the argument path, with no suggestion', () => {
    expect(validationField('mutation { register(input: { name: "x", kind: PROVINCEE }) }')).toEqual({
      field: 'input.kind',
      message: 'Value "PROVINCEE" does not exist in "Kind" enum.',
    });
  });

  it('given a missing required field, an unknown field or a bad literal deep in a list, then its path', () => {
    expect(validationField('mutation { register(input: { kind: PROVINCE }) }')?.field).toBe('input.name');
    expect(validationField('mutation { register(input: { name: "x", kind: PROVINCE, foo: 1 }) }')?.field).toBe(
      'input.foo',
    );
    expect(
      validationField(
        'mutation { register(input: { name: "x", kind: PROVINCE, items: [{ at: "2025-01-01T00:00:00Z" }, { at: "2025-02-30T00:00:00Z" }] }) }',
      )?.field,
    ).toBe('input.items.1.at');
    expect(validationField('mutation { register }')?.field).toBe('input');
  });

  it('given a bad variable, then the path under the argument it feeds, whatever the variable is called', async () => {
    const source = 'mutation ($i: Register!) { register(input: $i) }';
    expect(await executionField(source, { i: { name: 'x', kind: 'MINISTRYY' } })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.kind',
    });
    expect(await executionField(source, { i: { kind: 'MINISTRY' } })).toMatchObject({ field: 'input.name' });
    expect(
      await executionField(source, { i: { name: 'x', kind: 'MINISTRY', items: [{ at: '2025-04-31T00:00:00Z' }] } }),
    ).toMatchObject({ field: 'input.items.0.at' });
    expect(await executionField(source, {})).toMatchObject({ field: 'input' });
    const nested = 'mutation ($at: DateTime!) { register(input: { name: "x", kind: PROVINCE, items: [{ at: $at }] }) }';
    expect(await executionField(nested, { at: '2025-02-29T00:00:00Z' })).toMatchObject({ field: 'input.items.0.at' });
  });

  it("given a resolver's error naming its own field, then it is kept as the service said it", () => {
    const document = parse('mutation { register(input: { name: "x", kind: PROVINCE }) }');
    const error = new GraphQLError('phone is not Vietnamese', {
      path: ['register'],
      extensions: { code: 'BAD_USER_INPUT', field: 'input.phone' },
    });
    expect(clientInputError(error, document).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.phone' });
  });

  it('given an error about the selection rather than input, then no field and no suggestion', () => {
    const document = parse('{ okk }');
    const [error] = validate(schema, document);
    expect(error && inputFieldOf(error, document)).toBeUndefined();
    expect(withoutSuggestions('Cannot query field "okk" on type "Query". Did you mean "ok"?')).toBe(
      'Cannot query field "okk" on type "Query".',
    );
  });
});

describe('screenInput', () => {
  const screen = (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions[0];
    if (operation?.kind !== 'OperationDefinition') throw new Error('no operation');
    return screenInput(operation, document, variables)?.extensions;
  };

  it('given NUL or a lone surrogate in a variable or a literal, then BAD_USER_INPUT on its path', () => {
    expect(
      screen('mutation ($i: Register!) { register(input: $i) }', { i: { name: 'a\u0000', kind: 'PROVINCE' } }),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
    // A lone surrogate cannot be written in a literal at all: the parser refuses it.
    expect(screen('mutation { register(input: { name: "a\\u0000", kind: PROVINCE }) }')).toMatchObject({
      field: 'input.name',
    });
  });

  it('given ordinary Vietnamese text, line breaks and emoji, then nothing is refused', () => {
    expect(
      screen('mutation ($n: String!) { register(input: { name: $n, kind: PROVINCE }) }', { n: 'Hà Nội\n😀' }),
    ).toBeUndefined();
  });
});
