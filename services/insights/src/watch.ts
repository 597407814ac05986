import { randomUUID } from 'node:crypto';
import { badInput } from '@hub/errors';
import type { EventBus, Subscription } from '@hub/event-bus';
import type { EventEnvelope } from '@hub/event-catalogue';
import { Channel } from '@hub/graphql-kit';
import type { BusProjectionRunner } from '@hub/relay';
import type { OrganizationResult } from './domain/scoring.js';
import { toOrganizationScore } from './graphql/resolvers.js';
import type { OrganizationScore } from './graphql/types.js';
import type { InsightsService, PeriodScores } from './service.js';

const MAX_ORGANIZATIONS = 200;
/** Events that arrive together are measured together: one recomputation per burst, not per event. */
const COALESCE_MS = 40;
const APPLIED_WAIT_MS = 2_000;

interface Watcher {
  readonly organizationIds: ReadonlySet<string> | null;
  readonly channel: Channel<OrganizationScore>;
}

interface WatchedPeriod {
  readonly label: string;
  readonly watchers: Set<Watcher>;
  /** organization → what its score looked like last time, to tell a move from a repeat. */
  snapshot: Promise<Map<string, string>>;
}

const fingerprint = (result: OrganizationResult): string =>
  JSON.stringify([
    result.score,
    result.rank,
    result.values.map((value) => [value.value, value.numerator, value.denominator]),
  ]);

/**
 * The source of `scoreChanged`: its own bus subscription (every process sees every event), and for
 * each watched period the scoreboard re-measured after the read model applied the events, compared
 * with the last one, the organizations whose figures moved pushed to their subscribers.
 */
export class ScoreWatch {
  private readonly periods = new Map<string, WatchedPeriod>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly options: {
      readonly service: InsightsService;
      readonly bus: EventBus;
      readonly topics: readonly string[];
      readonly projections: BusProjectionRunner;
      readonly handles: ReadonlySet<string>;
      readonly log?: (message: string) => void;
    },
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe({
      groupId: `insights.scores.${randomUUID()}`,
      topics: this.options.topics,
      fromBeginning: false,
      onEvent: (event) => this.receive(event),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const period of this.periods.values()) for (const watcher of period.watchers) await watcher.channel.return();
    await this.running;
  }

  watch(label: string, organizationIds: readonly string[] | null): AsyncIterableIterator<OrganizationScore> {
    this.options.service.period(label);
    if (organizationIds && organizationIds.length > MAX_ORGANIZATIONS) {
      throw badInput('organizationIds', `at most ${MAX_ORGANIZATIONS} organizations`);
    }
    let period = this.periods.get(label);
    if (!period) {
      period = { label, watchers: new Set(), snapshot: this.measure(label).then((results) => snapshotOf(results)) };
      this.periods.set(label, period);
    }
    const watched = period;
    const watcher: Watcher = {
      organizationIds: organizationIds && organizationIds.length > 0 ? new Set(organizationIds) : null,
      channel: new Channel(() => {
        watched.watchers.delete(watcher);
        if (watched.watchers.size === 0) this.periods.delete(label);
      }),
    };
    watched.watchers.add(watcher);
    return watcher.channel;
  }

  private async receive(event: EventEnvelope): Promise<void> {
    if (!this.options.handles.has(event.type) || this.periods.size === 0) return;
    // Measured after the read model holds the event; a lagging projection delays, never blocks, the feed.
    await this.options.projections.waitFor(event, { timeoutMs: APPLIED_WAIT_MS }).catch(() => undefined);
    this.schedule();
  }

  private schedule(): void {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.remeasure()
        .catch((error: unknown) => this.options.log?.(`score watch: ${error instanceof Error ? error.message : error}`))
        .finally(() => {
          this.running = undefined;
          if (this.dirty) {
            this.dirty = false;
            this.schedule();
          }
        });
    }, COALESCE_MS);
  }

  private measure(label: string): Promise<PeriodScores> {
    return this.options.service.scores(label);
  }

  private async remeasure(): Promise<void> {
    for (const period of [...this.periods.values()]) {
      const previous = await period.snapshot.catch(() => new Map<string, string>());
      const scores = await this.measure(period.label);
      const next = snapshotOf(scores);
      period.snapshot = Promise.resolve(next);
      for (const result of scores.results) {
        const id = result.organization.id;
        if (previous.get(id) === next.get(id)) continue;
        const score = toOrganizationScore(result, scores);
        for (const watcher of period.watchers) {
          if (!watcher.organizationIds || watcher.organizationIds.has(id)) watcher.channel.push(score);
        }
      }
    }
  }
}

const snapshotOf = (scores: PeriodScores): Map<string, string> =>
  new Map(scores.results.map((result) => [result.organization.id, fingerprint(result)]));
