import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { type RunningHub, startHub } from '@hub/gateway';
import { readCheckedInSupergraph } from '@hub/gateway/compose';
import { type Client, liveClient, subscribe } from '@hub/live/testing';
import { dropDatabase, postgresClient, type SqlClient } from '@hub/sql';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../infra/kafka/broker.mjs';

// Issue 10's hostile and careless inputs, each as a regression test through the gateway, on the
// production configuration (local mode: PostgreSQL and Kafka; NODE_ENV not development; behind
// a trusted proxy). "Nothing is written" is checked by counting the events in every service's store.

const SECRET = 'input-edge-e2e-secret';
const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVICES = ['directory', 'content', 'press-orders', 'live'];
const LAO_CAI = 'prov-lao-cai';
const YEN_BAI = 'prov-yen-bai';
const VTV = 'press-vtv';

type Role = 'ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR' | 'VIEWER';
const token = (org: string, roles: Role[]) => signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);

type GqlError = { message: string; extensions?: { code?: string; field?: string } };
type Gql<T = Record<string, unknown>> = { data?: T | null; errors?: GqlError[] };

let hub: RunningHub;
let broker: BrokerHandle;
let dataDir: string;
const database = `hub_input_e2e_${randomUUID().slice(0, 8)}`;
const stores: SqlClient[] = [];
const clients: Client[] = [];

