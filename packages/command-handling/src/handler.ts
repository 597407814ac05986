import { randomUUID } from 'node:crypto';
import { err, HubError, isHubError, ok, type Result } from '@hub/errors';
import type { Actor, EventEnvelope, NewEvent } from '@hub/event-catalogue';
import {
  type Checkpoint,
  type EventStore,
  type ExpectedRevision,
  NO_STREAM,
  type StreamAppend,
  type StreamSlice,
} from '@hub/event-store';
import { type Decider, type DomainEvent, fold } from './decider.js';
import { idempotentEventId } from './ids.js';
import { type CommandTrace, commandChannel, commandName } from './instrumentation.js';

/** Who is acting and how the command relates to others; becomes the events' metadata. */
export interface CommandContext {
  readonly actor: Actor;
  /** The organization the events are about; defaults to the actor's organization. */
  readonly organizationId?: string | null;
  /** The same key from the same user returns the first result again and appends nothing. */
  readonly idempotencyKey?: string | null;
  /** Defaults to the id of the first event appended. */
  readonly correlationId?: string;
  readonly causationId?: string | null;
}

export interface CommandHandlerOptions {
  /** Read-decide-append rounds before a conflict is reported; default 5. */
  readonly maxAttempts?: number;
  /** Pause before round `attempt + 1` after round `attempt` lost a race; default: jittered, 5–100 ms. */
  readonly retryDelayMs?: (attempt: number) => number;
  readonly now?: () => Date;
  /** Streams whose folded state is kept between commands; default 10,000 (0 turns the cache off). */
  readonly cachedStreams?: number;
  /**
   * Ids of each cached stream's latest events kept for idempotency checks; default 64. A key not
   * among them is still answered exactly: the store is asked whenever it could make a difference.
   */
  readonly recentIdsPerStream?: number;
}

/** One command of a bulk: `bulkCommand` builds it with the decider's types checked. */
export interface BulkCommand {
  readonly decider: Decider<unknown, unknown, DomainEvent>;
  readonly stream: string;
  readonly command: unknown;
  readonly context: CommandContext;
}

export function bulkCommand<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  stream: string,
  command: Command,
  context: CommandContext,
): BulkCommand {
  return { decider: decider as unknown as Decider<unknown, unknown, DomainEvent>, stream, command, context };
}

/** Each command's result, or the typed error it was refused with (it appended nothing). */
export type BulkOutcome = Result<CommandResult<unknown>, HubError>;

export interface CommandResult<State> {
  readonly stream: string;
  /** The state after this command's events (for a replay: after the first run's events). */
  readonly state: State;
  /** The envelopes this command appended (for a replay: the ones the first run appended). */
  readonly events: readonly EventEnvelope[];
  /** The stream's revision after this command's events; NO_STREAM if the stream is still empty. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event of this command, for read-your-writes; null if none. */
  readonly position: Checkpoint | null;
  /** True when the idempotency key had been seen: nothing was appended this time. */
  readonly replayed: boolean;
  /** Read-decide-append rounds it took. */
  readonly attempts: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The ids of a stream's latest events, oldest first. Every entry of one stream shares it: only
 * committed ids are ever added, so an id found here is in the stream whichever state asks.
 */
class RecentIds {
  private readonly ids = new Set<string>();
  /** True while nothing has been dropped, so an id not found here is not in the stream. */
  private whole = true;

  constructor(private readonly limit: number) {}

  add(events: readonly EventEnvelope[]): this {
    for (const event of events) this.ids.add(event.id);
    for (const id of this.ids) {
      if (this.ids.size <= this.limit) break;
      this.ids.delete(id);
      this.whole = false;
    }
    return this;
  }

