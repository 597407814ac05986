import { envelope, expectProjection } from '@hub/projections/testing';
import { pgliteClient, type SqlClient } from '@hub/sql';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ordersProjection } from './orders.js';

const AT = '2026-03-02T02:00:00.000Z';
const parties = {
  orderId: 'order-1',
  organizationId: 'min-finance',
  ordererId: 'min-finance',
  newsroomId: 'press-vtv',
};
const placed = {
  type: 'PressOrderPlaced',
  data: {
    ...parties,
    policyId: null,
    brief: 'Loạt bài về chính sách giảm thuế giá trị gia tăng',
    format: 'ARTICLE',
    quantity: 2,
    budget: 30_000_000,
    unitPrice: 15_000_000,
    qualityCriteria: null,
    acceptanceMethod: null,
    budgetSource: null,
    paymentMethod: null,
    startsAt: '2026-03-01T00:00:00.000Z',
    deadline: '2026-04-01T00:00:00.000Z',
    placedAt: AT,
  },
};

describe('orders projection, given events then rows (replayed twice)', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await pgliteClient();
  });
  afterAll(async () => {
    await sql.close();
  });

  it('given an order placed then cancelled, then one row CANCELLED with the reason, and two timeline entries', async () => {
    await expectProjection({
      projection: ordersProjection,
      sql,
      given: [
        envelope(placed, 1, { stream: 'press-order-order-1', revision: 0 }),
        envelope({ type: 'PressOrderCancelled', data: { ...parties, reason: 'Đổi kế hoạch', cancelledAt: AT } }, 2, {
          stream: 'press-order-order-1',
          revision: 1,
        }),
      ],
      read: async (db) => ({
        orders: (await db.query('SELECT order_id, status, status_reason, budget FROM po_orders')).rows,
        timeline: (await db.query('SELECT order_id, revision, type FROM po_timeline ORDER BY revision')).rows,
      }),
      rows: {
        orders: [{ order_id: 'order-1', status: 'CANCELLED', status_reason: 'Đổi kế hoạch', budget: 30_000_000 }],
        timeline: [
          { order_id: 'order-1', revision: 0, type: 'PressOrderPlaced' },
          { order_id: 'order-1', revision: 1, type: 'PressOrderCancelled' },
        ],
      },
    });
  });
});
