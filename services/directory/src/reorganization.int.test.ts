import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryHarness, startDirectoryHarness } from './testing/harness.js';

type Org = {
  id: string;
  name: string;
  shortName: string | null;
  code: string | null;
  status: string;
  successor: { id: string } | null;
};

for (const engine of ['embedded', 'postgres'] as const) {
  describe(`the 2025 reorganizations as seeded reference data (${engine})`, () => {
    let hub: DirectoryHarness;
    beforeAll(async () => {
      hub = await startDirectoryHarness(engine);
    });
    afterAll(async () => {
      await hub?.close();
    });

    const provinces = async (asOf?: string, status?: string) => {
      const result = await hub.gql<{ organizations: { totalCount: number; edges: { node: Org }[] } }>(
        `query ($asOf: DateTime, $status: OrganizationStatus) {
           organizations(kind: PROVINCE, asOf: $asOf, status: $status, first: 100) {
             totalCount edges { node { id name shortName code status successor { id } } }
           }
         }`,
        { asOf, status },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.organizations;
    };

    it('sees 63 provincial units, all active, as of 30 June 2025', async () => {
      const before = await provinces('2025-06-30T12:00:00+07:00');
      expect(before.totalCount).toBe(63);
      expect(new Set(before.edges.map((e) => e.node.status))).toEqual(new Set(['ACTIVE']));
    });

    it('sees 34 active units now, and each of the 29 absorbed units MERGED with its successor', async () => {
      expect((await provinces(undefined, 'ACTIVE')).totalCount).toBe(34);
      const merged = await provinces(undefined, 'MERGED');
      expect(merged.totalCount).toBe(29);
      const yenBai = merged.edges.find((e) => e.node.shortName === 'Yên Bái')?.node;
      expect(yenBai?.successor?.id).toBe('prov-lao-cai');
      expect(merged.edges.every((e) => e.node.successor !== null)).toBe(true);
    });

    it('looks a code up together with a date: 15 was Yên Bái and is Lào Cai', async () => {
      const query = `query ($asOf: DateTime) { organizationByCode(code: "15", kind: PROVINCE, asOf: $asOf) { id shortName } }`;
      const then = await hub.gql<{ organizationByCode: Org }>(query, { asOf: '2025-06-30T00:00:00+07:00' });
      const now = await hub.gql<{ organizationByCode: Org }>(query, {});
      expect(then.data?.organizationByCode.shortName).toBe('Yên Bái');
      expect(now.data?.organizationByCode.shortName).toBe('Lào Cai');
    });

    it('passes code 15 on through its register: Yên Bái held it, released it at the merger, then Lào Cai took it', async () => {
      const register = await hub.store.readStream('organization-code-PROVINCE-15');
      expect(
        register.events.map((event) => [event.type, (event.data as { organizationId: string }).organizationId]),
      ).toEqual([
        ['OrganizationCodeClaimed', 'prov-yen-bai'],
        ['OrganizationCodeReleased', 'prov-yen-bai'],
        ['OrganizationCodeClaimed', 'prov-lao-cai'],
      ]);
      // Lào Cai's own code before the merger is free again.
      const old = await hub.store.readStream('organization-code-PROVINCE-10');
      expect(old.events.map((event) => event.type).at(-1)).toBe('OrganizationCodeReleased');
    });

    it('finds provinces ignoring case, diacritics and tone placement, best match first', async () => {
      for (const search of ['thanh hoa', 'Thanh Hoá', 'THANH HÓA']) {
        const found = await hub.gql<{ organizations: { edges: { node: Org }[] } }>(
          `query ($search: String) { organizations(kind: PROVINCE, search: $search) { edges { node { shortName } } } }`,
          { search },
        );
        expect(found.data?.organizations.edges[0]?.node.shortName).toBe('Thanh Hóa');
      }
      const daNang = await hub.gql<{ organizations: { edges: { node: Org }[] } }>(
        '{ organizations(search: "da nang") { edges { node { shortName } } } }',
      );
      expect(daNang.data?.organizations.edges[0]?.node.shortName).toBe('Đà Nẵng');
    });

    it('sees 14 ministries and 3 ministerial-level agencies now, 18 and 4 before March 2025', async () => {
      const count = async (kinds: string[], asOf?: string) => {
        let total = 0;
        for (const kind of kinds) {
          const r = await hub.gql<{ organizations: { totalCount: number } }>(
            `query ($kind: OrganizationKind, $asOf: DateTime) { organizations(kind: $kind, asOf: $asOf, status: ACTIVE) { totalCount } }`,
            { kind, asOf },
          );
          total += r.data!.organizations.totalCount;
        }
        return total;
      };
      expect(await count(['MINISTRY'])).toBe(14);
      expect(await count(['MINISTERIAL_AGENCY', 'GOVERNMENT_OFFICE'])).toBe(3);
      expect(await count(['MINISTRY'], '2025-02-28T12:00:00+07:00')).toBe(18);
      expect(await count(['MINISTERIAL_AGENCY', 'GOVERNMENT_OFFICE'], '2025-02-28T12:00:00+07:00')).toBe(4);
    });

    it('appends nothing when seeding again', async () => {
      const before = await hub.store.count();
      const { seedReferenceData } = await import('./seed.js');
      const { CommandHandler } = await import('@hub/command-handling');
      const report = await seedReferenceData(new CommandHandler(hub.store), hub.store);
      expect(report.applied).toBe(0);
      expect(await hub.store.count()).toBe(before);
    });
  });
}
