import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubError } from '@hub/errors';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from './dev-token.js';
import { createVerifier, type Verifier, verifierFromEnv } from './verifier.js';

const ISSUER = 'https://id.hub.test/';
const AUDIENCE = 'vn-policy-hub';
const KID = 'signing-key-1';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const rejection = async (promise: Promise<unknown>): Promise<HubError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
};

describe('JWKS verifier against a JWKS served over HTTP', () => {
  let server: Server;
  let baseUrl: string;
  let privateKey: PrivateKey;
  let strangerKey: PrivateKey;
  let verifier: Verifier;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    server = createServer((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        jwksRequests++;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
      } else {
        response.writeHead(500).end('key service down');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    verifier = createVerifier({
      mode: 'jwks',
      jwksUrl: `${baseUrl}/.well-known/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  const sign = (
    claims: Record<string, unknown>,
    { key = privateKey, kid = KID, issuer = ISSUER, audience = AUDIENCE } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  const claims = { sub: 'user-42', org: 'org-bo-tai-chinh', roles: ['ORG_EDITOR'] };

  it('given an RS256 token from the issuer, when verified, then the caller carries its claims', async () => {
    expect(await verifier.verify(await sign(claims))).toEqual({
      kind: 'user',
      userId: 'user-42',
      organizationId: 'org-bo-tai-chinh',
      roles: ['ORG_EDITOR'],
    });
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
  });

  it('given another issuer, then UNAUTHENTICATED naming the iss claim', async () => {
    const error = await rejection(verifier.verify(await sign(claims, { issuer: 'https://evil.test/' })));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token claim iss is not accepted');
  });

  it('given another audience, then UNAUTHENTICATED naming the aud claim', async () => {
    const error = await rejection(verifier.verify(await sign(claims, { audience: 'someone-else' })));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token claim aud is not accepted');
  });

  it('given a token signed by a key not in the JWKS under a known kid, then UNAUTHENTICATED: signature', async () => {
    const error = await rejection(verifier.verify(await sign(claims, { key: strangerKey })));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token signature is not valid');
  });

  it('given a token naming an unknown kid, then UNAUTHENTICATED: unknown key', async () => {
    const error = await rejection(verifier.verify(await sign(claims, { key: strangerKey, kid: 'rotated-away' })));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token is signed with an unknown key');
  });

  it('given an HS256 token, then UNAUTHENTICATED: a JWKS verifier accepts asymmetric algorithms only', async () => {
    const token = await signDevToken({ sub: 'u', org: 'o', roles: ['ADMIN'] }, 'guessable');
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('token is signed with an algorithm not accepted');
  });

  it('given valid signature but an unknown role, then UNAUTHENTICATED', async () => {
    const error = await rejection(verifier.verify(await sign({ ...claims, roles: ['ROOT'] })));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toContain('unknown role ROOT');
  });

  it('given the key service failing, then INTERNAL rather than blaming the token', async () => {
    const broken = createVerifier({ mode: 'jwks', jwksUrl: `${baseUrl}/down` });
    const error = await rejection(broken.verify(await sign(claims)));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('could not verify the token: signing keys are unavailable');
  });

  it('given HUB_JWKS_URL, HUB_JWT_ISSUER and HUB_JWT_AUDIENCE, then verifierFromEnv checks all three', async () => {
    const fromEnv = verifierFromEnv({
      NODE_ENV: 'production',
      HUB_JWKS_URL: `${baseUrl}/.well-known/jwks.json`,
      HUB_JWT_ISSUER: ISSUER,
      HUB_JWT_AUDIENCE: AUDIENCE,
    });
    expect((await fromEnv.verify(await sign(claims))).userId).toBe('user-42');
    expect((await rejection(fromEnv.verify(await sign(claims, { audience: 'other' })))).code).toBe('UNAUTHENTICATED');
  });
});
