import type { Caller } from '@hub/auth';
import { HubEvent } from '@hub/graphql-kit';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { LiveService } from '../service.js';
import { EventFilter, PressOrderRef, StatementRef } from './types.js';

export interface LiveContext {
  readonly live: LiveService;
  readonly caller: Caller;
}

type Subscribe<A> = { readonly args: A; readonly context: LiveContext };

@Resolver()
export class LiveResolver {
  @Subscription(() => HubEvent, {
    description: 'Live feed for dashboards: signed-in callers; embargoed statements only for those who may see them.',
    subscribe: ({ args, context }: Subscribe<{ filter?: EventFilter | null }>) =>
      context.live.events(context.caller, args.filter ?? null),
  })
  events(
    @Root() event: HubEvent,
    @Arg('filter', () => EventFilter, { nullable: true }) _filter?: EventFilter | null,
  ): HubEvent {
    return event;
  }

  @Subscription(() => PressOrderRef, {
    description: "Orders placed with this newsroom; only that newsroom's users (and administrators).",
    subscribe: ({ args, context }: Subscribe<{ newsroomId: string }>) =>
      context.live.assignments(context.caller, args.newsroomId),
  })
  assignmentReceived(@Root() order: PressOrderRef, @Arg('newsroomId', () => ID) _newsroomId: string): PressOrderRef {
    return order;
  }

  @Subscription(() => StatementRef, {
    description:
      'Public statements when released or when their embargo lifts; recipients and their organization at release.',
    subscribe: ({ args, context }: Subscribe<{ organizationIds?: string[] | null }>) =>
      context.live.statements(context.caller, args.organizationIds ?? null),
  })
  statementReleased(
    @Root() statement: StatementRef,
    @Arg('organizationIds', () => [ID], { nullable: true }) _organizationIds?: string[] | null,
  ): StatementRef {
    return statement;
  }
}
