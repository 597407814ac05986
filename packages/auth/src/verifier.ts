import { HubError } from '@hub/errors';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { anonymous, type Caller, isRole, ROLES, type Role, type UserCaller } from './caller.js';

/** Signs and verifies tokens in development only; production must set HUB_JWT_SECRET or HUB_JWKS_URL. */
export const DEV_SECRET = 'dev-secret-change-me';

export type VerifierConfig =
  | { readonly mode: 'hs256'; readonly secret: string }
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };

export interface Verifier {
  /** Resolves to the token's caller; rejects with UNAUTHENTICATED when the token must not be trusted. */
  verify(token: string): Promise<UserCaller>;
}

// Asymmetric algorithms only: a JWKS never holds our shared secret, and pinning the list closes
// algorithm-confusion tricks.
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
// A few seconds of leeway for clocks that disagree between the issuer and this host.
const CLOCK_TOLERANCE_SECONDS = 5;

// Problems with the token itself; any other failure (JWKS unreachable, malformed key set) is ours.
const TOKEN_PROBLEMS = new Set<string>([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

const unauthenticated = (message: string): HubError => new HubError('UNAUTHENTICATED', message);

/** Turns a failure of `jwtVerify` into the error the caller should see. */
export function verificationError(error: unknown): HubError {
  if (error instanceof errors.JWTExpired) return unauthenticated('token has expired: sign in again');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return unauthenticated(`token claim ${error.claim} is ${error.reason === 'missing' ? 'missing' : 'not accepted'}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthenticated('token signature is not valid');
  if (error instanceof errors.JOSEAlgNotAllowed)
    return unauthenticated('token is signed with an algorithm not accepted');
  if (error instanceof errors.JWKSNoMatchingKey) return unauthenticated('token is signed with an unknown key');
  if (error instanceof errors.JOSEError && TOKEN_PROBLEMS.has(error.code)) {
    return unauthenticated('token is malformed');
  }
  return new HubError('INTERNAL', 'could not verify the token: signing keys are unavailable', {
    cause: error instanceof Error ? error.message : String(error),
  });
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** Reads our claims (`sub`, `org`, `roles`) from a verified payload; throws UNAUTHENTICATED when they do not fit. */
export function callerFromClaims(payload: JWTPayload): UserCaller {
  if (!nonEmptyString(payload.sub)) throw unauthenticated('token claim sub (user id) is missing');
  if (!nonEmptyString(payload.org)) throw unauthenticated('token claim org (organization id) is missing');
  const roles: unknown = payload.roles;
  if (!Array.isArray(roles)) throw unauthenticated('token claim roles must be a list of roles');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    throw unauthenticated(
      `token claim roles holds unknown role ${unknown.map(String).join(', ')}; known: ${ROLES.join(', ')}`,
    );
  }
  return Object.freeze({
    kind: 'user',
    userId: payload.sub,
    organizationId: payload.org,
    roles: Object.freeze([...new Set(roles as Role[])]),
  });
}

export function createVerifier(config: VerifierConfig): Verifier {
  let check: (token: string) => Promise<{ payload: JWTPayload }>;
  if (config.mode === 'hs256') {
    if (config.secret.length === 0) throw new Error('the HS256 secret must not be empty');
    const secret = new TextEncoder().encode(config.secret);
    const options = { algorithms: ['HS256'], requiredClaims: ['exp'], clockTolerance: CLOCK_TOLERANCE_SECONDS };
    check = (token) => jwtVerify(token, secret, options);
  } else {
    let url: URL;
    try {
      url = new URL(config.jwksUrl);
    } catch {
      throw new Error(`JWKS URL ${JSON.stringify(config.jwksUrl)} is not a URL`);
    }
    const keys = createRemoteJWKSet(url);
    const options = {
      algorithms: JWKS_ALGORITHMS,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
    };
    check = (token) => jwtVerify(token, keys, options);
  }
  return {
    async verify(token: string): Promise<UserCaller> {
      let payload: JWTPayload;
      try {
        ({ payload } = await check(token));
      } catch (error) {
        throw verificationError(error);
      }
      return callerFromClaims(payload);
    },
  };
}

type Env = Readonly<Record<string, string | undefined>>;

const setting = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

/**
 * The HS256 secret: HUB_JWT_SECRET, or the development default outside production. Production
 * refuses to start without a real secret, so a forgotten variable never ships the default.
 */
export function jwtSecretFromEnv(env: Env = process.env): string {
  const secret = setting(env, 'HUB_JWT_SECRET');
  const production = env.NODE_ENV === 'production';
  if (production && (secret === undefined || secret === DEV_SECRET)) {
    throw new Error('NODE_ENV is production: set HUB_JWKS_URL or HUB_JWT_SECRET (not the development default)');
  }
  return secret ?? DEV_SECRET;
}

/** HUB_JWKS_URL selects JWKS (with optional HUB_JWT_ISSUER/HUB_JWT_AUDIENCE); otherwise HS256. */
export function verifierConfigFromEnv(env: Env = process.env): VerifierConfig {
  const jwksUrl = setting(env, 'HUB_JWKS_URL');
  if (jwksUrl === undefined) return { mode: 'hs256', secret: jwtSecretFromEnv(env) };
  const issuer = setting(env, 'HUB_JWT_ISSUER');
  const audience = setting(env, 'HUB_JWT_AUDIENCE');
  return { mode: 'jwks', jwksUrl, ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
}

export const verifierFromEnv = (env: Env = process.env): Verifier => createVerifier(verifierConfigFromEnv(env));

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * The caller behind an Authorization header (or graphql-ws `connectionParams.authorization`).
 * No header, or a blank one, is an anonymous caller; anything but a well-formed Bearer token is
 * UNAUTHENTICATED rather than silently anonymous, so a broken client notices.
 */
export async function callerFromAuthorizationHeader(
  verifier: Verifier,
  header: string | undefined | null,
): Promise<Caller> {
  if (header == null || header.trim() === '') return anonymous;
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) {
    throw unauthenticated('Authorization header must be "Bearer <token>"');
  }
  return verifier.verify(token);
}
