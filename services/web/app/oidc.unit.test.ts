import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeChallenge, randomToken } from './oidc.js';

describe('PKCE', () => {
  it('given a random verifier, then its challenge is base64url SHA-256 without padding', async () => {
    const verifier = randomToken(48);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(await codeChallenge(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });
});