  /** true: in the stream; false: not in it; undefined: only the store can tell. */
  holds(id: string): boolean | undefined {
    if (this.ids.has(id)) return true;
    return this.whole ? false : undefined;
  }
}

/** A stream's state as of a revision, and its latest event ids (for idempotency checks). */
interface Folded {
  readonly decider: object;
  readonly revision: number;
  readonly state: unknown;
  readonly recent: RecentIds;
}
const MAX_KEY_LENGTH = 200;

// Equal jitter: half of an exponentially growing delay plus a random half, so writers that lost
// the same race spread out instead of colliding again in lockstep.
export const jitteredBackoff = (attempt: number): number => {
  const ceiling = Math.min(100, 5 * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs commands against event-sourced aggregates (design §5): read the stream, fold it, decide,
 * append with the revision read. A writer that lost a race re-reads and decides again, a bounded
 * number of times. Decision errors are thrown as they are and append nothing.
 */
export class CommandHandler {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly now: () => Date;
  private readonly cachedStreams: number;
  private readonly recentIdsPerStream: number;
  /** Least recently used first (Map keeps insertion order). */
  private readonly folded = new Map<string, Folded>();

  constructor(
    private readonly store: EventStore,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${this.maxAttempts}`);
    }
    this.retryDelayMs = options.retryDelayMs ?? jitteredBackoff;
    this.now = options.now ?? (() => new Date());
    this.cachedStreams = options.cachedStreams ?? 10_000;
    this.recentIdsPerStream = options.recentIdsPerStream ?? 64;
  }

  handle<Command, State, Event extends DomainEvent>(
    decider: Decider<Command, State, Event>,
    stream: string,
    command: Command,
    context: CommandContext,
  ): Promise<CommandResult<State>> {
    if (!commandChannel.hasSubscribers) return this.run(decider, stream, command, context);
    const trace: CommandTrace = { command: commandName(command), stream };
    return commandChannel.tracePromise(() => this.run(decider, stream, command, context), trace);
  }

  private async run<Command, State, Event extends DomainEvent>(
    decider: Decider<Command, State, Event>,
    stream: string,
    command: Command,
    context: CommandContext,
  ): Promise<CommandResult<State>> {
    const key = context.idempotencyKey ?? undefined;
    if (key !== undefined) validateKey(key);
    const userId = context.actor.userId;
    const firstId = key === undefined ? undefined : idempotentEventId(userId, key, 0);

    let lastConflict: HubError | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const current = await this.read(decider, stream);
      const seen = firstId === undefined ? false : current.recent.holds(firstId);
      if (seen === true && key !== undefined && firstId !== undefined) {
        const replay = replayOf(decider, stream, await this.store.readStream(stream), userId, key, firstId, attempt);
        if (replay) return replay;
      }

      const state = current.state as State;
      const decision = decider.decide(command, state);
      // A refusal or a no-op may only mean the keyed command ran before, out of the ids kept in
      // memory: the store tells (a decision that appends finds out from DUPLICATE_EVENT instead).
      if ((!decision.ok || decision.value.length === 0) && seen === undefined && key !== undefined) {
        const replay = replayOf(
          decider,
          stream,
          await this.store.readStream(stream),
          userId,
          key,
          firstId as string,
          attempt,
        );
        if (replay) return replay;
      }
      if (!decision.ok) throw decision.error;
      const decided = decision.value;
      if (decided.length === 0) {
        return {
          stream,
          state,
          events: [],
          nextExpectedRevision: current.revision,
          position: null,
          replayed: false,
          attempts: attempt,
        };
      }

      const events = this.envelopesFor(decided, context, key);
      const expected: ExpectedRevision = current.revision === NO_STREAM ? 'no_stream' : current.revision;
      try {
        const appended = await this.store.append(stream, events, { expected });
        const next = fold(decider, decided, state);
        this.remember(stream, {
          decider,
          revision: appended.nextExpectedRevision,
          state: next,
          recent: current.recent.add(appended.events),
        });
        return {
          stream,
          state: next,
          events: appended.events,
          nextExpectedRevision: appended.nextExpectedRevision,
          position: appended.position,
          replayed: false,
          attempts: attempt,
        };
      } catch (error) {
        if (!isHubError(error)) throw error;
        if (error.code === 'DUPLICATE_EVENT' && key !== undefined && firstId !== undefined) {
          // Either a concurrent duplicate of this command won on this stream (answer with its
          // result), or the key already produced events elsewhere (a different command).
          const again = await this.store.readStream(stream);
          const replay = replayOf(decider, stream, again, userId, key, firstId, attempt);
          if (replay) return replay;
          throw keyReused(stream);
        }
        if (error.code !== 'WRONG_EXPECTED_REVISION') throw error;
        lastConflict = error;
        if (attempt < this.maxAttempts) await sleep(this.retryDelayMs(attempt));
      }
    }
    throw new HubError('CONFLICT', `stream ${stream} kept changing; gave up after ${this.maxAttempts} attempts`, {
      stream,
      attempts: this.maxAttempts,
      actualRevision: lastConflict?.details.actualRevision,
    });
  }

  /**
   * Decides many commands, over one or several streams, and appends all their events in one
   * transaction: the bulk form of `handle` for people who work in bulk. Commands on one stream are
   * decided in order, each on the state the ones before it leave. A refused command gets its error
   * and appends nothing while the others go ahead; a keyed command that ran before gets its first
   * result. A lost race re-reads and decides the whole batch again, a bounded number of times, and
   * then throws CONFLICT with nothing appended.
   */
  handleMany(commands: readonly BulkCommand[]): Promise<BulkOutcome[]> {
    if (!commandChannel.hasSubscribers) return this.runMany(commands);
    // One trace per bulk, named after its first command: a metric label per row would say less.
    const trace: CommandTrace = {
      command: `bulk:${commandName(commands[0]?.command)}`,
      stream: commands[0]?.stream ?? '',
    };
    let outcomes: BulkOutcome[] = [];
    return commandChannel
      .tracePromise(async () => {
        outcomes = await this.runMany(commands);
        const done = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
        const events = done.flatMap((result) => (result.replayed ? [] : result.events));
        return { events, replayed: events.length === 0 && done.some((result) => result.replayed) };
      }, trace)
      .then(() => outcomes);
  }

  private async runMany(commands: readonly BulkCommand[]): Promise<BulkOutcome[]> {
    const deciders = new Map<string, object>();
    for (const { decider, stream } of commands) {
      if ((deciders.get(stream) ?? decider) !== decider) {
        throw new RangeError(`stream ${stream} appears with two different deciders in one bulk`);
      }
      deciders.set(stream, decider);
    }
    const outcomes: (BulkOutcome | undefined)[] = commands.map(({ context }) => {
      const key = context.idempotencyKey ?? undefined;
      if (key === undefined) return undefined;
      try {
        validateKey(key);
        return undefined;
      } catch (error) {
        return err(error as HubError);
      }
    });
    // Streams read in full in the previous round: where a key might already have been used.
    const wholeStreams = new Set<string>();
    let duplicateId: string | undefined;
    let lastConflict: HubError | undefined;
    for (let attempt = 1, rounds = 0; attempt <= this.maxAttempts; rounds++) {
      if (rounds > this.maxAttempts * 2) break;
      const folded = new Map<string, Folded>();
      await Promise.all(
        [...deciders].map(async ([stream, decider]) => {
          folded.set(stream, await this.read(decider as Decider<unknown, unknown, DomainEvent>, stream));
        }),
      );
      const whole = new Map<string, WholeStream>();
      await Promise.all(
        [...wholeStreams].map(async (stream) => {
          whole.set(stream, new WholeStream(await this.store.readStream(stream)));
        }),
      );
      const round = this.decideBulk(commands, outcomes, folded, whole, duplicateId, attempt);
      if (round.unsure.size > 0) {
        for (const stream of round.unsure) wholeStreams.add(stream);
        continue;
      }
      const streams = [...round.appends.keys()];
      const appends: StreamAppend[] = streams.map((stream) => {
        const revision = (folded.get(stream) as Folded).revision;
        return {
          stream,
          events: (round.appends.get(stream) as Pending).events,
          expected: revision === NO_STREAM ? 'no_stream' : revision,
        };
      });
      let appended: Awaited<ReturnType<EventStore['appendMany']>> = [];
      try {
        if (appends.length > 0) appended = await this.store.appendMany(appends);
      } catch (error) {
        if (!isHubError(error)) throw error;
        if (error.code === 'DUPLICATE_EVENT') {
          // A keyed command ran before beyond the ids kept in memory, or ran concurrently, or its
          // key was used on another stream: the streams read in full tell which, next round.
          const eventId = error.details.eventId;
          duplicateId = typeof eventId === 'string' ? eventId : undefined;
          const known = wholeStreams.size;
          for (const [stream, pending] of round.appends) if (pending.keyed) wholeStreams.add(stream);
          if (wholeStreams.size === known && duplicateId === undefined) throw error;
          attempt++;
          continue;
        }
        if (error.code !== 'WRONG_EXPECTED_REVISION') throw error;
        lastConflict = error;
        if (attempt < this.maxAttempts) await sleep(this.retryDelayMs(attempt));
        attempt++;
        continue;
      }
      for (const [index, stream] of streams.entries()) {
        const result = appended[index];
        const pending = round.appends.get(stream) as Pending;
        const before = folded.get(stream) as Folded;
        if (!result) continue;
        this.remember(stream, {
          decider: before.decider,
          revision: result.nextExpectedRevision,
          state: pending.state,
          recent: before.recent.add(result.events),
        });
        let offset = 0;
        for (const { index: command, count, state } of pending.commands) {
          const events = result.events.slice(offset, offset + count);
          offset += count;
          const last = events[events.length - 1] as EventEnvelope;
          outcomes[command] = ok({
            stream,
            state,
            events,
            nextExpectedRevision: last.revision,
            position: last.position,
            replayed: false,
            attempts: attempt,
          });
        }
      }
      for (const [index, settled] of round.settled) outcomes[index] = settled;
      for (const [index, earlier] of round.copies) {
        const first = outcomes[earlier] as BulkOutcome;
        outcomes[index] = first.ok ? ok({ ...first.value, replayed: true }) : first;
      }
      return outcomes as BulkOutcome[];
    }
    throw new HubError('CONFLICT', `the bulk's streams kept changing; gave up after ${this.maxAttempts} attempts`, {
      attempts: this.maxAttempts,
      actualRevision: lastConflict?.details.actualRevision,
    });
  }

  /** One round of a bulk: what each command decides on the states read, nothing appended yet. */
  private decideBulk(
    commands: readonly BulkCommand[],
    fixed: readonly (BulkOutcome | undefined)[],
    folded: ReadonlyMap<string, Folded>,
    whole: ReadonlyMap<string, WholeStream>,
    duplicateId: string | undefined,
    attempts: number,
  ): BulkRound {
    const round: BulkRound = { appends: new Map(), settled: new Map(), copies: new Map(), unsure: new Set() };
    const keysSeen = new Map<string, number>();
    for (const [index, { decider, stream, command, context }] of commands.entries()) {
      if (fixed[index]) continue;
      const current = folded.get(stream) as Folded;
      const key = context.idempotencyKey ?? undefined;
      const userId = context.actor.userId;
      const firstId = key === undefined ? undefined : idempotentEventId(userId, key, 0);
      const slice = whole.get(stream);
      let seen: boolean | undefined = false;
      if (key !== undefined && firstId !== undefined) {
        const earlier = keysSeen.get(firstId);
        if (earlier !== undefined) {
          // The same keyed command twice in one bulk: the second is answered like the first.
          if (commands[earlier]?.stream === stream) round.copies.set(index, earlier);
          else round.settled.set(index, err(keyReused(stream)));
          continue;
        }
        keysSeen.set(firstId, index);
        seen = slice ? slice.holds(firstId) : current.recent.holds(firstId);
        if (seen === true) {
          const replay =
            slice && replayOf(decider, stream, slice.slice, userId, key, firstId, attempts, slice.stateAt(decider));
          if (replay) round.settled.set(index, ok(replay));
          else round.unsure.add(stream);
          continue;
        }
      }
      let pending = round.appends.get(stream);
      const state = pending ? pending.state : current.state;
      const decision = decider.decide(command, state);
      // A refusal or a no-op may only mean the keyed command ran before: the store tells.
      if ((!decision.ok || decision.value.length === 0) && seen === undefined) {
        round.unsure.add(stream);
        continue;
      }
      if (!decision.ok) {
        round.settled.set(index, err(decision.error));
        continue;
      }
      if (decision.value.length === 0) {
        round.settled.set(
          index,
          ok({
            stream,
            state,
            events: [],
            nextExpectedRevision: current.revision + (pending?.events.length ?? 0),
            position: null,
            replayed: false,
            attempts,
          }),
        );
        continue;
      }
      const events = this.envelopesFor(decision.value, context, key);
      // The key's events are in the store but not on this stream: it was used for another command.
      if (duplicateId !== undefined && slice && events.some((event) => event.id === duplicateId)) {
        round.settled.set(index, err(keyReused(stream)));
        continue;
      }
      if (!pending) {
        pending = { state, events: [], commands: [], keyed: false };
        round.appends.set(stream, pending);
      }
      pending.state = fold(decider, decision.value, state);
      pending.events.push(...events);
      pending.commands.push({ index, count: events.length, state: pending.state });
      pending.keyed ||= key !== undefined;
    }
    return round;
  }

  /**
   * Decides `command` on the stream as it is now and throws the refusal, appending nothing: for a
   * use case that must know a command would pass before it commits to something else first.
   */
  async check<Command, State, Event extends DomainEvent>(
    decider: Decider<Command, State, Event>,
    stream: string,
    command: Command,
    context?: CommandContext,
  ): Promise<void> {
    const current = await this.read(decider, stream);
    const key = context?.idempotencyKey;
    const decision = decider.decide(command, current.state as State);
    if (decision.ok) return;
    // A keyed command that already ran will be answered with its first result, not decided again.
    if (key && context) {
      const firstId = idempotentEventId(context.actor.userId, key, 0);
      const seen =
        current.recent.holds(firstId) ??
        (await this.store.readStream(stream)).events.some((event) => event.id === firstId);
      if (seen) return;
    }
    throw decision.error;
  }

  /**
   * The stream's state now: from the cache plus the events appended since (by this process or any
   * other), or folded from the first event. Deciders are pure, so a cached state is never changed
   * in place and concurrent commands can share it.
   */
  private async read<Command, State, Event extends DomainEvent>(
    decider: Decider<Command, State, Event>,
    stream: string,
  ): Promise<Folded> {
    const cached = this.folded.get(stream);
    if (cached && cached.decider === decider) {
      const newer = await this.store.readStream(stream, { fromRevision: cached.revision + 1 });
      // A store that went back (rebuilt under a running process) is read in full below.
      if (newer.revision >= cached.revision) {
        const entry: Folded = {
          decider,
          revision: newer.revision,
          state: fold(decider, newer.events.map(toDomainEvent<Event>), cached.state as State),
          recent: cached.recent.add(newer.events),
        };
        this.remember(stream, entry);
        return entry;
      }
    }
    const slice = await this.store.readStream(stream);
    const entry: Folded = {
      decider,
      revision: slice.revision,
      state: fold(decider, slice.events.map(toDomainEvent<Event>)),
      recent: new RecentIds(this.recentIdsPerStream).add(slice.events),
    };
    this.remember(stream, entry);
    return entry;
  }

  private remember(stream: string, entry: Folded): void {
    if (this.cachedStreams === 0) return;
    const known = this.folded.get(stream);
    // Concurrent commands may finish out of order; keep the newest state.
    if (known && known.decider === entry.decider && known.revision > entry.revision) return;
    this.folded.delete(stream);
    this.folded.set(stream, entry);
    if (this.folded.size > this.cachedStreams) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
    }
  }

