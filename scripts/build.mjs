#!/usr/bin/env node
// `pnpm build`: every workspace package's src/ as JavaScript in its dist/, beside it, so a service
// runs under plain Node (`node services/gateway/dist/start.js <service>`). Types are checked
// once for the whole workspace by `tsc -p tsconfig.json` (skip with --no-check); each file is then
// transpiled on its own, which the workspace's isolatedModules setting guarantees is enough.
// Package exports keep pointing tools (tsx, vitest, tsc) at the sources; built code asks for the
// `hub-built` condition, which maps each package to its dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the build writes a package's source file: `<package>/src/a/b.ts` → `<package>/dist/a/b.js`. */
export const distPathOf = (source) => source.replace(/([\\/])src([\\/])(.*)\.ts$/, '$1dist$2$3.js');

if (process.argv[1] === fileURLToPath(import.meta.url)) build(!process.argv.includes('--no-check'));

const LOCK = join(root, 'node_modules', '.hub-build.lock');
/** A lock left by a build that was killed is taken over after this long. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * For tests that run the built code: builds without the type check, in a child process. Test files
 * run in parallel: one build runs at a time, and a test arriving during another's build waits for
 * that one instead of starting its own.
 */
export async function buildForTests() {
  for (;;) {
    try {
      mkdirSync(LOCK);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs;
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else {
        while (
          existsSync(LOCK) &&
          Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0) <= STALE_LOCK_MS
        )
          await new Promise((resolve) => setTimeout(resolve, 200));
        if (!existsSync(LOCK)) return;
      }
      continue;
    }
    try {
      const { status } = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--no-check'], {
        stdio: 'inherit',
      });
      if (status !== 0) throw new Error('the build failed');
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/**
 * Each file is written beside its place and renamed over it, so a process starting while a build
 * runs (a test's replacement instance) reads either the previous file or the new one, never half.
 */
function replaceFile(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function* filesUnder(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

function build(check) {
  if (check) {
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  }

  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(
    { ...base.config.compilerOptions, noEmit: false, sourceMap: true, inlineSources: false },
    root,
  );

  const isSource = (name) =>
    name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(unit|int|e2e)\.test\.ts$/.test(name);

  function* sources(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // Test helpers are not part of a running service.
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') yield* sources(path);
      } else if (isSource(entry.name) && !entry.name.endsWith('.fixture.ts')) yield path;
    }
  }

  let files = 0;
  const started = performance.now();
  for (const group of ['packages', 'services']) {
    for (const name of readdirSync(join(root, group))) {
      const pkg = join(root, group, name);
      const src = join(pkg, 'src');
      const dist = join(pkg, 'dist');
      if (!existsSync(join(pkg, 'package.json')) || !existsSync(src)) continue;
      const written = new Set();
      for (const file of sources(src)) {
        const out = distPathOf(file);
        const { outputText, sourceMapText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), {
          compilerOptions: options,
          fileName: file,
          reportDiagnostics: true,
        });
        if (diagnostics?.length) {
          console.error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost(options)));
          process.exit(1);
        }
        mkdirSync(dirname(out), { recursive: true });
        replaceFile(out, outputText);
        written.add(out);
        if (sourceMapText) {
          replaceFile(`${out}.map`, sourceMapText);
          written.add(`${out}.map`);
        }
        files++;
      }
      // What an earlier build wrote for a source that is gone; a package with a build of its own
      // (the web page's bundle, also in dist/) keeps its files.
      const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
      if (!manifest.scripts?.build) for (const stale of filesUnder(dist)) if (!written.has(stale)) rmSync(stale);
    }
  }
  console.error(`built ${files} files in ${Math.round(performance.now() - started)} ms`);
}
