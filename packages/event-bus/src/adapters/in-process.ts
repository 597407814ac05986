import type { EventEnvelope } from '@hub/event-catalogue';
import { cloudEventSource, fromCloudEvent, toCloudEvent } from '../cloudevents.js';
import { deliverUntilAccepted, type Latch, latch } from '../delivery.js';
import {
  assertSubscribeOptions,
  assertTopicName,
  type BusLog,
  busClosed,
  type DeliveryMeta,
  type EventBus,
  type SubscribeOptions,
  type Subscription,
  stderrLog,
} from '../port.js';

export interface InProcessEventBusOptions {
  /** Partitions per topic; a stream always maps to the same one. Default 3, like the Kafka adapter. */
  readonly partitions?: number;
  readonly log?: BusLog;
}

/** Wakes every waiter on the next change; waiters re-check their condition after waking. */
class Changes {
  private waiters: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

interface Member {
  readonly options: SubscribeOptions;
  readonly topics: ReadonlySet<string>;
  closing: boolean;
  readonly stopped: Latch;
  /** The member's handler calls, chained so that it never runs concurrently with itself. */
  turn: Promise<unknown>;
}

interface Group {
  /** Next offset to consume, per `topic/partition`, written only after the handler accepted. */
  readonly committed: Map<string, number>;
  members: Member[];
  readonly running: Set<string>;
}

/** FNV-1a: any stable hash will do, as long as a stream always lands on the same partition. */
function hash(key: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    value ^= key.charCodeAt(i);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/**
 * The event bus of embedded mode (design §7): Kafka's semantics in memory. Each topic is a set of
 * partitioned logs, each consumer group keeps its committed offsets and splits partitions among its
 * members, and a member that closes hands its partitions on at the committed position.
 */
export function inProcessEventBus(options: InProcessEventBusOptions = {}): EventBus {
  const partitionCount = options.partitions ?? 3;
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitionCount}`);
  }
  const log = options.log ?? stderrLog;
  const topics = new Map<string, EventEnvelope[][]>();
  const groups = new Map<string, Group>();
  const subscriptions = new Set<Subscription>();
  const changes = new Changes();
  let closed = false;

  const topic = (name: string): EventEnvelope[][] => {
    let partitions = topics.get(name);
    if (partitions === undefined) {
      partitions = Array.from({ length: partitionCount }, () => []);
      topics.set(name, partitions);
    }
    return partitions;
  };

  const ownerOf = (group: Group, topicName: string, partition: number): Member | undefined => {
    const eligible = group.members.filter((member) => !member.closing && member.topics.has(topicName));
    return eligible[partition % eligible.length];
  };

  const deliver = (group: Group, member: Member, event: EventEnvelope, meta: DeliveryMeta): Promise<boolean> => {
    const delivery = member.turn.then(async () => {
      if (member.closing) return false;
      const accepted = await deliverUntilAccepted(member.options.onEvent, event, meta, {
        stopping: () => member.closing,
        stopped: member.stopped.fired,
        log,
      });
      // Committed inside the member's turn, so close() (which awaits the turn) sees the commit.
      if (accepted) group.committed.set(`${meta.topic}/${meta.partition}`, Number(meta.offset) + 1);
      return accepted;
    });
    member.turn = delivery.catch(() => undefined);
    return delivery;
  };

  /** One loop per group and partition keeps the partition's events in order whoever owns it. */
  const consume = async (group: Group, topicName: string, partition: number, startAt: number): Promise<void> => {
    const key = `${topicName}/${partition}`;
    const events = topic(topicName)[partition]!;
    let next = group.committed.get(key) ?? startAt;
    try {
      for (;;) {
        const owner = closed ? undefined : ownerOf(group, topicName, partition);
        if (owner === undefined) return;
        const event = events[next];
        if (event === undefined) {
          await changes.wait();
          continue;
        }
        if (await deliver(group, owner, event, { topic: topicName, partition, offset: String(next) })) next++;
      }
    } finally {
      group.running.delete(key);
    }
  };

  const closeMember = async (group: Group, member: Member): Promise<void> => {
    if (member.closing) return;
    member.closing = true;
    member.stopped.fire();
    changes.notify();
    await member.turn;
    group.members = group.members.filter((other) => other !== member);
    changes.notify();
  };

  return {
    async publish(topicName, events) {
      if (closed) throw busClosed();
      assertTopicName(topicName);
      // Through the wire format and back, so embedded mode accepts and delivers exactly what Kafka
      // would; every event is checked before any is appended.
      const source = cloudEventSource(topicName);
      const copies = events.map((event) => fromCloudEvent(JSON.parse(JSON.stringify(toCloudEvent(event, source)))));
      const partitions = topic(topicName);
      for (const event of copies) partitions[hash(event.stream) % partitionCount]!.push(event);
      if (copies.length > 0) changes.notify();
    },

    async subscribe(subscribeOptions) {
      if (closed) throw busClosed();
      assertSubscribeOptions(subscribeOptions);
      let group = groups.get(subscribeOptions.groupId);
      if (group === undefined) {
        group = { committed: new Map(), members: [], running: new Set() };
        groups.set(subscribeOptions.groupId, group);
      }
      const member: Member = {
        options: subscribeOptions,
        topics: new Set(subscribeOptions.topics),
        closing: false,
        stopped: latch(),
        turn: Promise.resolve(),
      };
      group.members.push(member);
      for (const topicName of member.topics) {
        const partitions = topic(topicName);
        for (const [partition, events] of partitions.entries()) {
          const key = `${topicName}/${partition}`;
          if (group.running.has(key)) continue;
          group.running.add(key);
          void consume(group, topicName, partition, subscribeOptions.fromBeginning ? 0 : events.length);
        }
      }
      changes.notify();

      const joined = group;
      const subscription: Subscription = {
        async close() {
          subscriptions.delete(subscription);
          await closeMember(joined, member);
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      changes.notify();
    },
  };
}
