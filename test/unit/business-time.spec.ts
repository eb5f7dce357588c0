import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import {
  DEFAULT_CALENDAR,
  MAX_IDLE_DAYS,
  addClockDuration,
  assertHasWorkingDays,
  addWorkingTime,
  isWorkingDay,
  isWorkingInstant,
  localDateOf,
  nextWorkingInstant,
  parseIsoDuration,
  workingDayMs,
  workingMsBetween,
  type WorkingCalendar,
  type WorkingPeriod,
} from '../../src/modules/calendar/business-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const OFFSET = 8 * HOUR;

/** An Asia/Shanghai wall-clock time such as '2026-09-28T10:00' as an instant. */
function at(local: string): Date {
  return new Date(`${local}+08:00`);
}

/** The inverse of `at`, with seconds and ms only when they are not zero, for readable failures. */
function fmt(d: Date): string {
  const iso = new Date(d.getTime() + OFFSET).toISOString();
  return iso.endsWith(':00.000Z') ? iso.slice(0, 16) : iso.slice(0, 23);
}

/** 2026 National Day: 10-01..10-07 off, with the make-up working days this suite declares. */
const NATIONAL_DAY: WorkingCalendar = {
  ...DEFAULT_CALENDAR,
  holidays: [
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  makeupWorkdays: ['2026-09-27', '2026-10-10'],
};

describe('parseIsoDuration', () => {
  it.each([
    ['PT2H', 2 * HOUR],
    ['P3D', 3 * DAY],
    ['PT5S', 5000],
    ['P1DT2H', DAY + 2 * HOUR],
    ['PT0.5S', 500],
    ['P2W', 14 * DAY],
    ['PT1H30M', 90 * MINUTE],
    ['PT0S', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', 'abc', 'P1Y', 'P1M', 'PT-1H', '-PT1H', 'P1.5D', 'pt1h', ' PT1H'])(
    'rejects %j',
    (text) => {
      expect(parseIsoDuration(text)).toBeNull();
    },
  );
});

describe('working days and instants', () => {
  it('has 7.5 working hours a day by default', () => {
    expect(workingDayMs(DEFAULT_CALENDAR)).toBe(7.5 * HOUR);
  });

  it.each([
    ['2026-09-30', true], // Wednesday
    ['2026-10-01', false], // holiday on a Thursday
    ['2026-10-03', false], // holiday on a Saturday
    ['2026-09-26', false], // plain Saturday
    ['2026-09-27', true], // make-up Sunday
    ['2026-10-10', true], // make-up Saturday
    ['2026-10-11', false], // plain Sunday
  ])('isWorkingDay(%s) is %s', (date, expected) => {
    expect(isWorkingDay(NATIONAL_DAY, date)).toBe(expected);
  });

  it('lets a holiday win over a make-up day', () => {
    const cal = { ...NATIONAL_DAY, makeupWorkdays: ['2026-10-03'] };
    expect(isWorkingDay(cal, '2026-10-03')).toBe(false);
  });

  it('rejects impossible dates', () => {
    expect(() => isWorkingDay(DEFAULT_CALENDAR, '2026-02-30')).toThrow(/2026-02-30/);
  });

  it.each([
    ['2026-09-30T08:29:59.999', false],
    ['2026-09-30T08:30', true],
    ['2026-09-30T11:59:59.999', true],
    ['2026-09-30T12:00', false],
    ['2026-09-30T13:30', true],
    ['2026-09-30T17:30', false],
    ['2026-10-02T10:00', false],
    ['2026-09-27T10:00', true],
  ])('isWorkingInstant(%s) is %s', (local, expected) => {
    expect(isWorkingInstant(NATIONAL_DAY, at(local))).toBe(expected);
  });

  it.each([
    ['2026-09-30T10:00', '2026-09-30T10:00'],
    ['2026-09-30T12:00', '2026-09-30T13:30'],
    ['2026-09-30T07:00', '2026-09-30T08:30'],
    ['2026-09-30T17:30', '2026-10-08T08:30'], // across the whole National Day holiday
    ['2026-09-26T10:00', '2026-09-27T08:30'], // Saturday to the make-up Sunday
    ['2026-10-09T18:00', '2026-10-10T08:30'], // Friday evening to the make-up Saturday
    ['2026-10-10T18:00', '2026-10-12T08:30'],
  ])('nextWorkingInstant(%s) is %s', (local, expected) => {
    expect(fmt(nextWorkingInstant(NATIONAL_DAY, at(local)))).toBe(expected);
  });

  it('throws a clear error for a calendar without any working day', () => {
    const never = { ...DEFAULT_CALENDAR, weekendDays: [1, 2, 3, 4, 5, 6, 7] };
    expect(() => nextWorkingInstant(never, at('2026-09-30T10:00'))).toThrow(/no working time/);
    expect(() => addWorkingTime(never, at('2026-09-30T10:00'), HOUR)).toThrow(/no working time/);
    const noHours = { ...DEFAULT_CALENDAR, workingHours: [] };
    expect(() => nextWorkingInstant(noHours, at('2026-09-30T10:00'))).toThrow(/no working time/);
  });
});

describe('addWorkingTime', () => {
  it.each([
    ['2026-09-30T10:00', 0, '2026-09-30T10:00'], // ms = 0 in working time: unchanged
    ['2026-09-30T12:00', 0, '2026-09-30T13:30'], // ms = 0 outside: next working instant
    ['2026-09-30T11:00', HOUR, '2026-09-30T12:00'], // lands on a period end and stays there
    ['2026-09-30T11:00', HOUR + 1, '2026-09-30T13:30:00.001'],
    ['2026-09-30T17:00', 30 * MINUTE, '2026-09-30T17:30'],
    ['2026-09-30T17:00', HOUR, '2026-10-08T09:00'],
    ['2026-09-30T19:00', HOUR, '2026-10-08T09:30'], // starts outside: moves to 08:30 first
    ['2026-09-26T09:00', HOUR, '2026-09-27T09:30'], // counts the make-up Sunday
  ])('%s + %d ms is %s', (local, ms, expected) => {
    expect(fmt(addWorkingTime(NATIONAL_DAY, at(local), ms))).toBe(expected);
  });

  it('rejects negative and fractional durations', () => {
    expect(() => addWorkingTime(DEFAULT_CALENDAR, at('2026-09-30T10:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingTime(DEFAULT_CALENDAR, at('2026-09-30T10:00'), 0.5)).toThrow(RangeError);
  });

  it('adds decades of working time per day, not per minute', () => {
    const start = at('2026-01-05T09:00');
    const ms = 20 * 250 * workingDayMs(DEFAULT_CALENDAR);
    const begun = performance.now();
    const due = addWorkingTime(DEFAULT_CALENDAR, start, ms);
    expect(performance.now() - begun).toBeLessThan(250);
    expect(workingMsBetween(DEFAULT_CALENDAR, start, due)).toBe(ms);
    expect(due.getTime() - start.getTime()).toBeGreaterThan(19 * 365 * DAY);
  });
});

describe('workingMsBetween', () => {
  it.each([
    ['2026-09-25T17:00', '2026-09-28T09:00', 8.5 * HOUR], // 30 min + make-up Sunday + 30 min
    ['2026-09-30T11:00', '2026-09-30T14:00', 90 * MINUTE],
    ['2026-09-30T17:00', '2026-10-08T09:00', HOUR],
    ['2026-10-01T00:00', '2026-10-08T00:00', 0],
    ['2026-09-30T14:00', '2026-09-30T14:00', 0],
    ['2026-09-30T14:00', '2026-09-30T10:00', 0],
  ])('[%s, %s) has %d working ms', (from, to, ms) => {
    expect(workingMsBetween(NATIONAL_DAY, at(from), at(to))).toBe(ms);
  });
});

describe('addClockDuration', () => {
  it.each([
    ['24x7', '2026-09-30T10:00', 'P1D', '2026-10-01T10:00'],
    ['24x7', '2026-09-30T10:00', 'PT2H', '2026-09-30T12:00'],
    ['24x7', '2026-09-30T10:00', 'P1W', '2026-10-07T10:00'],
    ['working', '2026-09-25T10:00', 'P1D', '2026-09-27T10:00'], // Friday to the make-up Sunday
    ['working', '2026-09-30T16:30', 'PT2H', '2026-10-08T09:30'],
    ['working', '2026-09-28T10:00', 'P7D', '2026-10-13T10:00'],
    ['working', '2026-09-28T10:00', 'P1W', '2026-10-10T10:00'], // a week is 5 working days
    ['working', '2026-09-30T17:29:55', 'PT5S', '2026-09-30T17:30'],
  ] as const)('%s: %s + %s is %s', (mode, local, duration, expected) => {
    expect(fmt(addClockDuration(mode, NATIONAL_DAY, at(local), duration))).toBe(expected);
  });

  it('is Monday 10:00 for P1D from Friday 10:00 with the default calendar', () => {
    expect(fmt(addClockDuration('working', DEFAULT_CALENDAR, at('2026-09-18T10:00'), 'P1D'))).toBe(
      '2026-09-21T10:00',
    );
  });

  it('rejects unsupported durations', () => {
    expect(() => addClockDuration('24x7', DEFAULT_CALENDAR, new Date(), 'P1M')).toThrow(/P1M/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Calendars are random (periods on whole minutes) or the National Day calendar above.

const WINDOW_START_DAY = Date.UTC(2026, 0, 1) / DAY;
const WINDOW_DAYS = 730;
const dateArb = fc
  .integer({ min: 0, max: WINDOW_DAYS - 1 })
  .map((i) => new Date((WINDOW_START_DAY + i) * DAY).toISOString().slice(0, 10));

function hhmm(minute: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

const calendarArb: fc.Arbitrary<WorkingCalendar> = fc.oneof(
  fc.constant(NATIONAL_DAY),
  fc.record({
    workingHours: fc
      .uniqueArray(fc.integer({ min: 0, max: 1439 }), { minLength: 2, maxLength: 6 })
      .map((minutes) => {
        const sorted = [...minutes].sort((a, b) => a - b);
        const periods: WorkingPeriod[] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) {
          periods.push({ start: hhmm(sorted[i]), end: hhmm(sorted[i + 1]) });
        }
        return periods;
      }),
    weekendDays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { maxLength: 6 }),
    holidays: fc.uniqueArray(dateArb, { maxLength: 20 }),
    makeupWorkdays: fc.uniqueArray(dateArb, { maxLength: 10 }),
  }),
);

const WINDOW_START_MS = WINDOW_START_DAY * DAY - OFFSET;
/** Starts stay in the first 18 months so that results stay inside the holiday window. */
const instantArb = fc
  .integer({ min: 0, max: 540 * DAY })
  .map((ms) => new Date(WINDOW_START_MS + ms));
const durationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1000 }),
  fc.integer({ min: 0, max: 120 * HOUR }),
);
const RUNS = { numRuns: 200 };

/** Working-time facts recomputed independently of the module, from the raw calendar. */
function localParts(t: number): { date: string; weekday: number; minuteMs: number } {
  const local = new Date(t + OFFSET);
  return {
    date: local.toISOString().slice(0, 10),
    weekday: local.getUTCDay() === 0 ? 7 : local.getUTCDay(),
    minuteMs: (t + OFFSET) % DAY,
  };
}

function oracleWorkingDay(cal: WorkingCalendar, date: string, weekday: number): boolean {
  if (cal.holidays.includes(date)) return false;
  return cal.makeupWorkdays.includes(date) || !cal.weekendDays.includes(weekday);
}

function minuteOf(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h * 60 + m) * MINUTE;
}

function periodsMs(cal: WorkingCalendar): Array<[number, number]> {
  return cal.workingHours.map((p) => [minuteOf(p.start), minuteOf(p.end)]);
}

/** Reference model: walks minute by minute, so it only takes minute-aligned inputs. */
function oracleAdd(cal: WorkingCalendar, start: number, minutes: number): number {
  const periods = periodsMs(cal);
  const working = (t: number): boolean => {
    const { date, weekday, minuteMs } = localParts(t);
    return (
      oracleWorkingDay(cal, date, weekday) &&
      periods.some(([s, e]) => s <= minuteMs && minuteMs < e)
    );
  };
  let t = start;
  let left = minutes;
  for (;;) {
    if (working(t)) {
      if (left === 0) return t;
      left -= 1;
      if (left === 0) return t + MINUTE;
    }
    t += MINUTE;
  }
}

describe('addWorkingTime properties', () => {
  it('matches a minute-by-minute reference model', () => {
    fc.assert(
      fc.property(
        calendarArb,
        fc.integer({ min: 0, max: 540 * 24 * 60 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (cal, startMinute, days) => {
          const start = WINDOW_START_MS + startMinute * MINUTE;
          const minutes = Math.round((days * workingDayMs(cal)) / MINUTE);
          const due = addWorkingTime(cal, new Date(start), minutes * MINUTE);
          expect(fmt(due)).toBe(fmt(new Date(oracleAdd(cal, start, minutes))));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is monotonic in the start', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, durationArb, (cal, x, y, ms) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        expect(addWorkingTime(cal, a, ms).getTime()).toBeLessThanOrEqual(
          addWorkingTime(cal, b, ms).getTime(),
        );
      }),
      RUNS,
    );
  });

  it('is monotonic in the duration', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, durationArb, (cal, start, x, y) => {
        const [d1, d2] = x <= y ? [x, y] : [y, x];
        expect(addWorkingTime(cal, start, d1).getTime()).toBeLessThanOrEqual(
          addWorkingTime(cal, start, d2).getTime(),
        );
      }),
      RUNS,
    );
  });

  it('lands in (periodStart, periodEnd] of a working day, or on a working instant for 0', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, start, ms) => {
        const due = addWorkingTime(cal, start, ms);
        const { date, weekday, minuteMs } = localParts(due.getTime());
        expect(oracleWorkingDay(cal, date, weekday)).toBe(true);
        const inside = periodsMs(cal).some(([s, e]) =>
          ms === 0 ? s <= minuteMs && minuteMs < e : s < minuteMs && minuteMs <= e,
        );
        expect(inside).toBe(true);
        if (ms === 0) expect(isWorkingInstant(cal, due)).toBe(true);
      }),
      RUNS,
    );
  });

  it('round-trips with workingMsBetween', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, start, ms) => {
        expect(workingMsBetween(cal, start, addWorkingTime(cal, start, ms))).toBe(ms);
      }),
      RUNS,
    );
  });

  it('measures working time additively', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (cal, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime());
        expect(workingMsBetween(cal, a, c)).toBe(
          workingMsBetween(cal, a, b) + workingMsBetween(cal, b, c),
        );
      }),
      RUNS,
    );
  });

  it('skips holidays: an extra holiday never brings a deadline forward nor lands on it', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, dateArb, (cal, start, ms, holiday) => {
        const withHoliday = { ...cal, holidays: [...cal.holidays, holiday] };
        const due = addWorkingTime(withHoliday, start, ms);
        expect(due.getTime()).toBeGreaterThanOrEqual(addWorkingTime(cal, start, ms).getTime());
        expect(localDateOf(due)).not.toBe(holiday);
        const dayStart = at(`${holiday}T00:00`);
        expect(workingMsBetween(withHoliday, dayStart, new Date(dayStart.getTime() + DAY))).toBe(0);
      }),
      RUNS,
    );
  });

  it('counts make-up days: a whole working day, and never a later deadline', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, dateArb, (cal, start, ms, makeup) => {
        const withMakeup = { ...cal, makeupWorkdays: [...cal.makeupWorkdays, makeup] };
        expect(addWorkingTime(withMakeup, start, ms).getTime()).toBeLessThanOrEqual(
          addWorkingTime(cal, start, ms).getTime(),
        );
        const dayStart = at(`${makeup}T00:00`);
        const dayEnd = new Date(dayStart.getTime() + DAY);
        const expected = cal.holidays.includes(makeup) ? 0 : workingDayMs(cal);
        expect(workingMsBetween(withMakeup, dayStart, dayEnd)).toBe(expected);
      }),
      RUNS,
    );
  });
});

