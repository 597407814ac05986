import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { type HubConfig, type RunningHub, startHub } from '@hub/gateway';
import { dropDatabase } from '@hub/sql';
import { ensureBroker } from '../../infra/kafka/broker.mjs';

/** Tokens the benchmarks sign are checked against this secret by every hub they start. */
export const BENCH_SECRET = 'hub-bench-secret';
export const ADMIN_URL = process.env.HUB_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Runs `work` against a whole hub in one process: embedded (PGlite, in-process bus) or local
 * (a fresh PostgreSQL database per service, and a Kafka broker, started here unless one runs).
 * Everything it started is stopped and dropped afterwards.
 */
export async function withHub<T>(mode: HubConfig['mode'], work: (hub: RunningHub) => Promise<T>): Promise<T> {
  const previousSecret = process.env.HUB_JWT_SECRET;
  process.env.HUB_JWT_SECRET = BENCH_SECRET;
  const dataDir = await mkdtemp(join(os.tmpdir(), 'hub-bench-'));
  const database = `hub_bench_${randomUUID().slice(0, 8)}`;
  const broker = mode === 'local' ? await ensureBroker() : undefined;
  let hub: RunningHub | undefined;
  try {
    hub = await startHub({
      mode,
      port: 0,
      host: '127.0.0.1',
      dataDir,
      postgresUrl: `${ADMIN_URL.replace(/\/[^/]*$/, '')}/${database}`,
      kafkaBrokers: broker?.brokers ?? [],
      development: false,
    });
    return await work(hub);
  } finally {
    await hub?.stop();
    if (mode === 'local') {
      for (const service of ['directory', 'content', 'press_orders', 'live', 'insights']) {
        await dropDatabase(ADMIN_URL, `${database}_${service}`);
      }
    }
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (previousSecret === undefined) delete process.env.HUB_JWT_SECRET;
    else process.env.HUB_JWT_SECRET = previousSecret;
  }
}

/** Nearest-rank percentile. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
};
