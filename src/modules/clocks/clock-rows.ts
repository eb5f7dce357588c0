import { randomUUID } from 'node:crypto';
import type { ClockKind } from '../../../workflows';
import type { WorkingCalendar } from '../calendar/business-time';
import type { RequestEntity } from '../requests/requests.entity';
import { type ClockMode, type ClockTimes, remainingAt, schedule } from './clock-schedule';
import type { ClockRow } from './clocks.repository';

/**
 * A clock row as each change leaves it: started, stopped, paused, breached or rescheduled. Pure;
 * ClocksService writes the rows and queues their next jobs. Every change of schedule bumps the
 * generation, so a job of an older schedule is recognised as stale.
 */

/** How a new clock counts: its mode, its whole limit, the time it has, its warnings. */
export interface NewClock {
  mode: ClockMode;
  budgetMs: number;
  remainingMs: number;
  warnAt: number[];
}

export function times(c: ClockRow, anchorAt: Date): ClockTimes {
  return {
    mode: c.mode,
    budgetMs: c.budgetMs,
    remainingMs: c.remainingMs,
    anchorAt,
    warnAt: c.warnAt,
    warningsSent: c.warningsSent,
    holdWarnings: c.holdWarnings,
  };
}

/** The time a clock has left now (a clock that is not running keeps what it had). */
export function leftAt(c: ClockRow, cal: WorkingCalendar, now: Date): number {
  return c.anchorAt ? remainingAt(cal, times(c, c.anchorAt), now) : c.remainingMs;
}

export function newClockRow(
  request: Pick<RequestEntity, 'id' | 'priority' | 'escalationLevel'>,
  kind: ClockKind,
  cal: WorkingCalendar,
  now: Date,
  clock: NewClock,
): ClockRow {
  const base: ClockTimes = {
    ...clock,
    anchorAt: now,
    warningsSent: 0,
    holdWarnings: request.priority !== 'urgent',
  };
  const s = schedule(cal, base);
  return {
    id: randomUUID(),
    requestId: request.id,
    kind,
    mode: clock.mode,
    status: 'running',
    // Stored as whole milliseconds (bigint).
    budgetMs: Math.round(clock.budgetMs),
    remainingMs: Math.round(base.remainingMs),
    anchorAt: now,
    dueAt: s.dueAt,
    warnAt: base.warnAt,
    warningsSent: s.warningsSent,
    holdWarnings: base.holdWarnings,
    nextFireAt: s.nextFireAt,
    nextAction: s.nextAction,
    generation: 1,
    escalationLevel: request.escalationLevel,
    startedAt: now,
    stoppedAt: null,
    breachedAt: null,
  };
}

/** Ended and not due: a stopped clock keeps the time it had left (a dispute continues it). */
export function stoppedRow(c: ClockRow, cal: WorkingCalendar, now: Date): ClockRow {
  const left = c.status === 'running' ? leftAt(c, cal, now) : c.remainingMs;
  return {
    ...c,
    status: 'stopped',
    remainingMs: Math.round(left),
    anchorAt: null,
    nextFireAt: null,
    nextAction: null,
    generation: c.generation + 1,
    stoppedAt: now,
  };
}

export function pausedRow(c: ClockRow, cal: WorkingCalendar, now: Date): ClockRow {
  return {
    ...c,
    status: 'paused',
    remainingMs: Math.round(leftAt(c, cal, now)),
    anchorAt: null,
    nextFireAt: null,
    nextAction: null,
    generation: c.generation + 1,
  };
}

export function breachedRow(c: ClockRow, now: Date): ClockRow {
  return {
    ...c,
    status: 'breached',
    remainingMs: 0,
    anchorAt: null,
    nextFireAt: null,
    nextAction: null,
    generation: c.generation + 1,
    breachedAt: now,
    stoppedAt: now,
  };
}

/** The clock with `remainingMs` left from `anchorAt`: its due time and next step again. */
export function rescheduledRow(
  c: ClockRow,
  cal: WorkingCalendar,
  at: { remainingMs: number; anchorAt: Date; warningsSent?: number },
): ClockRow {
  const s = schedule(cal, {
    ...times(c, at.anchorAt),
    remainingMs: at.remainingMs,
    warningsSent: at.warningsSent ?? c.warningsSent,
  });
  return {
    ...c,
    remainingMs: Math.round(at.remainingMs),
    anchorAt: at.anchorAt,
    dueAt: s.dueAt,
    warningsSent: s.warningsSent,
    nextFireAt: s.nextFireAt,
    nextAction: s.nextAction,
    generation: c.generation + 1,
  };
}
