import { type ErrorCode, HubError } from '@hub/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { inputFieldOf, withoutSuggestions } from './input-paths.js';

/** The codes clients see (contract.graphql); store-level codes fold into them. */
const publicCode: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  EVENT_SCHEMA_VIOLATION: 'BAD_USER_INPUT',
  UNKNOWN_EVENT_TYPE: 'INTERNAL_SERVER_ERROR',
  WRONG_EXPECTED_REVISION: 'CONFLICT',
  DUPLICATE_EVENT: 'CONFLICT',
  RETRIES_EXHAUSTED: 'CONFLICT',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

const originalOf = (error: unknown): unknown => {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
};

/** Details a client can act on; anything else in an error's details stays on the server. */
const PUBLIC_DETAILS = ['field', 'retryAfterSeconds', 'actualRevision'] as const;

export function toGraphQLError(error: HubError): GraphQLError {
  const code = publicCode[error.code];
  const extensions: Record<string, unknown> = { code };
  for (const key of PUBLIC_DETAILS) {
    if (error.details[key] !== undefined) extensions[key] = error.details[key];
  }
  return new GraphQLError(code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : error.message, {
    extensions,
  });
}

/**
 * Apollo Server's formatError: typed hub errors keep their code and field; anything unexpected
 * is masked outside development so no internals or stack traces leak.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  development = process.env.NODE_ENV === 'development',
): GraphQLFormattedError {
  const original = originalOf(error);
  if (original instanceof HubError) {
    const typed = toGraphQLError(original);
    return { ...formatted, message: typed.message, extensions: typed.extensions };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stack, ...rest } = formatted.extensions ?? {};
    // A variable the subgraph could not coerce: its message says where (the gateway, which sees
    // the client's document, names the path itself before a subgraph is asked).
    const field =
      code === 'BAD_USER_INPUT' && rest.field === undefined && error instanceof GraphQLError
        ? inputFieldOf(error, undefined)
        : undefined;
    return {
      ...formatted,
      message: withoutSuggestions(formatted.message),
      extensions: field === undefined ? rest : { ...rest, field },
    };
  }
  if (development) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
