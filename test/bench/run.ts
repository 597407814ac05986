import { availableParallelism } from 'node:os';
import { runEventStoreBench } from './event-store.js';

// `pnpm bench`: every benchmark, one after another so they do not compete for the cores. Each
// prints its table (with the baseline measured in the same run) and saves it under bench-results/.
const benches: [string, () => Promise<void>][] = [
  // Issue 12's table in one run: `pnpm bench core`.
  ['core', () => import('./core.js').then((bench) => bench.runCoreBench())],
  ['event store', runEventStoreBench],
  ['audience', () => import('./audience.js').then((bench) => bench.runAudienceBench())],
  // Loaded on demand: it starts the whole hub, so running other benchmarks does not depend on it.
  ['press orders', () => import('./press-orders.js').then((bench) => bench.runPressOrdersBench())],
  ['content', () => import('./content.js').then((bench) => bench.runContentBench())],
  ['live', () => import('./live.js').then((bench) => bench.runLiveBench())],
  ['directory', () => import('./directory.js').then((bench) => bench.runDirectoryBench())],
  ['grassroots', () => import('./grassroots.js').then((bench) => bench.runGrassrootsBench())],
  ['web', () => import('./web.js').then((bench) => bench.runWebBench())],
  ['insights', () => import('./insights.js').then((bench) => bench.runInsightsBench())],
  ['soak', () => import('./soak.js').then((bench) => bench.runSoakBench())],
];

// Names select benchmarks; options (`--events=N`) are for the benchmarks themselves.
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
console.log(`Benchmarks on ${availableParallelism()} cores, Node ${process.version}`);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
  console.log(`\n## ${name}`);
  await run();
}
