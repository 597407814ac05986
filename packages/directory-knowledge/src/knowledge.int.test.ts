import type { EventEnvelope } from '@hub/event-catalogue';
import { envelope, expectProjection } from '@hub/projections/testing';
import { countingSql, pgliteClient, type SqlClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryKnowledge } from './knowledge.js';

const FOUNDED = '2020-01-01T00:00:00.000Z';
const MERGER = '2025-07-01T00:00:00.000Z';

const registered = (organizationId: string, kind: string, parentId: string | null, code: string | null) => ({
  type: 'OrganizationRegistered',
  data: {
    organizationId,
    name: `Tên ${organizationId}`,
    nameEn: null,
    shortName: null,
    kind,
    code,
    parentId,
    areas: { border: false, coastal: false, island: false },
    establishedAt: FOUNDED,
  },
});
const mergedInto = (organizationId: string, successorId: string, effectiveAt = MERGER) => ({
  type: 'OrganizationMergedInto',
  data: { organizationId, successorId, effectiveAt, legalBasis: null },
});
const dissolved = (organizationId: string, effectiveAt: string) => ({
  type: 'OrganizationDissolved',
  data: { organizationId, effectiveAt, reason: null },
});
const designated = (organizationId: string, contactId: string, from: string) => ({
  type: 'SpokespersonDesignated',
  data: { organizationId, contactId, from, previousContactId: null },
});

const inOrder = (events: readonly { type: string; data: Record<string, unknown> }[]): EventEnvelope[] =>
  events.map((event, i) => envelope(event, i + 1));

/** The 2025 reorganization in miniature, plus a ministry and a late rename and reclassification. */
const REORGANIZATION = inOrder([
  registered('prov-yen-bai', 'PROVINCE', null, '08'),
  registered('prov-lao-cai', 'PROVINCE', null, '15'),
  registered('dept-yen-bai', 'PROVINCIAL_DEPARTMENT', 'prov-yen-bai', null),
  registered('unit-yen-bai', 'GOVERNMENT_AGENCY', 'dept-yen-bai', null),
  registered('commune-a', 'COMMUNE', 'prov-lao-cai', null),
  registered('min-finance', 'MINISTRY', null, null),
  registered('press-vtv', 'PRESS_AGENCY', null, null),
  mergedInto('prov-yen-bai', 'prov-lao-cai'),
  // Recorded after the fact, effective before it: the directory's timeline orders by effect.
  {
    type: 'OrganizationRenamed',
    data: {
      organizationId: 'min-finance',
      name: 'Bộ Tài chính (mới)',
      nameEn: null,
      shortName: null,
      effectiveAt: '2025-03-01T00:00:00.000Z',
      legalBasis: null,
    },
  },
  {
    type: 'OrganizationReclassified',
    data: {
      organizationId: 'press-vtv',
      kind: 'GOVERNMENT_AGENCY',
      effectiveAt: '2030-01-01T00:00:00.000Z',
      legalBasis: null,
    },
  },
  designated('min-finance', 'contact-1', '2024-01-01T00:00:00.000Z'),
  designated('min-finance', 'contact-2', '2025-01-01T00:00:00.000Z'),
  designated('prov-yen-bai', 'contact-3', '2024-01-01T00:00:00.000Z'),
]);

