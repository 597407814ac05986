// One service per process: `node services/gateway/dist/start.js <service>` after `pnpm build`
// (or HUB_SERVICE=<service>). The README's "Production" section lists the services and settings.
import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { hostname } from 'node:os';

// Built, this file is JavaScript and the workspace must resolve to dist/; under tsx it stays on sources.
if (import.meta.url.endsWith('.js')) register('./conditions.js', import.meta.url);

const service = process.argv[2] ?? process.env.HUB_SERVICE;
if (!service) {
  console.error('usage: node services/gateway/dist/start.js <service>');
  process.exit(2);
}
process.env.HUB_INSTANCE ||= `${hostname()}-${randomUUID().slice(0, 8)}`;

// Traces must be set up before the modules they instrument load.
const { instrumentationLoaderHook, startTracing, tracingConfigured } = await import('@hub/observability/tracing');
if (tracingConfigured()) register(instrumentationLoaderHook());
const tracing = startTracing(service, process.env.HUB_INSTANCE);

const { serveService } = await import('./serve.js');
let running: Awaited<ReturnType<typeof serveService>>;
try {
  running = await serveService(service);
} catch (error) {
  console.error(
    JSON.stringify({
      level: 'fatal',
      service,
      msg: `${service} did not start`,
      error: error instanceof Error ? error.stack : String(error),
    }),
  );
  await tracing?.stop();
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  running.log.info({ signal }, `${service} stopping`);
  try {
    await running.stop();
    await tracing?.stop();
    process.exit(0);
  } catch (error) {
    running.log.error({ error: String(error) }, `${service} did not stop cleanly`);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
