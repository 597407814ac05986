import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How far one follower (a projection or a relay) is behind its event store. */
export interface Lag {
  /** Events not yet applied or published, counted up to `LAG_COUNT_LIMIT`. */
  readonly events: number;
  /** Age of the oldest such event; 0 when caught up. */
  readonly seconds: number;
}

export interface LagSource {
  readonly kind: 'projection' | 'relay';
  readonly name: string;
  lag(): Promise<Lag>;
}

/** The metrics every hub process exposes at /metrics. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly commands: Counter<'command' | 'outcome'>;
  readonly commandSeconds: Histogram<'command'>;
  readonly commandErrors: Counter<'command' | 'code'>;
  readonly httpSeconds: Histogram<'server' | 'operation' | 'status'>;
  private readonly lagSources: LagSource[] = [];
  private liveSubscribers: (() => number) | undefined;

  constructor(labels: { readonly service: string; readonly instance: string }) {
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.commands = new Counter({
      name: 'hub_commands_total',
      help: 'Commands handled, by command and outcome (ok, replayed, error)',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: 'hub_command_duration_seconds',
      help: 'Time from a command reaching its handler to its events appended (or its rejection)',
      labelNames: ['command'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.commandErrors = new Counter({
      name: 'hub_command_errors_total',
      help: 'Commands rejected or failed, by command and error code',
      labelNames: ['command', 'code'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'hub_http_request_duration_seconds',
      help: 'GraphQL requests over HTTP, by server, operation name and status',
      labelNames: ['server', 'operation', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const lagGauge = (name: string, help: string, pick: (lag: Lag) => number) => {
      const sources = this.lagSources;
      return new Gauge({
        name,
        help,
        labelNames: ['kind', 'name'],
        registers,
        async collect() {
          this.reset();
          for (const source of sources) {
            const lag = await source.lag().catch(() => undefined);
            if (lag) this.set({ kind: source.kind, name: source.name }, pick(lag));
          }
        },
      });
    };
    lagGauge(
      'hub_follower_lag_events',
      'Events a projection or relay has yet to apply or publish',
      (lag) => lag.events,
    );
    lagGauge(
      'hub_follower_lag_seconds',
      'Age of the oldest event a projection or relay has yet to handle',
      (l) => l.seconds,
    );
    const subscribers = () => this.liveSubscribers?.() ?? 0;
    new Gauge({
      name: 'hub_live_subscribers',
      help: 'Subscriptions this live instance fans events out to',
      registers,
      collect() {
        this.set(subscribers());
      },
    });
  }

  follow(source: LagSource): void {
    this.lagSources.push(source);
  }

  get followers(): readonly LagSource[] {
    return this.lagSources;
  }

  countLiveSubscribers(count: () => number): void {
    this.liveSubscribers = count;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