describe('directory knowledge, given the directory events then rows (replayed twice)', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await pgliteClient();
  });
  afterAll(async () => {
    await sql.close();
  });

  it('given registrations, a merger, a rename, a reclassification and designations, then one row per organization, one per dated fact and the spokesperson terms', async () => {
    const knowledge = directoryKnowledge({ name: 'spec.directory', tablePrefix: 'spec', spokespersons: true });
    await expectProjection({
      projection: knowledge.projection,
      sql,
      given: REORGANIZATION,
      read: async (db) => ({
        organizations: (
          await db.query<{ organization_id: string; parent_id: string | null; kind: string; code: string | null }>(
            'SELECT organization_id, parent_id, kind, code FROM spec_known_organizations ORDER BY organization_id',
          )
        ).rows,
        facts: (
          await db.query<{ organization_id: string; fact: string; from: string; value: string }>(
            `SELECT organization_id, fact, to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS from, value
             FROM spec_known_facts ORDER BY organization_id, fact, valid_from`,
          )
        ).rows,
        spokespersons: (
          await db.query(
            `SELECT organization_id, contact_id, to_char(valid_to AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS to
             FROM spec_known_spokespersons ORDER BY organization_id, valid_from`,
          )
        ).rows,
      }),
      rows: {
        organizations: [
          { organization_id: 'commune-a', parent_id: 'prov-lao-cai', kind: 'COMMUNE', code: null },
          { organization_id: 'dept-yen-bai', parent_id: 'prov-yen-bai', kind: 'PROVINCIAL_DEPARTMENT', code: null },
          { organization_id: 'min-finance', parent_id: null, kind: 'MINISTRY', code: null },
          { organization_id: 'press-vtv', parent_id: null, kind: 'PRESS_AGENCY', code: null },
          { organization_id: 'prov-lao-cai', parent_id: null, kind: 'PROVINCE', code: '15' },
          { organization_id: 'prov-yen-bai', parent_id: null, kind: 'PROVINCE', code: '08' },
          { organization_id: 'unit-yen-bai', parent_id: 'dept-yen-bai', kind: 'GOVERNMENT_AGENCY', code: null },
        ],
        facts: [
          { organization_id: 'min-finance', fact: 'name', from: '2025-03-01', value: 'Bộ Tài chính (mới)' },
          { organization_id: 'press-vtv', fact: 'kind', from: '2030-01-01', value: 'GOVERNMENT_AGENCY' },
          { organization_id: 'prov-yen-bai', fact: 'end', from: '2025-07-01', value: 'MERGED' },
          { organization_id: 'prov-yen-bai', fact: 'successor', from: '2025-07-01', value: 'prov-lao-cai' },
        ],
        spokespersons: [
          { organization_id: 'min-finance', contact_id: 'contact-1', to: '2025-01-01' },
          { organization_id: 'min-finance', contact_id: 'contact-2', to: null },
          { organization_id: 'prov-yen-bai', contact_id: 'contact-3', to: null },
        ],
      },
    });
  });

  it('given a knowledge without spokespersons, then it neither handles their events nor creates their table', async () => {
    const knowledge = directoryKnowledge({ name: 'bare.directory', tablePrefix: 'bare' });
    await sql.transaction((tx) => knowledge.projection.setup(tx));

    expect(knowledge.projection.handles).not.toContain('SpokespersonDesignated');
    const tables = await sql.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE 'bare_%' ORDER BY table_name`,
    );
    expect(tables.rows.map((row) => row.name)).toEqual(['bare_known_facts', 'bare_known_organizations']);
  });

  it('given a table prefix that is no SQL name, when the knowledge is made, then it refuses', () => {
    expect(() => directoryKnowledge({ name: 'x', tablePrefix: 'x; DROP TABLE y' })).toThrow(/tablePrefix/);
  });
});

describe('directory knowledge, the questions services ask', () => {
  let sql: SqlClient;
  const knowledge = directoryKnowledge({ name: 'ask.directory', tablePrefix: 'ask', spokespersons: true });
  beforeAll(async () => {
    sql = await pgliteClient();
    await sql.transaction((tx) => knowledge.projection.setup(tx));
    const events = [
      ...REORGANIZATION,
      ...inOrder([
        registered('late-agency', 'PRESS_AGENCY', null, null),
        dissolved('commune-a', '2026-01-01T00:00:00.000Z'),
        // An end dated before the organization existed means nothing (the directory ignores it).
        dissolved('press-vtv', '2019-01-01T00:00:00.000Z'),
        // A rename dated before the organization existed means nothing either.
        {
          type: 'OrganizationRenamed',
          data: {
            organizationId: 'late-agency',
            name: 'Tên trước khi có',
            nameEn: null,
            shortName: null,
            effectiveAt: '2000-01-01T00:00:00.000Z',
            legalBasis: null,
          },
        },
      ]).map((event, i) => ({ ...event, position: String(REORGANIZATION.length + i + 1) })),
    ];
    for (const event of events) await sql.transaction((tx) => knowledge.projection.apply(event, tx));
  });
  afterAll(async () => {
    await sql.close();
  });

  it('given a unit two levels under a province merged on 2025-07-01, when its province is asked before and after, then the old and the new province, in one statement each', async () => {
    const counting = countingSql(sql);

    expect(await knowledge.provinceCodeOf(counting, 'unit-yen-bai', new Date('2025-06-30T00:00:00Z'))).toBe('08');
    expect(await knowledge.provinceCodeOf(counting, 'unit-yen-bai', new Date('2025-07-02T00:00:00Z'))).toBe('15');
    expect(counting.count().statements).toBe(2);
  });

  it('given a ministry or an unknown id, when its province is asked, then none; a province is its own', async () => {
    expect(await knowledge.provinceCodeOf(sql, 'min-finance', new Date())).toBeNull();
    expect(await knowledge.provinceCodeOf(sql, 'nowhere', new Date())).toBeNull();
    expect(await knowledge.provinceCodeOf(sql, 'prov-lao-cai', new Date())).toBe('15');
  });

  it('given a unit under a department under a province, when its ancestors are asked, then nearest first', async () => {
    expect(await knowledge.ancestorsOf(sql, 'unit-yen-bai')).toEqual(['dept-yen-bai', 'prov-yen-bai']);
    expect(await knowledge.ancestorsOf(sql, 'min-finance')).toEqual([]);
  });

  it('given dated changes, when organizations are asked at an instant, then each as it stood then, in one statement', async () => {
    const counting = countingSql(sql);
    const before = await knowledge.organizationsAt(
      counting,
      ['min-finance', 'prov-yen-bai', 'press-vtv', 'nowhere'],
      '2025-02-01T00:00:00.000Z',
    );
    const after = await knowledge.organizationsAt(
      counting,
      ['min-finance', 'prov-yen-bai'],
      '2025-08-01T00:00:00.000Z',
    );

    expect(counting.count().statements).toBe(2);
    expect(before.has('nowhere')).toBe(false);
    expect(before.get('min-finance')).toEqual({
      id: 'min-finance',
      name: 'Tên min-finance',
      kind: 'MINISTRY',
      code: null,
      parentId: null,
      standing: 'ACTIVE',
      successorId: null,
      spokespersonId: 'contact-2',
    });
    expect(before.get('prov-yen-bai')).toMatchObject({ standing: 'ACTIVE', code: '08', spokespersonId: 'contact-3' });
    expect(before.get('press-vtv')).toMatchObject({ standing: 'ACTIVE', kind: 'PRESS_AGENCY' });
    expect(after.get('min-finance')).toMatchObject({ name: 'Bộ Tài chính (mới)', standing: 'ACTIVE' });
    expect(after.get('prov-yen-bai')).toMatchObject({
      standing: 'MERGED',
      successorId: 'prov-lao-cai',
      spokespersonId: null,
    });
  });

  it('given an organization asked before its establishment, then it is not established yet and keeps its registered name', async () => {
    const known = await knowledge.organizationsAt(sql, ['late-agency'], '2010-01-01T00:00:00.000Z');

    const established = await knowledge.organizationsAt(sql, ['late-agency'], '2026-01-01T00:00:00.000Z');

    expect(known.get('late-agency')).toMatchObject({
      standing: 'NOT_ESTABLISHED',
      name: 'Tên late-agency',
      kind: null,
    });
    expect(established.get('late-agency')).toMatchObject({ standing: 'ACTIVE', name: 'Tên late-agency' });
  });

  it('given a reclassification dated ahead, when asked before and after it, then the kind in force at each', async () => {
    const now = await knowledge.organizationsAt(sql, ['press-vtv'], '2026-01-01T00:00:00.000Z');
    const later = await knowledge.organizationsAt(sql, ['press-vtv'], '2031-01-01T00:00:00.000Z');

    expect(now.get('press-vtv')?.kind).toBe('PRESS_AGENCY');
    expect(later.get('press-vtv')?.kind).toBe('GOVERNMENT_AGENCY');
  });

  it('given ids, kinds and a province, when the active organizations are asked, then the ids still standing and the communes under it, sorted', async () => {
    const counting = countingSql(sql);

    const beforeDissolution = await knowledge.activeOrganizations(counting, {
      ids: ['min-finance', 'prov-yen-bai'],
      kinds: ['COMMUNE'],
      within: ['prov-lao-cai'],
      at: '2025-08-01T00:00:00.000Z',
    });
    const afterDissolution = await knowledge.activeOrganizations(counting, {
      ids: [],
      kinds: ['COMMUNE'],
      at: '2026-02-01T00:00:00.000Z',
    });
    const everyPress = await knowledge.activeOrganizations(counting, {
      ids: [],
      kinds: ['PRESS_AGENCY'],
      at: '2026-02-01T00:00:00.000Z',
    });

    expect(beforeDissolution).toEqual(['commune-a', 'min-finance']);
    expect(afterDissolution).toEqual([]);
    expect(everyPress).toEqual(['late-agency', 'press-vtv']);
    expect(counting.count().statements).toBe(3);
  });
});
