import { envelope } from '@hub/projections/testing';
import { countingSql, pgliteClient, type SqlClient } from '@hub/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationsKnowledge, provinceCodeOf } from './organizations.js';

const registered = (organizationId: string, kind: string, parentId: string | null, code: string | null) => ({
  type: 'OrganizationRegistered',
  data: { organizationId, kind, parentId, code, establishedAt: '2020-01-01T00:00:00.000Z' },
});

describe('live knowledge: the province of an organization', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await pgliteClient();
    await sql.transaction((tx) => organizationsKnowledge.setup(tx));
    const events = [
      registered('prov-yen-bai', 'PROVINCE', null, '08'),
      registered('prov-lao-cai', 'PROVINCE', null, '15'),
      registered('dept-yen-bai', 'PROVINCIAL_DEPARTMENT', 'prov-yen-bai', null),
      registered('unit-yen-bai', 'OTHER', 'dept-yen-bai', null),
      registered('min-finance', 'MINISTRY', null, null),
      {
        type: 'OrganizationMergedInto',
        data: { organizationId: 'prov-yen-bai', successorId: 'prov-lao-cai', effectiveAt: '2025-07-01T00:00:00.000Z' },
      },
    ];
    for (const [i, event] of events.entries()) {
      await sql.transaction((tx) => organizationsKnowledge.apply(envelope(event, i + 1), tx));
    }
  });
  afterAll(async () => {
    await sql.close();
  });

  it('given a unit two levels under a province merged on 2025-07-01, when asked before and after, then the old and the new province, in one statement each', async () => {
    const counting = countingSql(sql);

    expect(await provinceCodeOf(counting, 'unit-yen-bai', new Date('2025-06-30T00:00:00Z'))).toBe('08');
    expect(await provinceCodeOf(counting, 'unit-yen-bai', new Date('2025-07-02T00:00:00Z'))).toBe('15');
    expect(counting.count().statements).toBe(2);
  });

  it('given a ministry or an unknown id, when asked, then no province', async () => {
    expect(await provinceCodeOf(sql, 'min-finance', new Date())).toBeNull();
    expect(await provinceCodeOf(sql, 'nowhere', new Date())).toBeNull();
    expect(await provinceCodeOf(sql, 'prov-lao-cai', new Date())).toBe('15');
  });
});
