import { beforeAll, describe, expect, it } from 'vitest';
import type { ContentHarness } from './harness.js';

type Statement = { id: string; title: string; embargoUntil: string | null; spokesperson: { id: string } | null };
type Distribution = {
  id: string;
  recipientCount: number;
  acknowledgedCount: number;
  acknowledgedRate: number;
  deliveries: { recipient: { id: string }; status: string; acknowledgedAt: string | null }[];
};

const LAO_CAI = 'prov-lao-cai';
const HA_NOI = 'prov-ha-noi';
const RELEASE = `mutation ($input: ReleaseStatementInput!) {
  releaseStatement(input: $input) { id title embargoUntil spokesperson { id } }
}`;
const DISTRIBUTE = `mutation ($input: DistributeInput!) {
  distribute(input: $input) { id recipientCount acknowledgedCount acknowledgedRate }
}`;
const ACKNOWLEDGE = `mutation ($input: AcknowledgeDeliveryInput!) {
  acknowledgeDelivery(input: $input) { id recipientCount acknowledgedCount }
}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statements, embargo and distribution, against the harness `harness()` gives once it has started. */
export function statementsSuite(harness: () => ContentHarness): void {
  describe('statements and distribution', () => {
    let hub: ContentHarness;
    let editor: string;
    let spokespersonId: string;
    let newsrooms: string[];

    beforeAll(async () => {
      hub = harness();
      editor = await hub.token(LAO_CAI, ['ORG_EDITOR']);
      newsrooms = hub.pressAgencies.slice(0, 900);
      expect(newsrooms).toHaveLength(900);
    });

    const release = (input: Record<string, unknown>, token = editor) =>
      hub.gql<{ releaseStatement: Statement }>(
        RELEASE,
        { input: { organizationId: LAO_CAI, kind: 'PRESS_RELEASE', title: 'Thông cáo', body: 'Nội dung', ...input } },
        token,
      );

    it('refuses a statement from an organization without a spokesperson (Decree 09/2017) and appends nothing', async () => {
      const before = await hub.store.count();
      const refused = await release({ title: 'Thông cáo về mưa lũ' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.organizationId' });
      expect(refused.errors?.[0]?.message).toContain('09/2017');
      expect(await hub.store.count()).toBe(before);
    });

    it("releases through the spokesperson the directory's events name, learnt without reading the directory's tables", async () => {
      spokespersonId = await hub.appointSpokesperson(LAO_CAI, 'Nguyễn Văn An');
      const released = await release({ title: 'Thông cáo về mưa lũ' });
      expect(released.errors).toBeUndefined();
      expect(released.data?.releaseStatement).toMatchObject({
        title: 'Thông cáo về mưa lũ',
        spokesperson: { id: spokespersonId },
      });
    });

    it('the same idempotency key twice releases one statement', async () => {
      const before = await hub.store.count();
      const input = { title: 'Họp báo định kỳ', kind: 'PRESS_CONFERENCE', idempotencyKey: 'hop-bao-thang-7' };
      const [first, second] = await Promise.all([release(input), release(input)]);
      expect(first.errors).toBeUndefined();
      expect(second.data?.releaseStatement.id).toBe(first.data?.releaseStatement.id);
      expect(await hub.store.count()).toBe((before ?? 0) + 1);
      const listed = await hub.gql<{ statements: { totalCount: number } }>(
        `{ statements(organizationId: "${LAO_CAI}") { totalCount } }`,
      );
      expect(listed.data?.statements.totalCount).toBe(2);
    });

    it('under embargo a statement shows only to its organization and its recipients, in every query; then to all', async () => {
      const embargoUntil = new Date(Date.now() + 2_500).toISOString();
      const released = await release({ title: 'Công bố quyết định nhân sự', embargoUntil });
      const id = released.data?.releaseStatement.id as string;
      const recipient = newsrooms[0] as string;
      const distributed = await hub.gql<{ distribute: Distribution }>(
        DISTRIBUTE,
        { input: { statementId: id, recipientIds: [recipient] } },
        editor,
      );
      expect(distributed.errors).toBeUndefined();
      const distributionId = distributed.data?.distribute.id;

      const views = async (token?: string) => {
        const one = await hub.gql<{ statement: Statement | null }>(
          `query ($id: ID!) { statement(id: $id) { id } }`,
          { id },
          token,
        );
        const list = await hub.gql<{ statements: { edges: { node: { id: string } }[] } }>(
          `{ statements(organizationId: "${LAO_CAI}", first: 100) { edges { node { id } } } }`,
          {},
          token,
        );
        const distribution = await hub.gql<{ distribution: { statement: { id: string } | null } | null }>(
          `query ($id: ID!) { distribution(id: $id) { statement { id } } }`,
          { id: distributionId },
          token,
        );
        return [
          one.data?.statement?.id === id,
          list.data?.statements.edges.some((e) => e.node.id === id),
          distribution.data?.distribution?.statement?.id === id,
        ];
      };
      const outsider = await hub.token(newsrooms[1] as string, ['NEWSROOM_EDITOR']);
      expect(await views(await hub.token(recipient, ['NEWSROOM_EDITOR']))).toEqual([true, true, true]);
      expect(await views(await hub.token(LAO_CAI, ['VIEWER']))).toEqual([true, true, true]);
      expect(await views(outsider)).toEqual([false, false, false]);
      expect(await views()).toEqual([false, false, false]);

      const visibility = await hub.content.service.readModel.statementVisibility(id);
      expect(visibility).toEqual({ organizationId: LAO_CAI, embargoUntil, recipientIds: new Set([recipient]) });

      await sleep(Date.parse(embargoUntil) - Date.now() + 50);
      expect(await views(outsider)).toEqual([true, true, true]);
      expect(await views()).toEqual([true, true, true]);
    });

    it('distributes to 900 newsrooms in one command and counts acknowledgements right', async () => {
      const released = await release({ title: 'Thông cáo gửi các cơ quan báo chí' });
      const statementId = released.data?.releaseStatement.id;
      const before = await hub.store.count();
      const distributed = await hub.gql<{ distribute: Distribution }>(
        DISTRIBUTE,
        { input: { statementId, recipientIds: newsrooms } },
        editor,
      );
      expect(distributed.errors).toBeUndefined();
      expect(await hub.store.count()).toBe((before ?? 0) + 1);
      const distributionId = distributed.data?.distribute.id as string;
      expect(distributed.data?.distribute).toMatchObject({
        recipientCount: 900,
        acknowledgedCount: 0,
        acknowledgedRate: 0,
      });

      const acknowledging = newsrooms.slice(0, 45);
      for (const newsroom of acknowledging) {
        const result = await hub.gql<{ acknowledgeDelivery: Distribution }>(
          ACKNOWLEDGE,
          { input: { distributionId, recipientId: newsroom } },
          await hub.token(newsroom, ['NEWSROOM_EDITOR']),
        );
        expect(result.errors).toBeUndefined();
      }
      const again = await hub.gql<{ acknowledgeDelivery: Distribution }>(
        ACKNOWLEDGE,
        { input: { distributionId, recipientId: newsrooms[0] } },
        await hub.token(newsrooms[0] as string, ['VIEWER']),
      );
      expect(again.data?.acknowledgeDelivery.acknowledgedCount).toBe(45);
      const foreign = await hub.gql(
        ACKNOWLEDGE,
        { input: { distributionId, recipientId: newsrooms[500] } },
        await hub.token(newsrooms[1] as string, ['NEWSROOM_EDITOR']),
      );
      expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const outsider = await hub.gql(
        ACKNOWLEDGE,
        { input: { distributionId, recipientId: HA_NOI } },
        await hub.token(HA_NOI, ['VIEWER']),
      );
      expect(outsider.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipientId' });

      const read = await hub.gql<{ distribution: Distribution }>(
        `query ($id: ID!) { distribution(id: $id) { id recipientCount acknowledgedCount acknowledgedRate
           deliveries { recipient { id } status acknowledgedAt } } }`,
        { id: distributionId },
      );
      const distribution = read.data?.distribution as Distribution;
      expect(distribution).toMatchObject({ recipientCount: 900, acknowledgedCount: 45, acknowledgedRate: 0.05 });
      expect(distribution.deliveries).toHaveLength(900);
      expect(distribution.deliveries.filter((d) => d.status === 'ACKNOWLEDGED').map((d) => d.recipient.id)).toEqual(
        acknowledging,
      );
      expect(distribution.deliveries.filter((d) => d.status === 'DELIVERED' && d.acknowledgedAt === null)).toHaveLength(
        855,
      );
    });

    it("given a province's statement, when distributed to COMMUNE within that province, then exactly its communes are the recipients and a commune's user acknowledges", async () => {
      const released = await release({ title: 'Thông cáo gửi các xã, phường' });
      const statementId = released.data?.releaseStatement.id;
      const before = await hub.store.count();
      const distributed = await hub.gql<{ distribute: Distribution }>(
        DISTRIBUTE,
        { input: { statementId, recipientKinds: ['COMMUNE'], withinOrganizationIds: [LAO_CAI] } },
        editor,
      );
      expect(distributed.errors).toBeUndefined();
      expect(await hub.store.count()).toBe((before ?? 0) + 1);
      const distributionId = distributed.data?.distribute.id as string;
      const directory = await hub.directoryGql<{
        organization: { children: { totalCount: number; edges: { node: { id: string } }[] } };
      }>(
        `{ organization(id: "${LAO_CAI}") { children(kind: COMMUNE, first: 500) { totalCount edges { node { id } } } } }`,
      );
      const communes = directory.data?.organization.children.edges.map((e) => e.node.id) ?? [];
      expect(communes).toHaveLength(99);
      const read = await hub.gql<{ distribution: Distribution }>(
        `query ($id: ID!) { distribution(id: $id) { id recipientCount deliveries { recipient { id } status } } }`,
        { id: distributionId },
      );
      expect(read.data?.distribution.recipientCount).toBe(99);
      expect(read.data?.distribution.deliveries.map((d) => d.recipient.id).sort()).toEqual([...communes].sort());

      const commune = communes[0] as string;
      const acknowledged = await hub.gql<{ acknowledgeDelivery: Distribution }>(
        ACKNOWLEDGE,
        { input: { distributionId, recipientId: commune } },
        await hub.token(commune, ['VIEWER']),
      );
      expect(acknowledged.errors).toBeUndefined();
      expect(acknowledged.data?.acknowledgeDelivery.acknowledgedCount).toBe(1);
    });

    it('given no province, when distributed to COMMUNE, then all 3,321 communes are the recipients', async () => {
      const released = await release({ title: 'Thông cáo gửi toàn bộ cấp xã' });
      const distributed = await hub.gql<{ distribute: Distribution }>(
        DISTRIBUTE,
        { input: { statementId: released.data?.releaseStatement.id, recipientKinds: ['COMMUNE'] } },
        editor,
      );
      expect(distributed.errors).toBeUndefined();
      expect(distributed.data?.distribute.recipientCount).toBe(3_321);
    });

    it('given withinOrganizationIds naming a merged province or no kinds, then BAD_USER_INPUT on it and nothing is appended', async () => {
      const released = await release({ title: 'Thông cáo thử' });
      const statementId = released.data?.releaseStatement.id;
      const before = await hub.store.count();
      for (const input of [
        { statementId, recipientKinds: ['COMMUNE'], withinOrganizationIds: ['prov-yen-bai'] },
        { statementId, recipientIds: [HA_NOI], withinOrganizationIds: [LAO_CAI] },
      ]) {
        const refused = await hub.gql(DISTRIBUTE, { input }, editor);
        expect(refused.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.withinOrganizationIds',
        });
      }
      expect(await hub.store.count()).toBe(before);
    });

    it('distributes by kind to every active organization of that kind, as the directory counts them', async () => {
      const released = await release({ title: 'Thông cáo gửi tất cả tỉnh, thành phố' });
      const distributed = await hub.gql<{ distribute: Distribution }>(
        DISTRIBUTE,
        { input: { statementId: released.data?.releaseStatement.id, recipientKinds: ['PROVINCE', 'PRESS_AGENCY'] } },
        editor,
      );
      expect(distributed.errors).toBeUndefined();
      const directory = await hub.directoryGql<{ p: { totalCount: number }; n: { totalCount: number } }>(
        `{ p: organizations(kind: PROVINCE, status: ACTIVE, first: 0) { totalCount }
           n: organizations(kind: PRESS_AGENCY, status: ACTIVE, first: 0) { totalCount } }`,
      );
      // Lào Cai, the sender, is one of the 34 provinces and does not deliver to itself.
      const expected = (directory.data?.p.totalCount ?? 0) - 1 + (directory.data?.n.totalCount ?? 0);
      expect(directory.data?.p.totalCount).toBe(34);
      expect(distributed.data?.distribute.recipientCount).toBe(expected);
    });

    it('refuses unknown or merged recipients, and other organizations distributing its statements', async () => {
      const released = await release({ title: 'Thông cáo' });
      const statementId = released.data?.releaseStatement.id;
      const before = await hub.store.count();
      const merged = await hub.gql(DISTRIBUTE, { input: { statementId, recipientIds: ['prov-yen-bai'] } }, editor);
      expect(merged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipientIds' });
      const haNoi = await hub.gql(
        DISTRIBUTE,
        { input: { statementId, recipientIds: [newsrooms[3]] } },
        await hub.token(HA_NOI, ['ORG_EDITOR']),
      );
      expect(haNoi.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await hub.store.count()).toBe(before);
    });
  });
}
