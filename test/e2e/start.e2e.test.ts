import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@hub/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const secret = 'e2e-secret';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Runs the README's start command (`npm start` is `node scripts/hub.mjs start`). */
async function start(port: number, dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/hub.mjs', 'start'], {
    cwd: root,
    env: { ...process.env, HUB_PORT: String(port), HUB_DATA_DIR: dataDir, HUB_JWT_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A first start seeds the national structure and the 3,321 communes, and every service learns
  // them; on a loaded shared machine that alone can take over a minute.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hub exited early:\n${output}`);
    const healthy = await fetch(`http://localhost:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) return { child, output: () => output };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`hub did not become healthy:\n${output}`);
}

function stop(started: Started, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.once('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

async function graphql(port: number, query: string, token?: string) {
  const response = await fetch(`http://localhost:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
}

describe('the start command (embedded mode)', () => {
  let dataDir: string;
  let port: number;
  let token: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hub-e2e-'));
    port = await freePort();
    token = await signDevToken({ sub: 'admin-e2e', org: 'gov-office', roles: ['ADMIN'] }, secret);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves GraphQL through the gateway, stops cleanly on Ctrl-C and keeps every acknowledged write across a restart', async () => {
    const first = await start(port, dataDir);
    expect(first.output()).toContain(`http://localhost:${port}/graphql`);

    // Acknowledged writes racing the shutdown: whatever was answered must survive it.
    const names = Array.from({ length: 12 }, (_, i) => `Sở Thông tin số ${i + 1}`);
    const acknowledged = await Promise.all(
      names.map((name) =>
        graphql(
          port,
          `mutation { registerOrganization(input: { name: "${name}", kind: GOVERNMENT_AGENCY }) { id name } }`,
          token,
        ),
      ),
    );
    const ids = acknowledged.map((r) => (r.data?.registerOrganization as { id: string }).id);
    expect(ids).toHaveLength(12);

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('Hub stopped cleanly.');

    const second = await start(port, dataDir);
    try {
      const listed = await graphql(
        port,
        '{ organizations(kind: GOVERNMENT_AGENCY, first: 100) { totalCount edges { node { id name } } } }',
      );
      const connection = listed.data?.organizations as {
        totalCount: number;
        edges: { node: { id: string; name: string } }[];
      };
      expect(connection.totalCount).toBe(12);
      expect(connection.edges.map((e) => e.node.id).sort()).toEqual([...ids].sort());
      expect(connection.edges.map((e) => e.node.name).sort()).toEqual([...names].sort());
    } finally {
      expect(await stop(second, 'SIGTERM')).toBe(0);
    }
  }, 360_000);

  it('refuses a mutation from an anonymous caller with UNAUTHENTICATED and writes nothing', async () => {
    const hub = await start(port, dataDir);
    try {
      const before = await graphql(port, '{ organizations { totalCount } }');
      const refused = await graphql(
        port,
        'mutation { registerOrganization(input: { name: "Bộ X", kind: MINISTRY }) { id } }',
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const after = await graphql(port, '{ organizations { totalCount } }');
      expect(after.data).toEqual(before.data);
    } finally {
      await stop(hub);
    }
  });
});
