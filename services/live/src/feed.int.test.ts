import { randomUUID } from 'node:crypto';
import type { UserCaller } from '@hub/auth';
import { inProcessEventBus } from '@hub/event-bus';
import { type EventEnvelope, hubCatalogue } from '@hub/event-catalogue';
import { embeddedEventStore } from '@hub/event-store';
import type { HubEvent } from '@hub/graphql-kit';
import { ProjectionRunner } from '@hub/projections';
import { BusProjectionRunner, contextTopic } from '@hub/relay';
import { countingSql, pgliteClient } from '@hub/sql';
import { describe, expect, it } from 'vitest';
import { LiveFeed } from './feed.js';
import { liveDirectory } from './knowledge/organizations.js';
import { statementsKnowledge } from './knowledge/statements.js';
import { filterKeys } from './rules.js';
import { LiveService } from './service.js';

const quiet = () => {};
const user = (organizationId: string): UserCaller => ({
  kind: 'user',
  userId: `user-of-${organizationId}`,
  organizationId,
  roles: ['VIEWER'],
});

let position = 0;
const published = (type: string, data: Record<string, unknown>, organizationId: string): EventEnvelope => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  stream: `${type}-${randomUUID()}`,
  revision: 0,
  position: String(++position),
  occurredAt: new Date().toISOString(),
  recordedAt: new Date().toISOString(),
  actor: null,
  organizationId,
  correlationId: randomUUID(),
  causationId: null,
  data,
});

describe('the live feed when its statement knowledge lags', () => {
  it('given an embargoed statement its knowledge never saw, then strangers do not get it and its organization does', async () => {
    const sql = await pgliteClient();
    const directorySql = await pgliteClient();
    const directory = await embeddedEventStore({ sql: directorySql, catalogue: hubCatalogue() });
    const organizations = new ProjectionRunner({ sql, store: directory, projections: [liveDirectory.projection] });
    const bus = inProcessEventBus({ log: quiet });
    // Fed from a topic nothing is published on: this knowledge lags behind every release.
    const statements = new BusProjectionRunner({
      sql,
      bus,
      topics: ['hub.lagging'],
      projections: [statementsKnowledge],
    });
    const feed = new LiveFeed({ sql, bus, topics: [contextTopic('content')], organizations, statements, log: quiet });
    try {
      await organizations.catchUp();
      await statements.start();
      await feed.start();
      const live = new LiveService(feed);
      const stranger = live.events(user('min-finance'), null);
      const own = live.events(user('min-industry-trade'), null);
      const statement = published(
        'StatementReleased',
        {
          statementId: randomUUID(),
          organizationId: 'min-industry-trade',
          kind: 'PRESS_RELEASE',
          title: 'Thông cáo chưa đến giờ công bố',
          body: 'Nội dung',
          spokespersonId: randomUUID(),
          policyIds: [],
          releasedAt: new Date().toISOString(),
          embargoUntil: new Date(Date.now() + 3_600_000).toISOString(),
        },
        'min-industry-trade',
      );
      const marker = published(
        'PolicyIssued',
        { policyId: randomUUID(), organizationId: 'prov-ha-noi' },
        'prov-ha-noi',
      );

      await bus.publish(contextTopic('content'), [statement, marker]);

      const next = async (events: AsyncIterableIterator<HubEvent>) => ((await events.next()).value as HubEvent).id;
      // The two are on different streams, so the bus may hand them over in either order.
      expect([await next(own), await next(own)].sort()).toEqual([statement.id, marker.id].sort());
      // Its organization has both, so the feed has decided both for every subscriber.
      expect(await next(stranger)).toBe(marker.id);
      const more = await Promise.race([
        stranger.next().then(() => 'another event'),
        new Promise((resolve) => setTimeout(() => resolve('nothing more'), 300)),
      ]);
      expect(more).toBe('nothing more');
      await stranger.return?.();
      await own.return?.();
    } finally {
      await feed.stop();
      await statements.stop();
      await organizations.stop();
      await bus.close();
      await directory.close();
      await directorySql.close();
      await sql.close();
    }
  });
});

describe('the live feed fanning out to many subscribers', () => {
  it('given 1,000 subscribers, when an event passes, then it is enriched with the statements one subscriber costs and reaches only the ten whose filter names its organization', async () => {
    const sql = countingSql(await pgliteClient());
    const directorySql = await pgliteClient();
    const directory = await embeddedEventStore({ sql: directorySql, catalogue: hubCatalogue() });
    const organizations = new ProjectionRunner({ sql, store: directory, projections: [liveDirectory.projection] });
    const bus = inProcessEventBus({ log: quiet });
    const statements = new BusProjectionRunner({ sql, bus, topics: ['hub.idle'], projections: [statementsKnowledge] });
    const feed = new LiveFeed({ sql, bus, topics: [contextTopic('content')], organizations, statements, log: quiet });
    const opened = (organizationId: string) =>
      published('ConsultationOpened', { policyId: randomUUID(), organizationId }, organizationId);
    try {
      await organizations.catchUp();
      await statements.start();
      await feed.start();
      const live = new LiveService(feed);
      const target = { organizationIds: ['org-target'] };
      const first = live.events(user('org-target'), target);
      const next = async (events: AsyncIterableIterator<HubEvent>) => ((await events.next()).value as HubEvent).id;
      sql.reset();
      const alone = opened('org-target');
      await bus.publish(contextTopic('content'), [alone]);
      expect(await next(first)).toBe(alone.id);
      const statementsForOne = sql.count().statements;

      const others = Array.from({ length: 990 }, (_, i) => ({ organizationIds: [`org-${i % 99}`] }));
      let touched = 0;
      for (const filter of others) feed.onEvent(() => touched++, filterKeys(filter));
      const targets = [first, ...Array.from({ length: 9 }, () => live.events(user('org-target'), target))];
      expect(feed.subscribers).toBe(1_000);
      sql.reset();
      const event = opened('org-target');
      await bus.publish(contextTopic('content'), [event]);

      expect(await Promise.all(targets.map(next))).toEqual(Array(10).fill(event.id));
      expect(sql.count().statements).toBe(statementsForOne);
      expect(statementsForOne).toBeLessThanOrEqual(2);
      expect(touched).toBe(0);
      for (const events of targets) await events.return?.();
    } finally {
      await feed.stop();
      await statements.stop();
      await organizations.stop();
      await bus.close();
      await directory.close();
      await directorySql.close();
      await sql.close();
    }
  });
});
