import {
  addWorkingTime,
  nextWorkingInstant,
  parseIsoDurationParts,
  type WorkingCalendar,
  workingDayMs,
  workingMsBetween,
} from '../calendar/business-time';

/**
 * Pure clock arithmetic. A clock keeps the time it had left at its anchor, in its own time
 * (working milliseconds for a working-time clock), so pausing, resuming, extending and calendar
 * edits are all "take the remaining time, re-anchor, recompute".
 */
export type ClockMode = '24x7' | 'working';

const DAY_MS = 86_400_000;

export function budgetMs(mode: ClockMode, cal: WorkingCalendar, isoDuration: string): number {
  const parts = parseIsoDurationParts(isoDuration);
  if (!parts) throw new Error(`Unsupported ISO-8601 duration: '${isoDuration}'`);
  if (mode === '24x7') return (parts.weeks * 7 + parts.days) * DAY_MS + parts.timeMs;
  return (parts.weeks * 5 + parts.days) * workingDayMs(cal) + parts.timeMs;
}

export function advance(mode: ClockMode, cal: WorkingCalendar, from: Date, ms: number): Date {
  if (mode === '24x7') return new Date(from.getTime() + ms);
  return addWorkingTime(cal, from, ms);
}

export function elapsed(mode: ClockMode, cal: WorkingCalendar, from: Date, to: Date): number {
  if (mode === '24x7') return Math.max(0, to.getTime() - from.getTime());
  return workingMsBetween(cal, from, to);
}

export interface ClockTimes {
  mode: ClockMode;
  budgetMs: number;
  remainingMs: number;
  anchorAt: Date;
  warnAt: number[];
  warningsSent: number;
  holdWarnings: boolean;
}

export interface Schedule {
  dueAt: Date;
  nextFireAt: Date;
  nextAction: 'warn' | 'due';
  /** Warnings whose moment had already passed (for example while paused) are skipped, not sent late. */
  warningsSent: number;
}

export function schedule(cal: WorkingCalendar, c: ClockTimes): Schedule {
  const dueAt = advance(c.mode, cal, c.anchorAt, c.remainingMs);
  let warningsSent = c.warningsSent;
  while (warningsSent < c.warnAt.length) {
    const leftAtWarning = c.budgetMs * (1 - c.warnAt[warningsSent]);
    if (c.remainingMs > leftAtWarning) {
      let at = advance(c.mode, cal, c.anchorAt, Math.round(c.remainingMs - leftAtWarning));
      // Reminders that are not urgent wait for working hours: no 3 a.m. messages.
      if (c.holdWarnings) at = nextWorkingInstant(cal, at);
      if (at < dueAt) return { dueAt, nextFireAt: at, nextAction: 'warn', warningsSent };
    }
    warningsSent++;
  }
  return { dueAt, nextFireAt: dueAt, nextAction: 'due', warningsSent };
}

/** Time left now, for a clock anchored earlier. */
export function remainingAt(cal: WorkingCalendar, c: ClockTimes, now: Date): number {
  return Math.max(0, c.remainingMs - elapsed(c.mode, cal, c.anchorAt, now));
}
