import { viewEvent } from '@hub/audience';
import {
  decodeOffsetCursor,
  HubEvent,
  OrganizationRef,
  organizationRef,
  type Page,
  pageSize,
  type RequestContext,
} from '@hub/graphql-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isOverdue, type PressOrderRow, type TimelineRow } from '../read-model.js';
import type { PressOrdersService } from '../service.js';
import {
  PlacePressOrderInput,
  PolicyRef,
  PressOrder,
  PressOrderActionInput,
  PressOrderConnection,
  PressOrderStatusEnum,
  PressOrderTotals,
  policyRef,
  SettlePressOrderInput,
  SubmitDeliverablesInput,
  toPressOrder,
} from './types.js';

export interface PressOrdersContext extends RequestContext {
  readonly pressOrders: PressOrdersService;
}

type Status = PressOrderRow['status'];

const cursorAt = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

/** Offset paging done by the database, with the same cursors as the kit's in-memory pageOf. */
async function paged(
  first: number | null | undefined,
  after: string | null | undefined,
  fetch: (page: { offset: number; limit: number }) => Promise<{ rows: PressOrderRow[]; total: number }>,
): Promise<Page<PressOrder>> {
  const limit = pageSize(first);
  const offset = after ? decodeOffsetCursor(after) + 1 : 0;
  const { rows, total } = await fetch({ offset, limit });
  const edges = rows.map((row, i) => ({ node: toPressOrder(row), cursor: cursorAt(offset + i) }));
  return {
    edges,
    pageInfo: { hasNextPage: offset + limit < total, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: total,
  };
}

/** Orders by id that the caller may see, batched per request. */
export function visibleOrderLoader(ctx: PressOrdersContext) {
  return ctx.loaders.get<string, PressOrder | null>('press-order', async (ids) => {
    const rows = await ctx.pressOrders.visibleOrders(ctx.caller, ids);
    return ids.map((id) => {
      const row = rows.get(id);
      return row ? toPressOrder(row) : null;
    });
  });
}

@Resolver(() => PressOrder)
export class PressOrderResolver {
  @Query(() => PressOrderConnection, {
    description: 'Orders the caller placed or received (administrators: all), newest first.',
  })
  pressOrders(
    @Ctx() ctx: PressOrdersContext,
    @Arg('ordererId', () => ID, { nullable: true }) ordererId?: string | null,
    @Arg('newsroomId', () => ID, { nullable: true }) newsroomId?: string | null,
    @Arg('status', () => PressOrderStatusEnum, { nullable: true }) status?: Status | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<PressOrderConnection> {
    return paged(first, after, (page) =>
      ctx.pressOrders.listOrders(ctx.caller, { ordererId, newsroomId, status }, page),
    );
  }

  @Query(() => PressOrder, { nullable: true, description: 'Null when it does not exist or is not the caller’s.' })
  pressOrder(@Ctx() ctx: PressOrdersContext, @Arg('id', () => ID) id: string): Promise<PressOrder | null> {
    return visibleOrderLoader(ctx).load(id);
  }

  @Query(() => PressOrderConnection, { description: "A newsroom's inbox, newest first; for that newsroom's users." })
  assignments(
    @Ctx() ctx: PressOrdersContext,
    @Arg('newsroomId', () => ID) newsroomId: string,
    @Arg('status', () => PressOrderStatusEnum, { nullable: true }) status?: Status | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<PressOrderConnection> {
    return paged(first, after, (page) => ctx.pressOrders.assignments(ctx.caller, newsroomId, status, page));
  }

  @Query(() => PressOrderTotals, {
    description: "Totals over the orders the caller may see, for an orderer, a newsroom, or the caller's own.",
  })
  pressOrderTotals(
    @Ctx() ctx: PressOrdersContext,
    @Arg('ordererId', () => ID, { nullable: true }) ordererId?: string | null,
    @Arg('newsroomId', () => ID, { nullable: true }) newsroomId?: string | null,
  ): Promise<PressOrderTotals> {
    return ctx.pressOrders.totals(ctx.caller, { ordererId, newsroomId });
  }

  @FieldResolver(() => OrganizationRef)
  orderer(@Root() order: PressOrder): OrganizationRef {
    return organizationRef(order.ordererId);
  }

  @FieldResolver(() => OrganizationRef)
  newsroom(@Root() order: PressOrder): OrganizationRef {
    return organizationRef(order.newsroomId);
  }

  @FieldResolver(() => PolicyRef, { nullable: true })
  policy(@Root() order: PressOrder): PolicyRef | null {
    return order.policyId ? policyRef(order.policyId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'The deadline has passed without an accepted delivery.' })
  overdue(@Root() order: PressOrder): boolean {
    return isOverdue(order, new Date());
  }

  // Each event as the audience rule lets the caller see it: raw, redacted, or left out.
  @FieldResolver(() => [HubEvent], { description: 'Every event of this order, oldest first.' })
  async timeline(@Root() order: PressOrder, @Ctx() ctx: PressOrdersContext): Promise<HubEvent[]> {
    const events = await ctx.loaders
      .get<string, TimelineRow[]>('press-order-timeline', async (ids) => {
        const byOrder = await ctx.pressOrders.readModel.timelines(ids);
        return ids.map((id) => byOrder.get(id) ?? []);
      })
      .load(order.id);
    const audience = { now: new Date() };
    return events.flatMap((event) => {
      const view = viewEvent(event, ctx.caller, audience);
      if (view === null) return [];
      return [
        Object.assign(new HubEvent(), {
          id: event.id,
          type: event.type,
          stream: event.stream,
          occurredAt: event.occurredAt,
          organization: event.organizationId ? organizationRef(event.organizationId) : null,
          data: view.data,
        }),
      ];
    });
  }

  @Mutation(() => PressOrder)
  async placePressOrder(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => PlacePressOrderInput) input: PlacePressOrderInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.placeOrder(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Newsroom.' })
  async acceptPressOrder(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => PressOrderActionInput) input: PressOrderActionInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.acceptOrder(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Newsroom; reason required.' })
  async declinePressOrder(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => PressOrderActionInput) input: PressOrderActionInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.declineOrder(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Newsroom.' })
  async submitDeliverables(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => SubmitDeliverablesInput) input: SubmitDeliverablesInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.submitDeliverables(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Orderer (nghiệm thu).' })
  async acceptDelivery(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => PressOrderActionInput) input: PressOrderActionInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.acceptDelivery(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Orderer; reason required.' })
  async rejectDelivery(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => PressOrderActionInput) input: PressOrderActionInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.rejectDelivery(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Orderer; never more than the budget.' })
  async settlePressOrder(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => SettlePressOrderInput) input: SettlePressOrderInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.settleOrder(ctx.caller, input));
  }

  @Mutation(() => PressOrder, { description: 'Orderer, before delivery; reason required.' })
  async cancelPressOrder(
    @Ctx() ctx: PressOrdersContext,
    @Arg('input', () => PressOrderActionInput) input: PressOrderActionInput,
  ): Promise<PressOrder> {
    return toPressOrder(await ctx.pressOrders.cancelOrder(ctx.caller, input));
  }
}

/** Federation: the gateway (for example a subscription's payload) refers to an order by id. */
export const referenceResolvers = {
  PressOrder: {
    __resolveReference: (reference: { id: string }, ctx: PressOrdersContext) =>
      visibleOrderLoader(ctx).load(reference.id),
  },
};
