export {
  type AnonymousCaller,
  anonymous,
  authorize,
  type Caller,
  hasRole,
  isAuthenticated,
  isRole,
  ROLES,
  type Role,
  requireRole,
  type UserCaller,
} from './caller.js';
export { DEFAULT_DEV_TOKEN_LIFETIME, type DevTokenClaims, signDevToken } from './dev-token.js';
export {
  callerFromAuthorizationHeader,
  callerFromClaims,
  createVerifier,
  DEV_SECRET,
  jwtSecretFromEnv,
  type Verifier,
  type VerifierConfig,
  verificationError,
  verifierConfigFromEnv,
  verifierFromEnv,
} from './verifier.js';
