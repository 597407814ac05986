import type { EventEnvelope } from '@hub/event-catalogue';
import kafkajs, {
  type Admin,
  type Consumer,
  Kafka,
  type LogEntry as KafkaLogEntry,
  logLevel as KafkaLogLevel,
  type logCreator,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE, cloudEventSource, decodeCloudEvent, encodeCloudEvent } from '../cloudevents.js';
import { deliverUntilAccepted, latch } from '../delivery.js';

// kafkajs adds its error classes to its CommonJS exports by spreading, which Node's ESM loader
// cannot see as named exports; only the default export carries them.
const { KafkaJSError } = kafkajs;

import {
  assertSubscribeOptions,
  assertTopicName,
  type BusLog,
  busClosed,
  type EventBus,
  type LogLevel,
  type Subscription,
  stderrLog,
} from '../port.js';

export interface KafkaEventBusOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Partitions of the topics this bus creates. Default 3. */
  readonly partitions?: number;
  /** Replication of the topics this bus creates. Default: the broker's default.replication.factor. */
  readonly replicationFactor?: number;
  /** Bounds how long a new topic may take to get leaders, and subscribe() to join and position. Default 30 s. */
  readonly subscribeTimeoutMs?: number;
  readonly log?: BusLog;
  /** The least severe kafkajs log that reaches `log`. Default 'error': its warnings are routine. */
  readonly kafkaLogLevel?: LogLevel | 'nothing';
}

const KAFKA_LEVELS: Record<LogLevel | 'nothing', KafkaLogLevel> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

const toBusLevel = (namespace: string, level: KafkaLogLevel): LogLevel => {
  // kafkajs reports every error response at ERROR from its Connection layer, routine ones too
  // (coordinator loading, group rebalancing); the layers above retry them and log what is fatal.
  if (level === KafkaLogLevel.ERROR) return namespace === 'Connection' ? 'warn' : 'error';
  if (level === KafkaLogLevel.WARN) return 'warn';
  return level === KafkaLogLevel.INFO ? 'info' : 'debug';
};

/** Routes kafkajs's logs into the bus log, at most as verbose as `threshold`. */
const kafkaLogs =
  (log: BusLog, threshold: LogLevel | 'nothing'): logCreator =>
  () =>
  ({ namespace, level, log: entry }: KafkaLogEntry) => {
    const busLevel = toBusLevel(namespace, level);
    if (threshold === 'nothing' || SEVERITY[busLevel] > SEVERITY[threshold]) return;
    const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry;
    log({ ...extra, level: busLevel, message: `kafkajs ${namespace}: ${message}` });
  };

/**
 * Thrown from the message handler while a subscription closes, so that kafkajs neither marks the
 * message consumed nor reports it as a handler failure. A KafkaJSError is the one kind it does not log.
 */
class SubscriptionClosing extends KafkaJSError {
  constructor() {
    super('the subscription is closing', { retriable: false });
  }
}

/** Latency first: a fetch returns as soon as one byte is there, and waits at most this long. */
const MAX_WAIT_MS = 50;

/**
 * The event bus of local and production modes (design §3, §7) on Apache Kafka via kafkajs. Each
 * event is one structured CloudEvents JSON message keyed by stream id, so the default partitioner
 * keeps a stream on one partition and in order; an idempotent producer with one request in flight
 * keeps retries from duplicating or reordering it. Offsets are committed only for events whose
 * handler resolved.
 */
