import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryHarness, startDirectoryHarness } from './testing/harness.js';

type Contact = {
  id: string;
  fullName: string;
  roles: string[];
  phone: string | null;
  email: string | null;
  appointedTo: string | null;
};

const APPOINT = `mutation ($input: AppointContactInput!) {
  appointContact(input: $input) { id fullName roles phone email organization { id } }
}`;

for (const engine of ['embedded', 'postgres'] as const) {
  describe(`liaison contacts (${engine})`, () => {
    let hub: DirectoryHarness;
    let laoCaiEditor: string;
    let haNoiViewer: string;
    beforeAll(async () => {
      hub = await startDirectoryHarness(engine);
      laoCaiEditor = await hub.token('prov-lao-cai', ['ORG_EDITOR']);
      haNoiViewer = await hub.token('prov-ha-noi', ['VIEWER']);
    });
    afterAll(async () => {
      await hub?.close();
    });

    const appoint = (input: Record<string, unknown>, token = laoCaiEditor) =>
      hub.gql<{ appointContact: Contact }>(APPOINT, { input: { organizationId: 'prov-lao-cai', ...input } }, token);

    it('appoints a spokesperson with the phone in E.164 and the name in NFC', async () => {
      const decomposed = 'Nguyễn Văn An'.normalize('NFD');
      const result = await appoint({
        fullName: `  ${decomposed} `,
        title: 'Chánh Văn phòng UBND tỉnh',
        roles: ['SPOKESPERSON'],
        phone: '0912 345 678',
        email: 'An.NV@LaoCai.gov.vn',
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?.appointContact).toMatchObject({
        fullName: 'Nguyễn Văn An',
        roles: ['SPOKESPERSON'],
        phone: '+84912345678',
        email: 'an.nv@laocai.gov.vn',
        organization: { id: 'prov-lao-cai' },
      });
    });

    it('refuses a user of another province with FORBIDDEN and appends nothing', async () => {
      const before = await hub.store.count();
      const haNoiEditor = await hub.token('prov-ha-noi', ['ORG_EDITOR']);
      const result = await appoint({ fullName: 'Trần Thị Bình', roles: ['FOCAL_POINT'] }, haNoiEditor);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await hub.store.count()).toBe(before);
    });

    it('refuses a bad phone number with BAD_USER_INPUT naming input.phone and appends nothing', async () => {
      const before = await hub.store.count();
      const result = await appoint({ fullName: 'Trần Thị Bình', roles: ['FOCAL_POINT'], phone: '12ab' });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.phone' });
      const email = await appoint({ fullName: 'Trần Thị Bình', roles: ['FOCAL_POINT'], email: 'not-an-email' });
      expect(email.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
      expect(await hub.store.count()).toBe(before);
    });

    it('refuses an appointment at a merged province', async () => {
      const yenBaiEditor = await hub.token('prov-yen-bai', ['ORG_EDITOR']);
      const result = await hub.gql(
        APPOINT,
        { input: { organizationId: 'prov-yen-bai', fullName: 'Lê Văn C', roles: ['FOCAL_POINT'] } },
        yenBaiEditor,
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it("shows a spokesperson's phone and e-mail to anyone, other contacts' only to signed-in users", async () => {
      const focal = await appoint({
        fullName: 'Trần Thị Bình',
        roles: ['FOCAL_POINT'],
        phone: '+84 24 3825 3536',
        email: 'binh@laocai.gov.vn',
      });
      expect(focal.errors).toBeUndefined();
      const query = `{ organization(id: "prov-lao-cai") { spokesperson { fullName phone email } focalPoints { fullName phone email } } }`;
      type Result = { organization: { spokesperson: Contact; focalPoints: Contact[] } };
      const anonymous = await hub.gql<Result>(query);
      expect(anonymous.data?.organization.spokesperson).toMatchObject({
        phone: '+84912345678',
        email: 'an.nv@laocai.gov.vn',
      });
      expect(anonymous.data?.organization.focalPoints).toEqual([
        { fullName: 'Trần Thị Bình', phone: null, email: null },
      ]);
      const signedIn = await hub.gql<Result>(query, {}, haNoiViewer);
      expect(signedIn.data?.organization.focalPoints).toEqual([
        { fullName: 'Trần Thị Bình', phone: '+842438253536', email: 'binh@laocai.gov.vn' },
      ]);
    });

    it('designating a new spokesperson ends the previous designation; asOf still sees the earlier one', async () => {
      const before = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 5));
      const deputy = await appoint({ fullName: 'Phạm Minh Đức', roles: ['COMMUNICATIONS_OFFICER'] });
      const designated = await hub.gql<{ designateSpokesperson: Contact }>(
        `mutation ($input: DesignateSpokespersonInput!) { designateSpokesperson(input: $input) { id roles } }`,
        { input: { organizationId: 'prov-lao-cai', contactId: deputy.data?.appointContact.id } },
        laoCaiEditor,
      );
      expect(designated.errors).toBeUndefined();
      expect(designated.data?.designateSpokesperson.roles).toContain('SPOKESPERSON');
      const query = `query ($asOf: DateTime) { organization(id: "prov-lao-cai", asOf: $asOf) { spokesperson { fullName } } }`;
      const now = await hub.gql<{ organization: { spokesperson: Contact } }>(query, {});
      const then = await hub.gql<{ organization: { spokesperson: Contact } }>(query, { asOf: before });
      expect(now.data?.organization.spokesperson.fullName).toBe('Phạm Minh Đức');
      expect(then.data?.organization.spokesperson.fullName).toBe('Nguyễn Văn An');
    });

    it('a relieved contact cannot be designated', async () => {
      const temp = await appoint({ fullName: 'Hoàng Thị Én', roles: ['DUTY_OFFICER'] });
      const id = temp.data?.appointContact.id;
      const relieved = await hub.gql<{ relieveContact: Contact }>(
        `mutation ($input: RelieveContactInput!) { relieveContact(input: $input) { appointedTo } }`,
        { input: { contactId: id, reason: 'Nghỉ hưu' } },
        laoCaiEditor,
      );
      expect(relieved.data?.relieveContact.appointedTo).not.toBeNull();
      const designated = await hub.gql(
        `mutation ($input: DesignateSpokespersonInput!) { designateSpokesperson(input: $input) { id } }`,
        { input: { organizationId: 'prov-lao-cai', contactId: id } },
        laoCaiEditor,
      );
      expect(designated.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contactId' });
    });

    it('the same idempotency key twice appoints once and answers the same contact', async () => {
      const before = await hub.store.count();
      const input = { fullName: 'Vũ Văn Giang', roles: ['EDITOR'], idempotencyKey: 'import-row-17' };
      const [first, second] = await Promise.all([appoint(input), appoint(input)]);
      expect(first.data?.appointContact.id).toBeDefined();
      expect(second.data?.appointContact.id).toBe(first.data?.appointContact.id);
      expect(await hub.store.count()).toBe((before ?? 0) + 1);
    });

    it('finds contacts ignoring case and diacritics', async () => {
      const found = await hub.gql<{ contacts: { totalCount: number; edges: { node: Contact }[] } }>(
        '{ contacts(search: "nguyen van an") { totalCount edges { node { fullName } } } }',
      );
      expect(found.data?.contacts.edges[0]?.node.fullName).toBe('Nguyễn Văn An');
    });

    it('counts liaison coverage over active ministries, agencies and provinces', async () => {
      const result = await hub.gql<{
        liaisonCoverage: { organizations: number; withSpokesperson: number; withFocalPoint: number; gaps: unknown[] };
      }>(
        '{ liaisonCoverage { organizations withSpokesperson withFocalPoint gaps { organization { id } missingSpokesperson missingFocalPoint } } }',
      );
      // 34 provinces + 14 ministries + 3 ministerial-level agencies; only Lào Cai has named people.
      expect(result.data?.liaisonCoverage).toMatchObject({ organizations: 51, withSpokesperson: 1, withFocalPoint: 1 });
      expect(result.data?.liaisonCoverage.gaps).toHaveLength(50);
    });

    it('answers the network query with the same number of read-model queries for 5 provinces as for 34', async () => {
      const network = (first: number) =>
        hub.gql<{ organizations: { edges: unknown[] } }>(
          `{ organizations(kind: PROVINCE, status: ACTIVE, first: ${first}) {
               edges { node { name spokesperson { fullName phone organization { name } } focalPoints { fullName email } } }
             } }`,
        );
      // Hà Nội (code 01) is in both pages, so both resolve every level of the query.
      const haNoiEditor = await hub.token('prov-ha-noi', ['ORG_EDITOR']);
      const spokesperson = await appoint(
        { organizationId: 'prov-ha-noi', fullName: 'Đỗ Thị Hà', roles: ['SPOKESPERSON', 'FOCAL_POINT'] },
        haNoiEditor,
      );
      expect(spokesperson.errors).toBeUndefined();
      const readModel = hub.directory.service.readModel;
      const start5 = readModel.queries;
      const five = await network(5);
      const cost5 = readModel.queries - start5;
      const start34 = readModel.queries;
      const all = await network(34);
      const cost34 = readModel.queries - start34;
      expect(five.data?.organizations.edges).toHaveLength(5);
      expect(all.data?.organizations.edges).toHaveLength(34);
      expect(cost34).toBe(cost5);
      expect(cost5).toBeLessThanOrEqual(4);
    });
  });
}
