import { describe, expect, it } from 'vitest';
import { amountOf, isoOf, isoSeconds, warnFractions, warnText } from './duration';

describe('time limits typed as a number and a unit', () => {
  it('reads the API’s durations in the largest unit that says them exactly', () => {
    expect(amountOf('PT2H')).toEqual({ n: 2, unit: 'hours' });
    expect(amountOf('P3D')).toEqual({ n: 3, unit: 'days' });
    expect(amountOf('PT90M')).toEqual({ n: 90, unit: 'minutes' });
    expect(amountOf('PT20S')).toEqual({ n: 20, unit: 'seconds' });
    expect(amountOf('P1DT2H')).toEqual({ n: 26, unit: 'hours' });
    expect(amountOf('P1W')).toEqual({ n: 7, unit: 'days' });
    expect(amountOf('PT0S')).toBeNull();
    expect(amountOf('2 hours')).toBeNull();
    expect(isoSeconds('PT')).toBeNull();
  });

  it('writes whole positive amounts as durations and refuses anything else', () => {
    expect(isoOf({ n: 30, unit: 'minutes' })).toBe('PT30M');
    expect(isoOf({ n: 2, unit: 'hours' })).toBe('PT2H');
    expect(isoOf({ n: 3, unit: 'days' })).toBe('P3D');
    expect(isoOf({ n: 10, unit: 'seconds' })).toBe('PT10S');
    expect(isoOf({ n: 0, unit: 'hours' })).toBeNull();
    expect(isoOf({ n: 1.5, unit: 'hours' })).toBeNull();
    expect(isoOf({ n: Number.NaN, unit: 'hours' })).toBeNull();
  });

  it('warning points are percentages between 1 and 99, at most five', () => {
    expect(warnFractions('80, 50')).toEqual([0.5, 0.8]);
    expect(warnFractions('50，80、50')).toEqual([0.5, 0.8]);
    expect(warnFractions('')).toEqual([]);
    expect(warnFractions('0')).toBeNull();
    expect(warnFractions('100')).toBeNull();
    expect(warnFractions('12.5')).toBeNull();
    expect(warnFractions('10 20 30 40 50 60')).toBeNull();
    expect(warnText([0.5, 0.8])).toBe('50, 80');
  });
});