async function post<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  bearer?: string,
  headers: Record<string, string> = {},
): Promise<Gql<T>> {
  const response = await fetch(hub.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Gql<T>;
}

/** Every event appended so far, in every service's event store. */
async function eventCount(): Promise<number> {
  let total = 0;
  for (const store of stores) {
    const { rows } = await store.query<{ n: string }>('SELECT count(*) AS n FROM es_events');
    total += Number(rows[0]?.n ?? 0);
  }
  return total;
}

/** The request is refused with `code` (on `field`, if given) and appends nothing. */
async function expectRefused(request: () => Promise<Gql>, code: string, field?: string): Promise<GqlError | undefined> {
  const before = await eventCount();
  const answer = await request();
  expect(answer.data ?? null, JSON.stringify(answer)).toSatisfy(
    (data: unknown) => data === null || Object.values(data as object).every((value) => value === null),
  );
  const error = answer.errors?.[0];
  expect(error?.extensions?.code, JSON.stringify(answer)).toBe(code);
  if (field !== undefined) expect(error?.extensions?.field).toBe(field);
  expect(JSON.stringify(answer)).not.toMatch(/did you mean/i);
  expect(await eventCount()).toBe(before);
  return error;
}

beforeAll(async () => {
  process.env.HUB_JWT_SECRET = SECRET;
  dataDir = await mkdtemp(join(tmpdir(), 'hub-input-e2e-'));
  broker = await ensureBroker();
  hub = await startHub({
    mode: 'local',
    port: 0,
    host: '127.0.0.1',
    dataDir,
    postgresUrl: `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${database}`,
    kafkaBrokers: broker.brokers,
    development: false,
    trustProxy: true,
  });
  for (const service of SERVICES) {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}_${service.replace('-', '_')}`;
    stores.push(postgresClient({ connectionString: url.toString(), applicationName: 'input-e2e-count' }));
  }
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  for (const store of stores) await store.close();
  await hub?.stop();
  for (const service of SERVICES) await dropDatabase(ADMIN_URL, `${database}_${service.replace('-', '_')}`);
  // Insights keeps a read model only (no events of its own to count), but has its database too.
  await dropDatabase(ADMIN_URL, `${database}_insights`);
  await broker?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const REGISTER = `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id code kind status } }`;
const APPOINT = `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id fullName title } }`;
const DESIGNATE = `mutation ($input: DesignateSpokespersonInput!) { designateSpokesperson(input: $input) { id } }`;
const RELEASE = `mutation ($input: ReleaseStatementInput!) { releaseStatement(input: $input) { id } }`;
const PLACE = `mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id } }`;
const BY_CODE = `query ($code: String!) { organizationByCode(code: $code, kind: PROVINCE) { id name } }`;

const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const placeOrder = (change: Record<string, unknown>) => ({
  input: {
    ordererId: LAO_CAI,
    newsroomId: VTV,
    brief: 'Phóng sự về chính sách hỗ trợ đồng bào vùng cao',
    format: 'VIDEO',
    quantity: 1,
    budget: 50_000_000,
    startsAt: soon(1),
    deadline: soon(30),
    ...change,
  },
});

describe('authority over the national structure', () => {
  it("given a press agency's editor, when they register a province or a ministry with code 15, then FORBIDDEN and nothing is written", async () => {
    const editor = await token(VTV, ['ORG_EDITOR']);
    for (const kind of ['PROVINCE', 'MINISTRY', 'GOVERNMENT_OFFICE']) {
      await expectRefused(() => post(REGISTER, { input: { name: 'Tỉnh Giả', kind, code: '15' } }, editor), 'FORBIDDEN');
    }
    // Not even as a "unit" under their own organization.
    await expectRefused(
      () => post(REGISTER, { input: { name: 'Tỉnh Giả', kind: 'PROVINCE', code: '15', parentId: VTV } }, editor),
      'FORBIDDEN',
    );
    expect((await post(BY_CODE, { code: '15' })).data).toEqual({
      organizationByCode: { id: LAO_CAI, name: 'Tỉnh Lào Cai' },
    });
  });

  it('given Lào Cai holds code 15 (Yên Bái held it until the merger), when an administrator registers a second province 15, then CONFLICT on input.code', async () => {
    const admin = await token('gov-office', ['ADMIN']);
    await expectRefused(
      () => post(REGISTER, { input: { name: 'Tỉnh Giả', kind: 'PROVINCE', code: '15' } }, admin),
      'CONFLICT',
      'input.code',
    );
    expect((await post(BY_CODE, { code: '15' })).data?.organizationByCode).toEqual({
      id: LAO_CAI,
      name: 'Tỉnh Lào Cai',
    });
  });

  it('given a province code that is not two digits, then BAD_USER_INPUT on input.code', async () => {
    const admin = await token('gov-office', ['ADMIN']);
    for (const code of ['999x', '1', '015']) {
      await expectRefused(
        () => post(REGISTER, { input: { name: 'Tỉnh Giả', kind: 'PROVINCE', code } }, admin),
        'BAD_USER_INPUT',
        'input.code',
      );
    }
  });

  it('given Yên Bái merged into Lào Cai, when a unit is registered under Yên Bái, then BAD_USER_INPUT on input.parentId', async () => {
    const admin = await token('gov-office', ['ADMIN']);
    await expectRefused(
      () => post(REGISTER, { input: { name: 'Sở Văn hóa', kind: 'PROVINCIAL_DEPARTMENT', parentId: YEN_BAI } }, admin),
      'BAD_USER_INPUT',
      'input.parentId',
    );
  });

  it("given an organization's editor, when they register a unit under their own organization, then it is registered; under another's, FORBIDDEN", async () => {
    const editor = await token(VTV, ['ORG_EDITOR']);
    const own = await post<{ registerOrganization: { kind: string; status: string } }>(
      REGISTER,
      { input: { name: 'Kênh VTV Cần Thơ', kind: 'PRESS_AGENCY', parentId: VTV } },
      editor,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.registerOrganization).toMatchObject({ kind: 'PRESS_AGENCY', status: 'ACTIVE' });
    await expectRefused(
      () => post(REGISTER, { input: { name: 'Báo Giả', kind: 'PRESS_AGENCY', parentId: LAO_CAI } }, editor),
      'FORBIDDEN',
    );
  });

  it('given two administrators registering provinces with one free code at the same moment, then exactly one holds it', async () => {
    const admin = await token('gov-office', ['ADMIN']);
    for (const code of ['97', '98', '99']) {
      const answers = await Promise.all(
        ['Tỉnh Thử Một', 'Tỉnh Thử Hai'].map((name) =>
          post(REGISTER, { input: { name, kind: 'PROVINCE', code } }, admin),
        ),
      );
      const won = answers.filter((answer) => !answer.errors);
      const lost = answers.filter((answer) => answer.errors);
      expect(won).toHaveLength(1);
      expect(lost.map((answer) => answer.errors?.[0]?.extensions)).toEqual([
        { code: 'CONFLICT', field: 'input.code', serviceName: 'directory' },
      ]);
    }
  });
});

describe('input that would corrupt or wedge the record', () => {
  it('given days the calendar does not have, then BAD_USER_INPUT on the field, never a shifted date', async () => {
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    for (const appointedFrom of [
      '2025-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2025-04-31T08:00:00+07:00',
      '2025-07-01T24:00:00Z',
    ]) {
      await expectRefused(
        () =>
          post(
            APPOINT,
            { input: { organizationId: LAO_CAI, fullName: 'Lê Văn A', roles: ['FOCAL_POINT'], appointedFrom } },
            editor,
          ),
        'BAD_USER_INPUT',
        'input.appointedFrom',
      );
      // The same as a literal in the document.
      await expectRefused(
        () =>
          post(
            `mutation { appointContact(input: { organizationId: "${LAO_CAI}", fullName: "Lê Văn A", roles: [FOCAL_POINT], appointedFrom: "${appointedFrom}" }) { id } }`,
            {},
            editor,
          ),
        'BAD_USER_INPUT',
        'input.appointedFrom',
      );
    }
  });

  it('given dates in year 9999, then BAD_USER_INPUT, so no organization can be locked by a far-future designation', async () => {
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    const far = '9999-01-01T00:00:00Z';
    await expectRefused(
      () =>
        post(
          APPOINT,
          { input: { organizationId: LAO_CAI, fullName: 'Lê Văn B', roles: ['SPOKESPERSON'], appointedFrom: far } },
          editor,
        ),
      'BAD_USER_INPUT',
      'input.appointedFrom',
    );
    await expectRefused(
      () => post(DESIGNATE, { input: { organizationId: LAO_CAI, contactId: 'any', from: far } }, editor),
      'BAD_USER_INPUT',
      'input.from',
    );
    await expectRefused(
      () =>
        post(
          RELEASE,
          {
            input: {
              organizationId: LAO_CAI,
              kind: 'PRESS_RELEASE',
              title: 'Thông cáo',
              body: 'Nội dung',
              embargoUntil: far,
            },
          },
          editor,
        ),
      'BAD_USER_INPUT',
      'input.embargoUntil',
    );
    await expectRefused(() => post(PLACE, placeOrder({ deadline: far }), editor), 'BAD_USER_INPUT', 'input.deadline');
  });

  it('given NUL, a lone surrogate or a terminal escape in a name, title or id, then BAD_USER_INPUT naming the field, not INTERNAL_SERVER_ERROR', async () => {
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    const appoint = (change: Record<string, unknown>) => () =>
      post(
        APPOINT,
        { input: { organizationId: LAO_CAI, fullName: 'Lê Văn C', roles: ['FOCAL_POINT'], ...change } },
        editor,
      );
    await expectRefused(appoint({ fullName: 'Lê\u0000Văn' }), 'BAD_USER_INPUT', 'input.fullName');
    await expectRefused(appoint({ fullName: 'Lê \ud800 Văn' }), 'BAD_USER_INPUT', 'input.fullName');
    await expectRefused(appoint({ title: '\u001b[2J\u001b[31mChánh Văn phòng' }), 'BAD_USER_INPUT', 'input.title');
    await expectRefused(appoint({ organizationId: `${LAO_CAI}\u0000` }), 'BAD_USER_INPUT', 'input.organizationId');
    await expectRefused(
      () => post(`query ($id: ID!) { policy(id: $id) { id } }`, { id: 'x\u0000' }),
      'BAD_USER_INPUT',
      'id',
    );
  });

  it('given a full name of invisible characters only, then BAD_USER_INPUT; invisible characters inside a name are removed', async () => {
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    await expectRefused(
      () =>
        post(
          APPOINT,
          { input: { organizationId: LAO_CAI, fullName: '\u200b\u2060\ufeff', roles: ['FOCAL_POINT'] } },
          editor,
        ),
      'BAD_USER_INPUT',
      'input.fullName',
    );
    const appointed = await post<{ appointContact: { fullName: string } }>(
      APPOINT,
      { input: { organizationId: LAO_CAI, fullName: 'Nguyễn\u200b Văn\u202e Dũng', roles: ['FOCAL_POINT'] } },
      editor,
    );
    expect(appointed.data?.appointContact.fullName).toBe('Nguyễn Văn Dũng');
  });

  it('given a budget of 2^53 − 1 đồng, then BAD_USER_INPUT on input.budget, so totals stay exact', async () => {
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    await expectRefused(
      () => post(PLACE, placeOrder({ budget: 9_007_199_254_740_991 }), editor),
      'BAD_USER_INPUT',
      'input.budget',
    );
    const totals = await post(`query { pressOrderTotals(ordererId: "${LAO_CAI}") { committed } }`, {}, editor);
    expect(totals.errors).toBeUndefined();
  });

  it('given an unknown enum value, a missing required field or an unknown field, then BAD_USER_INPUT on the input path, with no suggestion', async () => {
    const admin = await token('gov-office', ['ADMIN']);
    await expectRefused(
      () => post(REGISTER, { input: { name: 'X', kind: 'PROVINCEE' } }, admin),
      'BAD_USER_INPUT',
      'input.kind',
    );
    await expectRefused(
      () => post(REGISTER, { input: { kind: 'PRESS_AGENCY' } }, admin),
      'BAD_USER_INPUT',
      'input.name',
    );
    // Named by the argument, whatever the client called its variable.
    await expectRefused(
      () =>
        post(
          `mutation ($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
          { i: { name: 'X', kind: 'MINISTRYY' } },
          admin,
        ),
      'BAD_USER_INPUT',
      'input.kind',
    );
    await expectRefused(
      () => post(`mutation { registerOrganization(input: { name: "X", kind: PROVINCEE }) { id } }`, {}, admin),
      'BAD_USER_INPUT',
      'input.kind',
    );
    await expectRefused(
      () => post(`mutation { registerOrganization(input: { kind: PROVINCE }) { id } }`, {}, admin),
      'BAD_USER_INPUT',
      'input.name',
    );
    await expectRefused(
      () => post(`mutation { registerOrganization(input: { name: "X", kind: PROVINCE, foo: 1 }) { id } }`, {}, admin),
      'BAD_USER_INPUT',
      'input.foo',
    );
    await expectRefused(() => post(PLACE, placeOrder({ quantity: 'hai' }), admin), 'BAD_USER_INPUT', 'input.quantity');
  });
});

