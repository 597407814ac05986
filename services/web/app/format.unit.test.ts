import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatIndicatorValue, formatScore, formatVnd, periodsUpTo } from './format.js';

describe('Vietnamese formats', () => {
  it('given an instant in UTC, then it reads as day/month/year hour:minute in Vietnam time', () => {
    expect(formatDateTime('2026-11-29T07:05:00Z')).toBe('29/11/2026 14:05');
    expect(formatDateTime('2026-12-31T17:30:00Z')).toBe('01/01/2027 00:30');
    expect(formatDate('2026-12-31T17:30:00Z')).toBe('01/01/2027');
  });

  it('given whole đồng, then thousands are separated by dots and the sign ₫ follows', () => {
    expect(formatVnd(150_000_000)).toBe('150.000.000 ₫');
    expect(formatVnd(0)).toBe('0 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
    expect(formatVnd(-1_000)).toBe('-1.000 ₫');
  });

  it('given a score, then one decimal with a comma; no score reads "chưa có"', () => {
    expect(formatScore(87.46)).toBe('87,5');
    expect(formatScore(100)).toBe('100,0');
    expect(formatScore(null)).toBe('chưa có');
  });

  it('given an indicator value, then it is shown in its unit', () => {
    expect(formatIndicatorValue(50, '%')).toBe('50,0 %');
    expect(formatIndicatorValue(1, 'có/không')).toBe('có');
    expect(formatIndicatorValue(0, 'có/không')).toBe('không');
    expect(formatIndicatorValue(1_200_000, 'VND')).toBe('1.200.000 ₫');
    expect(formatIndicatorValue(null, '%')).toBe('không áp dụng');
  });

  it('given a day in May 2026 (Vietnam time), then the picker offers the year, Q2 and Q1, May to January, and last year', () => {
    const values = periodsUpTo(new Date('2026-05-10T03:00:00Z')).map((period) => period.value);
    expect(values).toEqual([
      '2026',
      '2026-Q2',
      '2026-Q1',
      '2026-05',
      '2026-04',
      '2026-03',
      '2026-02',
      '2026-01',
      '2025',
    ]);
  });

  it('given 31 December 20:00 UTC, then the picker is already in the new Vietnamese year', () => {
    expect(periodsUpTo(new Date('2026-12-31T20:00:00Z'))[0]?.value).toBe('2027');
  });
});
