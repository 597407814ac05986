import { contentProjections } from '@hub/content';
import { directoryProjections } from '@hub/directory';
import { rebuildInsights } from '@hub/insights';
import { ordersProjection } from '@hub/press-orders';
import { type Projection, runRebuildCli } from '@hub/projections';
import { CONTEXTS } from '@hub/relay';
import { configFromEnv } from './config.js';
import { type ServiceStorage, storageFor } from './hub.js';

// `pnpm read-models:rebuild <service> (--all | <projection>...)`: empties a service's read models and replays
// its own events, with a progress bar. Stop the hub first: embedded data folders take one process.
// (What a service learned from other contexts' events is caught up from them when it starts.)
// `pnpm read-models:rebuild insights` replays every context's store instead: insights has no events of its own.
const services: Record<string, readonly Projection[]> = {
  directory: directoryProjections,
  content: contentProjections,
  'press-orders': [ordersProjection],
};

async function rebuildInsightsCli(argv: readonly string[]): Promise<number> {
  const config = configFromEnv();
  const opened: ServiceStorage[] = [];
  try {
    const insights = await storageFor(config, 'insights');
    opened.push(insights);
    const stores = [];
    for (const context of CONTEXTS) {
      const storage = await storageFor(config, context);
      opened.push(storage);
      stores.push({ name: context, store: storage.store });
    }
    const report = await rebuildInsights({
      sql: insights.sql,
      stores,
      progress: argv.includes('--no-progress') ? undefined : process.stderr,
    });
    const seconds = report.durationMs / 1000;
    process.stderr.write(
      `rebuilt insights: ${report.events} events (${report.applied} applied) in ${seconds.toFixed(1)} s, ${Math.round(report.events / Math.max(seconds, 0.001))} ev/s\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`rebuild insights failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    for (const storage of opened.reverse()) await storage.close();
  }
}

const [service, ...argv] = process.argv.slice(2);
if (service === 'insights') {
  process.exitCode = await rebuildInsightsCli(argv);
} else {
  const projections = service ? services[service] : undefined;
  if (!projections) {
    process.stderr.write(
      `usage: pnpm read-models:rebuild <service> (--all | <projection>...) [--no-progress]\nservices: ${[...Object.keys(services), 'insights'].join(', ')}\n`,
    );
    process.exit(2);
  }
  const storage = await storageFor(configFromEnv(), service as string);
  try {
    process.exitCode = await runRebuildCli({ sql: storage.sql, store: storage.store, projections, argv });
  } finally {
    await storage.close();
  }
}
