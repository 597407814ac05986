import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningHub, startHub } from '@hub/gateway';
import Provider from 'oidc-provider';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../scripts/build-web.mjs';

// Production signing in, end to end: a real OpenID Connect provider (node-oidc-provider) on
// loopback issues the token by the authorization-code flow with PKCE, and the gateway verifies it
// against the provider's JWKS, as HUB_JWKS_URL configures it in production.
const NEWSROOM = 'press-vtv';
const CLIENT_ID = 'hub-web';
const AUDIENCE = 'urn:hub';

const ENV = [
  'HUB_JWKS_URL',
  'HUB_JWT_ISSUER',
  'HUB_JWT_AUDIENCE',
  'HUB_OIDC_ISSUER',
  'HUB_OIDC_CLIENT_ID',
  'HUB_OIDC_SCOPE',
] as const;

describe('signing in through an OpenID Connect provider (authorization code with PKCE)', () => {
  let hub: RunningHub;
  let dataDir: string;
  let browser: Browser;
  let base: string;
  let issuer: string;
  const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const identityProvider = createServer((req, res) => handle(req, res));

  beforeAll(async () => {
    expect(buildWeb()).toBe(0);
    await new Promise<void>((resolve) => identityProvider.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(identityProvider.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      HUB_JWKS_URL: `${issuer}/jwks`,
      HUB_JWT_ISSUER: issuer,
      HUB_JWT_AUDIENCE: AUDIENCE,
      HUB_OIDC_ISSUER: issuer,
      HUB_OIDC_CLIENT_ID: CLIENT_ID,
      HUB_OIDC_SCOPE: 'openid hub',
    });
    dataDir = await mkdtemp(join(tmpdir(), 'hub-web-oidc-'));
    hub = await startHub({
      mode: 'embedded',
      port: 0,
      host: '127.0.0.1',
      dataDir,
      postgresUrl: '',
      kafkaBrokers: [],
      development: false,
    });
    base = hub.url.replace(/\/graphql$/, '/');
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          token_endpoint_auth_method: 'none',
          redirect_uris: [base],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      pkce: { required: () => true },
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
      // The organization's identity provider puts the hub's claims in the access token.
      extraTokenClaims: () => ({ org: NEWSROOM, roles: ['NEWSROOM_EDITOR'] }),
      features: {
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: 'hub',
            audience: AUDIENCE,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
    });
    handle = provider.callback();
    browser = await chromium.launch({
      executablePath: process.env.HUB_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    identityProvider.close();
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given a configured issuer, when a newsroom editor signs in at the provider, then the page holds its token and the gateway accepts it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // Only the hub and the identity provider are reached.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith(base) || url.startsWith(issuer) || url.startsWith('data:')
        ? route.continue()
        : route.abort();
    });
    expect(await (await fetch(`${base}web-config.json`)).json()).toEqual({
      development: false,
      oidc: { issuer, clientId: CLIENT_ID, scope: 'openid hub' },
    });
    expect((await fetch(`${base}dev/token`, { method: 'POST', body: '{}' })).status).not.toBe(200);

    await page.goto(`${base}#/dang-nhap`);
    const authorization = page.waitForRequest((request) => request.url().startsWith(`${issuer}/auth`));
    await page.getByRole('button', { name: 'Đăng nhập qua hệ thống định danh của cơ quan' }).click();
    const asked = new URL((await authorization).url()).searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: base,
      scope: 'openid hub',
      code_challenge_method: 'S256',
    });
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.locator('input[name="login"]').fill('bien-tap-vien-vtv');
    await page.locator('input[name="password"]').fill('mat-khau');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();

    await page.waitForURL((url) => url.href.startsWith(base) && url.hash === '#/dang-nhap');
    expect(page.url()).not.toContain('code=');
    await expect.poll(() => page.locator('main').textContent()).toContain('bien-tap-vien-vtv');
    const token = await page.evaluate(() => sessionStorage.getItem('hub.token'));
    const claims = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: AUDIENCE, org: NEWSROOM, roles: ['NEWSROOM_EDITOR'] });

    // The gateway verifies it against the provider's keys: the inbox, for the newsroom's users only, opens.
    await page.goto(`${base}#/hop-thu`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Hộp thư toà soạn: Đài Truyền hình Việt Nam');
    expect(await page.locator('.problem').count()).toBe(0);
    await context.close();
  });
});
