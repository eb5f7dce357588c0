import {
  DEFAULT_CALENDAR,
  endOfWorkingDay,
  localTimestampOf,
  type WorkingCalendar,
} from '../../src/modules/calendar/business-time';
import { resolveUntil } from '../../src/modules/requests/extension-until';

/** REQUEST_EXTENSION's `until`: a date is the end of that working day in Asia/Shanghai. */

const CAL: WorkingCalendar = {
  ...DEFAULT_CALENDAR,
  holidays: ['2026-10-01', '2026-10-02'],
  makeupWorkdays: ['2026-10-10'],
};
// Wednesday 2026-09-30, 10:00 in Shanghai.
const NOW = new Date('2026-09-30T10:00:00+08:00');

describe('endOfWorkingDay and localTimestampOf', () => {
  it.each([
    ['a weekday', '2026-12-31', '2026-12-31T17:30:00+08:00'],
    ['a make-up working Saturday', '2026-10-10', '2026-10-10T17:30:00+08:00'],
  ])('%s ends with its last working period', (_what, date, end) => {
    expect(localTimestampOf(endOfWorkingDay(CAL, date) as Date)).toBe(end);
  });

  it.each([
    ['a Saturday', '2026-12-26'],
    ['a holiday', '2026-10-01'],
  ])('%s is no working day: null', (_what, date) => {
    expect(endOfWorkingDay(CAL, date)).toBeNull();
  });

  it('follows the calendar’s hours', () => {
    const late = { ...CAL, workingHours: [{ start: '09:00', end: '21:15' }] };
    expect(localTimestampOf(endOfWorkingDay(late, '2026-12-31') as Date)).toBe(
      '2026-12-31T21:15:00+08:00',
    );
  });

  it('writes any instant in Shanghai time, crossing midnight', () => {
    expect(localTimestampOf(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01T04:00:00+08:00');
  });
});

describe('resolveUntil', () => {
  it('a working date becomes the end of that day and keeps the date', () => {
    expect(resolveUntil(CAL, '2026-10-09', NOW)).toEqual({
      until: '2026-10-09T17:30:00+08:00',
      date: '2026-10-09',
    });
  });

  it('today still counts while its working day has not ended', () => {
    expect(resolveUntil(CAL, '2026-09-30', NOW)).toEqual({
      until: '2026-09-30T17:30:00+08:00',
      date: '2026-09-30',
    });
  });

  it.each([
    ['a holiday', '2026-10-01', /2026-10-01 is not a working day/],
    ['a Sunday', '2026-10-11', /2026-10-11 is not a working day/],
    ['a working day that has ended', '2026-09-29', /ended at 2026-09-29 17:30/],
  ])('%s is refused with a reason', (_what, date, message) => {
    const out = resolveUntil(CAL, date, NOW);
    expect(out).toEqual({ problem: expect.stringMatching(message) });
  });

  it('a timestamp stays as sent, and must lie ahead', () => {
    expect(resolveUntil(CAL, '2026-10-01T12:00:00+08:00', NOW)).toEqual({
      until: '2026-10-01T12:00:00+08:00',
    });
    expect(resolveUntil(CAL, '2026-09-30T09:00:00+08:00', NOW)).toEqual({
      problem: 'until must be in the future',
    });
  });
});
