#!/usr/bin/env node
// Builds the web page (services/web) with Vite when its build is missing or older than its
// sources, so a fresh clone's `npm start` and `npm test` serve it. `--force` builds regardless.
// Runs after `pnpm install` (postinstall) and before the hub's commands (scripts/hub.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'services', 'web');
const built = join(web, 'dist', 'index.html');

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

export function buildWeb({ force = false } = {}) {
  const vite = join(web, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) return 0; // dependencies not installed yet: the install's postinstall builds it
  const sources = [join(web, 'app'), join(web, 'index.html'), join(web, 'vite.config.ts')];
  const geojson = join(root, 'packages', 'reference-data', 'data', 'vn-provinces-2025.geojson');
  const stale =
    force || !existsSync(built) || Math.max(...[...sources, geojson].map(newestSource)) > statSync(built).mtimeMs;
  if (!stale) return 0;
  console.error('Building the web page (services/web, vite build)…');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exit(buildWeb({ force: process.argv.includes('--force') }));
}
