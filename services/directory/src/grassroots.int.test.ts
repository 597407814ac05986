import { readFileSync } from 'node:fs';
import { CommandHandler } from '@hub/command-handling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReferenceData } from './seed.js';
import { type DirectoryHarness, startDirectoryHarness } from './testing/harness.js';

// The data file itself, read independently of the seed, so every count is checked against it.
const file = JSON.parse(
  readFileSync(new URL('../../../packages/reference-data/data/vn-communes-2025.json', import.meta.url), 'utf8'),
) as { provinces: { code: string; units: { code: string; kind: string }[] }[] };

type Org = {
  id: string;
  code: string | null;
  name: string;
  kind: string;
  island: boolean;
  parent: { id: string; code: string } | null;
};

const ORG = 'id code name kind island parent { id code }';
const APPOINT = `mutation ($input: AppointContactInput!) { appointContact(input: $input) { id organization { id } } }`;
const UPDATE = `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { id title } }`;
const RELIEVE = `mutation ($input: RelieveContactInput!) { relieveContact(input: $input) { id appointedTo } }`;

describe('the grassroots network: 3,321 commune-level units under their provinces (postgres)', () => {
  let hub: DirectoryHarness;
  beforeAll(async () => {
    hub = await startDirectoryHarness('postgres');
  });
  afterAll(async () => {
    await hub?.close();
  });

  const communes = async (variables: Record<string, unknown>) => {
    const result = await hub.gql<{ organizations: { totalCount: number; edges: { node: Org }[] } }>(
      `query ($search: String, $asOf: DateTime, $first: Int, $after: String) {
         organizations(kind: COMMUNE, status: ACTIVE, search: $search, asOf: $asOf, first: $first, after: $after) {
           totalCount edges { node { ${ORG} } } pageInfo { hasNextPage endCursor }
         }
       }`,
      variables,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.organizations;
  };
  const byCode = async (code: string) => {
    const result = await hub.gql<{ organizationByCode: Org | null }>(
      `query ($code: String!) { organizationByCode(code: $code, kind: COMMUNE) { ${ORG} } }`,
      { code },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.organizationByCode;
  };

  it('given the seeded directory, when communes are counted now, then there are 3,321 and none before 1 July 2025', async () => {
    expect((await communes({ first: 100 })).totalCount).toBe(3_321);
    expect((await communes({ first: 0 })).totalCount).toBe(3_321);
    expect((await communes({ first: 100, asOf: '2025-06-30T23:59:00+07:00' })).totalCount).toBe(0);
  });

  it('given each province, when its children of kind COMMUNE are listed, then they are exactly the units the file lists under it', async () => {
    const result = await hub.gql<{
      organizations: {
        edges: { node: { id: string; code: string; children: { totalCount: number; edges: { node: Org }[] } } }[];
      };
    }>(
      `{ organizations(kind: PROVINCE, status: ACTIVE, first: 100) {
           edges { node { id code children(kind: COMMUNE, first: 500) { totalCount edges { node { code kind parent { id } } } } } }
         } }`,
    );
    expect(result.errors).toBeUndefined();
    const provinces = result.data!.organizations.edges.map((e) => e.node);
    expect(provinces).toHaveLength(34);
    for (const province of provinces) {
      const listed = file.provinces.find((p) => p.code === province.code)?.units.map((u) => u.code) ?? [];
      expect(province.children.totalCount, province.code).toBe(listed.length);
      expect(province.children.edges.map((e) => e.node.code)).toEqual([...listed].sort());
      expect(province.children.edges.every((e) => e.node.parent?.id === province.id)).toBe(true);
    }
  });

  it('given the 13 đặc khu, when listed, then every one is flagged island and nothing else is', async () => {
    const all: Org[] = [];
    let after: string | null = null;
    do {
      const page: { edges: { node: Org }[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } } =
        (await communes({ first: 500, after })) as never;
      all.push(...page.edges.map((e) => e.node));
      after = page.pageInfo?.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(all).toHaveLength(3_321);
    const islands = all.filter((o) => o.island);
    expect(islands).toHaveLength(13);
    expect(islands.every((o) => o.name.startsWith('Đặc khu '))).toBe(true);
  });

  it('given the codes 20333 and 22736, when looked up, then Hoàng Sa is under Đà Nẵng and Trường Sa under Khánh Hòa, both island', async () => {
    expect(await byCode('20333')).toMatchObject({
      name: 'Đặc khu Hoàng Sa',
      kind: 'COMMUNE',
      island: true,
      parent: { id: 'prov-da-nang', code: '48' },
    });
    expect(await byCode('22736')).toMatchObject({
      name: 'Đặc khu Trường Sa',
      island: true,
      parent: { id: 'prov-khanh-hoa', code: '56' },
    });
    expect(await byCode('99999')).toBeNull();
  });

  it('given searches typed without diacritics or with them, then the commune asked for comes first', async () => {
    expect((await communes({ search: 'truong sa', first: 5 })).edges[0]?.node.code).toBe('22736');
    expect((await communes({ search: 'Ba Đình', first: 5 })).edges[0]?.node.name).toBe('Phường Ba Đình');
    const batXat = (await communes({ search: 'xa bat xat', first: 5 })).edges[0]?.node;
    expect(batXat).toMatchObject({ name: 'Xã Bát Xát', parent: { id: 'prov-lao-cai' } });
  });

  it("given a province's ORG_EDITOR, when they appoint, update and relieve a focal point of its own commune, then all three pass", async () => {
    const batXat = (await communes({ search: 'xa bat xat', first: 1 })).edges[0]?.node;
    const laoCaiEditor = await hub.token('prov-lao-cai', ['ORG_EDITOR']);
    const appointed = await hub.gql<{ appointContact: { id: string; organization: { id: string } } }>(
      APPOINT,
      {
        input: { organizationId: batXat!.id, fullName: 'Giàng Thị Mai', roles: ['FOCAL_POINT'], phone: '0912 000 001' },
      },
      laoCaiEditor,
    );
    expect(appointed.errors).toBeUndefined();
    expect(appointed.data?.appointContact.organization.id).toBe(batXat!.id);
    const contactId = appointed.data!.appointContact.id;
    const updated = await hub.gql(UPDATE, { input: { contactId, title: 'Công chức Văn hóa – Xã hội' } }, laoCaiEditor);
    expect(updated.errors).toBeUndefined();
    const relieved = await hub.gql(RELIEVE, { input: { contactId, reason: 'chuyển công tác' } }, laoCaiEditor);
    expect(relieved.errors).toBeUndefined();
  });

  it("given another province's ORG_EDITOR, when they appoint at a commune not theirs, then FORBIDDEN and nothing is appended", async () => {
    const hoangSa = await byCode('20333');
    const before = await hub.store.count();
    const khanhHoaEditor = await hub.token('prov-khanh-hoa', ['ORG_EDITOR']);
    const refused = await hub.gql(
      APPOINT,
      { input: { organizationId: hoangSa!.id, fullName: 'Trần Văn Biển', roles: ['FOCAL_POINT'] } },
      khanhHoaEditor,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await hub.store.count()).toBe(before);
  });

  it("given a commune's own editor, when they manage their own contacts, then they pass, and at a neighbouring commune or their province they are refused", async () => {
    const truongSa = await byCode('22736');
    const own = await hub.token(truongSa!.id, ['ORG_EDITOR']);
    const appointed = await hub.gql<{ appointContact: { id: string } }>(
      APPOINT,
      { input: { organizationId: truongSa!.id, fullName: 'Lê Văn Đảo', roles: ['FOCAL_POINT', 'SPOKESPERSON'] } },
      own,
    );
    expect(appointed.errors).toBeUndefined();
    const updated = await hub.gql(
      UPDATE,
      { input: { contactId: appointed.data!.appointContact.id, phone: '0258 3822 001' } },
      own,
    );
    expect(updated.errors).toBeUndefined();

    const before = await hub.store.count();
    const neighbour = (await communes({ search: 'Nha Trang', first: 1 })).edges[0]?.node;
    expect(neighbour?.parent?.id).toBe('prov-khanh-hoa');
    for (const organizationId of [neighbour!.id, 'prov-khanh-hoa']) {
      const refused = await hub.gql(
        APPOINT,
        { input: { organizationId, fullName: 'Lê Văn Đảo', roles: ['FOCAL_POINT'] } },
        own,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await hub.store.count()).toBe(before);
  });

  it('given focal points at two communes, when coverage is asked, then each province counts its communes and those covered, and the gaps page through', async () => {
    const coverage = await hub.gql<{
      liaisonCoverage: {
        organizations: number;
        grassroots: {
          province: { id: string; code: string };
          communes: number;
          withFocalPoint: number;
          withSpokesperson: number;
        }[];
      };
    }>(
      '{ liaisonCoverage { organizations grassroots { province { id code } communes withFocalPoint withSpokesperson } } }',
    );
    expect(coverage.errors).toBeUndefined();
    const { organizations, grassroots } = coverage.data!.liaisonCoverage;
    // The contract's meaning is kept: communes are not among the organizations counted.
    expect(organizations).toBeLessThan(100);
    expect(grassroots).toHaveLength(34);
    for (const row of grassroots) {
      expect(row.communes).toBe(file.provinces.find((p) => p.code === row.province.code)?.units.length);
    }
    const khanhHoa = grassroots.find((row) => row.province.id === 'prov-khanh-hoa');
    expect(khanhHoa).toMatchObject({ withFocalPoint: 1, withSpokesperson: 1 });
    // Bát Xát's focal point was relieved in an earlier case: Lào Cai has none now.
    expect(grassroots.find((row) => row.province.id === 'prov-lao-cai')).toMatchObject({ withFocalPoint: 0 });

    const gaps = async (after: string | null) => {
      const result = await hub.gql<{
        communesWithoutFocalPoint: {
          totalCount: number;
          edges: { node: { code: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }>(
        `query ($after: String) { communesWithoutFocalPoint(provinceId: "prov-khanh-hoa", first: 40, after: $after) {
           totalCount edges { node { code } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.communesWithoutFocalPoint;
    };
    const first = await gaps(null);
    expect(first.totalCount).toBe(khanhHoa!.communes - 1);
    expect(first.edges).toHaveLength(40);
    const second = await gaps(first.pageInfo.endCursor);
    const codes = [...first.edges, ...second.edges].map((e) => e.node.code);
    expect(codes).toHaveLength(khanhHoa!.communes - 1);
    expect(codes).not.toContain('22736');
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("given the seeded communes, when an administrator registers another COMMUNE with Hoàng Sa's code, then CONFLICT on input.code and nothing is appended", async () => {
    const before = await hub.store.count();
    const admin = await hub.token('central-office', ['ADMIN']);
    const refused = await hub.gql(
      `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`,
      { input: { name: 'Đặc khu Hoàng Sa mới', kind: 'COMMUNE', code: '20333', parentId: 'prov-da-nang' } },
      admin,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(await hub.store.count()).toBe(before);
  });

  it('given a seeded store, when the reference data is seeded again, then nothing is appended', async () => {
    const before = await hub.store.count();
    const report = await seedReferenceData(new CommandHandler(hub.store), hub.store);
    expect(report).toMatchObject({ applied: 0 });
    expect(report.steps).toBeGreaterThan(3_321);
    expect(await hub.store.count()).toBe(before);
  });
});
