/**
 * Bounds on what the working calendar may hold, so an import cannot store (or make every clock
 * edit scan) an unbounded number of dates, nor dates no request will ever meet.
 */
import { localDateOf, parseLocalDate } from './business-time';

/** Holidays and make-up days lie within this many years of today, either side. */
export const CALENDAR_YEARS = 5;
/** At most this many holidays and make-up days together. */
export const MAX_CALENDAR_DATES = 1000;

export interface ImportLimits {
  /** First and last date (inclusive, 'YYYY-MM-DD') a holiday or make-up day may have. */
  window?: { first: string; last: string };
  maxDates: number;
}

/** The limits on a calendar edit made at `now`. */
export function limitsAt(now: Date): Required<ImportLimits> {
  const today = localDateOf(now);
  const year = Number(today.slice(0, 4));
  // 29 February shifted to a year without one becomes the 28th.
  const shifted = (years: number) => {
    const date = `${year + years}${today.slice(4)}`;
    return parseLocalDate(date) === null ? `${year + years}-02-28` : date;
  };
  return {
    window: { first: shifted(-CALENDAR_YEARS), last: shifted(CALENDAR_YEARS) },
    maxDates: MAX_CALENDAR_DATES,
  };
}

/** Why `date` is refused, or null when it lies inside the window. */
export function outsideWindow(date: string, limits: ImportLimits): string | null {
  const w = limits.window;
  if (!w || (date >= w.first && date <= w.last)) return null;
  return `${date} is outside ${w.first}..${w.last} (holidays and make-up days must lie within ${CALENDAR_YEARS} years of today)`;
}

export function tooManyDates(maxDates: number): string {
  return `at most ${maxDates} holidays and make-up days together are allowed`;
}
