/**
 * A dependency-free progress display for long replays. On a terminal it redraws one line in
 * place (bar, events done / total, rate, ETA); elsewhere (CI logs, files) it prints a plain line
 * every few seconds, so the same code serves both.
 */

/** The part of a writable stream the display needs; `process.stderr` fits. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressSnapshot {
  readonly done: number;
  /** Null when the source cannot say how many there are. */
  readonly total: number | null;
  readonly elapsedMs: number;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `45s`, `2m05s`, `1h02m`: short enough for a status line. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Events per second so far; null until time has passed. */
export function rateOf(snapshot: ProgressSnapshot): number | null {
  return snapshot.elapsedMs > 0 ? (snapshot.done * 1000) / snapshot.elapsedMs : null;
}

export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return '– ev/s';
  return `${perSecond >= 100 ? count(perSecond) : perSecond.toFixed(1)} ev/s`;
}

/** Time left at the rate so far; null when unknown (no total, or nothing done yet). */
export function etaMs(snapshot: ProgressSnapshot): number | null {
  const rate = rateOf(snapshot);
  if (snapshot.total === null || rate === null || rate === 0) return null;
  return (Math.max(0, snapshot.total - snapshot.done) / rate) * 1000;
}

export interface FormatOptions {
  /** Characters of the bar; 0 leaves it out (plain log lines). */
  readonly barWidth?: number;
  /** For the final line: says how long it took instead of how long is left. */
  readonly outcome?: 'done' | 'failed';
}

export function formatProgress(label: string, snapshot: ProgressSnapshot, options: FormatOptions = {}): string {
  const barWidth = options.barWidth ?? 0;
  const parts = [label];
  const rate = formatRate(rateOf(snapshot));
  const eta = etaMs(snapshot);
  const timing = options.outcome
    ? `${options.outcome === 'done' ? 'done in' : 'failed after'} ${formatDuration(snapshot.elapsedMs)}`
    : `ETA ${eta === null ? '–' : formatDuration(eta)}`;
  if (snapshot.total === null) {
    parts.push(`${count(snapshot.done)} events`, rate);
    if (options.outcome) parts.push(timing);
    return parts.join('  ');
  }
  // Events appended while replaying can push `done` past the total counted at the start.
  const fraction = snapshot.total === 0 ? 1 : Math.min(1, snapshot.done / snapshot.total);
  if (barWidth > 0) {
    const filled = Math.round(fraction * barWidth);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]`);
  }
  parts.push(`${count(snapshot.done)}/${count(snapshot.total)}`, `${(fraction * 100).toFixed(1)}%`, rate, timing);
  return parts.join('  ');
}

export interface ProgressBarOptions {
  readonly label: string;
  readonly total: number | null;
  readonly stream: ProgressStream;
  /** Milliseconds since some origin; injectable for tests. */
  readonly now?: () => number;
  /** Minimum pause between redraws on a terminal; default 100 ms. */
  readonly redrawMs?: number;
  /** Pause between plain lines when not on a terminal; default 5 s. */
  readonly lineEveryMs?: number;
  readonly barWidth?: number;
}

export class ProgressBar {
  private readonly now: () => number;
  private readonly started: number;
  private readonly tty: boolean;
  private lastDraw: number;
  private done = 0;
  private outcome: 'done' | 'failed' | undefined;

  constructor(private readonly options: ProgressBarOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.tty = options.stream.isTTY === true;
    this.lastDraw = this.started;
    if (this.tty) this.draw();
  }

  /** Records the number of events done so far and redraws if it is time. */
  update(done: number): void {
    this.done = done;
    const now = this.now();
    const every = this.tty ? (this.options.redrawMs ?? 100) : (this.options.lineEveryMs ?? 5000);
    if (now - this.lastDraw >= every) this.draw();
  }

  /** Draws the final line once; later calls do nothing. */
  finish(outcome: 'done' | 'failed' = 'done'): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.draw();
    if (this.tty) this.options.stream.write('\n');
  }

  snapshot(): ProgressSnapshot {
    return { done: this.done, total: this.options.total, elapsedMs: this.now() - this.started };
  }

  private draw(): void {
    this.lastDraw = this.now();
    const line = formatProgress(this.options.label, this.snapshot(), {
      barWidth: this.tty ? (this.options.barWidth ?? 24) : 0,
      outcome: this.outcome,
    });
    if (!this.tty) {
      this.options.stream.write(`${line}\n`);
      return;
    }
    // Clip to the terminal so the line never wraps (a wrapped line cannot be redrawn with \r).
    const columns = this.options.stream.columns;
    const fitted = columns && columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
    this.options.stream.write(`\r${fitted}\x1b[K`);
  }
}
