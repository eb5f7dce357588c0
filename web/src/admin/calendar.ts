import type { components } from '../api/schema';

export type Calendar = components['schemas']['CalendarDto'];
export type DayKind = 'holiday' | 'makeup';

/** The API keeps holidays and make-up days within this many years of today, either side. */
export const CALENDAR_YEARS = 5;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO weekday (1 = Monday) of a calendar date, or null when there is no such date. */
export function isoWeekday(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== date) return null;
  return d.getUTCDay() === 0 ? 7 : d.getUTCDay();
}

export type CalendarDateError = 'format' | 'window' | 'duplicate' | 'makeupOnWorkday';

/**
 * Why a day cannot be added, or null: a real date, within the API's window around today, not
 * already listed, and a make-up working day only on a day that is otherwise off (a weekend).
 */
export function calendarDateError(
  date: string,
  kind: DayKind,
  calendar: Pick<Calendar, 'holidays' | 'makeupWorkdays' | 'weekendDays'>,
  today: string,
): CalendarDateError | null {
  const weekday = isoWeekday(date.trim());
  if (weekday === null) return 'format';
  const year = Number(today.slice(0, 4));
  const first = `${year - CALENDAR_YEARS}${today.slice(4)}`;
  const last = `${year + CALENDAR_YEARS}${today.slice(4)}`;
  if (date < first || date > last) return 'window';
  if (calendar.holidays.includes(date) || calendar.makeupWorkdays.includes(date))
    return 'duplicate';
  if (kind === 'makeup' && !calendar.weekendDays.includes(weekday)) return 'makeupOnWorkday';
  return null;
}
