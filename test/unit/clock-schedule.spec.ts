import { DEFAULT_CALENDAR, type WorkingCalendar } from '../../src/modules/calendar/business-time';
import {
  advance,
  budgetMs,
  type ClockTimes,
  elapsed,
  remainingAt,
  schedule,
} from '../../src/modules/clocks/clock-schedule';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 08:30–12:00 and 13:30–17:30. */
const WORKING_DAY = 7.5 * HOUR;

/** An Asia/Shanghai wall-clock time such as '2026-03-10T03:00' as an instant. */
function at(local: string): Date {
  return new Date(`${local}+08:00`);
}

/** The inverse of `at`, for readable failures. */
function fmt(d: Date): string {
  return new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 23);
}

function clock(overrides: Partial<ClockTimes>): ClockTimes {
  return {
    mode: '24x7',
    budgetMs: 10 * SECOND,
    remainingMs: 10 * SECOND,
    anchorAt: at('2026-03-10T10:00'),
    warnAt: [0.5, 0.8],
    warningsSent: 0,
    holdWarnings: false,
    ...overrides,
  };
}

const cal: WorkingCalendar = DEFAULT_CALENDAR;

describe('budgetMs', () => {
  it.each([
    ['PT2S', 2 * SECOND],
    ['PT2H', 2 * HOUR],
    ['PT1H30M', 90 * MINUTE],
    ['PT0.5S', 500],
    ['P1D', DAY],
    ['P3D', 3 * DAY],
    ['P1W', 7 * DAY],
    ['P1DT2H', DAY + 2 * HOUR],
  ])('24x7 %s is %d ms of calendar time', (duration, ms) => {
    expect(budgetMs('24x7', cal, duration)).toBe(ms);
  });

  it.each([
    ['PT1H', HOUR],
    ['PT2H', 2 * HOUR],
    ['P1D', WORKING_DAY],
    ['P7D', 7 * WORKING_DAY],
    ['P1W', 5 * WORKING_DAY],
    ['P1DT1H', WORKING_DAY + HOUR],
  ])('working %s is %d ms of working time', (duration, ms) => {
    expect(budgetMs('working', cal, duration)).toBe(ms);
  });

  it('a working day is as long as the calendar’s working hours', () => {
    const short: WorkingCalendar = { ...cal, workingHours: [{ start: '09:00', end: '12:00' }] };
    expect(budgetMs('working', short, 'P2D')).toBe(6 * HOUR);
    expect(budgetMs('24x7', short, 'P2D')).toBe(2 * DAY);
  });

  it.each(['abc', 'P', 'PT', '', '2H', 'P1Y'])('refuses %p', (duration) => {
    expect(() => budgetMs('24x7', cal, duration)).toThrow(/Unsupported ISO-8601 duration/);
  });
});

describe('advance and elapsed', () => {
  it('24x7 is plain arithmetic', () => {
    const from = at('2026-03-14T23:00'); // a Saturday night
    expect(fmt(advance('24x7', cal, from, 2 * HOUR))).toBe('2026-03-15T01:00:00.000');
    expect(elapsed('24x7', cal, from, at('2026-03-15T01:00'))).toBe(2 * HOUR);
    expect(elapsed('24x7', cal, at('2026-03-15T01:00'), from)).toBe(0);
  });

  it('working time skips nights, lunch and weekends', () => {
    // Friday 17:00 + 1 h: 30 min on Friday, 30 min on Monday morning.
    expect(fmt(advance('working', cal, at('2026-03-13T17:00'), HOUR))).toBe(
      '2026-03-16T09:00:00.000',
    );
    expect(elapsed('working', cal, at('2026-03-13T17:00'), at('2026-03-16T09:00'))).toBe(HOUR);
    expect(elapsed('working', cal, at('2026-03-10T11:00'), at('2026-03-10T14:00'))).toBe(
      90 * MINUTE,
    );
  });
});

