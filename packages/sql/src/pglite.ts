import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult, SqlValue } from './client.js';

export interface PgliteOptions {
  /** A folder for the database files; omit for an in-memory database (tests). */
  readonly dataDir?: string;
}

const executor = (q: PGlite | Transaction): SqlExecutor => ({
  async query<R>(text: string, params: readonly SqlValue[] = []): Promise<SqlResult<R>> {
    const result = await q.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  },
  async exec(text: string): Promise<void> {
    await q.exec(text);
  },
});

// PGlite returns int8 as bigint by default; the hub's positions and revisions fit in a number.
const parsers = { 20: (v: string) => Number(v) };

const pglitePackage = join(
  dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')),
  '..',
  'package.json',
);
const pgliteVersion = (JSON.parse(readFileSync(pglitePackage, 'utf8')) as { version: string }).version;
const templatePath = join(tmpdir(), `hub-pglite-${pgliteVersion}-initdb.tar`);

/**
 * Creating a PostgreSQL cluster (initdb) inside WebAssembly takes 5–15 s on two cores; loading a
 * freshly initialised cluster from a tarball takes about 2 s. The tarball is what initdb produced
 * before anything was stored, kept per PGlite version in the temp folder, so every new database
 * (each test's, each service's first start) skips initdb after the first.
 */
async function createFresh(dataDir: string): Promise<PGlite> {
  if (existsSync(templatePath)) {
    const template = new Blob([await readFile(templatePath)]);
    return PGlite.create(dataDir, { parsers, loadDataDir: template });
  }
  const db = await PGlite.create(dataDir, { parsers });
  const dump = await db.dumpDataDir('none');
  const partial = `${templatePath}.${process.pid}.${Date.now()}`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, templatePath);
  return db;
}

export async function pgliteClient(options: PgliteOptions = {}): Promise<SqlClient> {
  const initialised = options.dataDir !== undefined && existsSync(join(options.dataDir, 'PG_VERSION'));
  const db = initialised
    ? await PGlite.create(options.dataDir as string, { parsers })
    : await createFresh(options.dataDir ?? 'memory://');
  const base = executor(db);
  return {
    dialect: 'pglite',
    ...base,
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, onNotify);
      return async () => unlisten();
    },
    async notify(channel, payload) {
      await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
