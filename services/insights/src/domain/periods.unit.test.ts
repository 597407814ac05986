import { describe, expect, it } from 'vitest';
import { monthOf, parsePeriod } from './periods.js';

const NOW = new Date('2025-08-15T03:00:00.000Z');

describe('periods in the Asia/Ho_Chi_Minh calendar', () => {
  it('given "2025-Q1", then it runs from 1 January 00:00 to 1 April 00:00 Hà Nội time', () => {
    const period = parsePeriod('2025-Q1', NOW);
    expect(period.start.toISOString()).toBe('2024-12-31T17:00:00.000Z');
    expect(period.end.toISOString()).toBe('2025-03-31T17:00:00.000Z');
    expect(period.at.toISOString()).toBe('2025-03-31T16:59:59.999Z');
    expect(period.months).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(period.quarters).toEqual([{ label: '2025-Q1', months: ['2025-01', '2025-02', '2025-03'] }]);
  });

  it('given a year not yet over, then it is measured up to now: started months and quarters only', () => {
    const period = parsePeriod('2025', NOW);
    expect(period.at.getTime()).toBe(NOW.getTime() - 1);
    expect(period.months).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
    ]);
    expect(period.quarters.map((quarter) => quarter.label)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    expect(period.quarters[2]?.months).toEqual(['2025-07', '2025-08']);
  });

  it('given a month, then its quarter is read up to the month', () => {
    expect(parsePeriod('2025-05', NOW).quarters).toEqual([{ label: '2025-Q2', months: ['2025-04', '2025-05'] }]);
  });

  it.each([
    '2025-Q5',
    '2025-13',
    '25',
    '2025-1',
    '2025-q1',
    '',
    '2025-Q1 ',
    '1999',
    '2026',
  ])('given %j, then BAD_USER_INPUT on period', (label) => {
    expect(() => parsePeriod(label, NOW)).toThrowError(
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'period' }),
    );
  });

  it('given 23:30 UTC on 31 January, then it is February in Vietnam', () => {
    expect(monthOf('2025-01-31T23:30:00Z')).toBe('2025-02');
  });
});
