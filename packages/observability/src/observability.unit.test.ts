import { CommandHandler, type Decider, type DomainEvent } from '@hub/command-handling';
import { conflict, err, type HubError, ok, type Result } from '@hub/errors';
import { EventCatalogue } from '@hub/event-catalogue';
import { memoryEventStore } from '@hub/event-store';
import { publishHttpRequest } from '@hub/graphql-kit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { observeChannels } from './channels.js';
import { lagBehind } from './lag.js';
import { HubMetrics } from './metrics.js';
import { readiness } from './ops-server.js';

type Event = DomainEvent<'Noted', { n: number }>;
type Command = { type: 'Note'; n: number };
const notes: Decider<Command, number, Event> = {
  initialState: 0,
  decide(command, count): Result<readonly Event[], HubError> {
    if (command.n < 0) return err(conflict('negative notes are refused'));
    return ok([{ type: 'Noted', data: { n: command.n + count } }]);
  },
  evolve: (count) => count + 1,
};
const catalogue = () =>
  new EventCatalogue([
    {
      type: 'Noted',
      version: 1,
      schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false },
    },
  ]);
const actor = { actor: { userId: 'user-a', organizationId: 'org-a' } };

/** A logger that keeps its JSON lines, to see what a process would print. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ base: {} }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('observeChannels', () => {
  it('given a process observing its channels, when commands succeed and fail, then metrics count them by command and outcome and each is logged with its correlation id', async () => {
    const metrics = new HubMetrics({ service: 'test', instance: 'i-1' });
    const { log, lines } = memoryLogger();
    stop = observeChannels(metrics, log);
    const handler = new CommandHandler(memoryEventStore(catalogue()));
    const done = await handler.handle(notes, 'notes-1', { type: 'Note', n: 1 }, { ...actor, correlationId: 'corr-7' });
    await handler.handle(notes, 'notes-1', { type: 'Note', n: 2 }, actor);
    await expect(handler.handle(notes, 'notes-1', { type: 'Note', n: -1 }, actor)).rejects.toThrow(/negative/);
    publishHttpRequest({ server: 'directory', operation: 'Appoint', status: 200, durationMs: 12 });

    const text = await metrics.text();
    expect(text).toContain('hub_commands_total{command="Note",outcome="ok",service="test",instance="i-1"} 2');
    expect(text).toContain('hub_commands_total{command="Note",outcome="error",service="test",instance="i-1"} 1');
    expect(text).toContain('hub_command_errors_total{command="Note",code="CONFLICT",service="test",instance="i-1"} 1');
    expect(text).toContain('hub_command_duration_seconds_count{service="test",instance="i-1",command="Note"} 3');
    expect(text).toContain(
      'hub_http_request_duration_seconds_count{service="test",instance="i-1",server="directory",operation="Appoint",status="200"} 1',
    );
    expect(lines[0]).toMatchObject({ msg: 'command handled', command: 'Note', correlationId: 'corr-7', outcome: 'ok' });
    expect(done.events[0]?.correlationId).toBe('corr-7');
    expect(lines[2]).toMatchObject({ msg: 'command rejected', command: 'Note', code: 'CONFLICT' });
  });

  it('given no process observing, when a command runs, then nothing is recorded', async () => {
    const metrics = new HubMetrics({ service: 'test', instance: 'i-2' });
    await new CommandHandler(memoryEventStore(catalogue())).handle(notes, 'notes-2', { type: 'Note', n: 1 }, actor);
    expect(await metrics.text()).not.toContain('hub_commands_total{');
  });
});

describe('lag and readiness', () => {
  it('given a follower two events behind, then its lag counts them and readiness fails past the limit, naming it', async () => {
    const store = memoryEventStore(catalogue());
    const first = await store.append('s', [{ type: 'Noted', data: { n: 1 } }]);
    await store.append('s', [
      { type: 'Noted', data: { n: 2 } },
      { type: 'Noted', data: { n: 3 } },
    ]);
    const now = Date.parse(first.events[0]?.recordedAt as string) + 5_000;
    expect(await lagBehind(store, first.position, now)).toEqual({ events: 2, seconds: expect.closeTo(5, 0) });
    expect(await lagBehind(store, (await store.readAll(null, 10)).checkpoint)).toEqual({ events: 0, seconds: 0 });

    const metrics = new HubMetrics({ service: 'test', instance: 'i-3' });
    metrics.follow({ kind: 'projection', name: 'notes', lag: () => lagBehind(store, first.position) });
    const checks = [{ name: 'database', check: async () => undefined }];
    expect(await readiness({ port: 0, metrics, checks, maxLag: { events: 1, seconds: 3600 } })).toEqual({
      ready: false,
      checks: { database: 'ok', 'projection:notes': '2 events behind' },
    });
    expect((await readiness({ port: 0, metrics, checks, maxLag: { events: 10, seconds: 3600 } })).ready).toBe(true);
    const down = [{ name: 'bus', check: async () => Promise.reject(new Error('no broker answers')) }];
    expect(await readiness({ port: 0, metrics, checks: down, maxLag: { events: 10, seconds: 3600 } })).toMatchObject({
      ready: false,
      checks: { bus: 'no broker answers' },
    });
  });
});
