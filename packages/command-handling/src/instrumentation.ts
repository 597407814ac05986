import { tracingChannel } from 'node:diagnostics_channel';

/** What each command publishes on `commandChannel`; `result` or `error` is set when it settles. */
export interface CommandTrace {
  readonly command: string;
  readonly stream: string;
  result?: { readonly events: readonly { readonly correlationId: string }[]; readonly replayed: boolean };
  error?: unknown;
}

/**
 * Every command handled, as a Node diagnostics tracing channel: metrics, logs and traces subscribe
 * to it where a process wants them, and nothing is paid where none does.
 */
export const commandChannel = tracingChannel<CommandTrace, CommandTrace>('hub:command');

/** A command's name for metrics and logs: its `type` where it has one. */
export function commandName(command: unknown): string {
  const type = (command as { readonly type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'command';
}
