import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { type HubConfig, type RunningHub, startHub } from '@hub/gateway';
import { type Client, liveClient, subscribe } from '@hub/live/testing';
import { dropDatabase } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerHandle, ensureBroker } from '../../infra/kafka/broker.mjs';

const SECRET = 'live-e2e-secret';
const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVICES = ['directory', 'content', 'press-orders', 'live', 'insights'];

const LAO_CAI = 'prov-lao-cai';
const HA_NOI = 'prov-ha-noi';
const NEWSROOM = 'press-vtv';

const token = (org: string, roles: ('ADMIN' | 'ORG_EDITOR' | 'NEWSROOM_EDITOR' | 'VIEWER')[]) =>
  signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);

type Gql = { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };

async function post(url: string, query: string, variables: Record<string, unknown>, bearer: string): Promise<Gql> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Gql;
}

const APPOINT = `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id } }`;
const appoint = (organizationId: string, fullName: string) => ({
  input: { organizationId, fullName, roles: ['FOCAL_POINT'], phone: '0912345678', idempotencyKey: randomUUID() },
});

const EVENTS = `subscription ($filter: EventFilter) {
  events(filter: $filter) { id type stream occurredAt data organization { id name kind } }
}`;

type EventResult = {
  events: { type: string; organization: { id: string; name: string } | null; data: Record<string, unknown> };
};

/** The live network through the gateway, in one mode: embedded (in-process bus) or local (Kafka, PostgreSQL). */
function liveSuite(mode: HubConfig['mode']) {
  describe(`live subscriptions through the gateway (${mode} mode)`, () => {
    let hub: RunningHub;
    let dataDir: string;
    let broker: BrokerHandle | undefined;
    const database = `hub_live_e2e_${randomUUID().slice(0, 8)}`;
    const clients: Client[] = [];
    const client = (bearer?: string) => {
      const created = liveClient(hub.url, bearer);
      clients.push(created);
      return created;
    };

    beforeAll(async () => {
      process.env.HUB_JWT_SECRET = SECRET;
      dataDir = await mkdtemp(join(tmpdir(), 'hub-live-e2e-'));
      if (mode === 'local') broker = await ensureBroker();
      hub = await startHub({
        mode,
        port: 0,
        host: '127.0.0.1',
        dataDir,
        postgresUrl: `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${database}`,
        kafkaBrokers: broker?.brokers ?? [],
        development: false,
      });
    });

    afterAll(async () => {
      await Promise.all(clients.map((created) => created.dispose()));
      await hub?.stop();
      if (mode === 'local') {
        for (const service of SERVICES) await dropDatabase(ADMIN_URL, `${database}_${service.replace('-', '_')}`);
      }
      await broker?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it("given dashboards filtered by province, when Lào Cai appoints a contact, then only the 15 dashboard gets it, with the organization's name from the directory", async () => {
      const dashboard = client(await token('org-government-office', ['VIEWER']));
      // Contact appointments only: a fresh hub may still be relaying the directory's reference data.
      const types = ['ContactAppointed'];
      const laoCai = subscribe<EventResult>(dashboard, EVENTS, { filter: { types, provinceCodes: ['15'] } });
      const haNoi = subscribe<EventResult>(dashboard, EVENTS, { filter: { types, provinceCodes: ['01'] } });
      await new Promise((resolve) => setTimeout(resolve, 500));

      const appointed = await post(
        hub.url,
        APPOINT,
        appoint(LAO_CAI, 'Nguyễn Văn An'),
        await token(LAO_CAI, ['ORG_EDITOR']),
      );
      expect(appointed.errors).toBeUndefined();
      const first = await laoCai.nth(1);
      expect(first.errors).toBeUndefined();
      expect(first.data?.events).toMatchObject({
        type: 'ContactAppointed',
        organization: { id: LAO_CAI, name: 'Tỉnh Lào Cai' },
        data: { organizationId: LAO_CAI, fullName: 'Nguyễn Văn An' },
      });

      await post(hub.url, APPOINT, appoint(HA_NOI, 'Trần Thị Bình'), await token(HA_NOI, ['ORG_EDITOR']));
      const second = await haNoi.nth(1);
      expect(second.data?.events).toMatchObject({ type: 'ContactAppointed', organization: { id: HA_NOI } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(haNoi.received).toHaveLength(1);
      expect(laoCai.received).toHaveLength(1);
      laoCai.close();
      haNoi.close();
    });

    it('given a newsroom subscribed to its assignments, when an orderer places a press order, then it arrives within a second, enriched from press-orders', async () => {
      const newsroom = client(await token(NEWSROOM, ['NEWSROOM_EDITOR']));
      const inbox = subscribe<{ assignmentReceived: { id: string; brief: string; status: string } }>(
        newsroom,
        `subscription ($newsroomId: ID!) { assignmentReceived(newsroomId: $newsroomId) { id brief status newsroom { id name } } }`,
        { newsroomId: NEWSROOM },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = performance.now();
      const placed = await post(
        hub.url,
        `mutation ($input: PlacePressOrderInput!) { placePressOrder(input: $input) { id } }`,
        {
          input: {
            ordererId: LAO_CAI,
            newsroomId: NEWSROOM,
            brief: 'Phóng sự về chính sách hỗ trợ đồng bào vùng cao',
            format: 'VIDEO',
            quantity: 2,
            budget: 60_000_000,
            startsAt: new Date().toISOString(),
            deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          },
        },
        await token(LAO_CAI, ['ORG_EDITOR']),
      );
      expect(placed.errors).toBeUndefined();
      const order = placed.data?.placePressOrder as { id: string };
      const received = await inbox.nth(1, 5_000);
      const latencyMs = performance.now() - started;
      expect(received.errors).toBeUndefined();
      expect(received.data?.assignmentReceived).toMatchObject({
        id: order.id,
        brief: 'Phóng sự về chính sách hỗ trợ đồng bào vùng cao',
        status: 'PLACED',
      });
      expect(latencyMs).toBeLessThan(1_000);
      inbox.close();
    });

    it('given a dashboard subscribed over SSE, when Hà Nội appoints a contact, then the event arrives on the stream', async () => {
      const controller = new AbortController();
      const response = await fetch(hub.url, {
        method: 'POST',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${await token('org-government-office', ['VIEWER'])}`,
        },
        body: JSON.stringify({
          query: `subscription { events(filter: { types: ["ContactAppointed"], organizationIds: ["${HA_NOI}"] }) { type organization { id } } }`,
        }),
      });
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const arrived = (async () => {
        while (!text.includes('ContactAppointed')) {
          const { value, done } = await reader.read();
          if (done) break;
          text += value;
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await post(hub.url, APPOINT, appoint(HA_NOI, 'Phạm Văn Cường'), await token(HA_NOI, ['ORG_EDITOR']));
      await arrived;
      controller.abort();
      expect(text).toContain('event: next');
      expect(text).toContain(`"organization":{"id":"${HA_NOI}"}`);
    });

    it("given another organization's user or no token, when they subscribe, then they get FORBIDDEN or UNAUTHENTICATED", async () => {
      const other = client(await token(LAO_CAI, ['ORG_EDITOR']));
      const forbidden = subscribe(other, `subscription { assignmentReceived(newsroomId: "${NEWSROOM}") { id } }`);
      const denied = await forbidden.nth(1);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(denied.data ?? null).toBeNull();

      const anonymous = subscribe(client(), EVENTS);
      expect((await anonymous.nth(1)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
}

liveSuite('embedded');
liveSuite('local');
