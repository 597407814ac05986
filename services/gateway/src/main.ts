import { configFromEnv } from './config.js';
import { startHub } from './hub.js';

// The README's start command lands here.
const config = configFromEnv();
const hub = await startHub(config);
const shown = new URL(hub.url);
shown.hostname = 'localhost';
console.log(
  `Hub ready at ${shown} (${config.mode} mode${config.mode === 'embedded' ? `, data in ${config.dataDir}` : ''})`,
);
console.log(`Web page: ${new URL('/', shown)}  ·  health: ${new URL('/healthz', shown)}  ·  stop with Ctrl-C`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: finishing requests in flight and closing the databases…`);
  try {
    await hub.stop();
    console.log('Hub stopped cleanly.');
    process.exit(0);
  } catch (error) {
    console.error('Hub did not stop cleanly:', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
