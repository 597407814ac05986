import { err, HubError, ok, type Result } from '@hub/errors';

export const ROLES = ['ADMIN', 'ORG_EDITOR', 'NEWSROOM_EDITOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

export interface AnonymousCaller {
  readonly kind: 'anonymous';
}

/** A caller whose token was verified: who they are, which organization they act for, what they may do. */
export interface UserCaller {
  readonly kind: 'user';
  readonly userId: string;
  readonly organizationId: string;
  readonly roles: readonly Role[];
}

export type Caller = AnonymousCaller | UserCaller;

export const anonymous: AnonymousCaller = Object.freeze({ kind: 'anonymous' });

export const isAuthenticated = (caller: Caller): caller is UserCaller => caller.kind === 'user';

/** True when the caller holds at least one of `roles` (literally: ADMIN is not implied here). */
export const hasRole = (caller: Caller, ...roles: readonly Role[]): boolean =>
  isAuthenticated(caller) && roles.some((role) => caller.roles.includes(role));

/**
 * Decides whether `caller` may act with one of `roles` (any authenticated caller when `roles` is
 * empty), on behalf of `organizationId` when given. ADMIN passes every role check and may act for
 * any organization; everyone else acts only for the organization in their token.
 */
export function authorize(
  caller: Caller,
  roles: readonly Role[],
  organizationId?: string | null,
): Result<UserCaller, HubError> {
  if (!isAuthenticated(caller)) {
    return err(new HubError('UNAUTHENTICATED', 'sign in to do this: send Authorization: Bearer <token>'));
  }
  if (caller.roles.includes('ADMIN')) return ok(caller);
  if (roles.length > 0 && !hasRole(caller, ...roles)) {
    return err(
      new HubError('FORBIDDEN', `this needs one of the roles ${roles.join(', ')}`, {
        requiredRoles: [...roles],
        roles: [...caller.roles],
      }),
    );
  }
  if (organizationId != null && organizationId !== caller.organizationId) {
    return err(
      new HubError('FORBIDDEN', `you act for organization ${caller.organizationId}, not ${organizationId}`, {
        organizationId,
      }),
    );
  }
  return ok(caller);
}

/** `authorize` for resolvers and handlers that throw: returns the user or throws UNAUTHENTICATED/FORBIDDEN. */
export function requireRole(caller: Caller, roles: readonly Role[], organizationId?: string | null): UserCaller {
  const result = authorize(caller, roles, organizationId);
  if (!result.ok) throw result.error;
  return result.value;
}
