#!/usr/bin/env node
// `pnpm build`: every workspace package's src/ as JavaScript in its dist/, beside it, so a service
// runs under plain Node (`node services/gateway/dist/start.js <service>`). Types are checked
// once for the whole workspace by `tsc -p tsconfig.json` (skip with --no-check); each file is then
// transpiled on its own, which the workspace's isolatedModules setting guarantees is enough.
// Package exports keep pointing tools (tsx, vitest, tsc) at the sources; built code asks for the
// `hub-built` condition, which maps each package to its dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the build writes a package's source file: `<package>/src/a/b.ts` → `<package>/dist/a/b.js`. */
export const distPathOf = (source) => source.replace(/([\\/])src([\\/])(.*)\.ts$/, '$1dist$2$3.js');

if (process.argv[1] === fileURLToPath(import.meta.url)) build(!process.argv.includes('--no-check'));

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
      rmSync(dist, { recursive: true, force: true });
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
        writeFileSync(out, outputText);
        if (sourceMapText) writeFileSync(`${out}.map`, sourceMapText);
        files++;
      }
    }
  }
  console.error(`built ${files} files in ${Math.round(performance.now() - started)} ms`);
}
