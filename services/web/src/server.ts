import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRole, signDevToken } from '@hub/auth';

/** Where `vite build` puts the page (built at install time; see scripts/hub.mjs). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

export interface WebOptions {
  readonly distDir?: string;
  /** NODE_ENV=development: the page offers to make a token, which POST /dev/token signs. */
  readonly development: boolean;
  /** The HS256 secret development tokens are signed with; without it /dev/token is refused. */
  readonly devTokenSecret?: string;
  readonly oidc: OidcSettings | null;
}

/** Answers a request the page owns and returns true; false leaves it to the GraphQL runtime. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** HUB_OIDC_ISSUER and HUB_OIDC_CLIENT_ID (with HUB_OIDC_SCOPE) turn on signing in through an identity provider. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuer = env.HUB_OIDC_ISSUER?.trim();
  const clientId = env.HUB_OIDC_CLIENT_ID?.trim();
  if (!issuer && !clientId) return null;
  if (!issuer || !clientId) throw new Error('HUB_OIDC_ISSUER and HUB_OIDC_CLIENT_ID must be set together');
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') {
    throw new Error(`HUB_OIDC_ISSUER must be an https URL, got ${issuer}`);
  }
  return { issuer: issuer.replace(/\/$/, ''), clientId, scope: env.HUB_OIDC_SCOPE?.trim() || 'openid profile' };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function securityHeaders(oidc: OidcSettings | null): Record<string, string> {
  // The page talks to the hub only, and to the identity provider's token endpoint when one is set.
  const connect = ["'self'", 'ws:', 'wss:', ...(oidc ? [new URL(oidc.issuer).origin] : [])].join(' ');
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src ${connect}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, TYPES['.json']!, JSON.stringify(value), { 'cache-control': 'no-store' });

async function readJsonBody(req: IncomingMessage, limit = 4096): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function makeDevToken(req: IncomingMessage, res: ServerResponse, secret: string | undefined): Promise<void> {
  if (!secret) {
    json(res, 409, { error: 'tokens are verified against HUB_JWKS_URL here: take one from the identity provider' });
    return;
  }
  let body: { org?: unknown; role?: unknown; sub?: unknown };
  try {
    body = (await readJsonBody(req)) as typeof body;
  } catch {
    json(res, 400, { error: 'send JSON: {"org": "<organization id>", "role": "<role>"}' });
    return;
  }
  const org = typeof body.org === 'string' ? body.org.trim() : '';
  if (org === '' || org.length > 200) {
    json(res, 400, { error: 'org: an organization id is required', field: 'org' });
    return;
  }
  if (!isRole(body.role)) {
    json(res, 400, { error: 'role: one of ADMIN, ORG_EDITOR, NEWSROOM_EDITOR, VIEWER', field: 'role' });
    return;
  }
  const sub = typeof body.sub === 'string' && body.sub.trim() !== '' ? body.sub.trim() : `dev-${org}`;
  json(res, 200, { token: await signDevToken({ sub, org, roles: [body.role] }, secret) });
}

/**
 * The page at `/` with its assets, its settings at `/web-config.json`, and in development
 * `POST /dev/token`. Built files are read once and kept; a missing build is a 503 that says how to
 * make it.
 */
export function createWebHandler(options: WebOptions): WebHandler {
  const distDir = options.distDir ?? WEB_DIST_DIR;
  const headers = securityHeaders(options.oidc);
  const config = JSON.stringify({ development: options.development, oidc: options.oidc });
  const cache = new Map<string, Buffer>();

  async function serveFile(res: ServerResponse, relative: string, head: boolean): Promise<void> {
    const file = normalize(join(distDir, relative));
    if (!file.startsWith(distDir + sep)) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    let content = cache.get(file);
    if (!content) {
      try {
        content = await readFile(file);
        cache.set(file, content);
      } catch {
        if (relative === 'index.html') {
          return send(
            res,
            503,
            'text/plain; charset=utf-8',
            'Trang web chưa được dựng. The page is not built yet: run `npm run build:web` (npm start does it).',
          );
        }
        return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      }
    }
    // Asset names carry a content hash, so they never change; the page itself is checked each time.
    const caching = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': content.length,
      'cache-control': caching,
      ...headers,
    });
    res.end(head ? undefined : content);
  }

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://hub').pathname;
    const method = req.method ?? 'GET';
    if (path === '/dev/token' && method === 'POST' && options.development) {
      void makeDevToken(req, res, options.devTokenSecret);
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (path === '/web-config.json') {
      json(res, 200, JSON.parse(config));
      return true;
    }
    if (path === '/' || path === '/index.html') {
      void serveFile(res, 'index.html', method === 'HEAD');
      return true;
    }
    if (path.startsWith('/assets/')) {
      void serveFile(res, decodeURIComponent(path.slice(1)), method === 'HEAD');
      return true;
    }
    return false;
  };
}
