import type { HubError, Result } from '@hub/errors';

/**
 * What a decider speaks: an event's type and data, without the envelope. The command handler
 * adds identity, actor, correlation and times when it appends, so deciders stay pure.
 */
export interface DomainEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * An aggregate's business rules (design §5): `decide` says which events a command causes in a
 * given state (or why it is refused), `evolve` says how one event changes the state. Both are
 * pure, so they are tested with given/when/then and no store at all.
 */
export interface Decider<Command, State, Event extends DomainEvent> {
  readonly initialState: State;
  decide(command: Command, state: State): Result<readonly Event[], HubError>;
  evolve(state: State, event: Event): State;
}

/** The state after `events`, starting from `state` (the decider's initial state by default). */
export function fold<Command, State, Event extends DomainEvent>(
  decider: Decider<Command, State, Event>,
  events: readonly Event[],
  state: State = decider.initialState,
): State {
  return events.reduce((current, event) => decider.evolve(current, event), state);
}
