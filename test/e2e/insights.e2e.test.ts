import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDevToken } from '@hub/auth';
import { type RunningHub, startHub } from '@hub/gateway';
import { type Client, liveClient, subscribe } from '@hub/live/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'insights-e2e-secret';
const LAO_CAI = 'prov-lao-cai';
const HA_NOI = 'prov-ha-noi';
const MINISTRY = 'min-finance';

type Roles = ('ADMIN' | 'ORG_EDITOR' | 'VIEWER')[];
const token = (org: string, roles: Roles = ['ORG_EDITOR']) =>
  signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);

type Gql<T> = { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

/** The current month and quarter in Vietnam's calendar: the scenario acts now, so it is measured there. */
const vietnamNow = new Date(Date.now() + 7 * 3_600_000);
const MONTH = `${vietnamNow.getUTCFullYear()}-${String(vietnamNow.getUTCMonth() + 1).padStart(2, '0')}`;

const SCORE = `query ($id: ID!, $period: String!) {
  organizationScore(organizationId: $id, period: $period) {
    organization { id name } period score rank
    values { indicator { code } value numerator denominator met evidence(first: 10) { totalCount edges { node { type data } } } }
  }
}`;

type Score = {
  organization: { id: string; name: string };
  score: number | null;
  rank: number | null;
  values: {
    indicator: { code: string };
    value: number | null;
    numerator: number | null;
    denominator: number | null;
    evidence: { totalCount: number; edges: { node: { type: string; data: Record<string, unknown> } }[] };
  }[];
};

describe('insights through the gateway (embedded mode)', () => {
  let hub: RunningHub;
  /** Lào Cai's composite score this month, as computed by hand in the first scenario. */
  let laoCaiScore = Number.NaN;
  let dataDir: string;
  const clients: Client[] = [];

  async function gql<T>(query: string, variables: Record<string, unknown>, bearer?: string): Promise<Gql<T>> {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Gql<T>;
  }

  async function act<T = Record<string, { id: string }>>(
    mutation: string,
    input: Record<string, unknown>,
    bearer: string,
  ): Promise<T> {
    const result = await gql<T>(mutation, { input: { ...input, idempotencyKey: randomUUID() } }, bearer);
    expect(result.errors, mutation).toBeUndefined();
    return result.data as T;
  }

  const score = async (id: string, bearer?: string): Promise<Score> => {
    const result = await gql<{ organizationScore: Score }>(SCORE, { id, period: MONTH }, bearer);
    expect(result.errors).toBeUndefined();
    return result.data?.organizationScore as Score;
  };
  const indicatorValue = (s: Score, code: string) => {
    const found = s.values.find((value) => value.indicator.code === code);
    if (!found) throw new Error(code);
    return found;
  };

  const start = () =>
    startHub({
      mode: 'embedded',
      port: 0,
      host: '127.0.0.1',
      dataDir,
      postgresUrl: '',
      kafkaBrokers: [],
      development: false,
    });

  beforeAll(async () => {
    process.env.HUB_JWT_SECRET = SECRET;
    dataDir = await mkdtemp(join(tmpdir(), 'hub-insights-e2e-'));
    hub = await start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((created) => created.dispose()));
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('given two provinces and a ministry at work this month, then their scores, ranks and evidence are what a person computes by hand; a stranger sees counts, not an embargoed title; scoreChanged follows a press conference', async () => {
    const laoCai = await token(LAO_CAI);
    const haNoi = await token(HA_NOI);
    const ministry = await token(MINISTRY);
    const APPOINT = 'mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }';
    const RELEASE = 'mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }';

    await act(
      APPOINT,
      {
        organizationId: LAO_CAI,
        fullName: 'Nguyễn Văn An',
        roles: ['SPOKESPERSON', 'FOCAL_POINT'],
        phone: '0912345678',
      },
      laoCai,
    );
    await act(
      APPOINT,
      { organizationId: HA_NOI, fullName: 'Trần Thị Bình', roles: ['FOCAL_POINT'], phone: '0987654321' },
      haNoi,
    );
    await act(
      APPOINT,
      { organizationId: MINISTRY, fullName: 'Lê Văn Cường', roles: ['SPOKESPERSON'], phone: '0901234567' },
      ministry,
    );
    // One of Lào Cai's communes gets a focal point (a province's editors manage its communes).
    const children = await gql<{
      organization: { children: { totalCount: number; edges: { node: { id: string } }[] } };
    }>(
      'query ($id: ID!) { organization(id: $id) { children(kind: COMMUNE, first: 1) { totalCount edges { node { id } } } } }',
      { id: LAO_CAI },
    );
    const communes = children.data?.organization.children.totalCount ?? 0;
    expect(communes).toBeGreaterThan(0);
    await act(
      APPOINT,
      {
        organizationId: children.data?.organization.children.edges[0]?.node.id,
        fullName: 'Phạm Thị Dung',
        roles: ['FOCAL_POINT'],
        phone: '0911222333',
      },
      laoCai,
    );
    // By hand: spokesperson 1, focal point 1, plan 0, monthly 100 %, quarterly 100 %, communes with a focal
    // point 1/communes; the rest do not apply. (0.10·100 + 0.05·100 + 0.10·0 + 0.15·100 + 0.15·100 + 0.05·100/communes) / 0.60
    laoCaiScore = Math.round((100 * (45 + 5 / communes)) / 0.6) / 100;

    // The ministry: one policy consulted on (two feedbacks, one answered), one issued without consultation,
    // and an embargoed press release naming the first while it is a draft.
    const DRAFT = 'mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }';
    const consulted = (
      await act<{ draftPolicy: { id: string } }>(
        DRAFT,
        { title: 'Nghị định về thuế thu nhập cá nhân', leadOrganizationId: MINISTRY },
        ministry,
      )
    ).draftPolicy.id;
    const plain = (
      await act<{ draftPolicy: { id: string } }>(
        DRAFT,
        { title: 'Thông tư về phí trước bạ', leadOrganizationId: MINISTRY },
        ministry,
      )
    ).draftPolicy.id;
    await act(
      'mutation ($input: OpenConsultationInput!) { openConsultation(input: $input) { id } }',
      {
        policyId: consulted,
        opensAt: new Date(Date.now() - 3_600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      ministry,
    );
    const SUBMIT = 'mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }';
    const first = await gql<{ submitFeedback: { id: string } }>(SUBMIT, {
      input: { policyId: consulted, text: 'Đề nghị nâng mức giảm trừ gia cảnh.' },
    });
    await gql(SUBMIT, { input: { policyId: consulted, text: 'Cần làm rõ thu nhập từ tiền lương.' } });
    await act(
      'mutation ($input: AnswerFeedbackInput!) { answerFeedback(input: $input) { id } }',
      { feedbackId: first.data?.submitFeedback.id, answer: 'Ban soạn thảo tiếp thu.' },
      ministry,
    );
    const embargoed = 'Dự thảo: mức giảm trừ gia cảnh mới';
    await act(
      RELEASE,
      {
        organizationId: MINISTRY,
        kind: 'PRESS_RELEASE',
        title: embargoed,
        body: 'Nội dung chưa công bố.',
        policyIds: [consulted],
        embargoUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
      ministry,
    );
    await act(
      'mutation ($input: CloseConsultationInput!) { closeConsultation(input: $input) { id } }',
      { policyId: consulted },
      ministry,
    );
    const ISSUE = 'mutation ($input: IssuePolicyInput!) { issuePolicy(input: $input) { id } }';
    const issuedAt = new Date().toISOString();
    await act(
      ISSUE,
      { policyId: consulted, documentNumber: '117/2026/NĐ-CP', issuedAt, effectiveAt: issuedAt },
      ministry,
    );
    await act(ISSUE, { policyId: plain, documentNumber: '42/2026/TT-BTC', issuedAt, effectiveAt: issuedAt }, ministry);

    const dashboard = liveClient(hub.url, await token('agency-government-office', ['VIEWER']));
    clients.push(dashboard);
    const changes = subscribe<{
      scoreChanged: { organization: { id: string; name: string }; score: number; period: string };
    }>(
      dashboard,
      'subscription ($period: String!, $ids: [ID!]) { scoreChanged(period: $period, organizationIds: $ids) { organization { id name } period score } }',
      { period: MONTH, ids: [LAO_CAI] },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await act(
      RELEASE,
      {
        organizationId: LAO_CAI,
        kind: 'PRESS_CONFERENCE',
        title: 'Họp báo quý về du lịch Sa Pa',
        body: 'Thông tin về mùa du lịch.',
      },
      laoCai,
    );
    const moved = await changes.nth(1, 5_000);
    expect(moved.errors).toBeUndefined();
    expect(moved.data?.scoreChanged).toEqual({
      organization: { id: LAO_CAI, name: 'Tỉnh Lào Cai' },
      period: MONTH,
      score: laoCaiScore,
    });

    const lc = await score(LAO_CAI);
    expect(lc.score).toBe(laoCaiScore);
    expect(indicatorValue(lc, 'GRASSROOTS_FOCAL_POINTS')).toMatchObject({ numerator: 1, denominator: communes });
    expect(lc.rank).toBe(1);
    expect(indicatorValue(lc, 'QUARTERLY_PRESS_CONFERENCE')).toMatchObject({
      numerator: 1,
      denominator: 1,
      value: 100,
    });
    expect(indicatorValue(lc, 'POLICIES_CONSULTED')).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    // Hà Nội: only its focal point, none in its communes. 0.05·100 / 0.60 = 8.33
    const hn = await score(HA_NOI);
    expect(hn.score).toBe(8.33);
    expect(indicatorValue(hn, 'SPOKESPERSON_APPOINTED')).toMatchObject({ value: 0, numerator: 0, denominator: 1 });

    // The ministry: spokesperson 100, focal point 0, plan 0, monthly 100, quarterly 0, consulted 1/2, communicated
    // in draft 1/2, feedback answered 1/2: (10 + 0 + 0 + 15 + 0 + 5 + 2.5 + 5) / 0.80 = 46.88
    const mine = await score(MINISTRY, ministry);
    expect(mine.score).toBe(46.88);
    expect(mine.rank).toBe(1);
    expect(indicatorValue(mine, 'POLICIES_CONSULTED')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(indicatorValue(mine, 'POLICIES_COMMUNICATED_IN_DRAFT')).toMatchObject({
      numerator: 1,
      denominator: 2,
      value: 50,
    });
    expect(indicatorValue(mine, 'FEEDBACK_ANSWERED')).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(indicatorValue(mine, 'FEEDBACK_ANSWERED').evidence.totalCount).toBe(3);
    expect(indicatorValue(mine, 'MONTHLY_PRESS_INFORMATION').evidence.edges[0]?.node.data.title).toBe(embargoed);

    // A stranger: the same numbers and evidence counts, but neither the embargoed title nor the feedback text.
    const seen = await score(MINISTRY);
    expect(seen.score).toBe(46.88);
    expect(indicatorValue(seen, 'MONTHLY_PRESS_INFORMATION').evidence).toEqual({ totalCount: 1, edges: [] });
    const feedback = indicatorValue(seen, 'FEEDBACK_ANSWERED').evidence;
    expect(feedback.totalCount).toBe(3);
    expect(feedback.edges.map((edge) => edge.node.data.text ?? edge.node.data.answer ?? null)).toEqual([
      null,
      null,
      null,
    ]);
    expect(JSON.stringify(seen)).not.toContain('giảm trừ gia cảnh mới');

    const board = await gql<{
      scoreboard: { totalCount: number; edges: { node: { organization: { id: string }; rank: number } }[] };
    }>(
      'query ($period: String!) { scoreboard(period: $period, kind: PROVINCE, first: 2) { totalCount edges { node { organization { id } rank } } } }',
      { period: MONTH },
    );
    expect(board.data?.scoreboard.totalCount).toBe(34);
    expect(board.data?.scoreboard.edges.map((edge) => [edge.node.organization.id, edge.node.rank])).toEqual([
      [LAO_CAI, 1],
      [HA_NOI, 2],
    ]);
    changes.close();
  });

  it('given the reorganization of 1 July 2025, then a period ending before it ranks 63 provinces and one after it 34', async () => {
    const count = async (period: string) => {
      const result = await gql<{ scoreboard: { totalCount: number } }>(
        'query ($period: String!) { scoreboard(period: $period, kind: PROVINCE, first: 0) { totalCount } }',
        { period },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.scoreboard.totalCount;
    };
    expect(await count('2025-Q2')).toBe(63);
    expect(await count('2025-06')).toBe(63);
    expect(await count('2025-Q3')).toBe(34);
    expect(await count('2025')).toBe(34);
  });

  it('given a malformed period, then BAD_USER_INPUT on period', async () => {
    const result = await gql('query { scoreboard(period: "2025-Q5") { totalCount } }', {});
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });

  it('given the CSV export through the gateway, then it is UTF-8 with a byte-order mark, Vietnamese headers and names, best first', async () => {
    const base = hub.url.replace(/\/graphql$/, '');
    const response = await fetch(`${base}/insights/scoreboard.csv?period=${MONTH}&kind=PROVINCE`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toContain('Cơ quan,Điểm tổng hợp,Có người phát ngôn (có/không)');
    expect(lines).toHaveLength(35);
    expect(lines[1]?.startsWith(`${MONTH},1,"Tỉnh, thành phố",15,Tỉnh Lào Cai,${laoCaiScore},`)).toBe(true);

    const report = await fetch(`${base}/insights/report.csv?period=${MONTH}&organizationId=${MINISTRY}`);
    const text = (await report.text()).replace(/^\uFEFF/, '');
    expect(text).toContain('FEEDBACK_ANSWERED,Ý kiến góp ý được trả lời,OUTTAKE,50,1,2,%,100,Chưa đạt,0.1,3,');
    const bad = await fetch(`${base}/insights/scoreboard.csv?period=2025-13`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
  });

  it('given the hub stopped, when `read-models:rebuild insights` replays every store, then after a restart every score, rank and evidence count is the same', async () => {
    const BOARD = `query ($period: String!) { scoreboard(period: $period, first: 200) { totalCount edges { node {
      organization { id } score rank values { indicator { code } value numerator denominator evidence(first: 0) { totalCount } } } } } }`;
    const board = async () => (await gql(BOARD, { period: MONTH }, await token(MINISTRY))).data;
    const before = await board();
    await hub.stop();
    const exitCode = await new Promise<number | null>((done, fail) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
          join(ROOT, 'services/gateway/src/rebuild-cli.ts'),
          'insights',
          '--no-progress',
        ],
        { cwd: ROOT, env: { ...process.env, HUB_MODE: 'embedded', HUB_DATA_DIR: dataDir }, stdio: 'ignore' },
      );
      child.once('error', fail);
      child.once('exit', done);
    });
    expect(exitCode).toBe(0);
    hub = await start();
    expect(await board()).toEqual(before);
  });
});
