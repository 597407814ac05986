import { describe, expect, it } from 'vitest';
import { etaMs, formatDuration, formatProgress, formatRate, ProgressBar, type ProgressStream } from './progress.js';

class FakeStream implements ProgressStream {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
}

const clock = (start = 0) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

describe('progress formatting', () => {
  it('given durations, when formatted, then seconds, minutes and hours read compactly', () => {
    expect([0, 44_600, 60_000, 125_000, 3_599_000, 3_720_000].map(formatDuration)).toEqual([
      '0s',
      '45s',
      '1m00s',
      '2m05s',
      '59m59s',
      '1h02m',
    ]);
  });

  it('given rates, when formatted, then large ones are grouped and small ones keep a decimal', () => {
    expect([formatRate(null), formatRate(2.25), formatRate(1520.4), formatRate(12_345)]).toEqual([
      '– ev/s',
      '2.3 ev/s',
      '1,520 ev/s',
      '12,345 ev/s',
    ]);
  });

  it('given 1,250 of 5,000 done in 2.5 s, when formatted with a bar, then done/total, percent, rate and ETA show', () => {
    const line = formatProgress('rebuild policies', { done: 1250, total: 5000, elapsedMs: 2500 }, { barWidth: 8 });

    expect(line).toBe('rebuild policies  [██░░░░░░]  1,250/5,000  25.0%  500 ev/s  ETA 8s');
    expect(etaMs({ done: 1250, total: 5000, elapsedMs: 2500 })).toBe(7500);
  });

  it('given nothing done yet, when formatted, then rate and ETA are unknown', () => {
    expect(formatProgress('r', { done: 0, total: 10, elapsedMs: 0 })).toBe('r  0/10  0.0%  – ev/s  ETA –');
  });

  it('given no known total, when formatted, then it counts events and rate only', () => {
    expect(formatProgress('r', { done: 300, total: null, elapsedMs: 1500 })).toBe('r  300 events  200 ev/s');
    expect(formatProgress('r', { done: 300, total: null, elapsedMs: 1500 }, { outcome: 'done' })).toBe(
      'r  300 events  200 ev/s  done in 2s',
    );
  });

  it('given more done than the total counted at the start, when formatted, then it stops at 100% with no time left', () => {
    expect(formatProgress('r', { done: 12, total: 10, elapsedMs: 1000 }, { barWidth: 4 })).toBe(
      'r  [████]  12/10  100.0%  12.0 ev/s  ETA 0s',
    );
  });

  it('given a finished or failed run, when formatted, then it says how long it took', () => {
    expect(formatProgress('r', { done: 10, total: 10, elapsedMs: 65_000 }, { outcome: 'done' })).toBe(
      'r  10/10  100.0%  0.2 ev/s  done in 1m05s',
    );
    expect(formatProgress('r', { done: 5, total: 10, elapsedMs: 3000 }, { outcome: 'failed' })).toBe(
      'r  5/10  50.0%  1.7 ev/s  failed after 3s',
    );
  });
});

describe('ProgressBar', () => {
  it('given a terminal, when updates come faster than the redraw pause, then it redraws in place at most that often', () => {
    const time = clock(1000);
    const stream = new FakeStream(true);
    const bar = new ProgressBar({ label: 'rebuild', total: 100, stream, now: time.now, redrawMs: 100, barWidth: 4 });

    time.advance(50);
    bar.update(10);
    time.advance(50);
    bar.update(20);
    time.advance(900);
    bar.update(100);
    bar.finish();
    bar.finish();

    expect(stream.chunks).toEqual([
      '\rrebuild  [░░░░]  0/100  0.0%  – ev/s  ETA –\x1b[K',
      '\rrebuild  [█░░░]  20/100  20.0%  200 ev/s  ETA 0s\x1b[K',
      '\rrebuild  [████]  100/100  100.0%  100 ev/s  ETA 0s\x1b[K',
      '\rrebuild  [████]  100/100  100.0%  100 ev/s  done in 1s\x1b[K',
      '\n',
    ]);
  });

  it('given a narrow terminal, when drawn, then the line is clipped so it never wraps', () => {
    const stream = new FakeStream(true, 20);
    new ProgressBar({ label: 'rebuild statements', total: 5, stream, now: () => 0 });

    expect(stream.chunks).toEqual(['\rrebuild statements \x1b[K']);
  });

  it('given no terminal, when updated, then it prints a plain line per interval and a final line', () => {
    const time = clock();
    const stream = new FakeStream(false);
    const bar = new ProgressBar({ label: 'rebuild', total: 4000, stream, now: time.now, lineEveryMs: 5000 });

    time.advance(1000);
    bar.update(1000);
    time.advance(4000);
    bar.update(2000);
    time.advance(1000);
    bar.update(3000);
    time.advance(2000);
    bar.update(4000);
    bar.finish('done');

    expect(stream.chunks).toEqual([
      'rebuild  2,000/4,000  50.0%  400 ev/s  ETA 5s\n',
      'rebuild  4,000/4,000  100.0%  500 ev/s  done in 8s\n',
    ]);
  });
});
