/**
 * Errors as values with codes. Domain code returns `HubError` values; adapters and handlers
 * throw them; the GraphQL edge maps `code` to `extensions.code` and `field` to `extensions.field`.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'EVENT_SCHEMA_VIOLATION'
  | 'UNKNOWN_EVENT_TYPE'
  | 'WRONG_EXPECTED_REVISION'
  | 'DUPLICATE_EVENT'
  | 'RETRIES_EXHAUSTED'
  | 'INTERNAL';

export interface ErrorDetails {
  /** The input field at fault, dotted for nested fields (`input.phone`). */
  readonly field?: string;
  readonly [key: string]: unknown;
}

export class HubError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'HubError';
    this.code = code;
    this.details = details;
  }

  get field(): string | undefined {
    return this.details.field;
  }
}

export const badInput = (field: string, message: string, details: ErrorDetails = {}): HubError =>
  new HubError('BAD_USER_INPUT', message, { ...details, field });
export const notFound = (what: string, id: string): HubError =>
  new HubError('NOT_FOUND', `${what} ${id} does not exist`, { id });
export const forbidden = (message: string, details: ErrorDetails = {}): HubError =>
  new HubError('FORBIDDEN', message, details);
export const conflict = (message: string, details: ErrorDetails = {}): HubError =>
  new HubError('CONFLICT', message, details);

export const isHubError = (value: unknown): value is HubError => value instanceof HubError;

/** A result of a pure decision: the value, or the error that explains why not. */
export type Result<T, E = HubError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
