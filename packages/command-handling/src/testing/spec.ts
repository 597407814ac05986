import { expect } from 'vitest';
import { type Decider, type DomainEvent, fold } from '../decider.js';

/**
 * One given/when/then for every decider: `given` events fold into the state, `when` a command is
 * decided on it, then the events it `emits`, or the code (and field) it `refuses` with.
 */
export function deciderSpec<Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>) {
  return {
    given: (...history: readonly Event[]) => ({
      when: (command: Command) => {
        const decision = decider.decide(command, fold(decider, history));
        return {
          emits(...expected: readonly Event[]): void {
            expect(decision).toEqual({ ok: true, value: expected });
          },
          refuses(code: string, field?: string): void {
            expect(decision.ok, 'the command was expected to be refused').toBe(false);
            if (decision.ok) return;
            expect(decision.error.code).toBe(code);
            if (field !== undefined) expect(decision.error.details.field).toBe(field);
          },
          /** The state after the events it causes (for what `evolve` must make of them). */
          state(): State {
            if (!decision.ok) throw decision.error;
            return fold(decider, decision.value, fold(decider, history));
          },
        };
      },
    }),
  };
}
