import type { Deliverable, DeliverableFormat, OrganizationKind, PressOrderStatus } from '@hub/event-catalogue';
import type { SqlExecutor } from '@hub/sql';
import { pressOrdersDirectory } from './projections/organizations.js';

export interface PressOrderRow {
  readonly id: string;
  readonly ordererId: string;
  readonly newsroomId: string;
  readonly policyId: string | null;
  readonly brief: string;
  readonly format: DeliverableFormat;
  readonly quantity: number;
  readonly budget: number;
  readonly unitPrice: number | null;
  readonly qualityCriteria: string | null;
  readonly acceptanceMethod: string | null;
  readonly budgetSource: string | null;
  readonly paymentMethod: string | null;
  readonly startsAt: string;
  readonly deadline: string;
  readonly placedAt: string;
  readonly status: PressOrderStatus;
  /** Why the order was declined or cancelled, or its latest delivery rejected. */
  readonly statusReason: string | null;
  readonly deliverables: readonly Deliverable[];
  readonly deliveredAt: string | null;
  readonly settledAmount: number | null;
}

export interface TimelineRow {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly occurredAt: string;
  readonly organizationId: string | null;
  readonly data: Record<string, unknown>;
}

/** An organization as press orders see it now. */
export interface KnownOrganization {
  readonly id: string;
  readonly name: string;
  readonly kind: OrganizationKind | null;
  readonly active: boolean;
}

export interface OrderFilter {
  readonly ordererId?: string | null;
  readonly newsroomId?: string | null;
  readonly status?: PressOrderStatus | null;
  /** Only orders this organization placed or received; null: every order (administrators). */
  readonly visibleTo: string | null;
}

export interface Totals {
  readonly orders: number;
  readonly committedOrders: number;
  readonly committed: number;
  readonly acceptedOrders: number;
  readonly accepted: number;
  readonly settledOrders: number;
  readonly settled: number;
  readonly overdueOrders: number;
}

/** Statuses after which an order can no longer be overdue: done, or never going to be. */
export const CLOSED_STATUSES: readonly PressOrderStatus[] = ['DELIVERY_ACCEPTED', 'SETTLED', 'CANCELLED', 'DECLINED'];

const CLOSED_SQL = CLOSED_STATUSES.map((status) => `'${status}'`).join(', ');

export const isOverdue = (order: Pick<PressOrderRow, 'deadline' | 'status'>, now: Date): boolean =>
  now.getTime() > Date.parse(order.deadline) && !CLOSED_STATUSES.includes(order.status);

interface OrderRecord {
  order_id: string;
  orderer_id: string;
  newsroom_id: string;
  policy_id: string | null;
  brief: string;
  format: DeliverableFormat;
  quantity: number;
  budget: number | string;
  unit_price: number | string | null;
  quality_criteria: string | null;
  acceptance_method: string | null;
  budget_source: string | null;
  payment_method: string | null;
  starts_at: Date | string;
  deadline: Date | string;
  placed_at: Date | string;
  status: PressOrderStatus;
  status_reason: string | null;
  deliverables: Deliverable[];
  delivered_at: Date | string | null;
  settled_amount: number | string | null;
}

const iso = (value: Date | string): string => new Date(value).toISOString();
const optionalNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));

const toOrder = (r: OrderRecord): PressOrderRow => ({
  id: r.order_id,
  ordererId: r.orderer_id,
  newsroomId: r.newsroom_id,
  policyId: r.policy_id,
  brief: r.brief,
  format: r.format,
  quantity: Number(r.quantity),
  budget: Number(r.budget),
  unitPrice: optionalNumber(r.unit_price),
  qualityCriteria: r.quality_criteria,
  acceptanceMethod: r.acceptance_method,
  budgetSource: r.budget_source,
  paymentMethod: r.payment_method,
  startsAt: iso(r.starts_at),
  deadline: iso(r.deadline),
  placedAt: iso(r.placed_at),
  status: r.status,
  statusReason: r.status_reason,
  deliverables: r.deliverables,
  deliveredAt: r.delivered_at === null ? null : iso(r.delivered_at),
  settledAmount: optionalNumber(r.settled_amount),
});

function where(filter: Omit<OrderFilter, 'status'> & { status?: PressOrderStatus | null }) {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(params.length));
  };
  if (filter.ordererId) add((n) => `orderer_id = $${n}`, filter.ordererId);
  if (filter.newsroomId) add((n) => `newsroom_id = $${n}`, filter.newsroomId);
  if (filter.status) add((n) => `status = $${n}`, filter.status);
  if (filter.visibleTo !== null) add((n) => `(orderer_id = $${n} OR newsroom_id = $${n})`, filter.visibleTo);
  return { params, sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '' };
}