  private envelopesFor(decided: readonly DomainEvent[], context: CommandContext, key: string | undefined): NewEvent[] {
    const ids = decided.map((_, index) =>
      key === undefined ? randomUUID() : idempotentEventId(context.actor.userId, key, index),
    );
    const occurredAt = this.now().toISOString();
    const correlationId = context.correlationId ?? (ids[0] as string);
    return decided.map((event, index) => ({
      id: ids[index] as string,
      type: event.type,
      data: event.data as Record<string, unknown>,
      occurredAt,
      actor: context.actor,
      organizationId: context.organizationId === undefined ? context.actor.organizationId : context.organizationId,
      correlationId,
      causationId: context.causationId ?? null,
    }));
  }
}

/**
 * A stream read in full during a bulk: its ids to look keys up, and the state folded so far, so
 * that replaying many of its commands folds the stream once, not once per command.
 */
class WholeStream {
  private readonly ids: Set<string>;
  private folded: { end: number; state: unknown } | undefined;

  constructor(readonly slice: StreamSlice) {
    this.ids = new Set(slice.events.map((event) => event.id));
  }

  holds(id: string): boolean {
    return this.ids.has(id);
  }

  stateAt(decider: Decider<unknown, unknown, DomainEvent>): (end: number) => unknown {
    return (end) => {
      const from = this.folded && this.folded.end <= end ? this.folded : { end: 0, state: decider.initialState };
      const state = fold(decider, this.slice.events.slice(from.end, end).map(toDomainEvent), from.state);
      this.folded = { end, state };
      return state;
    };
  }
}

