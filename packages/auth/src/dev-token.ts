import { SignJWT } from 'jose';
import type { Role } from './caller.js';

export interface DevTokenClaims {
  readonly sub: string;
  readonly org: string;
  readonly roles: readonly Role[];
  /** A time span such as '12h' or '30m', or seconds from now (negative for an already expired token). */
  readonly expiresIn?: string | number;
}

export const DEFAULT_DEV_TOKEN_LIFETIME = '12h';

/** Signs an HS256 token with our claims, the way development and tests obtain a caller. */
export async function signDevToken(claims: DevTokenClaims, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = claims.expiresIn ?? DEFAULT_DEV_TOKEN_LIFETIME;
  return (
    new SignJWT({ org: claims.org, roles: [...claims.roles] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuedAt(now)
      // jose reads a number as an absolute time, a string as a span from now.
      .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
      .sign(new TextEncoder().encode(secret))
  );
}
