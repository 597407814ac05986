/** The signed-in user, as far as the page needs to know: the token and its claims (not verified here). */
export interface Session {
  readonly token: string;
  readonly userId: string;
  readonly organizationId: string;
  readonly roles: readonly string[];
  readonly expiresAt: Date | null;
}

const STORAGE_KEY = 'hub.token';

function decodePart(part: string): unknown {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Reads a token's claims; null when it is not a JWT with our claims. The gateway still verifies it. */
export function sessionFromToken(token: string): Session | null {
  const payload = token.trim().split('.')[1];
  if (!payload) return null;
  try {
    const claims = decodePart(payload) as { sub?: unknown; org?: unknown; roles?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.org !== 'string' || !Array.isArray(claims.roles)) return null;
    return {
      token: token.trim(),
      userId: claims.sub,
      organizationId: claims.org,
      roles: claims.roles.filter((role): role is string => typeof role === 'string'),
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

/** The session kept for this browser tab (sessionStorage: closing the tab signs out). */
export function storedSession(now = new Date()): Session | null {
  const token = sessionStorage.getItem(STORAGE_KEY);
  const session = token ? sessionFromToken(token) : null;
  if (session?.expiresAt && session.expiresAt <= now) {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
  return session;
}

export function keepSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, session.token);
  else sessionStorage.removeItem(STORAGE_KEY);
}

export const ROLE_NAMES: Record<string, string> = {
  ADMIN: 'Quản trị',
  ORG_EDITOR: 'Biên tập viên của cơ quan',
  NEWSROOM_EDITOR: 'Biên tập viên toà soạn',
  VIEWER: 'Người xem',
};
