import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { signDevToken } from '@hub/auth';
import { type RunningHub, startHub } from '@hub/gateway';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../scripts/build-web.mjs';
import { formatScore } from '../../services/web/app/format.js';
import { scoreColour } from '../../services/web/app/map.js';

// The page in a real Chromium (Debian's, installed by .ci/install) against a started hub.
const SECRET = 'web-e2e-secret';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT = join(ROOT, 'test-output', 'web');
const WIDTHS = [1280, 375] as const;
const LIVE_WITHIN_MS = 2_000;

const LAO_CAI = 'prov-lao-cai';
const HA_NOI = 'prov-ha-noi';
const MINISTRY = 'min-finance';
const NEWSROOM = 'press-vtv';

type Role = 'ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR' | 'VIEWER';
const token = (org: string, role: Role) => signDevToken({ sub: `web-e2e-${org}`, org, roles: [role] }, SECRET);

type Gql<T> = { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

describe('the web page in Chromium', () => {
  let hub: RunningHub;
  let dataDir: string;
  let browser: Browser;
  let base: string;

  async function api<T>(query: string, variables: Record<string, unknown>, bearer?: string): Promise<Gql<T>> {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Gql<T>;
  }

  /** A press order from the ministry to the newsroom, placed through the API; returns its id. */
  async function placeOrder(brief: string, format: string, quantity: number, budget: number): Promise<string> {
    const placed = await api<{ placePressOrder: { id: string } }>(
      'mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id } }',
      {
        input: {
          ordererId: MINISTRY,
          newsroomId: NEWSROOM,
          brief,
          format,
          quantity,
          budget,
          startsAt: '2026-03-01T00:00:00+07:00',
          deadline: '2027-04-01T00:00:00+07:00',
        },
      },
      await token(MINISTRY, 'ORG_EDITOR'),
    );
    expect(placed.errors).toBeUndefined();
    return placed.data!.placePressOrder.id;
  }

  async function newPage(width: number = WIDTHS[0]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    // Nothing beyond the hub: any other request fails the test.
    await page.route('**/*', (route) =>
      route.request().url().startsWith(base) || route.request().url().startsWith('data:')
        ? route.continue()
        : route.abort(),
    );
    return page;
  }

  /** Screenshots at both widths and an accessibility check, for one view. */
  async function checkView(name: string, path: string, ready: (page: Page) => Promise<void>, signIn?: string) {
    for (const width of WIDTHS) {
      const page = await newPage(width);
      if (signIn) await page.addInitScript((value) => sessionStorage.setItem('hub.token', value), signIn);
      await page.goto(`${base}${path}`);
      await ready(page);
      await page.screenshot({ path: join(OUTPUT, `${name}-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
      if (width === WIDTHS[0]) {
        const { violations } = await new AxeBuilder({ page }).analyze();
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      }
      await page.context().close();
    }
  }

  beforeAll(async () => {
    expect(buildWeb()).toBe(0);
    await mkdir(OUTPUT, { recursive: true });
    process.env.HUB_JWT_SECRET = SECRET;
    dataDir = await mkdtemp(join(tmpdir(), 'hub-web-e2e-'));
    hub = await startHub({
      mode: 'embedded',
      port: 0,
      host: '127.0.0.1',
      dataDir,
      postgresUrl: '',
      kafkaBrokers: [],
      development: true,
    });
    base = hub.url.replace(/\/graphql$/, '/');
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
    // Lào Cai needs a spokesperson before it can release statements.
    const appointed = await api(
      'mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }',
      {
        input: {
          organizationId: LAO_CAI,
          fullName: 'Nguyễn Thị Hoà',
          title: 'Chánh Văn phòng UBND tỉnh',
          roles: ['SPOKESPERSON'],
          phone: '0912 345 678',
          email: 'phatngon@laocai.gov.vn',
        },
      },
      await token(LAO_CAI, 'ORG_EDITOR'),
    );
    expect(appointed.errors).toBeUndefined();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given the gateway, when / is opened, then it serves the page in Vietnamese with its assets from the hub itself', async () => {
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).not.toMatch(/https?:\/\//);
    expect(
      (
        await fetch(`${base}graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ __typename }"}',
        })
      ).status,
    ).toBe(200);
  });

  it('given the national view, then the map has the 34 provinces by code and both archipelagos, labelled', async () => {
    const geojson = JSON.parse(
      await readFile(join(ROOT, 'packages/reference-data/data/vn-provinces-2025.geojson'), 'utf8'),
    ) as { features: { properties: { code: string } }[] };
    const page = await newPage();
    await page.goto(base);
    const map = page.getByRole('img', { name: /Bản đồ/ });
    await expect.poll(() => map.count()).toBe(1);
    expect(await map.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
    const codes = await page
      .locator('svg[role="img"] path[data-province-code]')
      .evaluateAll((paths) => paths.map((path) => path.getAttribute('data-province-code')));
    expect(codes).toHaveLength(34);
    expect(new Set(codes)).toEqual(new Set(geojson.features.map((feature) => feature.properties.code)));
    for (const [id, label] of [
      ['hoang-sa', 'Quần đảo Hoàng Sa'],
      ['truong-sa', 'Quần đảo Trường Sa'],
    ]) {
      const archipelago = page.locator(`[data-archipelago="${id}"]`);
      await expect.poll(() => archipelago.locator('text').textContent()).toBe(label);
      const box = await archipelago.locator('path').boundingBox();
      expect(box?.width).toBeGreaterThan(5);
    }
    // The keyboard reaches the map and walks the provinces; Enter opens the one named.
    await map.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('output.map-current').textContent()).toMatch(/^Thành phố Hà Nội: /);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('output.map-current').textContent()).toMatch(/^Tỉnh Cao Bằng: /);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tỉnh Cao Bằng');
    await page.context().close();
  });

  it("given the national view, then the scoreboard lists the period's scored organizations by group, follows a moved score live, and the map is shaded by their scores", async () => {
    const period = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
    const scored = await api<{
      scoreboard: {
        edges: { node: { score: number | null; organization: { id: string; code: string | null; kind: string } } }[];
      };
    }>(
      'query ($period: String!) { scoreboard(period: $period, first: 100) { edges { node { score organization { id code kind } } } } }',
      { period },
    );
    expect(scored.errors).toBeUndefined();
    const rows = scored.data!.scoreboard.edges.map((edge) => edge.node);
    const provinces = rows.filter((row) => row.organization.kind === 'PROVINCE');
    const central = rows.filter((row) => row.organization.kind !== 'PROVINCE');
    expect(provinces).toHaveLength(34);
    expect(central.length).toBeGreaterThan(0);

    const page = await newPage();
    await page.goto(base);
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'Bảng xếp hạng' }) });
    const shown = () =>
      table
        .locator('tbody tr[data-organization-id]')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-organization-id')));
    await expect.poll(() => shown().then((ids) => ids.length)).toBe(provinces.length);
    // Best first, as the API ranks them.
    expect(await shown()).toEqual(provinces.map((row) => row.organization.id));

    // A score that moves (Hà Nội names a focal point) reaches the open page through scoreChanged.
    const haNoiScore = page.locator(`tr[data-organization-id="${HA_NOI}"] td:nth-child(3)`);
    expect(await haNoiScore.textContent()).toBe('0,0');
    const appointed = await api(
      'mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }',
      { input: { organizationId: HA_NOI, fullName: 'Trần Văn Bình', roles: ['FOCAL_POINT'] } },
      await token(HA_NOI, 'ORG_EDITOR'),
    );
    expect(appointed.errors).toBeUndefined();
    const moved = await api<{ organizationScore: { score: number } }>(
      'query ($id: ID!, $period: String!) { organizationScore(organizationId: $id, period: $period) { score } }',
      { id: HA_NOI, period },
    );
    expect(moved.data?.organizationScore.score).toBeGreaterThan(0);
    await expect
      .poll(() => haNoiScore.textContent(), { timeout: 10_000 })
      .toBe(formatScore(moved.data!.organizationScore.score));
    await page.getByRole('tab', { name: 'Bộ, cơ quan trung ương' }).click();
    await expect.poll(() => shown()).toEqual(central.map((row) => row.organization.id));

    // Sorting by name puts the rows in Vietnamese alphabetical order.
    await page.getByRole('button', { name: 'Cơ quan', exact: true }).click();
    const names = await table.locator('tbody th a').allTextContents();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'vi')));

    // Lào Cai has a spokesperson (set up above): it scores above the rest and is shaded by its score.
    const laoCai = provinces.find((row) => row.organization.id === LAO_CAI)!;
    const other = provinces.find((row) => row.organization.id !== LAO_CAI && row.score !== laoCai.score)!;
    expect(laoCai.score).toBeGreaterThan(other.score ?? 0);
    const fill = (code: string | null) => page.locator(`path[data-province-code="${code}"]`).getAttribute('fill');
    expect(await fill(laoCai.organization.code)).toBe(scoreColour(laoCai.score));
    expect(await fill(other.organization.code)).toBe(scoreColour(other.score));
    await page.context().close();
  });

  it("given a province's page, then its spokesperson, its score and rank as the API has them, the evidence behind an indicator and its communes' coverage are shown", async () => {
    const period = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date());
    const score = await api<{
      organizationScore: {
        score: number;
        rank: number;
        values: { indicator: { code: string }; evidence: { totalCount: number } }[];
      };
    }>(
      'query ($id: ID!, $period: String!) { organizationScore(organizationId: $id, period: $period) { score rank values { indicator { code } evidence { totalCount } } } }',
      { id: LAO_CAI, period },
    );
    expect(score.errors).toBeUndefined();
    const { organizationScore } = score.data!;
    const page = await newPage();
    await page.goto(`${base}#/to-chuc/${LAO_CAI}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tỉnh Lào Cai');
    await expect.poll(() => page.locator('.contact').first().textContent()).toContain('Nguyễn Thị Hoà');
    expect(await page.locator('.contact').first().textContent()).toContain('+84912345678');
    await expect
      .poll(() => page.locator('p.score').textContent())
      .toBe(`Điểm năm ${period}: ${formatScore(organizationScore.score)} · hạng ${organizationScore.rank}`);
    const spokesperson = organizationScore.values.find((value) => value.indicator.code === 'SPOKESPERSON_APPOINTED')!;
    expect(spokesperson.evidence.totalCount).toBeGreaterThan(0);
    const details = page.locator('.indicators details', { hasText: 'Có người phát ngôn' });
    await details.locator('summary').click();
    await expect
      .poll(() => details.textContent())
      .toContain(`Bằng chứng (${spokesperson.evidence.totalCount} sự kiện)`);
    expect(await details.locator('ul li').count()).toBeGreaterThan(0);

    // Its communes' coverage, as the directory counts it.
    const coverage = await api<{
      liaisonCoverage: { grassroots: { province: { id: string }; communes: number; withFocalPoint: number }[] };
    }>('{ liaisonCoverage { grassroots { province { id } communes withFocalPoint } } }', {});
    const laoCai = coverage.data!.liaisonCoverage.grassroots.find((row) => row.province.id === LAO_CAI)!;
    expect(laoCai.communes).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('p.grassroots').textContent())
      .toContain(`${laoCai.withFocalPoint}/${laoCai.communes} xã, phường, đặc khu có đầu mối truyền thông`);
    await page.context().close();
  });

  it('given the national view open, when a statement is released through the API, then it appears in the live feed within 2 s', async () => {
    const page = await newPage();
    await page.goto(base);
    const feed = page.locator('ol[aria-live="polite"]');
    await expect.poll(() => feed.count()).toBe(1);
    // The page says when its graphql-ws connection is up; the subscription follows right after.
    await page.locator('section.feed[data-live="connected"]').waitFor();
    await page.waitForTimeout(300);
    const title = `Thông cáo về mùa lúa ${randomUUID().slice(0, 6)}`;
    const released = await api<{ releaseStatement: { id: string } }>(
      'mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }',
      { input: { organizationId: LAO_CAI, kind: 'PRESS_RELEASE', title, body: 'Nội dung thông cáo.' } },
      await token(LAO_CAI, 'ORG_EDITOR'),
    );
    expect(released.errors).toBeUndefined();
    const started = Date.now();
    await feed.locator('li', { hasText: title }).waitFor({ timeout: LIVE_WITHIN_MS });
    expect(Date.now() - started).toBeLessThan(LIVE_WITHIN_MS);
    await expect.poll(() => feed.locator('li', { hasText: title }).textContent()).toContain('Tỉnh Lào Cai');
    await page.context().close();
  });

  it('given a newsroom signed in with a made token, when an order is placed through the API, then it arrives within 2 s, is accepted from the page (the API says ACCEPTED), and a deliverable is submitted after a refused link', async () => {
    const page = await newPage();
    await page.goto(`${base}#/dang-nhap`);
    await page.getByLabel('Loại tổ chức').selectOption('PRESS_AGENCY');
    await expect.poll(() => page.locator(`#dev-org option[value="${NEWSROOM}"]`).count()).toBe(1);
    await page.getByLabel('Tổ chức', { exact: true }).selectOption(NEWSROOM);
    await page.getByLabel('Vai trò').selectOption('NEWSROOM_EDITOR');
    await page.getByRole('button', { name: 'Tạo token và đăng nhập' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Hộp thư toà soạn/);
    await page.locator('output.live-note[data-live="connected"]').waitFor();
    await page.waitForTimeout(300);

    const ministry = await token(MINISTRY, 'ORG_EDITOR');
    const brief = `Phóng sự chính sách thuế ${randomUUID().slice(0, 6)}`;
    const orderId = await placeOrder(brief, 'VIDEO', 4, 150_000_000);
    const started = Date.now();
    const card = page.locator('li.order', { hasText: brief });
    await card.waitFor({ timeout: LIVE_WITHIN_MS });
    expect(Date.now() - started).toBeLessThan(LIVE_WITHIN_MS);
    expect(await card.textContent()).toContain('150.000.000 ₫');
    expect(await card.textContent()).toContain('01/03/2026 00:00 – 01/04/2027 00:00');

    await card.getByRole('button', { name: 'Nhận đặt hàng' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('ACCEPTED');
    const order = await api<{ pressOrder: { status: string } }>(
      'query ($id: ID!) { pressOrder(id: $id) { status } }',
      { id: orderId },
      ministry,
    );
    expect(order.data?.pressOrder.status).toBe('ACCEPTED');

    // An error from the API is shown beside the field it names: a deliverable link that is not http(s).
    await card.getByLabel('Tiêu đề').fill('Phóng sự kỳ 1');
    await card.getByLabel('Đường dẫn').fill('ftp://vtv.vn/phong-su');
    await card.getByLabel('Thời điểm đăng (giờ Việt Nam)').fill('2026-11-29T14:05');
    await card.getByRole('button', { name: 'Nộp sản phẩm' }).click();
    const url = card.getByLabel('Đường dẫn');
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await url.getAttribute('aria-describedby');
    const message = page.locator(`[id="${describedBy}"]`);
    expect(await message.textContent()).toBe('Đường dẫn phải bắt đầu bằng http:// hoặc https://.');
    // Beside the field: the message directly follows its input.
    expect(await url.evaluate((input) => input.nextElementSibling?.id)).toBe(describedBy);

    // Corrected, the deliverable is submitted: the order is DELIVERED in the page and in the API.
    await url.fill('https://vtv.vn/phong-su-ky-1');
    await card.getByRole('button', { name: 'Nộp sản phẩm' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('DELIVERED');
    expect(await card.locator('.deliverables').textContent()).toContain('Phóng sự kỳ 1 · 29/11/2026 14:05');
    const delivered = await api<{
      pressOrder: { status: string; deliverables: { url: string; publishedAt: string }[] };
    }>(
      'query ($id: ID!) { pressOrder(id: $id) { status deliverables { url publishedAt } } }',
      { id: orderId },
      ministry,
    );
    expect(delivered.data?.pressOrder.status).toBe('DELIVERED');
    expect(delivered.data?.pressOrder.deliverables).toHaveLength(1);
    expect(new Date(delivered.data!.pressOrder.deliverables[0]!.publishedAt).toISOString()).toBe(
      '2026-11-29T07:05:00.000Z',
    );
    await page.context().close();
  });

  it("given a placed order, when the newsroom declines without a reason, then the API's error appears beside the reason and nothing changes", async () => {
    const brief = `Tọa đàm về chuyển đổi số ${randomUUID().slice(0, 6)}`;
    await placeOrder(brief, 'RADIO', 1, 20_000_000);
    const page = await newPage(375);
    await page.addInitScript(
      (value) => sessionStorage.setItem('hub.token', value),
      await token(NEWSROOM, 'NEWSROOM_EDITOR'),
    );
    await page.goto(`${base}#/hop-thu`);
    const card = page.locator('li.order', { hasText: brief });
    await card.waitFor();
    await card.getByRole('button', { name: 'Từ chối' }).click();
    const reason = card.getByLabel('Lý do từ chối');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.evaluate((input) => input.nextElementSibling?.textContent)).toBe('Cần nêu lý do.');
    expect(await card.getAttribute('data-status')).toBe('PLACED');
    await page.context().close();
  });

  it('given each view, then screenshots at 1280 and 375 px are saved and axe finds no serious or critical violation', async () => {
    const newsroom = await token(NEWSROOM, 'NEWSROOM_EDITOR');
    await placeOrder('Loạt bài về chính sách nhà ở xã hội', 'ARTICLE', 3, 45_000_000);
    await checkView('national', '#/', async (page) => {
      await page.locator('path[data-province-code]').first().waitFor();
      await page.locator('table caption').waitFor();
    });
    await checkView('organization', `#/to-chuc/${LAO_CAI}`, async (page) => {
      await page.getByRole('heading', { name: 'Tỉnh Lào Cai' }).waitFor();
      await page.getByText('Nguyễn Thị Hoà').waitFor();
    });
    await checkView(
      'inbox',
      '#/hop-thu',
      async (page) => {
        await page.locator('li.order').first().waitFor();
      },
      newsroom,
    );
    await checkView('sign-in', '#/dang-nhap', async (page) => {
      await page.getByRole('button', { name: 'Tạo token và đăng nhập' }).waitFor();
      await page.locator(`#dev-org option[value="${NEWSROOM}"]`).waitFor({ state: 'attached' });
    });
  });
});