/**
 * Queries over the press-orders read model. Every method is one SQL statement whatever the number
 * of ids (a list is two: the page and its count), so a request's cost follows its depth.
 */
export class PressOrdersReadModel {
  /** Counts statements, so tests can show a query's cost does not grow with its rows. */
  queries = 0;

  constructor(private readonly sql: SqlExecutor) {}

  private async query<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    this.queries++;
    const result = await this.sql.query<R>(text, params as never[]);
    return result.rows;
  }

  async ordersByIds(ids: readonly string[]): Promise<Map<string, PressOrderRow>> {
    const rows = await this.query<OrderRecord>('SELECT * FROM po_orders WHERE order_id = ANY($1)', [[...ids]]);
    return new Map(rows.map((r) => [r.order_id, toOrder(r)]));
  }

  /** A page of orders, newest first, and how many match in all. */
  async listOrders(
    filter: OrderFilter,
    page: { readonly offset: number; readonly limit: number },
  ): Promise<{ rows: PressOrderRow[]; total: number }> {
    const w = where(filter);
    const n = w.params.length;
    const [rows, count] = await Promise.all([
      this.query<OrderRecord>(
        `SELECT * FROM po_orders ${w.sql} ORDER BY placed_at DESC, order_id LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...w.params, page.limit, page.offset],
      ),
      this.query<{ total: number | string }>(`SELECT count(*) AS total FROM po_orders ${w.sql}`, w.params),
    ]);
    return { rows: rows.map(toOrder), total: Number(count[0]?.total ?? 0) };
  }

  /** Every event of each order, oldest first. */
  async timelines(orderIds: readonly string[]): Promise<Map<string, TimelineRow[]>> {
    const rows = await this.query<{
      order_id: string;
      event_id: string;
      type: string;
      stream: string;
      occurred_at: Date | string;
      organization_id: string | null;
      data: Record<string, unknown>;
    }>(
      `SELECT order_id, event_id, type, stream, occurred_at, organization_id, data FROM po_timeline
       WHERE order_id = ANY($1) ORDER BY order_id, revision`,
      [[...orderIds]],
    );
    const byOrder = new Map<string, TimelineRow[]>(orderIds.map((id) => [id, []]));
    for (const r of rows) {
      byOrder.get(r.order_id)?.push({
        id: r.event_id,
        type: r.type,
        stream: r.stream,
        occurredAt: iso(r.occurred_at),
        organizationId: r.organization_id,
        data: r.data,
      });
    }
    return byOrder;
  }

  /** Organizations as they stand at `now`: the kind in force then, and whether they still stand alone. */
  async organizations(ids: readonly string[], now: string): Promise<Map<string, KnownOrganization>> {
    this.queries++;
    const known = await pressOrdersDirectory.organizationsAt(this.sql, ids, now);
    return new Map(
      [...known.values()].map((o) => [o.id, { id: o.id, name: o.name, kind: o.kind, active: o.standing === 'ACTIVE' }]),
    );
  }

  /** VND committed (orders not declined or cancelled), accepted (nghiệm thu passed) and settled. */
  async totals(filter: Omit<OrderFilter, 'status'>, now: string): Promise<Totals> {
    const w = where(filter);
    const n = w.params.length;
    const rows = await this.query<Record<keyof Totals, number | string | null>>(
      `SELECT count(*) AS "orders",
         count(*) FILTER (WHERE status NOT IN ('DECLINED', 'CANCELLED')) AS "committedOrders",
         coalesce(sum(budget) FILTER (WHERE status NOT IN ('DECLINED', 'CANCELLED')), 0) AS "committed",
         count(*) FILTER (WHERE status IN ('DELIVERY_ACCEPTED', 'SETTLED')) AS "acceptedOrders",
         coalesce(sum(budget) FILTER (WHERE status IN ('DELIVERY_ACCEPTED', 'SETTLED')), 0) AS "accepted",
         count(*) FILTER (WHERE status = 'SETTLED') AS "settledOrders",
         coalesce(sum(settled_amount), 0) AS "settled",
         count(*) FILTER (WHERE deadline < $${n + 1} AND status NOT IN (${CLOSED_SQL})) AS "overdueOrders"
       FROM po_orders ${w.sql}`,
      [...w.params, now],
    );
    const r = rows[0];
    const num = (key: keyof Totals) => Number(r?.[key] ?? 0);
    return {
      orders: num('orders'),
      committedOrders: num('committedOrders'),
      committed: num('committed'),
      acceptedOrders: num('acceptedOrders'),
      accepted: num('accepted'),
      settledOrders: num('settledOrders'),
      settled: num('settled'),
      overdueOrders: num('overdueOrders'),
    };
  }
}