describe('production defaults', () => {
  const EVENTS = 'subscription { events { type } }';

  it('given a bad token, when subscribing over graphql-ws, then UNAUTHENTICATED', async () => {
    const client = liveClient(hub.url, 'not.a.token');
    clients.push(client);
    const subscription = subscribe(client, EVENTS);
    const first = await subscription.nth(1);
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(first.errors?.[0]?.message).not.toBe('');
    subscription.close();
  });

  it('given a bad token, when subscribing over SSE, then UNAUTHENTICATED', async () => {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer not.a.token' },
      body: JSON.stringify({ query: EVENTS }),
    });
    const text = await response.text();
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice('data: '.length)) as Gql);
    expect(data[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('given production mode, then introspection is refused and nothing suggests names', async () => {
    const answer = await post('{ __schema { types { name } } }');
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.message).toMatch(/introspection has been disabled/i);
    const misspelt = await post('{ organisations { totalCount } }');
    expect(JSON.stringify(misspelt)).not.toMatch(/did you mean/i);
  });

  it('given a body over 2 MB, then the gateway answers 413 like the subgraphs', async () => {
    const response = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(2_100_000) } }),
    });
    expect(response.status).toBe(413);
    await response.body?.cancel();
  });

  it('given a trusted proxy, when a client varies the first X-Forwarded-For entry, then the feedback limit still holds (it keys on the entry the proxy appended)', async () => {
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    const drafted = await post<{ draftPolicy: { id: string } }>(
      `mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }`,
      { input: { title: 'Chính sách thử giới hạn', leadOrganizationId: LAO_CAI } },
      editor,
    );
    const policyId = drafted.data?.draftPolicy.id as string;
    const opened = await post(
      `mutation ($input: OpenConsultationInput!) { openConsultation(input: $input) { id } }`,
      { input: { policyId, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: soon(30) } },
      editor,
    );
    expect(opened.errors).toBeUndefined();
    const submit = (spoofed: number) =>
      post(
        `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id } }`,
        { input: { policyId, text: `Góp ý số ${spoofed}` } },
        undefined,
        { 'x-forwarded-for': `10.0.0.${spoofed}, 203.0.113.7` },
      );
    for (let i = 1; i <= 5; i++) expect((await submit(i)).errors).toBeUndefined();
    const sixth = await submit(6);
    expect(sixth.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});

// ── Random input at every mutation ──────────────────────────────────────────────────────────────
// The mutations and their input types come from the checked-in supergraph, so a mutation added
// later is covered without touching this test.

const KNOWN_IDS = [LAO_CAI, YEN_BAI, VTV, 'gov-office', 'prov-ha-noi'];
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', 'a\ud800b', '\udc00', '\u200b', '\u001b[2J', '\u202eevil', 'x'.repeat(6_000)),
);
// Mostly plausible values, so that many calls get past the first refusal into the deciders.
const plausible = fc.constantFrom(
  'Hà Nội',
  'Nguyễn Văn An',
  'Thông cáo báo chí',
  '12/NQ-CP',
  'https://vtv.vn/a',
  'Góp ý',
);
const hostileString = fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: hostile });
const nearNow = fc
  .integer({ min: -400, max: 400 })
  .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const dateString = fc.oneof(
  { weight: 4, arbitrary: nearNow },
  fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((date) => date.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('Z', '+07:00', '+15:00', '', '-00:00'),
    )
    .map(([y, m, d, h, mi, zone]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:00${zone}`),
  hostileString,
);
const number = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 100_000_000 }) },
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(0, -1, 9_007_199_254_740_991, 1e21, 1_000_000_000_000, 1_000_000_000_001),
);
const wrongType = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}));

function arbitraryFor(type: GraphQLInputType): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return arbitraryFor(type.ofType);
  if (isListType(type)) return fc.array(arbitraryFor(type.ofType), { maxLength: 3 });
  const named = getNamedType(type);
  let typed: fc.Arbitrary<unknown>;
  if (isEnumType(named)) {
    typed = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...named.getValues().map((value) => value.name)) },
      hostile,
    );
  } else if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields());
    typed = fc.record(Object.fromEntries(fields.map((field) => [field.name, arbitraryFor(field.type)])), {
      requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name),
    });
  } else if (named.name === 'ID') {
    typed = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...KNOWN_IDS) }, hostile);
  } else if (named.name === 'DateTime') {
    typed = dateString;
  } else if (['Int', 'Float', 'VND'].includes(named.name)) {
    typed = number;
  } else if (named.name === 'Boolean') {
    typed = fc.boolean();
  } else {
    typed = hostileString;
  }
  return fc.oneof({ weight: 30, arbitrary: typed }, { weight: 1, arbitrary: wrongType });
}

const variablesOf = (mutation: GraphQLField<unknown, unknown>) =>
  fc.record(Object.fromEntries(mutation.args.map((arg) => [arg.name, arbitraryFor(arg.type)])));

const documentOf = (mutation: GraphQLField<unknown, unknown>) => {
  const definitions = mutation.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = mutation.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `mutation (${definitions}) { ${mutation.name}(${args}) { __typename } }`;
};

describe('random input at every mutation (fast-check)', () => {
  it('given random strings, dates and numbers as any caller, then never INTERNAL_SERVER_ERROR, and a refusal appends nothing', async () => {
    // Things that exist, so random ids often name them and calls reach the deciders.
    const editor = await token(LAO_CAI, ['ORG_EDITOR']);
    const drafted = await post<{ draftPolicy: { id: string } }>(
      `mutation ($input: DraftPolicyInput!) { draftPolicy(input: $input) { id } }`,
      { input: { title: 'Chính sách cho kiểm thử ngẫu nhiên', leadOrganizationId: LAO_CAI } },
      editor,
    );
    const placed = await post<{ placePressOrder: { id: string } }>(PLACE, placeOrder({}), editor);
    KNOWN_IDS.push(drafted.data?.draftPolicy.id as string, placed.data?.placePressOrder.id as string);
    const schema = buildSchema(await readCheckedInSupergraph(), { assumeValidSDL: true });
    const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});
    expect(mutations.length).toBeGreaterThan(20);
    const callers = [
      await token('gov-office', ['ADMIN']),
      await token(LAO_CAI, ['ORG_EDITOR']),
      await token(VTV, ['NEWSROOM_EDITOR']),
      undefined,
    ];
    const call = fc.oneof(
      ...mutations.map((mutation) =>
        fc.record({
          query: fc.constant(documentOf(mutation)),
          name: fc.constant(mutation.name),
          variables: variablesOf(mutation),
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(call, fc.constantFrom(...callers), async ({ query, name, variables }, bearer) => {
        const before = await eventCount();
        const answer = await post(query, variables, bearer);
        const codes = (answer.errors ?? []).map((error) => error.extensions?.code);
        expect(codes, JSON.stringify({ name, variables, answer })).not.toContain('INTERNAL_SERVER_ERROR');
        expect(codes).not.toContain(undefined);
        const refused = (answer.errors?.length ?? 0) > 0 && !answer.data?.[name];
        if (refused) expect(await eventCount(), JSON.stringify({ name, variables, answer })).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
