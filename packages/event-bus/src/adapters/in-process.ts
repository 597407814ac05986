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
  type EventSource,
  type SubscribeOptions,
  type Subscription,
  stderrLog,
} from '../port.js';

export interface InProcessEventBusOptions {
  /** Partitions per topic; a stream always maps to the same one. Default 3, like the Kafka adapter. */
  readonly partitions?: number;
  readonly log?: BusLog;
  /**
   * Each topic's source (its context's event store). A topic with a source keeps in memory only
   * what the groups reading it have not consumed yet plus the last `retain` events per partition;
   * a group that needs older events (one joining later from the beginning, or resuming) reads them
   * from the source. A topic without one keeps every event.
   */
  readonly sources?: Readonly<Record<string, EventSource>>;
  /** Events kept per partition past what every reading group has consumed; default 1,000. */
  readonly retain?: number;
}

export interface InProcessEventBus extends EventBus {
  /** Events held in memory over every topic: what retention bounds. */
  held(): number;
}

/** Events read from a source per page when a group catches up from it. */
const SOURCE_PAGE = 500;
const SOURCE_RETRY_MS = 1_000;
/** Trimmed slots are compacted away in steps, so trimming costs O(1) per event. */
const COMPACT_AFTER = 4_096;

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

interface Committed {
  /** The next offset to consume. */
  readonly next: number;
  /** The position of the last event consumed: where reading from the source resumes. */
  readonly after: string;
}

interface Group {
  /** Per `topic/partition`, written only after the handler accepted. */
  readonly committed: Map<string, Committed>;
  members: Member[];
  /** The offset each running partition loop is at: what retention must keep for this group. */
  readonly reading: Map<string, number>;
}

/**
 * One partition's events from `start` on. Offsets keep counting from the first event ever
 * published, so a group's committed offset stays meaningful after the events before it are dropped.
 */
class PartitionLog {
  private entries: (EventEnvelope | undefined)[] = [];
  private head = 0;
  /** Offset of the oldest event still held. */
  start = 0;
  /** Position of the first event ever published here: where a group from the beginning starts. */
  first: string | null = null;
  /** Position of the last event dropped: a group reading the source switches back to memory after it. */
  droppedThrough: string | null = null;

  get size(): number {
    return this.entries.length - this.head;
  }

  get end(): number {
    return this.start + this.entries.length - this.head;
  }

  append(event: EventEnvelope): void {
    this.first ??= event.position;
    this.entries.push(event);
  }

  /** The event at `offset`, undefined past the end; only offsets ≥ start are asked for. */
  at(offset: number): EventEnvelope | undefined {
    return this.entries[this.head + offset - this.start];
  }

