import { randomUUID } from 'node:crypto';
import { createVerifier, signDevToken } from '@hub/auth';
import { startDirectory } from '@hub/directory';
import { type EventBus, inProcessEventBus } from '@hub/event-bus';
import { type EventEnvelope, hubCatalogue } from '@hub/event-catalogue';
import { type EventStore, embeddedEventStore, postgresEventStore } from '@hub/event-store';
import { contextTopic } from '@hub/relay';
import { dropDatabase, ensureDatabase, pgliteClient, postgresClient, type SqlClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, liveClient, subscribe } from './testing/client.js';
import { type RunningLive, startLive } from './wiring.js';

const SECRET = 'live-test-secret';
const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const quiet = () => {};

const token = (org: string, roles: ('ADMIN' | 'ORG_EDITOR' | 'VIEWER')[] = ['VIEWER']) =>
  signDevToken({ sub: `user-of-${org}`, org, roles }, SECRET);

let position = 0;
/** An event as a relay would publish it; the live subgraph only ever sees the bus. */
const published = (type: string, data: Record<string, unknown>, organizationId: string): EventEnvelope => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  stream: `${type}-${randomUUID()}`,
  revision: 0,
  position: String(++position),
  occurredAt: new Date().toISOString(),
  recordedAt: new Date().toISOString(),
  actor: { userId: `user-of-${organizationId}`, organizationId },
  organizationId,
  correlationId: randomUUID(),
  causationId: null,
  data,
});

