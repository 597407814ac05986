import { etaMs, formatDuration, type ProgressStream, rateOf } from '@hub/projections';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/**
 * Rows done / total, rate and ETA redrawn in place on a terminal. Off a terminal it stays silent:
 * logs and pipes get the final summary only.
 */
export class RowProgress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private done = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private readonly total: number,
  ) {
    if (this.stream.isTTY) this.draw();
  }

  update(done: number): void {
    this.done = done;
    if (this.stream.isTTY && performance.now() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  finish(): void {
    if (!this.stream.isTTY) return;
    this.draw(true);
    this.stream.write('\n');
  }

  private draw(final = false): void {
    this.lastDraw = performance.now();
    const snapshot = { done: this.done, total: this.total, elapsedMs: this.lastDraw - this.started };
    const fraction = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const rate = rateOf(snapshot);
    const eta = etaMs(snapshot);
    const line = [
      this.label,
      `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`,
      `${this.done}/${this.total} rows`,
      rate === null ? '– rows/s' : `${rate.toFixed(rate >= 100 ? 0 : 1)} rows/s`,
      final ? `done in ${formatDuration(snapshot.elapsedMs)}` : `ETA ${eta === null ? '–' : formatDuration(eta)}`,
    ].join('  ');
    // A line wider than the terminal wraps, and a wrapped line cannot be redrawn with \r.
    const columns = this.stream.columns;
    const fitted = columns && columns > 1 && line.length >= columns ? line.slice(0, columns - 1) : line;
    this.stream.write(`\r${fitted}\x1b[K`);
  }
}
