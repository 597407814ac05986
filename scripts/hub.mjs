#!/usr/bin/env node
// The README's commands start here, so a machine with only Node.js can run them: install the
// workspace when needed, then start the hub, run every test, or run the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildWeb } from './build-web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.9';
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function hasPnpm() {
  return spawnSync('pnpm', ['--version'], { stdio: 'ignore' }).status === 0;
}

function ensureInstalled() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh && existsSync(bin('tsx'))) return;
  console.error('Installing dependencies (pnpm install --frozen-lockfile)…');
  const [cmd, args] = hasPnpm() ? ['pnpm', []] : ['npx', ['--yes', PNPM]];
  const status = run(cmd, [...args, 'install', '--frozen-lockfile'], {
    env: { ...process.env, COREPACK_ENABLE_STRICT: '0' },
  });
  if (status !== 0) process.exit(status);
}

const [command = 'start', ...rest] = process.argv.slice(2);
ensureInstalled();
// The gateway serves the page at `/`; a checkout newer than its build is built again first.
const webStatus = buildWeb({ force: command === 'build-web' });
if (webStatus !== 0) process.exit(webStatus);

switch (command) {
  case 'install':
  case 'build-web':
    break;
  case 'start': {
    const { register } = await import(
      pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href
    );
    register();
    await import(pathToFileURL(join(root, 'services', 'gateway', 'src', 'main.ts')).href);
    break;
  }
  case 'test': {
    for (const [name, args] of [
      ['tsc', ['-p', 'tsconfig.json']],
      ['tsc', ['-p', 'services/web/tsconfig.json']],
      ['biome', ['check', '.']],
    ]) {
      console.error(`› ${name} ${args.join(' ')}`);
      const status = run(bin(name), args);
      if (status !== 0) process.exit(status);
    }
    console.error('› vitest run');
    process.exit(run(bin('vitest'), ['run', ...rest]));
    break;
  }
  case 'bench':
    process.exit(run(bin('tsx'), [join(root, 'test', 'bench', 'run.ts'), ...rest]));
    break;
  default:
    console.error(`unknown command ${command}: use start, test, bench, build-web or install`);
    process.exit(2);
}