describe('schedule', () => {
  it('a fresh 24x7 clock warns at the first fraction and is due after its budget', () => {
    const s = schedule(cal, clock({}));
    expect(fmt(s.dueAt)).toBe('2026-03-10T10:00:10.000');
    expect(fmt(s.nextFireAt)).toBe('2026-03-10T10:00:05.000');
    expect(s).toMatchObject({ nextAction: 'warn', warningsSent: 0 });
  });

  it('after the first warning the next one is at the second fraction', () => {
    const s = schedule(cal, clock({ warningsSent: 1 }));
    expect(fmt(s.nextFireAt)).toBe('2026-03-10T10:00:08.000');
    expect(s).toMatchObject({ nextAction: 'warn', warningsSent: 1 });
  });

  it('after the last warning the next step is the due time', () => {
    const s = schedule(cal, clock({ warningsSent: 2 }));
    expect(s.nextFireAt).toEqual(s.dueAt);
    expect(s).toMatchObject({ nextAction: 'due', warningsSent: 2 });
  });

  it('a warning whose moment has passed is skipped, not sent late', () => {
    // 3 s left of 10: the 50 % moment (5 s left) is gone, the 80 % one (2 s left) is 1 s away.
    const anchorAt = at('2026-03-10T10:00');
    const s = schedule(cal, clock({ remainingMs: 3 * SECOND, anchorAt }));
    expect(fmt(s.dueAt)).toBe('2026-03-10T10:00:03.000');
    expect(fmt(s.nextFireAt)).toBe('2026-03-10T10:00:01.000');
    expect(s).toMatchObject({ nextAction: 'warn', warningsSent: 1 });

    // 1 s left: both are gone, the next step is the due time.
    const late = schedule(cal, clock({ remainingMs: SECOND, anchorAt }));
    expect(late).toMatchObject({ nextAction: 'due', warningsSent: 2 });
    expect(fmt(late.nextFireAt)).toBe('2026-03-10T10:00:01.000');
  });

  it('no warnings at all: straight to the due time', () => {
    const s = schedule(cal, clock({ warnAt: [] }));
    expect(s).toMatchObject({ nextAction: 'due', warningsSent: 0 });
    expect(s.nextFireAt).toEqual(s.dueAt);
  });

  it('holdWarnings moves a 3 a.m. warning to 08:30 Shanghai time; the due time stays', () => {
    // Tuesday 01:00, 10 h of 24x7 time, warn at 20 %: the warning falls at 03:00.
    const base = clock({
      anchorAt: at('2026-03-10T01:00'),
      budgetMs: 10 * HOUR,
      remainingMs: 10 * HOUR,
      warnAt: [0.2],
    });
    const urgent = schedule(cal, base);
    expect(fmt(urgent.nextFireAt)).toBe('2026-03-10T03:00:00.000');

    const held = schedule(cal, { ...base, holdWarnings: true });
    expect(fmt(held.nextFireAt)).toBe('2026-03-10T08:30:00.000');
    expect(held).toMatchObject({ nextAction: 'warn', warningsSent: 0 });
    expect(fmt(held.dueAt)).toBe('2026-03-10T11:00:00.000');
    expect(held.dueAt).toEqual(urgent.dueAt);
  });

  it('a held warning that would only go out after the due time is dropped', () => {
    // Tuesday 01:00 + 4 h: due 05:00, before working hours start; the 03:00 warning is skipped.
    const s = schedule(
      cal,
      clock({
        anchorAt: at('2026-03-10T01:00'),
        budgetMs: 4 * HOUR,
        remainingMs: 4 * HOUR,
        warnAt: [0.5],
        holdWarnings: true,
      }),
    );
    expect(s).toMatchObject({ nextAction: 'due', warningsSent: 1 });
    expect(fmt(s.nextFireAt)).toBe('2026-03-10T05:00:00.000');
  });

  it('a held warning on a Saturday waits for Monday morning', () => {
    const s = schedule(
      cal,
      clock({
        anchorAt: at('2026-03-14T10:00'), // Saturday
        budgetMs: 3 * DAY,
        remainingMs: 3 * DAY,
        warnAt: [0.1],
        holdWarnings: true,
      }),
    );
    expect(fmt(s.nextFireAt)).toBe('2026-03-16T08:30:00.000');
    expect(fmt(s.dueAt)).toBe('2026-03-17T10:00:00.000');
  });

  it('a working-time clock is due and warns inside working hours', () => {
    // Monday 16:00 + 2 working hours: 1.5 h on Monday, 30 min on Tuesday.
    const s = schedule(
      cal,
      clock({
        mode: 'working',
        anchorAt: at('2026-03-09T16:00'),
        budgetMs: 2 * HOUR,
        remainingMs: 2 * HOUR,
        warnAt: [0.5, 0.8],
        holdWarnings: true,
      }),
    );
    expect(fmt(s.dueAt)).toBe('2026-03-10T09:00:00.000');
    expect(fmt(s.nextFireAt)).toBe('2026-03-09T17:00:00.000');
    const second = schedule(
      cal,
      clock({
        mode: 'working',
        anchorAt: at('2026-03-09T16:00'),
        budgetMs: 2 * HOUR,
        remainingMs: 2 * HOUR,
        warningsSent: 1,
      }),
    );
    // 80 % of 2 h is 96 min: 90 min on Monday, 6 min on Tuesday.
    expect(fmt(second.nextFireAt)).toBe('2026-03-10T08:36:00.000');
  });

  it('a holiday moves a working-time due time to the next working day', () => {
    const holiday: WorkingCalendar = { ...cal, holidays: ['2026-03-10'] };
    const c = clock({
      mode: 'working',
      anchorAt: at('2026-03-09T17:00'),
      budgetMs: HOUR,
      remainingMs: HOUR,
      warnAt: [],
    });
    expect(fmt(schedule(cal, c).dueAt)).toBe('2026-03-10T09:00:00.000');
    expect(fmt(schedule(holiday, c).dueAt)).toBe('2026-03-11T09:00:00.000');
  });
});

