/**
 * Signing in through an organization's identity provider: OpenID Connect authorization-code flow
 * with PKCE (RFC 7636), as a public client: the page holds no secret, so the code is bound to a
 * one-time verifier kept in this tab until the provider sends the reader back.
 */
import type { OidcSettings } from '../src/server.js';

export type { OidcSettings };

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly tokenEndpoint: string;
  readonly redirectUri: string;
  readonly clientId: string;
}

const PENDING_KEY = 'hub.oidc.pending';

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const randomToken = (size = 32): string => base64Url(crypto.getRandomValues(new Uint8Array(size)));

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`nhà cung cấp định danh trả lời HTTP ${response.status}`);
  return (await response.json()) as Discovery;
}

/** The page's own address, where the provider sends the reader back with a code. */
const redirectUri = (): string => new URL('/', window.location.href).toString();

/** Sends the reader to the identity provider. */
export async function beginSignIn(settings: OidcSettings): Promise<void> {
  const discovery = await discover(settings.issuer);
  const pending: Pending = {
    state: randomToken(),
    verifier: randomToken(48),
    tokenEndpoint: discovery.token_endpoint,
    redirectUri: redirectUri(),
    clientId: settings.clientId,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: pending.redirectUri,
    scope: settings.scope,
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/**
 * When the provider has sent the reader back (`?code=…&state=…`), trades the code for tokens and
 * returns the access token (which carries the hub's `org` and `roles` claims); null otherwise.
 */
export async function completeSignIn(): Promise<string | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const state = params.get('state');
  const error = params.get('error');
  if (!code && !error) return null;
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  // The code is single-use: drop it from the address bar (and history) at once.
  window.history.replaceState(null, '', window.location.pathname);
  if (error) throw new Error(`nhà cung cấp định danh từ chối: ${error}`);
  const pending = stored ? (JSON.parse(stored) as Pending) : null;
  if (!pending || pending.state !== state) throw new Error('phiên đăng nhập không khớp, vui lòng thử lại');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: pending.redirectUri,
      client_id: pending.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`không đổi được mã lấy token (HTTP ${response.status})`);
  const tokens = (await response.json()) as { access_token?: string; id_token?: string };
  const token = tokens.access_token ?? tokens.id_token;
  if (!token) throw new Error('nhà cung cấp định danh không trả về token');
  return token;
}
