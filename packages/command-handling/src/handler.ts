import { randomUUID } from 'node:crypto';
import { HubError, isHubError } from '@hub/errors';
import type { Actor, EventEnvelope, NewEvent } from '@hub/event-catalogue';
import { type Checkpoint, type EventStore, type ExpectedRevision, NO_STREAM, type StreamSlice } from '@hub/event-store';
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
}

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

/** A stream's state as of a revision, and the ids of its events (for idempotency checks). */
interface Folded {
  readonly decider: object;
  readonly revision: number;
  readonly state: unknown;
  readonly ids: Set<string>;
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
      if (key !== undefined && firstId !== undefined && current.ids.has(firstId)) {
        const replay = replayOf(decider, stream, await this.store.readStream(stream), userId, key, firstId, attempt);
        if (replay) return replay;
      }

      const state = current.state as State;
      const decision = decider.decide(command, state);
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
          ids: new Set([...current.ids, ...appended.events.map((event) => event.id)]),
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
          throw new HubError('CONFLICT', 'idempotency key already used for another command', {
            field: 'idempotencyKey',
            stream,
          });
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
    // A keyed command that already ran will be answered with its first result, not decided again.
    if (key && context && current.ids.has(idempotentEventId(context.actor.userId, key, 0))) return;
    const decision = decider.decide(command, current.state as State);
    if (!decision.ok) throw decision.error;
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
          ids: new Set([...cached.ids, ...newer.events.map((event) => event.id)]),
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
      ids: new Set(slice.events.map((event) => event.id)),
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
): CommandResult<State> | undefined {
  const start = slice.events.findIndex((event) => event.id === firstId);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < slice.events.length && slice.events[end]?.id === idempotentEventId(userId, key, end - start)) end++;
  const events = slice.events.slice(start, end);
  const last = events[events.length - 1] as EventEnvelope;
  return {
    stream,
    state: fold(decider, slice.events.slice(0, end).map(toDomainEvent<Event>)),
    events,
    nextExpectedRevision: last.revision,
    position: last.position,
    replayed: true,
    attempts,
  };
}
