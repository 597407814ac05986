import { HubError } from '@hub/errors';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError } from './errors.js';

const wrapped = (error: Error) => new GraphQLError(error.message, { originalError: error, path: ['m'] });

describe('formatError', () => {
  it('keeps a hub error’s code and the details a client can act on, and nothing else', () => {
    const error = new HubError('FORBIDDEN', 'too many submissions', { retryAfterSeconds: 30, internal: 'secret' });
    expect(formatError({ message: 'x', path: ['m'] }, wrapped(error), false)).toEqual({
      message: 'too many submissions',
      path: ['m'],
      extensions: { code: 'FORBIDDEN', retryAfterSeconds: 30 },
    });
  });

  it('folds store codes into the public ones: a lost race is a CONFLICT naming the actual revision', () => {
    const error = new HubError('WRONG_EXPECTED_REVISION', 'stream s: expected 1, actual 2', { actualRevision: 2 });
    expect(formatError({ message: 'x' }, wrapped(error), false).extensions).toEqual({
      code: 'CONFLICT',
      actualRevision: 2,
    });
  });

  it('masks an unexpected error outside development and never sends a stack trace', () => {
    const formatted = formatError(
      { message: 'db password wrong', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      wrapped(new Error('db password wrong')),
      false,
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps a validation error’s code but drops its stack trace', () => {
    const formatted = formatError(
      { message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at y'] } },
      new GraphQLError('Cannot query field'),
      false,
    );
    expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
