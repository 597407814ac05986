import { contentProjections } from '@hub/content';
import { directoryProjections } from '@hub/directory';
import { ordersProjection } from '@hub/press-orders';
import { type Projection, runRebuildCli } from '@hub/projections';
import { configFromEnv } from './config.js';
import { storageFor } from './hub.js';

// `pnpm read-models:rebuild <service> (--all | <projection>...)`: empties a service's read models and replays
// its own events, with a progress bar. Stop the hub first: embedded data folders take one process.
// (What a service learned from other contexts' events is caught up from them when it starts.)
const services: Record<string, readonly Projection[]> = {
  directory: directoryProjections,
  content: contentProjections,
  'press-orders': [ordersProjection],
};

const [service, ...argv] = process.argv.slice(2);
const projections = service ? services[service] : undefined;
if (!projections) {
  process.stderr.write(
    `usage: pnpm read-models:rebuild <service> (--all | <projection>...) [--no-progress]\nservices: ${Object.keys(services).join(', ')}\n`,
  );
  process.exit(2);
}
const storage = await storageFor(configFromEnv(), service as string);
try {
  process.exitCode = await runRebuildCli({ sql: storage.sql, store: storage.store, projections, argv });
} finally {
  await storage.close();
}
