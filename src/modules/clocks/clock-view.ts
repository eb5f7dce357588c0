import type { ClockKind } from '../../../workflows';
import type { ClockRow } from './clocks.repository';

/** What a request shows of one of its clocks. */
export interface ClockView {
  kind: ClockKind;
  status: ClockRow['status'];
  dueAt: string | null;
  remainingMs: number | null;
  startedAt: string;
  breachedAt: string | null;
}

const OVERDUE_KINDS: readonly ClockKind[] = ['accept', 'dispatch', 'resolve'];

export const isLive = (c: ClockRow) => c.status === 'running' || c.status === 'paused';

/** Started later, ties broken by id, as the repository's `ORDER BY started_at DESC, id DESC`. */
export function newer(a: ClockRow, b: ClockRow): boolean {
  const t = a.startedAt.getTime() - b.startedAt.getTime();
  return t !== 0 ? t > 0 : a.id > b.id;
}

/** The order `ClocksRepository.forRequests` shows a kind's clocks in: live first, then newest. */
function shownBefore(a: ClockRow, b: ClockRow): boolean {
  return isLive(a) !== isLive(b) ? isLive(a) : newer(a, b);
}

/** The clocks a request shows: per kind, its live one, else the last that ended. */
function shown(clocks: ClockRow[]): ClockRow[] {
  const byKind = new Map<ClockKind, ClockRow>();
  for (const c of clocks) {
    const best = byKind.get(c.kind);
    if (!best || shownBefore(c, best)) byKind.set(c.kind, c);
  }
  return [...byKind.values()];
}

export function viewOf(c: ClockRow): ClockView {
  return {
    kind: c.kind,
    status: c.status,
    // A paused or stopped clock has no due time (a paused one shows what it has left).
    dueAt:
      c.status === 'running' || c.status === 'breached' ? (c.dueAt?.toISOString() ?? null) : null,
    remainingMs: c.status === 'paused' ? c.remainingMs : null,
    startedAt: c.startedAt.toISOString(),
    breachedAt: c.breachedAt?.toISOString() ?? null,
  };
}

/** What a request shows of its clocks, from all of them (as `views` reads it), ordered by kind. */
export function viewsOf(clocks: ClockRow[]): ClockView[] {
  return shown(clocks)
    .sort((a, b) => (a.kind < b.kind ? -1 : 1))
    .map(viewOf);
}

/**
 * The clocks a work queue waits on: a running accept, dispatch or resolve clock, or a plan's
 * milestone (a late milestone puts the request on the overdue board, not among the overdue).
 */
export const DUE_KINDS = ['accept', 'dispatch', 'resolve', 'milestone'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

/**
 * The earliest due time among the running accept, dispatch, resolve and milestone clocks, and its
 * kind; null when none runs (paused, stopped, breached, or only the feedback clock). What
 * `requests.next_due_at` holds (migration 1765000000000 computes the same in SQL).
 */
export function nextDue(
  clocks: readonly { kind: ClockKind; status: string; dueAt: Date | string | null }[],
): { at: Date; kind: DueKind } | null {
  let best: { at: Date; kind: DueKind } | null = null;
  for (const c of clocks) {
    if (c.status !== 'running' || c.dueAt === null || !DUE_KINDS.includes(c.kind as DueKind)) {
      continue;
    }
    const at = new Date(c.dueAt);
    if (!best || at < best.at) best = { at, kind: c.kind as DueKind };
  }
  return best;
}

/**
 * Past a time limit now: a live accept, dispatch or resolve clock past its due time, a breached
 * resolve clock, or a breached dispatch clock at the top of the tree (nobody left to escalate to).
 */
export function isOverdue(clocks: ClockView[], state: string, now: Date): boolean {
  return clocks.some(
    (c) =>
      OVERDUE_KINDS.includes(c.kind) &&
      ((c.status === 'running' && c.dueAt !== null && new Date(c.dueAt) <= now) ||
        (c.status === 'breached' &&
          (c.kind === 'resolve' || (c.kind === 'dispatch' && state === 'escalated')))),
  );
}
