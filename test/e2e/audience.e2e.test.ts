import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { hubCatalogue } from '@hub/event-catalogue';
import { type RunningHub, startHub } from '@hub/gateway';
import { type Client, type LiveSubscription, liveClient, subscribe } from '@hub/live/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The audience matrix through the gateway (issue 10): every event type the public API can make,
 * seen by each kind of caller over the `events` subscription (graphql-ws and SSE) and through each
 * timeline. What each caller sees is stated here, type by type; the catalogue is enumerated so a new
 * event type fails until it is either made below or named as unreachable through the API.
 */

const SECRET = 'audience-e2e-secret';
const LEAD = 'prov-lao-cai';
const NEWSROOM = 'press-vtv';

type Role = 'ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR' | 'VIEWER';
const token = (org: string, roles: Role[]) => signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);

const CALLERS = ['anonymous', 'stranger', 'unregistered', 'member', 'party', 'admin'] as const;
type CallerName = (typeof CALLERS)[number];
const SIGNED_IN = CALLERS.filter((name) => name !== 'anonymous');

type Seen = 'raw' | 'redacted' | 'nothing';
type Row = Record<CallerName, Seen>;
const row = (...seen: Seen[]): Row => Object.fromEntries(CALLERS.map((name, i) => [name, seen[i]])) as Row;

//                          anonymous   stranger    unregistered member  party (newsroom, recipient) admin
const PUBLIC = row('raw', 'raw', 'raw', 'raw', 'raw', 'raw');
const MEMBERS = row('redacted', 'redacted', 'redacted', 'raw', 'redacted', 'raw');
const MEMBERS_ONLY = row('nothing', 'nothing', 'nothing', 'raw', 'nothing', 'raw');
const WITH_RECIPIENTS = row('redacted', 'redacted', 'redacted', 'raw', 'raw', 'raw');
const PARTIES = row('nothing', 'nothing', 'nothing', 'raw', 'raw', 'raw');

/** What the `events` subscription shows; the embargoed statement is keyed apart from the public one. */
const FEED: Record<string, Row> = {
  OrganizationRegistered: PUBLIC,
  ContactAppointed: MEMBERS,
  ContactDetailsChanged: MEMBERS,
  ContactRelieved: MEMBERS,
  SpokespersonDesignated: PUBLIC,
  // The feed cannot know that a draft will be published: a draft is its lead's.
  PolicyDrafted: MEMBERS_ONLY,
  ConsultationOpened: PUBLIC,
  FeedbackSubmitted: MEMBERS,
  FeedbackAnswered: MEMBERS,
  FeedbackHidden: MEMBERS,
  ConsultationClosed: PUBLIC,
  DocumentNumberReserved: MEMBERS_ONLY,
  PolicyIssued: PUBLIC,
  StatementReleased: PUBLIC,
  'StatementReleased under embargo': MEMBERS_ONLY,
  DistributionStarted: WITH_RECIPIENTS,
  DeliveryAcknowledged: WITH_RECIPIENTS,
  PlanAdopted: PUBLIC,
  MilestoneCompleted: PUBLIC,
  PressOrderPlaced: PARTIES,
  PressOrderAccepted: PARTIES,
  PressOrderDeclined: PARTIES,
  DeliverablesSubmitted: PARTIES,
  DeliveryRejected: PARTIES,
  DeliveryAccepted: PARTIES,
  PressOrderSettled: PARTIES,
  PressOrderCancelled: PARTIES,
};

/** The fields a redacted event shows: no phone, e-mail, text, answer, reason, statement or recipient. */
const REDACTED: Record<string, readonly string[]> = {
  ContactAppointed: ['appointedFrom', 'contactId', 'fullName', 'organizationId', 'roles', 'title'],
  ContactDetailsChanged: ['contactId', 'fullName', 'organizationId', 'title'],
  ContactRelieved: ['contactId', 'organizationId', 'relievedAt'],
  FeedbackSubmitted: ['feedbackId', 'organizationId', 'policyId', 'submittedAt'],
  FeedbackAnswered: ['answeredAt', 'feedbackId', 'organizationId', 'policyId'],
  FeedbackHidden: ['feedbackId', 'hiddenAt', 'organizationId', 'policyId'],
  DistributionStarted: ['deliveredAt', 'distributionId', 'organizationId', 'policyId', 'recipientKinds'],
  DeliveryAcknowledged: ['acknowledgedAt', 'distributionId', 'organizationId', 'policyId'],
};

/**
 * Types the contract gives no mutation for (reference data, reorganizations, internal races), and the
 * official-code register, which this scenario's department (registered without a code) does not touch;
 * the unit matrix covers them.
 */