describe('host time zone independence', () => {
  // Jest gives each test file a copy of process.env, so setting TZ here would not reach V8: the
  // module runs in child processes whose host zone really differs, compared with this process.
  const source = readFileSync(
    join(__dirname, '../../src/modules/calendar/business-time.ts'),
    'utf8',
  );
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const childScript = `
    const module = { exports: {} };
    new Function('exports', 'module', ${JSON.stringify(js)})(module.exports, module);
    const m = module.exports;
    const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const results = cases.map(([cal, start, ms, to]) => [
      m.addWorkingTime(cal, new Date(start), ms).getTime(),
      m.nextWorkingInstant(cal, new Date(start)).getTime(),
      m.workingMsBetween(cal, new Date(start), new Date(to)),
      m.isWorkingInstant(cal, new Date(start)),
      m.localDateOf(new Date(start)),
    ]);
    const offset = new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset();
    process.stdout.write(JSON.stringify({ offset, results }));
  `;
  const cases = fc
    .sample(fc.tuple(calendarArb, instantArb, durationArb, instantArb), RUNS)
    .map(([cal, start, ms, to]) => [cal, start.getTime(), ms, to.getTime()] as const);
  const expected = cases.map(([cal, start, ms, to]) => [
    addWorkingTime(cal, new Date(start), ms).getTime(),
    nextWorkingInstant(cal, new Date(start)).getTime(),
    workingMsBetween(cal, new Date(start), new Date(to)),
    isWorkingInstant(cal, new Date(start)),
    localDateOf(new Date(start)),
  ]);

  it.each([
    ['America/New_York', 300],
    ['Asia/Kolkata', -330],
    ['Pacific/Chatham', -825],
    ['Asia/Shanghai', -480],
  ])('gives the same results when the host zone is %s', (tz, offset) => {
    const child = spawnSync(process.execPath, ['-e', childScript], {
      env: { ...process.env, TZ: tz },
      input: JSON.stringify(cases),
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout) as { offset: number; results: unknown };
    // Proves the child really ran in another zone, so the comparison below means something.
    expect(out.offset).toBe(offset);
    expect(out.results).toEqual(expected);
  });
});

describe('assertHasWorkingDays', () => {
  it('accepts the default calendar and one with a single working weekday', () => {
    expect(() => assertHasWorkingDays(DEFAULT_CALENDAR)).not.toThrow();
    expect(() =>
      assertHasWorkingDays({ ...DEFAULT_CALENDAR, weekendDays: [1, 2, 3, 4, 5, 6] }),
    ).not.toThrow();
  });

  it('refuses a week of weekend days, even with make-up days', () => {
    for (const makeupWorkdays of [[], ['2026-10-10']]) {
      expect(() =>
        assertHasWorkingDays({
          ...DEFAULT_CALENDAR,
          weekendDays: [1, 2, 3, 4, 5, 6, 7],
          makeupWorkdays,
        }),
      ).toThrow(/whole week/);
    }
  });

  it('refuses no working hours', () => {
    expect(() => assertHasWorkingDays({ ...DEFAULT_CALENDAR, workingHours: [] })).toThrow(
      /working time/,
    );
  });

  it('refuses holidays that close more than a year in a row, and allows a year', () => {
    const days = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        new Date(Date.UTC(2027, 0, 1) + i * DAY).toISOString().slice(0, 10),
      );
    // 2027-01-01 is a Friday: the weekend before it and after the run add to it.
    expect(() =>
      assertHasWorkingDays({ ...DEFAULT_CALENDAR, holidays: days(MAX_IDLE_DAYS - 4) }),
    ).not.toThrow();
    expect(() =>
      assertHasWorkingDays({ ...DEFAULT_CALENDAR, holidays: days(MAX_IDLE_DAYS) }),
    ).toThrow(/no working day for more than 366 days/);
    // A make-up day inside the run breaks it.
    expect(() =>
      assertHasWorkingDays({
        ...DEFAULT_CALENDAR,
        holidays: days(400).filter((d) => d !== '2027-06-01'),
      }),
    ).not.toThrow();
  });
});