/** A bulk's events for one stream, and which command appends which of them. */
interface Pending {
  state: unknown;
  readonly events: NewEvent[];
  readonly commands: { readonly index: number; readonly count: number; readonly state: unknown }[];
  keyed: boolean;
}

interface BulkRound {
  readonly appends: Map<string, Pending>;
  readonly settled: Map<number, BulkOutcome>;
  /** A repeated keyed command and the earlier one whose outcome it shares. */
  readonly copies: Map<number, number>;
  /** Streams to read in full before deciding again: only the store knows whether a key was used. */
  readonly unsure: Set<string>;
}

const keyReused = (stream: string): HubError =>
  new HubError('CONFLICT', 'idempotency key already used for another command', { field: 'idempotencyKey', stream });

function validateKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new HubError('BAD_USER_INPUT', `idempotencyKey must have 1 to ${MAX_KEY_LENGTH} characters`, {
      field: 'idempotencyKey',
    });
  }
}

// Envelopes carry the domain event plus metadata; the decider only sees type and data.
const toDomainEvent = <Event extends DomainEvent>(envelope: EventEnvelope): Event =>
  ({ type: envelope.type, data: envelope.data }) as unknown as Event;

/**
 * If the stream holds the events of an earlier run of this keyed command, the result of that
 * run: its events are consecutive (one atomic append) and their ids follow the key's sequence.
 */
function replayOf<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  stream: string,
  slice: StreamSlice,
  userId: string,
  key: string,
  firstId: string,
  attempts: number,
  stateAt: (end: number) => State = (end) => fold(decider, slice.events.slice(0, end).map(toDomainEvent<Event>)),
): CommandResult<State> | undefined {
  const start = slice.events.findIndex((event) => event.id === firstId);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < slice.events.length && slice.events[end]?.id === idempotentEventId(userId, key, end - start)) end++;
  const events = slice.events.slice(start, end);
  const last = events[events.length - 1] as EventEnvelope;
  return {
    stream,
    state: stateAt(end),
    events,
    nextExpectedRevision: last.revision,
    position: last.position,
    replayed: true,
    attempts,
  };
}