describe('remainingAt', () => {
  it('24x7: the budget minus the time since the anchor, never below zero', () => {
    const c = clock({ anchorAt: at('2026-03-10T10:00'), remainingMs: 10 * SECOND });
    expect(remainingAt(cal, c, at('2026-03-10T10:00'))).toBe(10 * SECOND);
    expect(remainingAt(cal, c, new Date(at('2026-03-10T10:00').getTime() + 4 * SECOND))).toBe(
      6 * SECOND,
    );
    expect(remainingAt(cal, c, at('2026-03-10T11:00'))).toBe(0);
    // Before the anchor nothing has elapsed yet.
    expect(remainingAt(cal, c, at('2026-03-10T09:00'))).toBe(10 * SECOND);
  });

  it('working: only working time counts', () => {
    const c = clock({
      mode: 'working',
      anchorAt: at('2026-03-10T11:00'),
      budgetMs: 2 * HOUR,
      remainingMs: 2 * HOUR,
    });
    // 11:00–12:00 and 13:30–14:00 are working time, lunch is not.
    expect(remainingAt(cal, c, at('2026-03-10T14:00'))).toBe(30 * MINUTE);
    expect(remainingAt(cal, c, at('2026-03-10T13:00'))).toBe(HOUR);
  });
});

describe('pause and resume', () => {
  it('24x7: the paused time is not counted, so the due time moves by exactly the pause', () => {
    const start = at('2026-03-10T10:00');
    const running = clock({ anchorAt: start, budgetMs: HOUR, remainingMs: HOUR, warnAt: [] });
    const dueBefore = schedule(cal, running).dueAt;
    expect(fmt(dueBefore)).toBe('2026-03-10T11:00:00.000');

    // Paused after 20 min: 40 min left, kept while paused.
    const pausedAt = at('2026-03-10T10:20');
    const left = remainingAt(cal, running, pausedAt);
    expect(left).toBe(40 * MINUTE);

    // Resumed 3 h later: re-anchored with the 40 min that were left.
    const resumedAt = at('2026-03-10T13:20');
    const resumed = schedule(cal, { ...running, anchorAt: resumedAt, remainingMs: left });
    expect(fmt(resumed.dueAt)).toBe('2026-03-10T14:00:00.000');
    expect(resumed.dueAt.getTime() - dueBefore.getTime()).toBe(
      resumedAt.getTime() - pausedAt.getTime(),
    );
  });

  it('working: paused over a night, the due time moves by the working time of the pause', () => {
    const running = clock({
      mode: 'working',
      anchorAt: at('2026-03-10T09:00'),
      budgetMs: 3 * HOUR,
      remainingMs: 3 * HOUR,
      warnAt: [],
    });
    expect(fmt(schedule(cal, running).dueAt)).toBe('2026-03-10T12:00:00.000');
    const left = remainingAt(cal, running, at('2026-03-10T10:00'));
    expect(left).toBe(2 * HOUR);
    const resumed = schedule(cal, {
      ...running,
      anchorAt: at('2026-03-11T10:00'),
      remainingMs: left,
    });
    // Same time of day one working day later.
    expect(fmt(resumed.dueAt)).toBe('2026-03-11T12:00:00.000');
  });

  it('a warning that would have gone out during the pause is skipped on resume', () => {
    const running = clock({ budgetMs: 10 * SECOND, remainingMs: 10 * SECOND });
    // 7 s used before the pause: the 50 % warning (not yet sent) is in the past.
    const left = remainingAt(cal, running, new Date(running.anchorAt.getTime() + 7 * SECOND));
    const resumedAt = at('2026-03-10T12:00');
    const s = schedule(cal, { ...running, anchorAt: resumedAt, remainingMs: left });
    expect(s).toMatchObject({ nextAction: 'warn', warningsSent: 1 });
    expect(fmt(s.nextFireAt)).toBe('2026-03-10T12:00:01.000');
    expect(fmt(s.dueAt)).toBe('2026-03-10T12:00:03.000');
  });
});
