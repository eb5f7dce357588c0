import { DAY_MS, localDateOf, UTC_OFFSET_MS as OFFSET_MS } from '../calendar/business-time';

/** A half-open range of local dates, 'YYYY-MM-DD'. */
export type DateRange = [string, string];
/** A half-open range of instants. */
export type InstantRange = [Date, Date];

/**
 * How a period is read: whole local months from the month rows of the rollup, the other whole
 * local days from its day rows, and the ragged edges (a period from 09:30, or up to now) from the
 * requests themselves.
 */
export interface PeriodSplit {
  months: DateRange[];
  days: DateRange[];
  raw: InstantRange[];
}

// Asia/Shanghai keeps UTC+8 all year, so a local midnight is a fixed offset from UTC.
const midnightAtOrAfter = (t: Date) =>
  new Date(Math.ceil((t.getTime() + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS);
const midnightAtOrBefore = (t: Date) =>
  new Date(Math.floor((t.getTime() + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS);

/** The first day of the month of `date`, or of the next month when `date` is not a first. */
function monthAtOrAfter(date: string): string {
  if (date.endsWith('-01')) return date;
  const [y, m] = date.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
const monthAtOrBefore = (date: string) => `${date.slice(0, 8)}01`;

export function splitPeriod(from: Date, to: Date, useMonths: boolean): PeriodSplit {
  const firstDay = midnightAtOrAfter(from);
  const endDay = midnightAtOrBefore(to);
  if (firstDay >= endDay) return { months: [], days: [], raw: [[from, to]] };
  const raw: InstantRange[] = [];
  if (from < firstDay) raw.push([from, firstDay]);
  if (endDay < to) raw.push([endDay, to]);
  const d0 = localDateOf(firstDay);
  const d1 = localDateOf(endDay);
  const m0 = monthAtOrAfter(d0);
  const m1 = monthAtOrBefore(d1);
  if (!useMonths || m0 >= m1) return { months: [], days: [[d0, d1]], raw };
  const days: DateRange[] = [];
  if (d0 < m0) days.push([d0, m0]);
  if (m1 < d1) days.push([m1, d1]);
  return { months: [[m0, m1]], days, raw };
}
