import { describe, expect, it } from 'vitest';
import { formatInVietnamTime } from './time.js';

describe('formatInVietnamTime', () => {
  it('given a UTC instant, then the wall-clock time in Hà Nội (UTC+7) as HH:mm dd/MM/yyyy', () => {
    expect(formatInVietnamTime('2025-07-01T01:00:00Z')).toBe('08:00 01/07/2025');
    expect(formatInVietnamTime('2025-07-01T01:00:00.000Z')).toBe('08:00 01/07/2025');
  });

  it('given an instant late in the UTC day, then the next calendar day in Vietnam', () => {
    expect(formatInVietnamTime('2025-06-30T17:00:00Z')).toBe('00:00 01/07/2025');
    expect(formatInVietnamTime('2024-12-31T16:59:59Z')).toBe('23:59 31/12/2024');
  });

  it('given an instant with an offset or a Date, then the same instant is shown', () => {
    expect(formatInVietnamTime('2025-07-01T08:00:00+07:00')).toBe('08:00 01/07/2025');
    expect(formatInVietnamTime('2025-07-01T03:00:00+02:00')).toBe('08:00 01/07/2025');
    expect(formatInVietnamTime(new Date(Date.UTC(2025, 2, 1, 0, 30)))).toBe('07:30 01/03/2025');
  });

  it('given midnight in Vietnam, then 00, never 24', () => {
    expect(formatInVietnamTime('2025-01-01T17:00:00Z')).toBe('00:00 02/01/2025');
  });

  it('given a string without a zone, a date only, or garbage, then RangeError', () => {
    expect(() => formatInVietnamTime('2025-07-01T08:00:00')).toThrow(RangeError);
    expect(() => formatInVietnamTime('2025-07-01')).toThrow(RangeError);
    expect(() => formatInVietnamTime('yesterday')).toThrow(RangeError);
    expect(() => formatInVietnamTime('2025-13-45T08:00:00Z')).toThrow(RangeError);
    expect(() => formatInVietnamTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
