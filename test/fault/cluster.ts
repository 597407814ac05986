import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { until } from './fixture.js';

const root = join(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One service process, started from the build output as production starts it. */
export class ServiceProcess {
  child: ChildProcess | undefined;

  constructor(
    readonly service: string,
    readonly instance: string,
    readonly port: number,
    readonly opsPort: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  start(): void {
    const log = createWriteStream(join(this.logDir, `${this.instance}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [join(root, 'services', 'gateway', 'dist', 'start.js'), this.service], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...this.env,
        HUB_INSTANCE: this.instance,
        HUB_HOST: '127.0.0.1',
        HUB_PORT: String(this.port),
        HUB_OPS_PORT: String(this.opsPort),
      },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
  }

  async ready(timeoutMs = 180_000): Promise<void> {
    await until(
      async () => {
        if (this.child?.exitCode !== null) {
          throw new Error(`${this.instance} exited with ${this.child?.exitCode}; its log ends:\n${this.logTail()}`);
        }
        const response = await fetch(`http://127.0.0.1:${this.opsPort}/readyz`).catch(() => undefined);
        return response?.status === 200;
      },
      timeoutMs,
      `${this.instance} ready`,
    );
  }

  /** The last lines the process wrote, for a failure to say why (the log folder is removed afterwards). */
  logTail(lines = 30): string {
    try {
      return readFileSync(join(this.logDir, `${this.instance}.log`), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** What a crash does: no signal handler, no cleanup. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * What a Kubernetes Service does for a subgraph's instances: each new connection goes to the next
 * instance that accepts it.
 */
export class Balancer {
  private next = 0;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  constructor(private readonly backends: readonly number[]) {}

  async listen(): Promise<string> {
    this.server = createServer((client) => this.route(client, 0));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}/graphql`;
  }

  private route(client: Socket, tries: number): void {
    const port = this.backends[this.next++ % this.backends.length] as number;
    const upstream = connect({ host: '127.0.0.1', port });
    this.sockets.add(client).add(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => {
      if (!connected && tries + 1 < this.backends.length * 2) this.route(client, tries + 1);
      else client.destroy();
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      upstream.destroy();
      this.sockets.delete(client);
    });
    upstream.on('close', () => {
      if (connected) client.destroy();
      this.sockets.delete(upstream);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