const UNREACHABLE_HERE = new Set([
  'OrganizationRenamed',
  'OrganizationRecoded',
  'OrganizationReclassified',
  'OrganizationsMerged',
  'OrganizationMergedInto',
  'OrganizationDissolved',
  'OrganizationCodeClaimed',
  'OrganizationCodeReleased',
  'PolicySuperseded',
  'DocumentNumberReleased',
  'PlanRevised',
]);

type Gql<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
};
type HubEventResult = { id: string; type: string; data: Record<string, unknown> };

/** One SSE subscription, read into parsed results as they arrive. */
function sseSubscribe(url: string, query: string, bearer: string | undefined) {
  const controller = new AbortController();
  const results: Gql<{ events: HubEventResult }>[] = [];
  let text = '';
  const done = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) return;
      text += value;
      let boundary = text.indexOf('\n\n');
      while (boundary >= 0) {
        const message = text.slice(0, boundary);
        text = text.slice(boundary + 2);
        const data = message
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('');
        if (message.includes('event: next') && data) results.push(JSON.parse(data));
        boundary = text.indexOf('\n\n');
      }
    }
  })().catch(() => undefined);
  return { results, close: () => controller.abort(), done };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('who sees what, through the gateway', () => {
  let hub: RunningHub;
  let dataDir: string;
  const tokens = {} as Record<CallerName, string | undefined>;
  const clients: Client[] = [];
  const ws = {} as Record<CallerName, LiveSubscription<{ events: HubEventResult }>>;
  const sse = {} as Record<CallerName, ReturnType<typeof sseSubscribe>>;
  /** Event ids the scenario made, by the matrix key they fall under. */
  const made = new Map<string, string>();
  let policyId = '';
  let orderIds: string[] = [];
  let departmentId = '';

  const gql = async <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    bearer?: string,
  ): Promise<Gql<T>> => {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Gql<T>;
  };
  const must = async <T = Record<string, unknown>>(query: string, input: Record<string, unknown>, bearer?: string) => {
    const result = await gql<T>(query, { input: { idempotencyKey: randomUUID(), ...input } }, bearer);
    expect(result.errors, query).toBeUndefined();
    return result.data as T;
  };

  const FEED_QUERY = `subscription { events(filter: { types: ${JSON.stringify([
    ...new Set(Object.keys(FEED).map((key) => key.split(' ')[0])),
  ])} }) { id type data } }`;

  beforeAll(async () => {
    process.env.HUB_JWT_SECRET = SECRET;
    dataDir = await mkdtemp(join(tmpdir(), 'hub-audience-e2e-'));
    hub = await startHub({
      mode: 'embedded',
      port: 0,
      host: '127.0.0.1',
      dataDir,
      postgresUrl: '',
      kafkaBrokers: [],
      development: false,
    });
    tokens.anonymous = undefined;
    tokens.stranger = await token('min-finance', ['ORG_EDITOR']);
    tokens.unregistered = await token('org-not-in-the-directory', ['ORG_EDITOR', 'NEWSROOM_EDITOR']);
    tokens.member = await token(LEAD, ['ORG_EDITOR']);
    tokens.party = await token(NEWSROOM, ['NEWSROOM_EDITOR']);
    tokens.admin = await token('org-government-office', ['ADMIN']);
    for (const name of CALLERS) {
      const client = liveClient(hub.url, tokens[name]);
      clients.push(client);
      ws[name] = subscribe(client, FEED_QUERY);
      sse[name] = sseSubscribe(hub.url, FEED_QUERY, tokens[name]);
    }
    // A contact appointed elsewhere reaches every signed-in subscriber: once one has, all are
    // listening. Subscriptions connect lazily, so it is repeated until it arrives.
    const listening = () => SIGNED_IN.every((name) => ws[name].received.length > 0 && sse[name].results.length > 0);
    for (let attempt = 0; !listening(); attempt++) {
      if (attempt === 20) throw new Error('the subscribers never started listening');
      await must(
        `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`,
        { organizationId: 'prov-ha-noi', fullName: 'Phạm Văn Cường', roles: ['FOCAL_POINT'] },
        tokens.admin,
      );
      await until(listening, 'subscribers listening', 5_000).catch(() => undefined);
    }
    await runScenario();
  });

  afterAll(async () => {
    for (const name of CALLERS) sse[name]?.close();
    await Promise.all(clients.map((client) => client.dispose()));
    await hub?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Makes every reachable event type once or more, as the lead, its newsroom and an administrator. */
  async function runScenario(): Promise<void> {
    const { member: lead, party: newsroom, admin } = tokens as Record<CallerName, string>;
    const registered = await must<{ registerOrganization: { id: string } }>(
      `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
      {
        name: `Sở Văn hóa, Thể thao và Du lịch ${randomUUID().slice(0, 6)}`,
        kind: 'PROVINCIAL_DEPARTMENT',
        parentId: LEAD,
      },
      admin,
    );
    departmentId = registered.registerOrganization.id;

    const appoint = `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`;
    const spokesperson = await must<{ appointContact: { id: string } }>(
      appoint,
      {
        organizationId: LEAD,
        fullName: 'Nguyễn Thị Mai',
        roles: ['SPOKESPERSON'],
        phone: '0912345678',
        email: 'mai@laocai.gov.vn',
      },
      lead,
    );
    const contactId = spokesperson.appointContact.id;
    await must(
      `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { id } }`,
      { contactId, phone: '0987654321' },
      lead,
    );
    await must(
      `mutation ($input: DesignateSpokespersonInput!) { designateSpokesperson(input: $input) { id } }`,
      { organizationId: LEAD, contactId },
      lead,
    );
    const focal = await must<{ appointContact: { id: string } }>(
      appoint,
      { organizationId: LEAD, fullName: 'Trần Văn Hùng', roles: ['FOCAL_POINT'], phone: '0911222333' },
      lead,
    );
    await must(
      `mutation ($input: RelieveContactInput!) { relieveContact(input: $input) { id } }`,
      { contactId: focal.appointContact.id, reason: 'Chuyển công tác vì lý do sức khỏe' },
      lead,
    );

    const drafted = await must<{ draftPolicy: { id: string } }>(
      `mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }`,
      { title: 'Dự thảo Quyết định hỗ trợ đồng bào vùng cao', leadOrganizationId: LEAD, summary: 'Bản nháp nội bộ' },
      lead,
    );
    policyId = drafted.draftPolicy.id;
    await must(
      `mutation ($input: OpenConsultationInput!) { openConsultation(input: $input) { id } }`,
      {
        policyId,
        opensAt: new Date(Date.now() - 1_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      lead,
    );
    const submit = `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }`;
    const kept = await must<{ submitFeedback: { id: string } }>(submit, { policyId, text: 'Đề nghị làm rõ đối tượng' });
    const hidden = await must<{ submitFeedback: { id: string } }>(submit, {
      policyId,
      text: 'Tôi là Lê Văn Tám, gọi 0912000111',
    });
    await must(
      `mutation ($input: AnswerFeedbackInput!) { answerFeedback(input: $input) { id } }`,
      { feedbackId: kept.submitFeedback.id, answer: 'Xin tiếp thu' },
      lead,
    );
    await must(
      `mutation ($input: HideFeedbackInput!) { hideFeedback(input: $input) { id } }`,
      { feedbackId: hidden.submitFeedback.id, reason: 'Chứa số điện thoại cá nhân' },
      lead,
    );
    await must(
      `mutation ($input: CloseConsultationInput!) { closeConsultation(input: $input) { id } }`,
      { policyId },
      lead,
    );
    await must(
      `mutation ($input: IssuePolicyInput!) { issuePolicy(input: $input) { id } }`,
      {
        policyId,
        documentNumber: `${Math.floor(Math.random() * 900) + 100}/QĐ-UBND`,
        issuedAt: new Date().toISOString(),
        effectiveAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
      lead,
    );

    const release = `mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }`;
    const released = await must<{ releaseStatement: { id: string } }>(
      release,
      {
        organizationId: LEAD,
        kind: 'PRESS_RELEASE',
        title: 'Thông cáo công khai',
        body: 'Nội dung',
        policyIds: [policyId],
      },
      lead,
    );
    const embargoed = await must<{ releaseStatement: { id: string } }>(
      release,
      {
        organizationId: LEAD,
        kind: 'PRESS_RELEASE',
        title: 'Thông cáo chưa đến giờ công bố',
        body: 'Chưa được đăng',
        embargoUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
      lead,
    );
    made.set(embargoed.releaseStatement.id, 'StatementReleased under embargo');
    const distributed = await must<{ distribute: { id: string } }>(
      `mutation ($input: DistributeInput!) { distribute(input: $input) { id } }`,
      { statementId: released.releaseStatement.id, recipientIds: [NEWSROOM] },
      lead,
    );
    await must(
      `mutation ($input: AcknowledgeDeliveryInput!) { acknowledgeDelivery(input: $input) { id } }`,
      { distributionId: distributed.distribute.id, recipientId: NEWSROOM },
      newsroom,
    );

    const adopted = await must<{ adoptPlan: { id: string; milestones: { id: string }[] } }>(
      `mutation ($input: AdoptPlanInput!) { adoptPlan(input: $input) { id milestones { id } } }`,
      {
        organizationId: LEAD,
        title: 'Kế hoạch truyền thông năm 2026',
        year: 2026,
        channels: ['PRESS'],
        budget: 100_000_000,
        milestones: [{ title: 'Họp báo quý I', dueAt: new Date(Date.now() + 86_400_000).toISOString() }],
      },
      lead,
    );
    await must(
      `mutation ($input: CompleteMilestoneInput!) { completeMilestone(input: $input) { id } }`,
      { planId: adopted.adoptPlan.id, milestoneId: adopted.adoptPlan.milestones[0]?.id },
      lead,
    );

    const place = async () =>
      (
        await must<{ placePressOrder: { id: string } }>(
          `mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id } }`,
          {
            ordererId: LEAD,
            newsroomId: NEWSROOM,
            brief: 'Phóng sự mật về chính sách vùng cao',
            format: 'VIDEO',
            quantity: 2,
            budget: 60_000_000,
            startsAt: new Date().toISOString(),
            deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
          lead,
        )
      ).placePressOrder.id;
    const act = (name: string, input: Record<string, unknown>, bearer: string, type = 'PressOrderActionInput') =>
      must(`mutation ($input: ${type}!) { ${name}(input: $input) { id } }`, input, bearer);
    const deliverables = [
      { format: 'VIDEO', title: 'Phóng sự', url: 'https://vtv.vn/a', publishedAt: new Date().toISOString() },
    ];
    const full = await place();
    await act('acceptPressOrder', { orderId: full }, newsroom);
    await act('submitDeliverables', { orderId: full, deliverables }, newsroom, 'SubmitDeliverablesInput');
    await act('rejectDelivery', { orderId: full, reason: 'Thiếu phụ đề' }, lead);
    await act('submitDeliverables', { orderId: full, deliverables }, newsroom, 'SubmitDeliverablesInput');
    await act('acceptDelivery', { orderId: full }, lead);
    await act('settlePressOrder', { orderId: full, amount: 60_000_000 }, lead, 'SettlePressOrderInput');
    const declined = await place();
    await act('declinePressOrder', { orderId: declined, reason: 'Không đủ nhân lực' }, newsroom);
    const cancelled = await place();
    await act('cancelPressOrder', { orderId: cancelled, reason: 'Đổi kế hoạch' }, lead);
    orderIds = [full, declined, cancelled];
  }

  /** The matrix key of an event an administrator received, or null when the scenario did not make it. */
  const keyOf = (event: HubEventResult): string | null => {
    const statementKey = made.get(String(event.data.statementId));
    if (event.type === 'StatementReleased' && statementKey) return statementKey;
    if (event.type === 'OrganizationRegistered') return event.data.organizationId === departmentId ? event.type : null;
    const organizationId = event.data.organizationId;
    return organizationId === LEAD ? event.type : null;
  };

  /** What a caller saw of each event an administrator saw: raw, redacted (fewer fields) or nothing. */
  function compare(raw: HubEventResult[], seenBy: HubEventResult[]): Map<string, Set<Seen>> {
    const byId = new Map(seenBy.map((event) => [event.id, event]));
    const result = new Map<string, Set<Seen>>();
    for (const event of raw) {
      const key = keyOf(event);
      if (key === null) continue;
      const seen = byId.get(event.id);
      let how: Seen = 'nothing';
      if (seen) {
        const fields = Object.keys(seen.data);
        expect(fields.filter((f) => JSON.stringify(seen.data[f]) !== JSON.stringify(event.data[f]))).toEqual([]);
        how = JSON.stringify(seen.data) === JSON.stringify(event.data) ? 'raw' : 'redacted';
        if (how === 'redacted') expect([key, fields.sort()]).toEqual([key, REDACTED[key]]);
      }
      result.set(key, (result.get(key) ?? new Set()).add(how));
    }
    return result;
  }

  it('given the catalogue, then every event type is made by the scenario below or named as unreachable through the API', () => {
    const covered = new Set([...Object.keys(FEED).map((key) => key.split(' ')[0]), ...UNREACHABLE_HERE]);
    expect(
      hubCatalogue()
        .eventTypes()
        .filter((type) => !covered.has(type)),
    ).toEqual([]);
  });

  for (const transport of ['graphql-ws', 'SSE'] as const) {
    it(`given each kind of caller on the events subscription over ${transport}, then each gets what the matrix says, no more`, async () => {
      const received = (name: CallerName): HubEventResult[] =>
        (transport === 'SSE' ? sse[name].results : ws[name].received).flatMap((result) =>
          result.data?.events ? [result.data.events] : [],
        );
      const expectedKeys = Object.keys(FEED);
      const missing = () => {
        const keys = new Set(received('admin').map(keyOf));
        return expectedKeys.filter((key) => !keys.has(key));
      };
      await expect.poll(missing, { timeout: 30_000 }).toEqual([]);
      // The last events made are public; once every signed-in caller has them, the feed has passed.
      const lastPublic = received('admin').filter((event) => event.type === 'MilestoneCompleted');
      for (const name of SIGNED_IN) {
        await expect
          .poll(() => received(name).some((event) => lastPublic.some((last) => last.id === event.id)), {
            timeout: 15_000,
          })
          .toBe(true);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));

      const admin = received('admin');
      const contact = admin.find(
        (event) => event.type === 'ContactAppointed' && event.data.fullName === 'Nguyễn Thị Mai',
      );
      expect(contact?.data).toMatchObject({ phone: '+84912345678', email: 'mai@laocai.gov.vn' });
      for (const name of SIGNED_IN) {
        const got = compare(admin, received(name));
        const table = Object.fromEntries(expectedKeys.map((key) => [key, [...(got.get(key) ?? [])].join('|')]));
        const want = Object.fromEntries(expectedKeys.map((key) => [key, FEED[key]?.[name]]));
        expect(table, `${name} over ${transport}`).toEqual(want);
      }
    });
  }

  it('given an anonymous caller, then the events subscription refuses them with UNAUTHENTICATED on both transports', async () => {
    await expect.poll(() => ws.anonymous.received.length).toBeGreaterThan(0);
    expect(ws.anonymous.received[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(ws.anonymous.received.some((result) => result.data?.events)).toBe(false);
    expect(sse.anonymous.results.some((result) => result.data?.events)).toBe(false);
  });

  it("given each kind of caller, then Policy.timeline shows the published policy's events as the matrix says", async () => {
    const query = `query ($id: ID!) { policy(id: $id) { timeline { id type data } } }`;
    const admin = (await gql<{ policy: { timeline: HubEventResult[] } }>(query, { id: policyId }, tokens.admin)).data
      ?.policy.timeline;
    const types = [...new Set(admin?.map((event) => event.type))];
    expect(types).toEqual([
      'PolicyDrafted',
      'ConsultationOpened',
      'FeedbackSubmitted',
      'FeedbackAnswered',
      'FeedbackHidden',
      'ConsultationClosed',
      'PolicyIssued',
    ]);
    for (const name of CALLERS) {
      const timeline = (await gql<{ policy: { timeline: HubEventResult[] } }>(query, { id: policyId }, tokens[name]))
        .data?.policy.timeline;
      const got = compare(admin ?? [], timeline ?? []);
      const table = Object.fromEntries(types.map((type) => [type, [...(got.get(type) ?? [])].join('|')]));
      // The policy is published, so its drafting is public; feedback stays its lead's.
      const want = Object.fromEntries(
        types.map((type) => [type, (type === 'PolicyDrafted' ? PUBLIC : (FEED[type] ?? PUBLIC))[name]]),
      );
      expect(table, name).toEqual(want);
      if (name !== 'member' && name !== 'admin') expect(JSON.stringify(timeline)).not.toContain('0912000111');
    }
  });

  it('given each kind of caller, then PressOrder.timeline is for the parties only; others learn of no order', async () => {
    const query = `query ($id: ID!) { pressOrder(id: $id) { id timeline { id type data } } }`;
    for (const id of orderIds) {
      const admin = (await gql<{ pressOrder: { timeline: HubEventResult[] } }>(query, { id }, tokens.admin)).data
        ?.pressOrder.timeline;
      expect(admin?.[0]?.data).toMatchObject({ brief: 'Phóng sự mật về chính sách vùng cao', budget: 60_000_000 });
      for (const name of CALLERS) {
        const result = await gql<{ pressOrder: { timeline: HubEventResult[] } | null }>(query, { id }, tokens[name]);
        if (name === 'anonymous') {
          expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
          continue;
        }
        const got = compare(admin ?? [], result.data?.pressOrder?.timeline ?? []);
        for (const [type, how] of got) expect([type, [...how].join('|')]).toEqual([type, PARTIES[name]]);
        if (PARTIES[name] === 'nothing') expect(result.data?.pressOrder).toBeNull();
      }
    }
  });
});
