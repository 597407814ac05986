import type { EventView } from '@hub/audience';
import { type Caller, requireRole } from '@hub/auth';
import { HubError } from '@hub/errors';
import { Channel, type HubEvent, toHubEvent } from '@hub/graphql-kit';

import type { LiveFeed } from './feed.js';
import { type PressOrderRef, pressOrderRef, type StatementRef, statementRef } from './graphql/types.js';
import { type EventFilterInput, filterKeys, inAudience, matchesFilter, newsroomKey, organizationKey } from './rules.js';

/** Longest list a filter may hold; a dashboard of every province needs 34. */
const MAX_FILTER_ITEMS = 100;

function checkList(list: readonly string[] | null | undefined, field: string): void {
  if (list != null && list.length > MAX_FILTER_ITEMS) {
    throw new HubError('BAD_USER_INPUT', `at most ${MAX_FILTER_ITEMS} values`, { field });
  }
}

/**
 * The GraphQL value of each view of an event, built once however many subscribers share the view
 * (views are shared objects; they and this entry go when the event has been fanned out).
 */
const hubEvents = new WeakMap<EventView, HubEvent>();

/** The subscriptions' use cases: authorize once at subscribe time, then filter each event per subscriber. */
export class LiveService {
  constructor(private readonly feed: LiveFeed) {}

  events(caller: Caller, filter: EventFilterInput | null): AsyncIterableIterator<HubEvent> {
    const user = requireRole(caller, []);
    checkList(filter?.types, 'filter.types');
    checkList(filter?.organizationIds, 'filter.organizationIds');
    checkList(filter?.provinceCodes, 'filter.provinceCodes');
    const channel: Channel<HubEvent> = new Channel(() => stop());
    const stop = this.feed.onEvent((facts) => {
      if (!matchesFilter(facts, filter)) return;
      const view = facts.view(user);
      if (view === null) return;
      let hubEvent = hubEvents.get(view);
      if (hubEvent === undefined) {
        hubEvent = toHubEvent({ ...facts.event, data: view.data });
        hubEvents.set(view, hubEvent);
      }
      channel.push(hubEvent);
    }, filterKeys(filter));
    return channel;
  }

  assignments(caller: Caller, newsroomId: string): AsyncIterableIterator<PressOrderRef> {
    requireRole(caller, [], newsroomId);
    const channel: Channel<PressOrderRef> = new Channel(() => stop());
    const stop = this.feed.onEvent(
      ({ event }) => {
        const data = event.data as { orderId?: string; newsroomId?: string };
        if (event.type === 'PressOrderPlaced' && data.newsroomId === newsroomId && data.orderId) {
          channel.push(pressOrderRef(data.orderId));
        }
      },
      [newsroomKey(newsroomId)],
    );
    return channel;
  }

  statements(caller: Caller, organizationIds: readonly string[] | null): AsyncIterableIterator<StatementRef> {
    checkList(organizationIds, 'organizationIds');
    // A subscriber sees a statement once: at release, on distribution or when the embargo lifts.
    const delivered = new Set<string>();
    const channel: Channel<StatementRef> = new Channel(() => stop());
    const stop = this.feed.onStatement((notice) => {
      if (delivered.has(notice.statementId)) return;
      if (organizationIds && organizationIds.length > 0 && !organizationIds.includes(notice.organizationId)) return;
      if (!inAudience(caller, notice.audience)) return;
      delivered.add(notice.statementId);
      channel.push(statementRef(notice.statementId));
    }, organizationIds?.map(organizationKey) ?? null);
    return channel;
  }
}
