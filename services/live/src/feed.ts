import { randomUUID } from 'node:crypto';
import { type AudienceContext, audienceNeeds, eventViewer } from '@hub/audience';
import type { EventBus, Subscription } from '@hub/event-bus';
import type { EventEnvelope } from '@hub/event-catalogue';
import type { ProjectionRunner } from '@hub/projections';
import { type BusProjectionRunner, contextTopic } from '@hub/relay';
import type { SqlClient } from '@hub/sql';
import { MatchIndex } from './fanout.js';
import { liveDirectory } from './knowledge/organizations.js';
import { embargoedStatements, statementAccess } from './knowledge/statements.js';
import {
  type EventFacts,
  eventKeys,
  organizationKey,
  PUBLIC,
  type StatementNotice,
  statementNoticeFor,
} from './rules.js';

export interface LiveFeedOptions {
  readonly sql: SqlClient;
  readonly bus: EventBus;
  readonly topics: readonly string[];
  /** The directory knowledge, followed from the directory's store. */
  readonly organizations: ProjectionRunner;
  /** The statement knowledge, consumed from the bus. */
  readonly statements: BusProjectionRunner;
  readonly clock?: () => Date;
  readonly log?: (message: string) => void;
}

/** Ids of recently fanned-out events: the bus may redeliver, subscribers must see each event once. */
const REMEMBERED_IDS = 50_000;
/** setTimeout's limit is about 24.8 days; a later embargo is re-armed from this far out. */
const MAX_TIMER_MS = 24 * 60 * 60 * 1000;
const KNOWLEDGE_WAIT_MS = 5_000;

const STATEMENT_TYPES = new Set(['StatementReleased', 'DistributionStarted']);
const DIRECTORY_TOPIC = contextTopic('directory');

/**
 * The live network's source (design §2: Kafka → live subscription source → gateway): one bus
 * subscription per process whose events are enriched once (province, audience) and fanned out to
 * every subscriber, plus the timers that make embargoed statements public when their embargo ends.
 */
export class LiveFeed {
  private readonly eventListeners = new MatchIndex<(facts: EventFacts) => void>();
  private readonly noticeListeners = new MatchIndex<(notice: StatementNotice) => void>();
  private readonly recent = new Set<string>();
  private readonly embargoTimers = new Map<string, NodeJS.Timeout>();
  private readonly clock: () => Date;
  private readonly log: (message: string) => void;
  private subscription: Subscription | undefined;

  constructor(private readonly options: LiveFeedOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? ((message) => process.stderr.write(`${new Date().toISOString()} live: ${message}\n`));
  }

  /** Every process gets every event: its group is its own, starting at the events published from now. */
  async start(): Promise<void> {
    for (const statement of await embargoedStatements(this.options.sql, this.clock())) {
      this.scheduleLift(statement.id, statement.organizationId, statement.embargoUntil);
    }
    this.subscription = await this.options.bus.subscribe({
      groupId: `live.feed.${randomUUID()}`,
      topics: this.options.topics,
      fromBeginning: false,
      onEvent: (event, meta) => this.receive(event, meta.topic),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    for (const timer of this.embargoTimers.values()) clearTimeout(timer);
    this.embargoTimers.clear();
  }

  /**
   * Calls the listener with the events whose keys (`eventKeys`) meet `keys`, or with every event
   * when `keys` is null; the listener applies the rest of its filter. Returns its removal.
   */
  onEvent(listener: (facts: EventFacts) => void, keys: readonly string[] | null = null): () => void {
    return this.eventListeners.add(listener, keys);
  }

  /** Likewise for statement notices, keyed by their organization (`organizationKey`). */
  onStatement(listener: (notice: StatementNotice) => void, keys: readonly string[] | null = null): () => void {
    return this.noticeListeners.add(listener, keys);
  }

  get subscribers(): number {
    return this.eventListeners.size + this.noticeListeners.size;
  }

  private async receive(event: EventEnvelope, topic: string): Promise<void> {
    if (this.recent.has(event.id)) return;
    const now = this.clock();
    // The knowledge an event needs may come from that very event (a new organization, a release).
    // A hub sharing its Kafka cluster puts a prefix before the topic's name.
    if (topic.endsWith(DIRECTORY_TOPIC)) {
      await this.settle(this.options.organizations.waitFor(event, { timeoutMs: KNOWLEDGE_WAIT_MS }), event);
    }
    let statement: Awaited<ReturnType<typeof statementAccess>> = null;
    if (STATEMENT_TYPES.has(event.type)) {
      await this.settle(this.options.statements.waitFor(event, { timeoutMs: KNOWLEDGE_WAIT_MS }), event);
      const statementId = (event.data as { statementId?: unknown }).statementId;
      if (typeof statementId === 'string') statement = await statementAccess(this.options.sql, statementId);
    }
    const provinceCode = event.organizationId
      ? await liveDirectory.provinceCodeOf(this.options.sql, event.organizationId, now)
      : null;
    const facts: EventFacts = {
      event,
      provinceCode,
      view: eventViewer(event, await this.audienceOf(event, statement, now)),
    };
    this.remember(event.id);
    for (const listener of this.eventListeners.candidates(eventKeys(facts))) listener(facts);

    const notice = statementNoticeFor(event, statement, now);
    if (notice) {
      this.notify(notice);
      if (notice.audience.kind !== 'public' && statement?.embargoUntil) {
        this.scheduleLift(notice.statementId, notice.organizationId, statement.embargoUntil);
      }
    }
  }

  /**
   * What deciding every subscriber's view of the event needs, loaded once. Knowledge that lags only
   * narrows the audience: the embargo itself is read from the event.
   */
  private async audienceOf(
    event: EventEnvelope,
    statement: Awaited<ReturnType<typeof statementAccess>>,
    now: Date,
  ): Promise<AudienceContext> {
    const needs = audienceNeeds([event]);
    const ancestors = new Map<string, readonly string[]>();
    for (const organizationId of needs.organizationIds) {
      ancestors.set(organizationId, await liveDirectory.ancestorsOf(this.options.sql, organizationId));
    }
    const statementRecipients = new Map<string, ReadonlySet<string>>();
    if (statement && needs.statementIds.has(statement.id)) statementRecipients.set(statement.id, statement.recipients);
    return { now, ancestors, statementRecipients };
  }

  private async settle(waiting: Promise<void>, event: EventEnvelope): Promise<void> {
    // Serving the event with older knowledge beats holding back every later one.
    await waiting.catch((error: unknown) =>
      this.log(
        `knowledge lags behind event ${event.id} (${event.type}): ${error instanceof Error ? error.message : error}`,
      ),
    );
  }

  private scheduleLift(statementId: string, organizationId: string, until: Date): void {
    if (this.embargoTimers.has(statementId)) return;
    const delay = until.getTime() - this.clock().getTime();
    const timer = setTimeout(
      () => {
        this.embargoTimers.delete(statementId);
        if (delay > MAX_TIMER_MS) {
          this.scheduleLift(statementId, organizationId, until);
          return;
        }
        this.notify({ statementId, organizationId, audience: PUBLIC });
      },
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    timer.unref();
    this.embargoTimers.set(statementId, timer);
  }

  private notify(notice: StatementNotice): void {
    for (const listener of this.noticeListeners.candidates([organizationKey(notice.organizationId)])) listener(notice);
  }

  private remember(id: string): void {
    this.recent.add(id);
    for (const old of this.recent) {
      if (this.recent.size <= REMEMBERED_IDS) break;
      this.recent.delete(old);
    }
  }
}
