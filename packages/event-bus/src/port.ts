import { HubError } from '@hub/errors';
import type { EventEnvelope } from '@hub/event-catalogue';

/** Where a delivered event sits on the bus. `offset` is a decimal string (Kafka offsets are 64-bit). */
export interface DeliveryMeta {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface SubscribeOptions {
  /** Consumers sharing a group id share the work; each group gets every event. */
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Where a group with no committed position starts: the oldest event (true) or the events
   * published after `subscribe()` resolves (false, the default). A committed position always wins.
   */
  readonly fromBeginning?: boolean;
  /**
   * Called once per event, never concurrently with itself. The event counts as consumed only when
   * the promise resolves; a rejection redelivers the same event after a backoff, and no later event
   * of its partition is delivered before it succeeds (at-least-once, in order per stream).
   */
  onEvent(event: EventEnvelope, meta: DeliveryMeta): Promise<void>;
}

/**
 * A topic's events as its source holds them, in the order they were published: the event store
 * the topic's relay reads. `from` is the position of the last event already seen (null: from the
 * start); an empty page means there is nothing more.
 */
export interface EventSource {
  readAll(
    from: string | null,
    limit: number,
  ): Promise<{ readonly events: readonly EventEnvelope[]; readonly checkpoint: string | null }>;
}

export interface Subscription {
  /**
   * Stops delivery, waits for the handler call in flight and commits every consumed event, so a
   * successor in the same group resumes right after them. `onEvent` is not called once it resolves.
   */
  close(): Promise<void>;
}

/**
 * Carries events between services (design §2, §3). Events keyed by stream: one stream's events
 * keep their publish order for every subscriber.
 */
export interface EventBus {
  /** Resolves once the bus holds the events durably; an empty list publishes nothing. */
  publish(topic: string, events: readonly EventEnvelope[]): Promise<void>;
  /** Resolves once the consumer is positioned, so events published afterwards reach it. */
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Closes every subscription, then the bus itself. */
  close(): Promise<void>;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly [key: string]: unknown;
}

/** Where adapters report what goes wrong without failing a call (handler errors, skipped messages). */
export type BusLog = (entry: LogEntry) => void;

export const stderrLog: BusLog = (entry) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'event-bus', ...entry })}\n`);
};

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Kafka's topic naming rule, applied by every adapter so embedded mode rejects what Kafka would. */
export function assertTopicName(topic: string): void {
  if (!TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
    throw new HubError('BAD_USER_INPUT', `"${topic}" is not a valid topic name (1-249 of a-z A-Z 0-9 . _ -)`, {
      field: 'topic',
    });
  }
}

export function assertSubscribeOptions(options: SubscribeOptions): void {
  if (options.groupId.trim() === '') {
    throw new HubError('BAD_USER_INPUT', 'a subscription needs a group id', { field: 'groupId' });
  }
  if (options.topics.length === 0) {
    throw new HubError('BAD_USER_INPUT', 'a subscription needs at least one topic', { field: 'topics' });
  }
  for (const topic of options.topics) assertTopicName(topic);
}

export const busClosed = (): HubError => new HubError('INTERNAL', 'the event bus is closed');
