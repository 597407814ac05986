import { type CommandTrace, commandChannel } from '@hub/command-handling';
import { isHubError } from '@hub/errors';
import { type HttpRequestRecord, httpChannel } from '@hub/graphql-kit';
import type { Logger } from './logger.js';
import type { HubMetrics } from './metrics.js';

const MAX_OPERATIONS = 200;

/**
 * Feeds the process's metrics and logs from the diagnostics channels the command handler and the
 * subgraph servers publish on. Returns the function that unsubscribes.
 */
export function observeChannels(metrics: HubMetrics, log: Logger): () => void {
  const started = new WeakMap<CommandTrace, number>();
  const handlers = {
    start(trace: CommandTrace) {
      started.set(trace, performance.now());
    },
    end() {},
    asyncStart() {},
    asyncEnd(trace: CommandTrace) {
      if (trace.error !== undefined || !trace.result) return;
      const seconds = (performance.now() - (started.get(trace) ?? performance.now())) / 1000;
      const outcome = trace.result.replayed ? 'replayed' : 'ok';
      metrics.commands.inc({ command: trace.command, outcome });
      metrics.commandSeconds.observe({ command: trace.command }, seconds);
      log.info(
        {
          command: trace.command,
          stream: trace.stream,
          outcome,
          events: trace.result.events.length,
          correlationId: trace.result.events[0]?.correlationId,
          durationMs: Math.round(seconds * 1000),
        },
        'command handled',
      );
    },
    error(trace: CommandTrace) {
      const code = isHubError(trace.error) ? trace.error.code : 'INTERNAL';
      const seconds = (performance.now() - (started.get(trace) ?? performance.now())) / 1000;
      metrics.commands.inc({ command: trace.command, outcome: 'error' });
      metrics.commandErrors.inc({ command: trace.command, code });
      metrics.commandSeconds.observe({ command: trace.command }, seconds);
      const message = trace.error instanceof Error ? trace.error.message : String(trace.error);
      log[code === 'INTERNAL' ? 'error' : 'info'](
        { command: trace.command, stream: trace.stream, code, error: message },
        'command rejected',
      );
    },
  };
  commandChannel.subscribe(handlers);
  // Operation names come from clients: past this many, new ones share one label value.
  const operations = new Set<string>();
  const onHttp = (message: unknown) => {
    const record = message as HttpRequestRecord;
    const known = operations.has(record.operation) || operations.size < MAX_OPERATIONS;
    if (known) operations.add(record.operation);
    metrics.httpSeconds.observe(
      { server: record.server, operation: known ? record.operation : 'other', status: String(record.status) },
      record.durationMs / 1000,
    );
  };
  httpChannel.subscribe(onHttp);
  return () => {
    commandChannel.unsubscribe(handlers);
    httpChannel.unsubscribe(onHttp);
  };
}