  dropBefore(offset: number): void {
    while (this.start < offset && this.head < this.entries.length) {
      this.droppedThrough = this.entries[this.head]!.position;
      this.entries[this.head] = undefined;
      this.head++;
      this.start++;
    }
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
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

/** Through the wire format and back, so embedded mode delivers exactly what Kafka would. */
const overTheWire = (event: EventEnvelope, source: string): EventEnvelope =>
  fromCloudEvent(JSON.parse(JSON.stringify(toCloudEvent(event, source))));

/**
 * The event bus of embedded mode (design §7): Kafka's semantics in memory. Each topic is a set of
 * partitioned logs, each consumer group keeps its committed offsets and splits partitions among its
 * members, and a member that closes hands its partitions on at the committed position. Memory holds
 * only what is still to be read (see `sources`), as Kafka's retention would, minus the loss.
 */
export function inProcessEventBus(options: InProcessEventBusOptions = {}): InProcessEventBus {
  const partitionCount = options.partitions ?? 3;
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitionCount}`);
  }
  const retain = options.retain ?? 1_000;
  if (!Number.isInteger(retain) || retain < 0) {
    throw new RangeError(`retain must be a whole number ≥ 0, got ${retain}`);
  }
  const log = options.log ?? stderrLog;
  const sources = options.sources ?? {};
  const topics = new Map<string, PartitionLog[]>();
  const groups = new Map<string, Group>();
  const subscriptions = new Set<Subscription>();
  const changes = new Changes();
  let closed = false;

  const topic = (name: string): PartitionLog[] => {
    let partitions = topics.get(name);
    if (partitions === undefined) {
      partitions = Array.from({ length: partitionCount }, () => new PartitionLog());
      topics.set(name, partitions);
    }
    return partitions;
  };
  const partitionOf = (event: EventEnvelope): number => hash(event.stream) % partitionCount;

  /** Drops what no running loop still has to read, keeping the last `retain` events for latecomers. */
  const trim = (topicName: string): void => {
    if (sources[topicName] === undefined) return;
    for (const [partition, events] of topic(topicName).entries()) {
      const key = `${topicName}/${partition}`;
      let keep = events.end - retain;
      for (const group of groups.values()) keep = Math.min(keep, group.reading.get(key) ?? keep);
      events.dropBefore(keep);
    }
  };

  const ownerOf = (group: Group, topicName: string, partition: number): Member | undefined => {
    const eligible = group.members.filter((member) => !member.closing && member.topics.has(topicName));
    return eligible[partition % eligible.length];
  };

  const deliver = (
    group: Group,
    member: Member,
    event: EventEnvelope,
    meta: DeliveryMeta,
    commit: Committed,
  ): Promise<boolean> => {
    const delivery = member.turn.then(async () => {
      if (member.closing) return false;
      const accepted = await deliverUntilAccepted(member.options.onEvent, event, meta, {
        stopping: () => member.closing,
        stopped: member.stopped.fired,
        log,
      });
      // Committed inside the member's turn, so close() (which awaits the turn) sees the commit.
      if (accepted) group.committed.set(`${meta.topic}/${meta.partition}`, commit);
      return accepted;
    });
    member.turn = delivery.catch(() => undefined);
    return delivery;
  };

  /**
   * Delivers the partition's events that memory no longer holds from the topic's source, in the
   * order they were published, up to the last one dropped; returns the offset to go on from, or
   * undefined when the group has no member left to deliver to.
   */
  const readSource = async (
    group: Group,
    topicName: string,
    partition: number,
    from: { readonly next: number; readonly after: string | null },
  ): Promise<number | undefined> => {
    const key = `${topicName}/${partition}`;
    const events = topic(topicName)[partition]!;
    const source = sources[topicName]!;
    const wire = cloudEventSource(topicName);
    // This loop's offset holds retention, so `droppedThrough` and `start` stay put while it reads.
    const through = events.droppedThrough;
    // From the beginning: the source may hold events published before this bus existed; skip those.
    let skipUntil = from.after === null ? events.first : null;
    let cursor = from.after;
    let next = from.next;
    for (;;) {
      let page: Awaited<ReturnType<EventSource['readAll']>>;
      try {
        page = await source.readAll(cursor, SOURCE_PAGE);
      } catch (error) {
        if (closed || ownerOf(group, topicName, partition) === undefined) return undefined;
        log({
          level: 'error',
          message: 'reading older events from the source failed; retrying',
          topic: topicName,
          partition,
          error: error instanceof Error ? error.message : String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, SOURCE_RETRY_MS));
        continue;
      }
      if (page.events.length === 0) return events.start;
      for (const stored of page.events) {
        cursor = stored.position;
        if (partitionOf(stored) !== partition) continue;
        if (skipUntil !== null) {
          if (stored.position !== skipUntil) continue;
          skipUntil = null;
        }
        const last = stored.position === through;
        // After the last event dropped comes the oldest held, whatever count the source gave.
        const commit = { next: last ? events.start : next + 1, after: stored.position };
        const event = overTheWire(stored, wire);
        for (;;) {
          const owner = closed ? undefined : ownerOf(group, topicName, partition);
          if (owner === undefined) return undefined;
          const meta = { topic: topicName, partition, offset: String(next) };
          if (await deliver(group, owner, event, meta, commit)) break;
        }
        next = commit.next;
        // Never past the oldest event held, so that one stays until this loop has read it.
        group.reading.set(key, Math.min(next, events.start));
        if (last) return next;
      }
      cursor = page.checkpoint ?? cursor;
    }
  };

  /** One loop per group and partition keeps the partition's events in order whoever owns it. */
  const consume = async (group: Group, topicName: string, partition: number, startAt: number): Promise<void> => {
    const key = `${topicName}/${partition}`;
    const events = topic(topicName)[partition]!;
    const committed = group.committed.get(key);
    let next = committed?.next ?? startAt;
    // Set before the first await: from here on, retention keeps what this loop has yet to read.
    group.reading.set(key, next);
    try {
      if (next < events.start) {
        const resumed = await readSource(group, topicName, partition, { next, after: committed?.after ?? null });
        if (resumed === undefined) return;
        next = resumed;
        group.reading.set(key, next);
      }
      for (;;) {
        const owner = closed ? undefined : ownerOf(group, topicName, partition);
        if (owner === undefined) return;
        const event = events.at(next);
        if (event === undefined) {
          await changes.wait();
          continue;
        }
        const meta = { topic: topicName, partition, offset: String(next) };
        if (await deliver(group, owner, event, meta, { next: next + 1, after: event.position })) {
          next++;
          group.reading.set(key, next);
        }
      }
    } finally {
      group.reading.delete(key);
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
    held() {
      let total = 0;
      for (const partitions of topics.values()) for (const events of partitions) total += events.size;
      return total;
    },

    async publish(topicName, events) {
      if (closed) throw busClosed();
      assertTopicName(topicName);
      // Every event is checked before any is appended.
      const source = cloudEventSource(topicName);
      const copies = events.map((event) => overTheWire(event, source));
      const partitions = topic(topicName);
      for (const event of copies) partitions[partitionOf(event)]!.append(event);
      if (copies.length > 0) {
        trim(topicName);
        changes.notify();
      }
    },

    async subscribe(subscribeOptions) {
      if (closed) throw busClosed();
      assertSubscribeOptions(subscribeOptions);
      let group = groups.get(subscribeOptions.groupId);
      if (group === undefined) {
        group = { committed: new Map(), members: [], reading: new Map() };
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
          if (group.reading.has(`${topicName}/${partition}`)) continue;
          consume(group, topicName, partition, subscribeOptions.fromBeginning ? 0 : events.end).catch(
            (error: unknown) =>
              log({
                level: 'error',
                message: 'a partition stopped being consumed',
                topic: topicName,
                partition,
                error: error instanceof Error ? error.message : String(error),
              }),
          );
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
