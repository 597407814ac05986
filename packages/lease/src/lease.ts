import pg from 'pg';

/** Work a lease holder does; resolves to the function that stops it. */
export type LeasedWork = () => Promise<() => Promise<void>>;

export interface LeaseLogEntry {
  readonly level: 'info' | 'warn';
  readonly lease: string;
  readonly message: string;
}

export interface AdvisoryLeaseOptions {
  /** The database the leased work writes to; the lock lives there, on a connection of its own. */
  readonly connectionString: string;
  /** What is leased, e.g. `directory:projections`; unique per database. */
  readonly name: string;
  /** How often a waiting instance tries to take the lease over; default 1 s. */
  readonly retryMs?: number;
  readonly log?: (entry: LeaseLogEntry) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One holder at a time among every process that asks, for as long as it lives: a PostgreSQL
 * session-level advisory lock on a dedicated connection. When the holder dies, its connection
 * closes, PostgreSQL releases the lock, and the next instance to try within `retryMs` takes
 * over. A holder that loses its connection stops its work at once, before anyone can take over.
 */
export class AdvisoryLease {
  private readonly works: LeasedWork[] = [];
  private readonly stops: (() => Promise<void>)[] = [];
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private transition: Promise<void> = Promise.resolve();
  private closed = false;
  private heldNow = false;
  private readonly retryMs: number;
  private readonly log: (entry: LeaseLogEntry) => void;

  constructor(private readonly options: AdvisoryLeaseOptions) {
    this.retryMs = options.retryMs ?? 1000;
    this.log = options.log ?? (() => {});
  }

  get name(): string {
    return this.options.name;
  }

  /** True while this process holds the lease and its work runs. */
  get held(): boolean {
    return this.heldNow;
  }

  /** Adds work to run while the lease is held; started now if it already is. */
  async hold(work: LeasedWork): Promise<void> {
    this.works.push(work);
    await this.serially(async () => {
      if (this.heldNow) this.stops.push(await work());
    });
  }

  /** Starts trying for the lease; resolves after the first attempt, held or not. */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** Stops the work and releases the lease (closing the connection releases it). */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.serially(() => this.release());
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.transition.then(step);
    this.transition = next.catch(() => undefined);
    return next;
  }

  private schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  private attempt(): Promise<void> {
    return this.serially(async () => {
      if (this.closed || this.heldNow) return;
      try {
        const client = await this.connection();
        const { rows } = await client.query<{ held: boolean }>(
          `SELECT pg_try_advisory_lock(hashtext('hub.lease'), hashtext($1)) AS held`,
          [this.options.name],
        );
        if (!rows[0]?.held) return;
        this.heldNow = true;
        this.log({ level: 'info', lease: this.name, message: 'lease taken' });
        for (const work of this.works) this.stops.push(await work());
      } catch (error) {
        this.log({ level: 'warn', lease: this.name, message: `lease attempt failed: ${messageOf(error)}` });
        await this.release();
      } finally {
        if (!this.heldNow) this.schedule();
      }
    });
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'hub-lease' });
    // A dropped connection has released the lock already: stop the work, then try again.
    const lost = (error?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      void this.serially(async () => {
        if (this.heldNow) {
          this.log({
            level: 'warn',
            lease: this.name,
            message: `lease lost: ${messageOf(error ?? 'connection ended')}`,
          });
        }
        await this.stopWork();
      }).finally(() => this.schedule());
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    this.client = client;
    return client;
  }

  private async stopWork(): Promise<void> {
    this.heldNow = false;
    for (const stop of this.stops.splice(0).reverse()) {
      await stop().catch((error: unknown) =>
        this.log({ level: 'warn', lease: this.name, message: `stopping leased work failed: ${messageOf(error)}` }),
      );
    }
  }

  private async release(): Promise<void> {
    await this.stopWork();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
