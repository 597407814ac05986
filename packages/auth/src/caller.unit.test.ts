import { HubError } from '@hub/errors';
import { describe, expect, it } from 'vitest';
import { anonymous, authorize, hasRole, isAuthenticated, requireRole, type UserCaller } from './caller.js';

const user = (organizationId: string, ...roles: UserCaller['roles']): UserCaller => ({
  kind: 'user',
  userId: 'user-1',
  organizationId,
  roles,
});

const thrown = (action: () => unknown): HubError => {
  try {
    action();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
};

describe('caller', () => {
  it('given an anonymous caller, then it is not authenticated and holds no role', () => {
    expect(isAuthenticated(anonymous)).toBe(false);
    expect(hasRole(anonymous, 'VIEWER', 'ADMIN')).toBe(false);
  });

  it('given an ADMIN, hasRole answers literally: ADMIN does not imply VIEWER', () => {
    const admin = user('org-1', 'ADMIN');
    expect(hasRole(admin, 'ADMIN')).toBe(true);
    expect(hasRole(admin, 'VIEWER')).toBe(false);
    expect(hasRole(admin, 'VIEWER', 'ADMIN')).toBe(true);
  });
});

describe('requireRole', () => {
  it('given an anonymous caller, when any role is required, then UNAUTHENTICATED', () => {
    expect(thrown(() => requireRole(anonymous, ['VIEWER'])).code).toBe('UNAUTHENTICATED');
    expect(thrown(() => requireRole(anonymous, [])).code).toBe('UNAUTHENTICATED');
  });

  it('given an ORG_EDITOR of org-1, when acting for org-1 as ORG_EDITOR, then the caller is returned', () => {
    const editor = user('org-1', 'ORG_EDITOR');
    expect(requireRole(editor, ['ORG_EDITOR'], 'org-1')).toBe(editor);
  });

  it('given an ORG_EDITOR of org-1, when acting for org-2, then FORBIDDEN naming both organizations', () => {
    const error = thrown(() => requireRole(user('org-1', 'ORG_EDITOR'), ['ORG_EDITOR'], 'org-2'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('you act for organization org-1, not org-2');
    expect(error.details).toEqual({ organizationId: 'org-2' });
  });

  it('given a VIEWER, when ORG_EDITOR or NEWSROOM_EDITOR is required, then FORBIDDEN listing the roles', () => {
    const error = thrown(() => requireRole(user('org-1', 'VIEWER'), ['ORG_EDITOR', 'NEWSROOM_EDITOR'], 'org-1'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('this needs one of the roles ORG_EDITOR, NEWSROOM_EDITOR');
    expect(error.details).toEqual({ requiredRoles: ['ORG_EDITOR', 'NEWSROOM_EDITOR'], roles: ['VIEWER'] });
  });

  it('given an ADMIN of org-1, when acting for org-2 in a role they do not hold, then allowed', () => {
    const admin = user('org-1', 'ADMIN');
    expect(requireRole(admin, ['NEWSROOM_EDITOR'], 'org-2')).toBe(admin);
  });

  it('given no required roles, then any authenticated caller of the organization passes', () => {
    const viewer = user('org-1', 'VIEWER');
    expect(requireRole(viewer, [])).toBe(viewer);
    expect(requireRole(viewer, [], 'org-1')).toBe(viewer);
    expect(thrown(() => requireRole(viewer, [], 'org-9')).code).toBe('FORBIDDEN');
  });

  it('given a caller with several roles, when one of them is required, then allowed', () => {
    const caller = user('org-1', 'VIEWER', 'NEWSROOM_EDITOR');
    expect(requireRole(caller, ['NEWSROOM_EDITOR'], 'org-1')).toBe(caller);
  });
});

describe('authorize', () => {
  it('returns errors as values instead of throwing', () => {
    const denied = authorize(user('org-1', 'VIEWER'), ['ADMIN']);
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.code).toBe('FORBIDDEN');

    const editor = user('org-1', 'ORG_EDITOR');
    expect(authorize(editor, ['ORG_EDITOR'], 'org-1')).toEqual({ ok: true, value: editor });
  });
});
