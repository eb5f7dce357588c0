import type { Clock } from '../api/client';

export type DeadlineLevel = 'ok' | 'soon' | 'overdue' | 'paused';

export interface Deadline {
  level: DeadlineLevel;
  clock: Clock['kind'];
  /** Time left (ok, soon, paused) or time past the limit (overdue), in ms. */
  ms: number;
}

/** The worker warns at 80 % of a limit; from then on a deadline shows as due soon. */
export const SOON_FRACTION = 0.2;

/**
 * The one deadline that matters now among a request's clocks: the most overdue one, else the
 * running one with least time left, else a paused one. Null when no clock is open.
 */
export function currentDeadline(clocks: readonly Clock[], now = Date.now()): Deadline | null {
  const overdue: Deadline[] = [];
  const running: Deadline[] = [];
  const paused: Deadline[] = [];
  for (const c of clocks) {
    const due = c.dueAt ? Date.parse(c.dueAt) : null;
    if (c.status === 'breached' || (c.status === 'running' && due !== null && due <= now)) {
      const since = due ?? (c.breachedAt ? Date.parse(c.breachedAt) : now);
      overdue.push({ level: 'overdue', clock: c.kind, ms: Math.max(0, now - since) });
    } else if (c.status === 'running' && due !== null) {
      const total = due - Date.parse(c.startedAt);
      const left = due - now;
      const level = total > 0 && left / total <= SOON_FRACTION ? 'soon' : 'ok';
      running.push({ level, clock: c.kind, ms: left });
    } else if (c.status === 'paused') {
      paused.push({ level: 'paused', clock: c.kind, ms: c.remainingMs ?? 0 });
    }
  }
  if (overdue.length) return overdue.reduce((a, b) => (b.ms > a.ms ? b : a));
  if (running.length) return running.reduce((a, b) => (b.ms < a.ms ? b : a));
  return paused[0] ?? null;
}

/** A duration as its two largest parts: days and hours, hours and minutes, or minutes. */
export function durationParts(ms: number): { unit: 'days' | 'hours' | 'minutes'; n: number }[] {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0)
    return hours > 0
      ? [
          { unit: 'days', n: days },
          { unit: 'hours', n: hours },
        ]
      : [{ unit: 'days', n: days }];
  if (hours > 0)
    return minutes % 60 > 0
      ? [
          { unit: 'hours', n: hours },
          { unit: 'minutes', n: minutes % 60 },
        ]
      : [{ unit: 'hours', n: hours }];
  return minutes > 0 ? [{ unit: 'minutes', n: minutes }] : [];
}
