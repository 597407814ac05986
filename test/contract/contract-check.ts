import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/**
 * Lists every way the supergraph falls short of the public contract: a missing type, field,
 * argument or enum value, or one whose type differs. Extra fields are allowed; an extra argument
 * only when optional (a required one would break clients built against the contract).
 */
export function contractGaps(contractSdl: string, supergraphSdl: string): string[] {
  const contract = buildSchema(contractSdl);
  const supergraph = apiSchema(supergraphSdl);
  const gaps: string[] = [];
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const other = supergraph.getType(type.name);
    if (!other) {
      gaps.push(`type ${type.name}`);
      continue;
    }
    if (kindOf(type) !== kindOf(other)) {
      gaps.push(`type ${type.name} is ${kindOf(other)}, contract says ${kindOf(type)}`);
      continue;
    }
    if (isEnumType(type) && isEnumType(other)) {
      const values = new Set(other.getValues().map((v) => v.name));
      for (const value of type.getValues()) if (!values.has(value.name)) gaps.push(`enum ${type.name}.${value.name}`);
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
      const fields = other.getFields();
      for (const field of Object.values(type.getFields())) {
        const actual = fields[field.name];
        if (!actual) gaps.push(`field ${type.name}.${field.name}`);
        else gaps.push(...fieldGaps(`${type.name}.${field.name}`, field, actual));
      }
    }
    if (isInputObjectType(type) && isInputObjectType(other)) {
      const fields = other.getFields();
      for (const field of Object.values(type.getFields())) {
        const actual = fields[field.name];
        if (!actual) gaps.push(`input field ${type.name}.${field.name}`);
        else if (String(actual.type) !== String(field.type)) {
          gaps.push(`input field ${type.name}.${field.name} is ${actual.type}, contract says ${field.type}`);
        }
      }
      for (const field of Object.values(other.getFields())) {
        if (!type.getFields()[field.name] && isRequired(field))
          gaps.push(`input field ${type.name}.${field.name} is required but not in the contract`);
      }
    }
  }
  return gaps.sort();
}

function fieldGaps(
  path: string,
  expected: GraphQLField<unknown, unknown>,
  actual: GraphQLField<unknown, unknown>,
): string[] {
  const gaps: string[] = [];
  if (String(actual.type) !== String(expected.type))
    gaps.push(`field ${path} is ${actual.type}, contract says ${expected.type}`);
  const args = new Map(actual.args.map((a) => [a.name, a]));
  for (const arg of expected.args) {
    const found = args.get(arg.name);
    if (!found) gaps.push(`argument ${path}(${arg.name})`);
    else if (String(found.type) !== String(arg.type))
      gaps.push(`argument ${path}(${arg.name}) is ${found.type}, contract says ${arg.type}`);
  }
  for (const arg of actual.args) {
    if (!expected.args.some((a) => a.name === arg.name) && isRequired(arg)) {
      gaps.push(`argument ${path}(${arg.name}) is required but not in the contract`);
    }
  }
  return gaps;
}

const isRequired = (value: GraphQLArgument | GraphQLInputField): boolean =>
  isNonNullType(value.type) && value.defaultValue === undefined;

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input';
  if (isScalarType(type)) return 'scalar';
  return 'unknown';
}

/** The schema clients see: the supergraph without its join/link machinery and @inaccessible parts. */
export function apiSchema(supergraphSdl: string): GraphQLSchema {
  const withoutInaccessible = supergraphSdl
    .split('\n')
    .filter((line) => !/@inaccessible\b/.test(line) || line.trimStart().startsWith('directive'))
    .join('\n');
  return buildSchema(withoutInaccessible, { assumeValidSDL: true });
}
