import { createVerifier } from '@hub/auth';
import { hubCatalogue } from '@hub/event-catalogue';
import { embeddedEventStore } from '@hub/event-store';
import { communesOfProvince } from '@hub/reference-data';
import { type CountingSqlClient, countingSql, pgliteClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryHarness, startDirectoryHarness } from './testing/harness.js';
import { type RunningDirectory, startDirectory } from './wiring.js';

type Appointment = {
  index: number;
  contact: { id: string; fullName: string; phone: string | null; organization: { id: string } } | null;
  error: { code: string; field: string | null; message: string } | null;
};

const APPOINT_MANY = `mutation ($inputs: [AppointContactInput!]!) {
  appointContacts(inputs: $inputs) { index contact { id fullName phone organization { id } } error { code field message } }
}`;

const LAO_CAI = 'prov-lao-cai';
const [BAT_XAT, OTHER_COMMUNE] = communesOfProvince(LAO_CAI).map((commune) => commune.id) as string[];

describe('appointContacts: many appointments in one transaction (embedded)', () => {
  let hub: DirectoryHarness;
  let laoCaiEditor: string;
  beforeAll(async () => {
    hub = await startDirectoryHarness('embedded');
    laoCaiEditor = await hub.token(LAO_CAI, ['ORG_EDITOR'], 'lao-cai-importer');
  });
  afterAll(async () => {
    await hub?.close();
  });

  const appointMany = (inputs: Record<string, unknown>[], token = laoCaiEditor) =>
    hub.gql<{ appointContacts: Appointment[] }>(APPOINT_MANY, { inputs }, token);

  it('given a province editor, when rows for the province, its communes, another province and a bad phone are sent, then each row is answered as appointContact would and only the good ones are appended', async () => {
    const before = (await hub.store.count()) ?? 0;

    const result = await appointMany([
      { organizationId: LAO_CAI, fullName: 'Nguyễn Văn An', roles: ['FOCAL_POINT'], phone: '0912 345 678' },
      { organizationId: BAT_XAT, fullName: 'Lê Thị Bình', roles: ['FOCAL_POINT'] },
      { organizationId: 'prov-ha-noi', fullName: 'Trần Văn Cường', roles: ['FOCAL_POINT'] },
      { organizationId: OTHER_COMMUNE, fullName: 'Phạm Văn Dũng', roles: ['FOCAL_POINT'], phone: '12ab' },
      { organizationId: BAT_XAT, fullName: '   ', roles: ['FOCAL_POINT'] },
    ]);

    expect(result.errors).toBeUndefined();
    const rows = result.data?.appointContacts ?? [];
    expect(rows.map((row) => row.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[0]?.contact).toMatchObject({
      fullName: 'Nguyễn Văn An',
      phone: '+84912345678',
      organization: { id: LAO_CAI },
    });
    expect(rows[1]?.contact).toMatchObject({ fullName: 'Lê Thị Bình', organization: { id: BAT_XAT } });
    expect(rows.slice(2).map((row) => [row.contact, row.error?.code, row.error?.field])).toEqual([
      [null, 'FORBIDDEN', null],
      [null, 'BAD_USER_INPUT', 'input.phone'],
      [null, 'BAD_USER_INPUT', 'input.fullName'],
    ]);
    expect(await hub.store.count()).toBe(before + 2);
  });

  it('given keyed rows were appointed, when the same rows are sent again (and one twice), then the same contacts answer and nothing is appended', async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      organizationId: i % 2 === 0 ? BAT_XAT : OTHER_COMMUNE,
      fullName: `Cán Bộ Số ${i}`,
      roles: ['COMMUNICATIONS_OFFICER'],
      idempotencyKey: `bulk-row-${i}`,
    }));
    const first = await appointMany(inputs);
    const ids = first.data?.appointContacts.map((row) => row.contact?.id);
    expect(ids?.every((id) => typeof id === 'string')).toBe(true);
    const before = await hub.store.count();

    const again = await appointMany([...inputs, inputs[7] as Record<string, unknown>]);

    expect(again.data?.appointContacts.map((row) => row.contact?.id)).toEqual([...(ids ?? []), ids?.[7]]);
    expect(await hub.store.count()).toBe(before);
  });

  it('given more rows than one call takes, when sent, then BAD_USER_INPUT names inputs and nothing is appended', async () => {
    const before = await hub.store.count();
    const inputs = Array.from({ length: 1_001 }, (_, i) => ({
      organizationId: LAO_CAI,
      fullName: `Người ${i}`,
      roles: ['FOCAL_POINT'],
    }));

    const result = await appointMany(inputs);

    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inputs' });
    expect(await hub.store.count()).toBe(before);
  });

  it('given an anonymous caller, when rows are sent, then every row is refused and nothing is appended', async () => {
    const before = await hub.store.count();

    const result = await hub.gql<{ appointContacts: Appointment[] }>(APPOINT_MANY, {
      inputs: [{ organizationId: LAO_CAI, fullName: 'Ẩn Danh', roles: ['FOCAL_POINT'] }],
    });

    const refused = result.errors?.[0]?.extensions?.code ?? result.data?.appointContacts[0]?.error?.code;
    expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(refused);
    expect(await hub.store.count()).toBe(before);
  });
});

describe('appointContacts: statements per call (embedded, counted)', () => {
  let sql: CountingSqlClient;
  let directory: RunningDirectory;
  const admin = { kind: 'user', userId: 'counted-admin', organizationId: 'gov-office', roles: ['ADMIN'] } as const;
  beforeAll(async () => {
    sql = countingSql(await pgliteClient());
    const store = await embeddedEventStore({ sql, catalogue: hubCatalogue() });
    directory = await startDirectory({ sql, store, verifier: createVerifier({ mode: 'hs256', secret: 'counted' }) });
  });
  afterAll(async () => {
    await directory?.stop();
    await sql?.close();
  });

  /** Statements of one call, leaving out the read models' own writes (one per event, whatever the bulk). */
  async function counted(rows: number, tag: string) {
    const inputs = Array.from({ length: rows }, (_, i) => ({
      organizationId: i % 2 === 0 ? 'prov-lao-cai' : 'prov-ha-noi',
      fullName: `Cán Bộ ${tag} ${i}`,
      roles: ['EDITOR' as const],
      idempotencyKey: `${tag}-${i}`,
    }));
    sql.reset();
    const outcomes = await directory.service.appointContacts(admin, inputs);
    const { transactions, log } = sql.count();
    const command = log.filter((line) => !/^(INSERT|UPDATE|DELETE)\b.*\bdir_/s.test(line));
    return { ok: outcomes.filter((outcome) => outcome.ok).length, transactions, command: command.length };
  }

  it('given two organizations, when 2 and then 200 contacts are appointed in one call each, then each call is one transaction and its command costs the same statements', async () => {
    const two = await counted(2, 'two');
    const many = await counted(200, 'many');

    expect([two.ok, many.ok]).toEqual([2, 200]);
    expect([two.transactions, many.transactions]).toEqual([1, 1]);
    expect(many.command).toBe(two.command);
    expect(two.command).toBeLessThanOrEqual(8);
  });
});