export function kafkaEventBus(options: KafkaEventBusOptions): EventBus {
  const log = options.log ?? stderrLog;
  const partitions = options.partitions ?? 3;
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 30_000;
  const kafkaLogLevel = options.kafkaLogLevel ?? 'error';
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: KAFKA_LEVELS[kafkaLogLevel],
    logCreator: kafkaLogs(log, kafkaLogLevel),
    retry: { initialRetryTime: 100, retries: 8 },
  });
  const newProducer = () =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Topics are created with the bus's partition count before the first send, never by accident.
      allowAutoTopicCreation: false,
    });
  let producer = newProducer();
  const admin = kafka.admin();
  const subscriptions = new Set<Subscription>();
  const topicsReady = new Map<string, Promise<void>>();
  let producerReady: Promise<Producer> | undefined;
  let adminReady: Promise<Admin> | undefined;
  let closed = false;

  const connectOnce = <T extends Producer | Admin>(client: T, reset: () => void): Promise<T> =>
    client.connect().then(
      () => client,
      (error: unknown) => {
        reset();
        throw error;
      },
    );
  const connectedProducer = (): Promise<Producer> => {
    producerReady ??= connectOnce(producer, () => {
      producerReady = undefined;
    });
    return producerReady;
  };
  const connectedAdmin = (): Promise<Admin> => {
    adminReady ??= connectOnce(admin, () => {
      adminReady = undefined;
    });
    return adminReady;
  };

  /**
   * Creates the topic unless it exists, then waits until every partition has a leader: with KRaft a
   * new topic reaches the broker's metadata a moment after its creation, and kafkajs's own wait
   * fails instead of retrying when the broker does not know the topic yet.
   */
  const createTopic = async (topic: string): Promise<void> => {
    const client = await connectedAdmin();
    await client.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: options.replicationFactor ?? -1 }],
      waitForLeaders: false,
    });
    const deadline = Date.now() + subscribeTimeoutMs;
    for (;;) {
      try {
        const { topics } = await client.fetchTopicMetadata({ topics: [topic] });
        const found = topics[0]?.partitions ?? [];
        if (found.length > 0 && found.every((partition) => partition.leader >= 0)) return;
      } catch (error) {
        if (!(error instanceof KafkaJSError && error.retriable)) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader after ${subscribeTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const ensureTopics = async (topics: readonly string[]): Promise<void> => {
    await Promise.all(
      topics.map((topic) => {
        let ready = topicsReady.get(topic);
        if (ready === undefined) {
          ready = createTopic(topic).catch((error: unknown) => {
            topicsReady.delete(topic);
            throw error;
          });
          topicsReady.set(topic, ready);
        }
        return ready;
      }),
    );
  };

  /** Resolves once the consumer has its partitions and knows where to read, or has none to read. */
  const positioned = (consumer: Consumer): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const listeners = [
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          if (Object.values(payload.memberAssignment).every((assigned) => assigned.length === 0)) done();
        }),
        // kafkajs resolves the starting offsets right before the first fetch.
        consumer.on(consumer.events.FETCH, () => done()),
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) done(payload.error);
        }),
      ];
      const timer = setTimeout(
        () => done(new Error(`the consumer was not positioned within ${subscribeTimeoutMs} ms`)),
        subscribeTimeoutMs,
      );
      function done(error?: Error): void {
        clearTimeout(timer);
        for (const remove of listeners) remove();
        if (error === undefined) resolve();
        else reject(error);
      }
    });

  return {
    async publish(topic, events) {
      if (closed) throw busClosed();
      assertTopicName(topic);
      if (events.length === 0) return;
      const source = cloudEventSource(topic);
      const messages = events.map((event: EventEnvelope) => ({
        key: event.stream,
        value: encodeCloudEvent(event, source),
        headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
      }));
      await ensureTopics([topic]);
      const client = await connectedProducer();
      try {
        await client.send({ topic, acks: -1, messages });
      } catch (error) {
        // After a broker restart an idempotent producer can be stuck on sequence numbers the
        // broker no longer expects (OUT_OF_ORDER_SEQUENCE_NUMBER on every retry). The caller sends
        // the batch again (at least once); a new producer gets a new producer id and starts over.
        if (producer === client) {
          producer = newProducer();
          producerReady = undefined;
          void client.disconnect().catch(() => undefined);
        }
        throw error;
      }
    },

    async subscribe(subscribeOptions) {
      if (closed) throw busClosed();
      assertSubscribeOptions(subscribeOptions);
      await ensureTopics(subscribeOptions.topics);

      const consumer = kafka.consumer({
        groupId: subscribeOptions.groupId,
        maxWaitTimeInMs: MAX_WAIT_MS,
        minBytes: 1,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        retry: { initialRetryTime: 100, retries: 8 },
      });
      let stopping = false;
      const closingSignal = latch();

      await consumer.connect();
      try {
        await consumer.subscribe({
          topics: [...subscribeOptions.topics],
          fromBeginning: subscribeOptions.fromBeginning ?? false,
        });
        // Listening before run() starts, and awaited together, so an early failure is never unhandled.
        await Promise.all([
          positioned(consumer),
          consumer.run({
            // Only offsets of messages whose handler returned are resolved, hence committed: after
            // each batch, every second within a long one, and when the consumer stops.
            autoCommit: true,
            autoCommitInterval: 1_000,
            partitionsConsumedConcurrently: 1,
            eachMessage: async ({ topic, partition, message, heartbeat }) => {
              if (stopping) throw new SubscriptionClosing();
              const meta = { topic, partition, offset: message.offset };
              let event: EventEnvelope;
              try {
                event = decodeCloudEvent(message.value ?? '');
              } catch (error) {
                // Redelivery cannot make it one of ours, and blocking the partition would stall
                // every stream on it: report it loudly and move on.
                log({
                  level: 'error',
                  message: 'skipped a message that is not a hub CloudEvent',
                  ...meta,
                  key: message.key?.toString('utf8') ?? null,
                  error: error instanceof Error ? error.message : String(error),
                });
                return;
              }
              const accepted = await deliverUntilAccepted(subscribeOptions.onEvent, event, meta, {
                stopping: () => stopping,
                stopped: closingSignal.fired,
                log,
                keepAlive: heartbeat,
              });
              if (!accepted) throw new SubscriptionClosing();
            },
          }),
        ]);
      } catch (error) {
        await consumer.disconnect();
        throw error;
      }

      let closing: Promise<void> | undefined;
      const subscription: Subscription = {
        close() {
          closing ??= (async () => {
            stopping = true;
            closingSignal.fire();
            subscriptions.delete(subscription);
            // Waits for the handler in flight, commits resolved offsets and leaves the group.
            await consumer.disconnect();
          })();
          return closing;
        },
      };
      if (closed) {
        // The bus closed while this consumer was joining; it must not outlive the bus.
        await subscription.close();
        throw busClosed();
      }
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await Promise.all([
        // A client that never connected has nothing to disconnect.
        producerReady?.then(
          (client) => client.disconnect(),
          () => undefined,
        ),
        adminReady?.then(
          (client) => client.disconnect(),
          () => undefined,
        ),
      ]);
    },
  };
}
