import { HubError } from '@hub/errors';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { anonymous } from './caller.js';
import { signDevToken } from './dev-token.js';
import {
  callerFromAuthorizationHeader,
  createVerifier,
  DEV_SECRET,
  type Verifier,
  verifierConfigFromEnv,
  verifierFromEnv,
} from './verifier.js';

const SECRET = 'unit-test-secret-0123456789abcdef';
const verifier = createVerifier({ mode: 'hs256', secret: SECRET });

const rejection = async (promise: Promise<unknown>): Promise<HubError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
};

/** Signs arbitrary claims, for tokens our own signer would never produce. */
const signRaw = (claims: Record<string, unknown>, secret = SECRET, expires: string | null = '1h') => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (expires !== null) jwt.setExpirationTime(expires);
  return jwt.sign(new TextEncoder().encode(secret));
};

describe('HS256 verifier', () => {
  it('given a signed dev token, when verified, then the caller carries its claims', async () => {
    const token = await signDevToken({ sub: 'user-7', org: 'org-3', roles: ['ORG_EDITOR', 'VIEWER'] }, SECRET);
    expect(await verifier.verify(token)).toEqual({
      kind: 'user',
      userId: 'user-7',
      organizationId: 'org-3',
      roles: ['ORG_EDITOR', 'VIEWER'],
    });
  });

  it('given a dev token, then it expires after 12 hours by default', async () => {
    const token = await signDevToken({ sub: 'u', org: 'o', roles: ['VIEWER'] }, SECRET);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    expect(payload.exp - payload.iat).toBe(12 * 3600);
  });

  it('given a token signed with another secret, then UNAUTHENTICATED: signature not valid', async () => {
    const token = await signDevToken({ sub: 'u', org: 'o', roles: ['VIEWER'] }, 'another-secret');
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token signature is not valid');
  });

  it('given an expired token, then UNAUTHENTICATED: expired', async () => {
    const token = await signDevToken({ sub: 'u', org: 'o', roles: ['VIEWER'], expiresIn: -60 }, SECRET);
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token has expired: sign in again');
  });

  it('given a token without exp, then UNAUTHENTICATED: tokens that never expire are refused', async () => {
    const error = await rejection(verifier.verify(await signRaw({ sub: 'u', org: 'o', roles: [] }, SECRET, null)));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token claim exp is missing');
  });

  it.each([
    [{ org: 'o', roles: ['VIEWER'] }, 'token claim sub (user id) is missing'],
    [{ sub: '', org: 'o', roles: ['VIEWER'] }, 'token claim sub (user id) is missing'],
    [{ sub: 'u', roles: ['VIEWER'] }, 'token claim org (organization id) is missing'],
    [{ sub: 'u', org: 7, roles: ['VIEWER'] }, 'token claim org (organization id) is missing'],
    [{ sub: 'u', org: 'o' }, 'token claim roles must be a list of roles'],
    [{ sub: 'u', org: 'o', roles: 'ADMIN' }, 'token claim roles must be a list of roles'],
    [
      { sub: 'u', org: 'o', roles: ['VIEWER', 'SUPERUSER'] },
      'token claim roles holds unknown role SUPERUSER; known: ADMIN, ORG_EDITOR, NEWSROOM_EDITOR, VIEWER',
    ],
  ])('given claims %j, then UNAUTHENTICATED: %s', async (claims, message) => {
    const error = await rejection(verifier.verify(await signRaw(claims)));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe(message);
  });

  it('given an empty roles list, then the caller is authenticated without roles', async () => {
    const caller = await verifier.verify(await signRaw({ sub: 'u', org: 'o', roles: [] }));
    expect(caller.roles).toEqual([]);
  });

  it('given repeated roles, then each role appears once', async () => {
    const caller = await verifier.verify(await signRaw({ sub: 'u', org: 'o', roles: ['VIEWER', 'VIEWER'] }));
    expect(caller.roles).toEqual(['VIEWER']);
  });

  it('given an unsigned (alg none) token, then UNAUTHENTICATED', async () => {
    const token = new UnsecuredJWT({ sub: 'u', org: 'o', roles: ['ADMIN'] }).setExpirationTime('1h').encode();
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('given a string that is not a JWT, then UNAUTHENTICATED: malformed', async () => {
    const error = await rejection(verifier.verify('not-a-token'));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token is malformed');
  });

  it('given an empty secret or a JWKS URL that is not a URL, then creating the verifier fails', () => {
    expect(() => createVerifier({ mode: 'hs256', secret: '' })).toThrow('the HS256 secret must not be empty');
    expect(() => createVerifier({ mode: 'jwks', jwksUrl: 'keys.json' })).toThrow('JWKS URL "keys.json" is not a URL');
  });
});

describe('callerFromAuthorizationHeader', () => {
  const spy = (): Verifier & { verify: ReturnType<typeof vi.fn> } => ({
    verify: vi.fn(async () => ({ kind: 'user' as const, userId: 'u', organizationId: 'o', roles: [] })),
  });

  it.each([undefined, null, '', '   '])('given header %j, then the caller is anonymous', async (header) => {
    const v = spy();
    expect(await callerFromAuthorizationHeader(v, header)).toBe(anonymous);
    expect(v.verify).not.toHaveBeenCalled();
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['Bearer   abc.def.ghi ', 'abc.def.ghi'],
  ])('given header %j, then the token %j is verified', async (header, token) => {
    const v = spy();
    expect((await callerFromAuthorizationHeader(v, header)).kind).toBe('user');
    expect(v.verify).toHaveBeenCalledWith(token);
  });

  it.each([
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer ',
    'Bearer a b',
    'abc.def.ghi',
  ])('given malformed header %j, then UNAUTHENTICATED without verifying', async (header) => {
    const v = spy();
    const error = await rejection(callerFromAuthorizationHeader(v, header));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('Authorization header must be "Bearer <token>"');
    expect(v.verify).not.toHaveBeenCalled();
  });

  it('given a real verifier and a bad token, then the verifier error surfaces', async () => {
    const error = await rejection(callerFromAuthorizationHeader(verifier, 'Bearer not-a-token'));
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});

describe('configuration from the environment', () => {
  it('given HUB_JWKS_URL, then JWKS mode with issuer and audience', () => {
    expect(
      verifierConfigFromEnv({
        HUB_JWKS_URL: 'https://id.example.vn/.well-known/jwks.json',
        HUB_JWT_ISSUER: 'https://id.example.vn/',
        HUB_JWT_AUDIENCE: 'hub',
        HUB_JWT_SECRET: 'ignored',
        NODE_ENV: 'production',
      }),
    ).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://id.example.vn/.well-known/jwks.json',
      issuer: 'https://id.example.vn/',
      audience: 'hub',
    });
    expect(verifierConfigFromEnv({ HUB_JWKS_URL: 'https://id.example.vn/jwks' })).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://id.example.vn/jwks',
    });
  });

  it('given HUB_JWT_SECRET, then HS256 with it, also in production', () => {
    expect(verifierConfigFromEnv({ HUB_JWT_SECRET: 's3cret', NODE_ENV: 'production' })).toEqual({
      mode: 'hs256',
      secret: 's3cret',
    });
  });

  it('given nothing outside production, then HS256 with the development default', async () => {
    expect(verifierConfigFromEnv({ HUB_JWT_SECRET: '' })).toEqual({ mode: 'hs256', secret: DEV_SECRET });
    const token = await signDevToken({ sub: 'u', org: 'o', roles: ['VIEWER'] }, DEV_SECRET);
    expect((await verifierFromEnv({}).verify(token)).userId).toBe('u');
  });

  it('given production without a secret or JWKS, or with the development default, then startup fails', () => {
    const message = 'NODE_ENV is production: set HUB_JWKS_URL or HUB_JWT_SECRET (not the development default)';
    expect(() => verifierFromEnv({ NODE_ENV: 'production' })).toThrow(message);
    expect(() => verifierFromEnv({ NODE_ENV: 'production', HUB_JWT_SECRET: DEV_SECRET })).toThrow(message);
  });
});