for (const engine of ['embedded', 'postgres'] as const) {
  describe(`the live subgraph (${engine})`, () => {
    const database = `hub_test_live_${randomUUID().slice(0, 8)}`;
    let sql: SqlClient;
    let directorySql: SqlClient;
    let directoryStore: EventStore;
    let stopDirectory: () => Promise<void>;
    let bus: EventBus;
    let live: RunningLive;
    const clients: Client[] = [];
    const client = async (org?: string, roles?: ('ADMIN' | 'ORG_EDITOR' | 'VIEWER')[]) => {
      const created = liveClient(live.url, org ? await token(org, roles) : undefined);
      clients.push(created);
      return created;
    };

    beforeAll(async () => {
      if (engine === 'embedded') {
        sql = await pgliteClient();
        directorySql = await pgliteClient();
      } else {
        await ensureDatabase(ADMIN_URL, database);
        await ensureDatabase(ADMIN_URL, `${database}_dir`);
        const url = (name: string) => `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${name}`;
        sql = postgresClient({ connectionString: url(database) });
        directorySql = postgresClient({ connectionString: url(`${database}_dir`) });
      }
      const catalogue = hubCatalogue();
      directoryStore =
        engine === 'embedded'
          ? await embeddedEventStore({ sql: directorySql, catalogue })
          : await postgresEventStore({ sql: directorySql, catalogue });
      const verifier = createVerifier({ mode: 'hs256', secret: SECRET });
      const directory = await startDirectory({ sql: directorySql, store: directoryStore, verifier });
      stopDirectory = () => directory.stop();
      bus = inProcessEventBus({ log: quiet });
      live = await startLive({ sql, bus, directoryEvents: directoryStore, verifier });
    });

    afterAll(async () => {
      await Promise.all(clients.map((created) => created.dispose()));
      await live?.stop();
      await bus?.close();
      await stopDirectory?.();
      await directoryStore?.close();
      await directorySql?.close();
      await sql?.close();
      if (engine === 'postgres') {
        await dropDatabase(ADMIN_URL, database);
        await dropDatabase(ADMIN_URL, `${database}_dir`);
      }
    });

    it('given a statement under embargo, then its organization gets it at release, a recipient on distribution, everyone else when the embargo lifts, each once', async () => {
      const statement = 'Thông cáo về giá điện';
      const feed = `subscription { statementReleased(organizationIds: ["min-industry-trade"]) { id } }`;
      const own = subscribe(await client('min-industry-trade'), feed);
      const recipient = subscribe(await client('press-vtv'), feed);
      const citizen = subscribe(await client(), feed);
      const otherOrganization = subscribe(await client('min-finance'), feed);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const statementId = randomUUID();
      const embargoUntil = new Date(Date.now() + 2_500).toISOString();

      await bus.publish(contextTopic('content'), [
        published(
          'StatementReleased',
          {
            statementId,
            organizationId: 'min-industry-trade',
            kind: 'PRESS_RELEASE',
            title: statement,
            body: 'Điều chỉnh giá bán lẻ điện bình quân từ ngày 11/5.',
            spokespersonId: randomUUID(),
            policyIds: [],
            releasedAt: new Date().toISOString(),
            embargoUntil,
          },
          'min-industry-trade',
        ),
      ]);
      expect((await own.nth(1)).data).toEqual({ statementReleased: { id: statementId } });
      expect(recipient.received).toHaveLength(0);

      await bus.publish(contextTopic('content'), [
        published(
          'DistributionStarted',
          {
            distributionId: randomUUID(),
            organizationId: 'min-industry-trade',
            statementId,
            recipientIds: ['press-vtv'],
          },
          'min-industry-trade',
        ),
      ]);
      expect((await recipient.nth(1)).data).toEqual({ statementReleased: { id: statementId } });
      expect(citizen.received).toHaveLength(0);

      expect((await citizen.nth(1, 10_000)).data).toEqual({ statementReleased: { id: statementId } });
      expect((await otherOrganization.nth(1)).data).toEqual({ statementReleased: { id: statementId } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect([own, recipient, citizen, otherOrganization].map((s) => s.received.length)).toEqual([1, 1, 1, 1]);
    });

    it('given the 2025 merger, then an event of Yên Bái reaches dashboards of code 15 (Lào Cai today), not of 10', async () => {
      const events = `subscription ($codes: [String!]) { events(filter: { provinceCodes: $codes }) { id type } }`;
      const dashboard = await client('min-home-affairs');
      const fifteen = subscribe<{ events: { id: string } }>(dashboard, events, { codes: ['15'] });
      const ten = subscribe<{ events: { id: string } }>(dashboard, events, { codes: ['10'] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const yenBai = published(
        'PolicyIssued',
        { policyId: randomUUID(), organizationId: 'prov-yen-bai' },
        'prov-yen-bai',
      );
      const haNoi = published('PolicyIssued', { policyId: randomUUID(), organizationId: 'prov-ha-noi' }, 'prov-ha-noi');

      await bus.publish(contextTopic('content'), [yenBai, haNoi]);

      expect((await fifteen.nth(1)).data?.events.id).toBe(yenBai.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fifteen.received).toHaveLength(1);
      expect(ten.received).toHaveLength(0);
    });

    it("given a commune's event, then it reaches dashboards of its province's code: Hoàng Sa's 48 (Đà Nẵng), not Trường Sa's 56", async () => {
      const events = `subscription ($codes: [String!]) { events(filter: { provinceCodes: $codes }) { id type } }`;
      const dashboard = await client('min-home-affairs');
      const daNang = subscribe<{ events: { id: string } }>(dashboard, events, { codes: ['48'] });
      const khanhHoa = subscribe<{ events: { id: string } }>(dashboard, events, { codes: ['56'] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const hoangSa = published(
        'PolicyIssued',
        { policyId: randomUUID(), organizationId: 'commune-20333' },
        'commune-20333',
      );

      await bus.publish(contextTopic('content'), [hoangSa]);

      expect((await daNang.nth(1)).data?.events.id).toBe(hoangSa.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(daNang.received).toHaveLength(1);
      expect(khanhHoa.received).toHaveLength(0);
    });

    it('given the same event twice on the bus (a relay resend), then subscribers get it once', async () => {
      const dashboard = await client('min-home-affairs');
      const feed = subscribe<{ events: { id: string } }>(dashboard, `subscription { events { id } }`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const event = published('PolicyIssued', { policyId: randomUUID(), organizationId: 'prov-ha-noi' }, 'prov-ha-noi');

      await bus.publish(contextTopic('content'), [event]);
      await bus.publish(contextTopic('content'), [event]);

      expect((await feed.nth(1)).data?.events.id).toBe(event.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(feed.received).toHaveLength(1);
    });

    it('given subscribers of the events feed, when confidential events pass, then each sees only what its audience rule allows', async () => {
      type Received = { events: { id: string; type: string; data: Record<string, unknown> } };
      const feed = `subscription { events(filter: { types: ["PolicyDrafted", "PressOrderPlaced", "StatementReleased", "FeedbackSubmitted", "PolicyIssued"] }) { id type data } }`;
      const callers = {
        stranger: await client('min-finance', ['ORG_EDITOR']),
        unregistered: await client('org-nobody-registered', ['ORG_EDITOR']),
        member: await client('min-industry-trade', ['ORG_EDITOR']),
        party: await client('press-vtv', ['VIEWER']),
        admin: await client('min-home-affairs', ['ADMIN']),
      };
      const feeds = Object.fromEntries(
        Object.entries(callers).map(([name, created]) => [name, subscribe<Received>(created, feed)]),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lead = 'min-industry-trade';
      const policyId = randomUUID();
      const confidential = [
        published(
          'PolicyDrafted',
          {
            policyId,
            organizationId: lead,
            title: 'Dự thảo mật',
            summary: 'Tóm tắt',
            draftedAt: new Date().toISOString(),
          },
          lead,
        ),
        published(
          'FeedbackSubmitted',
          {
            policyId,
            organizationId: lead,
            feedbackId: randomUUID(),
            text: 'Tôi là Lê Văn Tám, 0912345678',
            submittedAt: new Date().toISOString(),
            submitterOrganizationId: null,
          },
          lead,
        ),
        published(
          'StatementReleased',
          {
            statementId: randomUUID(),
            organizationId: lead,
            kind: 'PRESS_RELEASE',
            title: 'Thông cáo chưa đến giờ công bố',
            body: 'Nội dung',
            spokespersonId: randomUUID(),
            policyIds: [],
            releasedAt: new Date().toISOString(),
            embargoUntil: new Date(Date.now() + 3_600_000).toISOString(),
          },
          lead,
        ),
        published(
          'PressOrderPlaced',
          {
            orderId: randomUUID(),
            organizationId: lead,
            ordererId: lead,
            newsroomId: 'press-vtv',
            brief: 'Phóng sự',
            budget: 60_000_000,
          },
          lead,
        ),
      ];
      const marker = published(
        'PolicyIssued',
        { policyId: randomUUID(), organizationId: 'prov-ha-noi' },
        'prov-ha-noi',
      );
      await bus.publish(contextTopic('content'), confidential.slice(0, 3));
      await bus.publish(contextTopic('press-orders'), [confidential[3] as EventEnvelope]);
      await bus.publish(contextTopic('content'), [marker]);

      // Different streams may arrive in any order: once an administrator has every event, the feed
      // has decided each of them for every subscriber.
      const everyId = [...confidential, marker].map((event) => event.id);
      const has = (name: string, ids: string[]) => () =>
        ids.every((id) => feeds[name]?.received.some((r) => r.data?.events.id === id) === true);
      await expect.poll(has('admin', everyId)).toBe(true);
      await expect.poll(has('member', everyId)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen: Record<string, Record<string, string>> = {};
      for (const [name, subscription] of Object.entries(feeds)) {
        await expect.poll(has(name, [marker.id])).toBe(true);
        seen[name] = Object.fromEntries(
          subscription.received
            .flatMap((r) => (r.data && r.data.events.id !== marker.id ? [r.data.events] : []))
            .map((e) => [e.type, Object.keys(e.data).sort().join(',')]),
        );
      }
      const feedbackShape = 'feedbackId,organizationId,policyId,submittedAt';
      const feedbackRaw = 'feedbackId,organizationId,policyId,submittedAt,submitterOrganizationId,text';
      const redactedOnly = { FeedbackSubmitted: feedbackShape };
      expect(seen.stranger).toEqual(redactedOnly);
      expect(seen.unregistered).toEqual(redactedOnly);
      expect(seen.party).toEqual({
        ...redactedOnly,
        PressOrderPlaced: 'brief,budget,newsroomId,orderId,ordererId,organizationId',
      });
      expect(Object.keys(seen.member ?? {}).sort()).toEqual([
        'FeedbackSubmitted',
        'PolicyDrafted',
        'PressOrderPlaced',
        'StatementReleased',
      ]);
      expect(seen.member?.FeedbackSubmitted).toBe(feedbackRaw);
      expect(seen.admin).toEqual(seen.member);
    });

    it('answers federation queries over HTTP on the same URL', async () => {
      const response = await fetch(live.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const body = (await response.json()) as { data: { _service: { sdl: string } } };
      expect(body.data._service.sdl).toContain('statementReleased(organizationIds: [ID!]): Statement!');
    });
  });
}
