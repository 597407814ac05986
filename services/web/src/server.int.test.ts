import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerifier } from '@hub/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebHandler, oidcSettingsFromEnv, type WebOptions } from './server.js';

const SECRET = 'web-server-secret';

describe('the web handler over HTTP', () => {
  let distDir: string;
  const servers: Server[] = [];

  /** A node server answering with the handler, and 418 for whatever it leaves to the GraphQL runtime. */
  async function serve(options: Omit<WebOptions, 'distDir'>, dist = distDir): Promise<string> {
    const handler = createWebHandler({ ...options, distDir: dist });
    const server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(418).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    distDir = await mkdtemp(join(tmpdir(), 'hub-web-dist-'));
    await mkdir(join(distDir, 'assets'));
    await writeFile(join(distDir, 'index.html'), '<!doctype html><html lang="vi"></html>');
    await writeFile(join(distDir, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(tmpdir(), 'outside-dist.txt'), 'secret');
  });

  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await rm(distDir, { recursive: true, force: true });
  });

  it('given a build, when / and an asset are asked for, then they come with their types, caching and a same-origin policy', async () => {
    const base = await serve({ development: false, oidc: null });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' ws: wss:");
    expect(await page.text()).toContain('lang="vi"');
    const asset = await fetch(`${base}/assets/index-abc.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('given a path that climbs out of the build, then nothing outside it is served', async () => {
    const base = await serve({ development: false, oidc: null });
    expect((await fetch(`${base}/assets/..%2F..%2Foutside-dist.txt`)).status).toBe(404);
    expect((await fetch(`${base}/assets/%2E%2E/%2E%2E/outside-dist.txt`)).status).not.toBe(200);
  });

  it('given paths the page does not own (/graphql, /healthz, POST /), then the handler leaves them to the gateway', async () => {
    const base = await serve({ development: true, devTokenSecret: SECRET, oidc: null });
    expect((await fetch(`${base}/graphql`)).status).toBe(418);
    expect((await fetch(`${base}/healthz`)).status).toBe(418);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(418);
  });

  it('given no build, then / answers 503 saying how to build it', async () => {
    const base = await serve({ development: false, oidc: null }, join(distDir, 'nowhere'));
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });

  it('given development, when a token is asked for an organization and role, then it verifies with the HS256 secret', async () => {
    const base = await serve({ development: true, devTokenSecret: SECRET, oidc: null });
    expect(await (await fetch(`${base}/web-config.json`)).json()).toEqual({ development: true, oidc: null });
    const response = await fetch(`${base}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ org: 'press-vtv', role: 'NEWSROOM_EDITOR' }),
    });
    const { token } = (await response.json()) as { token: string };
    const caller = await createVerifier({ mode: 'hs256', secret: SECRET }).verify(token);
    expect(caller).toMatchObject({ organizationId: 'press-vtv', roles: ['NEWSROOM_EDITOR'] });
  });

  it('given development, when the role or organization is wrong, then 400 names the field and no token is made', async () => {
    const base = await serve({ development: true, devTokenSecret: SECRET, oidc: null });
    const ask = (body: unknown) =>
      fetch(`${base}/dev/token`, { method: 'POST', body: JSON.stringify(body) }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { field?: string; token?: string },
      }));
    expect(await ask({ org: 'press-vtv', role: 'SUPERUSER' })).toMatchObject({ status: 400, body: { field: 'role' } });
    expect(await ask({ org: ' ', role: 'VIEWER' })).toMatchObject({ status: 400, body: { field: 'org' } });
  });

  it('given production, then /dev/token does not exist and the settings say so', async () => {
    const oidc = { issuer: 'https://id.example.gov.vn/realms/hub', clientId: 'hub-web', scope: 'openid profile' };
    const base = await serve({ development: false, devTokenSecret: SECRET, oidc });
    const response = await fetch(`${base}/dev/token`, {
      method: 'POST',
      body: JSON.stringify({ org: 'press-vtv', role: 'ADMIN' }),
    });
    expect(response.status).toBe(418);
    expect(await (await fetch(`${base}/web-config.json`)).json()).toEqual({ development: false, oidc });
    expect((await fetch(`${base}/`)).headers.get('content-security-policy')).toContain('https://id.example.gov.vn');
  });

  it('given OIDC settings in the environment, then both are required and the issuer must be https', () => {
    expect(oidcSettingsFromEnv({})).toBeNull();
    expect(
      oidcSettingsFromEnv({ HUB_OIDC_ISSUER: 'https://id.example.gov.vn/', HUB_OIDC_CLIENT_ID: 'hub-web' }),
    ).toEqual({ issuer: 'https://id.example.gov.vn', clientId: 'hub-web', scope: 'openid profile' });
    expect(() => oidcSettingsFromEnv({ HUB_OIDC_ISSUER: 'https://id.example.gov.vn' })).toThrow(/together/);
    expect(() => oidcSettingsFromEnv({ HUB_OIDC_ISSUER: 'http://id.example.gov.vn', HUB_OIDC_CLIENT_ID: 'x' })).toThrow(
      /https/,
    );
  });
});
