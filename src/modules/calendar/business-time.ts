/**
 * Working-time arithmetic for clocks and reminders (DESIGN.md section 4). Pure: no I/O and no
 * dependence on the host time zone.
 *
 * All arithmetic happens on "local milliseconds": UTC milliseconds shifted by the fixed +08:00
 * offset of Asia/Shanghai (which has no DST), so a local day is exactly `DAY_MS` long and the
 * host's `TZ` never matters.
 *
 * Rules chosen where the brief left a choice:
 * - `addWorkingTime(cal, start, 0)` returns `nextWorkingInstant(cal, start)`: `start` itself when
 *   it is working time, otherwise the start of the next working period. A zero duration therefore
 *   still yields a working instant, like every other result.
 * - For ms > 0 the result is the instant at which the ms-th working millisecond ends, so it lies
 *   in (periodStart, periodEnd] of a working day: a deadline that ends exactly at 12:00 stays at
 *   12:00 and is never rolled forward to 13:30.
 */

export interface WorkingPeriod {
  start: string;
  end: string;
}

export interface WorkingCalendar {
  workingHours: WorkingPeriod[];
  weekendDays: number[];
  holidays: string[];
  makeupWorkdays: string[];
}

export const DEFAULT_CALENDAR: WorkingCalendar = {
  workingHours: [
    { start: '08:30', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  weekendDays: [6, 7],
  holidays: [],
  makeupWorkdays: [],
};

export const TIME_ZONE = 'Asia/Shanghai';
export const UTC_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** How far a search for the next working day goes before the calendar is declared unusable. */
const MAX_SCAN_DAYS = 3 * 366;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const DURATION_RE = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO-8601 duration parts; weeks and days stay apart as their length depends on the mode. */
export interface DurationParts {
  weeks: number;
  days: number;
  /** Hours, minutes and seconds in ms, rounded to whole ms (Date has millisecond resolution). */
  timeMs: number;
}

export function parseIsoDurationParts(text: string): DurationParts | null {
  const m = DURATION_RE.exec(text);
  // The regex also matches 'P' and '…T' with empty groups; ISO needs a component after each.
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [, w, d, h, min, s] = m;
  const parts: DurationParts = {
    weeks: Number(w ?? 0),
    days: Number(d ?? 0),
    timeMs: Math.round(
      Number(h ?? 0) * HOUR_MS + Number(min ?? 0) * MINUTE_MS + Number(s ?? 0) * 1000,
    ),
  };
  const total = (parts.weeks * 7 + parts.days) * DAY_MS + parts.timeMs;
  return Number.isSafeInteger(total) ? parts : null;
}

/** Calendar length in ms (a day is 24 h, a week 7 days); null if unsupported or invalid. */
export function parseIsoDuration(text: string): number | null {
  const p = parseIsoDurationParts(text);
  return p && (p.weeks * 7 + p.days) * DAY_MS + p.timeMs;
}

/** 'HH:MM' (00:00..23:59) to ms after local midnight, or null. */
export function parseLocalTime(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * HOUR_MS + Number(m[2]) * MINUTE_MS : null;
}

/** Local day number (days since 1970-01-01) of a real 'YYYY-MM-DD' date, or null. */
export function parseLocalDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC silently normalises 2026-02-30 to March 2nd; the round trip rejects such dates.
  return formatDay(ms / DAY_MS) === text ? ms / DAY_MS : null;
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar date of an instant, as 'YYYY-MM-DD'. */
export function localDateOf(at: Date): string {
  return formatDay(Math.floor((instantMs(at) + UTC_OFFSET_MS) / DAY_MS));
}

/** The Asia/Shanghai wall-clock time of an instant, as 'YYYY-MM-DD HH:MM' (for people to read). */
export function localMinuteOf(at: Date): string {
  return new Date(instantMs(at) + UTC_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Throws an Error naming the first bad 'HH:MM', empty, unsorted or overlapping period. */
export function validateWorkingHours(periods: readonly WorkingPeriod[]): void {
  compilePeriods(periods);
}

type Period = readonly [start: number, end: number];

function compilePeriods(periods: readonly WorkingPeriod[]): Period[] {
  let previousEnd = 0;
  return periods.map((p, i) => {
    const start = parseLocalTime(p.start);
    const end = parseLocalTime(p.end);
    if (start === null || end === null) {
      throw new Error(
        `workingHours[${i}]: times must be 'HH:MM' from 00:00 to 23:59, got ${JSON.stringify(p)}`,
      );
    }
    if (start >= end) {
      throw new Error(`workingHours[${i}]: start ${p.start} must be before end ${p.end}`);
    }
    if (start < previousEnd) {
      throw new Error(
        `workingHours[${i}]: ${p.start}-${p.end} overlaps or precedes the previous period`,
      );
    }
    previousEnd = end;
    return [start, end] as const;
  });
}

interface Compiled {
  periods: Period[];
  dayMs: number;
  weekend: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  makeup: ReadonlySet<string>;
}

function compile(cal: WorkingCalendar): Compiled {
  const periods = compilePeriods(cal.workingHours);
  return {
    periods,
    dayMs: periods.reduce((sum, [s, e]) => sum + e - s, 0),
    weekend: new Set(cal.weekendDays),
    holidays: new Set(cal.holidays),
    makeup: new Set(cal.makeupWorkdays),
  };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local day number; 1970-01-01 was a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function isWorkingDayNumber(c: Compiled, day: number): boolean {
  const date = formatDay(day);
  if (c.holidays.has(date)) return false;
  return c.makeup.has(date) || !c.weekend.has(isoWeekday(day));
}

/** First working day >= `day`; throws when none is within MAX_SCAN_DAYS or there are no hours. */
function firstWorkingDayFrom(c: Compiled, day: number): number {
  if (c.dayMs > 0) {
    for (let d = day; d < day + MAX_SCAN_DAYS; d++) {
      if (isWorkingDayNumber(c, d)) return d;
    }
  }
  throw new Error(
    `Working calendar has no working time within ${MAX_SCAN_DAYS} days after ${formatDay(day)}` +
      ' (check workingHours, weekendDays and holidays)',
  );
}

function instantMs(at: Date): number {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  return t;
}

function splitLocal(utcMs: number): { day: number; tod: number } {
  const local = utcMs + UTC_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, tod: local - day * DAY_MS };
}

function fromLocal(day: number, tod: number): Date {
  return new Date(day * DAY_MS + tod - UTC_OFFSET_MS);
}

/**
 * The longest run of days without a working day a calendar may have: well under MAX_SCAN_DAYS,
 * so no due time can ever fail to be found.
 */
export const MAX_IDLE_DAYS = 366;

/**
 * Throws an Error when the calendar leaves no working time: no working hours, every weekday a
 * weekend day, or holidays that close more than MAX_IDLE_DAYS days in a row.
 */
export function assertHasWorkingDays(cal: WorkingCalendar): void {
  const c = compile(cal);
  if (c.dayMs === 0) throw new Error('workingHours must give each working day some working time');
  if ([1, 2, 3, 4, 5, 6, 7].every((d) => c.weekend.has(d))) {
    throw new Error('weekendDays covers the whole week: leave at least one working weekday');
  }
  // With a working weekday left, only holidays make long runs without work: look around them.
  const days = cal.holidays.map(parseLocalDate).filter((d) => d !== null);
  if (days.length === 0) return;
  const last = Math.max(...days) + 7;
  let idle = 0;
  for (let day = Math.min(...days) - 7; day <= last; day++) {
    idle = isWorkingDayNumber(c, day) ? 0 : idle + 1;
    if (idle > MAX_IDLE_DAYS) {
      throw new Error(
        `The holidays leave no working day for more than ${MAX_IDLE_DAYS} days up to ${formatDay(day)}`,
      );
    }
  }
}

const WEEKDAY_NAMES = [
  '',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];

/**
 * Throws an Error naming the dates when a date is both a holiday and a make-up working day (the
 * calendar would contradict itself), or a make-up day is not a weekend day (it would change
 * nothing: the official notices only ever move a weekend day into the working week).
 */
export function assertDaysAgree(
  cal: Pick<WorkingCalendar, 'weekendDays' | 'holidays' | 'makeupWorkdays'>,
): void {
  const holidays = new Set(cal.holidays);
  const both = cal.makeupWorkdays.filter((d) => holidays.has(d));
  if (both.length > 0) {
    throw new Error(
      `${both.join(', ')}: a date cannot be both a holiday and a make-up working day`,
    );
  }
  const weekend = new Set(cal.weekendDays);
  const weekdays = cal.makeupWorkdays
    .map((d) => [d, isoWeekday(parseLocalDate(d) as number)] as const)
    .filter(([, w]) => !weekend.has(w));
  if (weekdays.length > 0) {
    throw new Error(
      `a make-up working day must be a weekend day: ${weekdays.map(([d, w]) => `${d} is a ${WEEKDAY_NAMES[w]}`).join(', ')}`,
    );
  }
}

export function workingDayMs(cal: WorkingCalendar): number {
  return compile(cal).dayMs;
}

export function isWorkingDay(cal: WorkingCalendar, localDate: string): boolean {
  const day = parseLocalDate(localDate);
  if (day === null) throw new RangeError(`Not a valid 'YYYY-MM-DD' date: ${localDate}`);
  return isWorkingDayNumber(compile(cal), day);
}

/**
 * When the working day `localDate` ends (its last working period's end, Asia/Shanghai), or null
 * when that date is not a working day.
 */
export function endOfWorkingDay(cal: WorkingCalendar, localDate: string): Date | null {
  const day = parseLocalDate(localDate);
  if (day === null) throw new RangeError(`Not a valid 'YYYY-MM-DD' date: ${localDate}`);
  const c = compile(cal);
  if (c.dayMs === 0 || !isWorkingDayNumber(c, day)) return null;
  return fromLocal(day, c.periods[c.periods.length - 1][1]);
}

/** An instant as an Asia/Shanghai timestamp with its offset, e.g. '2026-12-31T17:30:00+08:00'. */
export function localTimestampOf(at: Date): string {
  return `${new Date(instantMs(at) + UTC_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

export function isWorkingInstant(cal: WorkingCalendar, at: Date): boolean {
  const c = compile(cal);
  const { day, tod } = splitLocal(instantMs(at));
  return isWorkingDayNumber(c, day) && c.periods.some(([s, e]) => s <= tod && tod < e);
}

function nextWorkingMs(c: Compiled, utcMs: number): number {
  const { day, tod } = splitLocal(utcMs);
  if (isWorkingDayNumber(c, day)) {
    for (const [s, e] of c.periods) {
      if (tod < s) return fromLocal(day, s).getTime();
      if (tod < e) return utcMs;
    }
  }
  const next = firstWorkingDayFrom(c, day + 1);
  return fromLocal(next, c.periods[0][0]).getTime();
}

export function nextWorkingInstant(cal: WorkingCalendar, at: Date): Date {
  return new Date(nextWorkingMs(compile(cal), instantMs(at)));
}

/** `ms`: a non-negative integer. The file header gives the rules for 0 and for period ends. */
export function addWorkingTime(cal: WorkingCalendar, start: Date, ms: number): Date {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`Working time must be a non-negative integer of ms, got ${ms}`);
  }
  const c = compile(cal);
  const first = nextWorkingMs(c, instantMs(start));
  if (ms === 0) return new Date(first);

  let remaining = ms;
  let { day, tod } = splitLocal(first);
  for (;;) {
    // Whole days are consumed in one step: long durations cost one iteration per calendar day.
    if (tod === 0 && remaining > c.dayMs) {
      remaining -= c.dayMs;
    } else {
      for (const [s, e] of c.periods) {
        if (tod >= e) continue;
        const from = Math.max(s, tod);
        if (remaining <= e - from) return fromLocal(day, from + remaining);
        remaining -= e - from;
      }
    }
    day = firstWorkingDayFrom(c, day + 1);
    tod = 0;
  }
}

/** Working ms in [from, to); 0 when to <= from. */
export function workingMsBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const fromMs = instantMs(from);
  const toMs = instantMs(to);
  if (toMs <= fromMs) return 0;
  const c = compile(cal);
  const a = splitLocal(fromMs);
  // The last day that contains an instant before `to`.
  const b = splitLocal(toMs - 1);
  let total = 0;
  for (let day = a.day; day <= b.day; day++) {
    if (!isWorkingDayNumber(c, day)) continue;
    const lo = day === a.day ? a.tod : 0;
    const hi = day === b.day ? b.tod + 1 : DAY_MS;
    if (lo === 0 && hi === DAY_MS) {
      total += c.dayMs;
      continue;
    }
    for (const [s, e] of c.periods) total += Math.max(0, Math.min(e, hi) - Math.max(s, lo));
  }
  return total;
}

/**
 * Due time of a clock. '24x7': plain addition. 'working': a day (and a week = 5 days) counts as one
 * working day of `cal`, hours/minutes/seconds count as working time, so 'P1D' from Friday 10:00 is
 * Monday 10:00 with the default hours.
 */
export function addClockDuration(
  mode: '24x7' | 'working',
  cal: WorkingCalendar,
  start: Date,
  isoDuration: string,
): Date {
  const ms = clockLengthMs(mode, cal, isoDuration);
  return mode === '24x7' ? new Date(instantMs(start) + ms) : addWorkingTime(cal, start, ms);
}

/**
 * How much time a limit gives, as its clock counts it: calendar ms for a 24x7 clock; working ms
 * for a working-time clock, where a day is a working day and a week five of them. Two limits of
 * one clock compare by it exactly: the due time grows with it from any start.
 */
export function clockLengthMs(
  mode: '24x7' | 'working',
  cal: WorkingCalendar,
  isoDuration: string,
): number {
  const parts = parseIsoDurationParts(isoDuration);
  if (!parts) throw new Error(`Unsupported ISO-8601 duration: '${isoDuration}'`);
  return mode === '24x7'
    ? (parts.weeks * 7 + parts.days) * DAY_MS + parts.timeMs
    : (parts.weeks * 5 + parts.days) * workingDayMs(cal) + parts.timeMs;
}
