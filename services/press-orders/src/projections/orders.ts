import type { EventEnvelope } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import type { PressOrderEvent } from '../events.js';

/**
 * Press orders as the inbox and the orderer's lists read them (`po_orders`, one row per order),
 * and every order's events in order (`po_timeline`), so a page of orders gets all its timelines
 * in one statement instead of one stream read per order.
 */
export const ordersProjection = {
  name: 'press-orders.orders',
  handles: [
    'PressOrderPlaced',
    'PressOrderAccepted',
    'PressOrderDeclined',
    'DeliverablesSubmitted',
    'DeliveryAccepted',
    'DeliveryRejected',
    'PressOrderSettled',
    'PressOrderCancelled',
  ],
  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS po_orders (
        order_id text PRIMARY KEY,
        orderer_id text NOT NULL,
        newsroom_id text NOT NULL,
        policy_id text,
        brief text NOT NULL,
        format text NOT NULL,
        quantity integer NOT NULL,
        budget bigint NOT NULL,
        unit_price bigint,
        quality_criteria text,
        acceptance_method text,
        budget_source text,
        payment_method text,
        starts_at timestamptz NOT NULL,
        deadline timestamptz NOT NULL,
        placed_at timestamptz NOT NULL,
        status text NOT NULL,
        status_reason text,
        deliverables jsonb NOT NULL DEFAULT '[]',
        delivered_at timestamptz,
        delivered_on_time boolean,
        settled_amount bigint
      );
      CREATE INDEX IF NOT EXISTS po_orders_newsroom ON po_orders (newsroom_id, placed_at DESC, order_id);
      CREATE INDEX IF NOT EXISTS po_orders_orderer ON po_orders (orderer_id, placed_at DESC, order_id);
      CREATE TABLE IF NOT EXISTS po_timeline (
        order_id text NOT NULL,
        revision integer NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        stream text NOT NULL,
        occurred_at timestamptz NOT NULL,
        organization_id text,
        data jsonb NOT NULL,
        PRIMARY KEY (order_id, revision)
      );
    `);
  },
  async reset(tx: SqlExecutor): Promise<void> {
    await tx.exec('TRUNCATE po_orders, po_timeline');
  },
  async apply(envelope: EventEnvelope, tx: SqlExecutor): Promise<void> {
    const event = { type: envelope.type, data: envelope.data } as unknown as PressOrderEvent;
    const orderId = event.data.orderId;
    await tx.query(
      `INSERT INTO po_timeline (order_id, revision, event_id, type, stream, occurred_at, organization_id, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (order_id, revision) DO NOTHING`,
      [
        orderId,
        envelope.revision,
        envelope.id,
        envelope.type,
        envelope.stream,
        envelope.occurredAt,
        envelope.organizationId,
        JSON.stringify(envelope.data),
      ],
    );
    const status = (value: string, reason: string | null = null) =>
      tx.query('UPDATE po_orders SET status = $2, status_reason = $3 WHERE order_id = $1', [orderId, value, reason]);
    switch (event.type) {
      case 'PressOrderPlaced': {
        const d = event.data;
        await tx.query(
          `INSERT INTO po_orders (order_id, orderer_id, newsroom_id, policy_id, brief, format, quantity, budget, unit_price,
             quality_criteria, acceptance_method, budget_source, payment_method, starts_at, deadline, placed_at, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'PLACED')
           ON CONFLICT (order_id) DO NOTHING`,
          [
            orderId,
            d.ordererId,
            d.newsroomId,
            d.policyId,
            d.brief,
            d.format,
            d.quantity,
            d.budget,
            d.unitPrice,
            d.qualityCriteria,
            d.acceptanceMethod,
            d.budgetSource,
            d.paymentMethod,
            d.startsAt,
            d.deadline,
            d.placedAt,
          ],
        );
        return;
      }
      case 'PressOrderAccepted':
        await status('ACCEPTED');
        return;
      case 'PressOrderDeclined':
        await status('DECLINED', event.data.reason);
        return;
      case 'DeliverablesSubmitted':
        await status('DELIVERED');
        await tx.query(
          'UPDATE po_orders SET deliverables = $2, delivered_at = $3, delivered_on_time = $4 WHERE order_id = $1',
          [orderId, JSON.stringify(event.data.deliverables), event.data.submittedAt, event.data.onTime],
        );
        return;
      case 'DeliveryAccepted':
        await status('DELIVERY_ACCEPTED');
        return;
      case 'DeliveryRejected':
        await status('DELIVERY_REJECTED', event.data.reason);
        return;
      case 'PressOrderSettled':
        await status('SETTLED');
        await tx.query('UPDATE po_orders SET settled_amount = $2 WHERE order_id = $1', [orderId, event.data.amount]);
        return;
      case 'PressOrderCancelled':
        await status('CANCELLED', event.data.reason);
        return;
    }
  },
};
