import { describe, expect, it } from 'vitest';
import { monthBefore, periodOf, todayInShanghai, trendPeriod } from './period';

// 1 January 2027, 01:00 in Shanghai, is still 31 December 2026 in UTC.
const NEW_YEAR = new Date('2026-12-31T17:00:00Z');

describe('the periods a supervisor picks, in Asia/Shanghai dates', () => {
  it('this month, last month and this year, by the towns’ calendar', () => {
    expect(todayInShanghai(NEW_YEAR)).toBe('2027-01-01');
    expect(periodOf('thisMonth', NEW_YEAR)).toEqual({ from: '2027-01-01' });
    expect(periodOf('lastMonth', NEW_YEAR)).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(periodOf('thisYear', NEW_YEAR)).toEqual({ from: '2027-01-01' });
  });

  it('the trend covers the last twelve months, this one included', () => {
    expect(monthBefore(NEW_YEAR, 11)).toBe('2026-02');
    expect(trendPeriod(NEW_YEAR)).toEqual({ from: '2026-02-01' });
    expect(monthBefore(new Date('2026-03-15T04:00:00Z'), 3)).toBe('2025-12');
  });
});
