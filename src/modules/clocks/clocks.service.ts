import { Injectable } from '@nestjs/common';
import { type ClockKind, isTerminal, type ResidentRequestEvent } from '../../../workflows';
import { jobId } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import type { WorkingCalendar } from '../calendar/business-time';
import { CalendarRepository } from '../calendar/calendar.repository';
import type { RequestEntity } from '../requests/requests.entity';
import { defaultPolicy, type SlaPolicy } from '../sla-policies/sla-defaults';
import { budgetMs, type ClockTimes, elapsed, remainingAt, schedule } from './clock-schedule';
import { type ClockRow, ClocksRepository } from './clocks.repository';

export interface ClockView {
  kind: ClockKind;
  status: ClockRow['status'];
  dueAt: string | null;
  remainingMs: number | null;
  startedAt: string;
  breachedAt: string | null;
}

type Clocked = Pick<RequestEntity, 'id' | 'priority' | 'sla' | 'escalationLevel'>;

/** What a transition did to the request's time limits, kept on the request for supervision. */
export interface TransitionFacts {
  respondedOnTime?: boolean;
  resolvedOnTime?: boolean;
  resolveDueAt?: Date;
  overdueSince?: Date | null;
}

const OVERDUE_KINDS: readonly ClockKind[] = ['accept', 'dispatch', 'resolve'];

function times(c: ClockRow, anchorAt: Date): ClockTimes {
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

/**
 * The clocks of DESIGN section 4. Every change is written in the caller's transaction, with an
 * outbox row for the clock's next job, so a clock and its job exist together or not at all.
 *
 * Which clock runs when:
 * - accept: from submission until the request leaves `submitted`;
 * - resolve: from submission (accepting late or bouncing between branches buys no time); paused
 *   by HOLD; stopped by RESOLVE, restarted by DISPUTE with the time that was left; a request
 *   assigned without a running resolve clock (it breached, or the request was reopened) gets a
 *   fresh one, so the department it lands on always has a limit;
 * - dispatch: afresh each time a request reaches `escalated`, including one more level up;
 * - feedback: from RESOLVE until the resident answers (always 24x7: calendar days).
 */
@Injectable()
export class ClocksService {
  constructor(
    private readonly clocks: ClocksRepository,
    private readonly calendar: CalendarRepository,
    private readonly outbox: OutboxService,
  ) {}

  static policyOf(r: Pick<RequestEntity, 'sla' | 'priority'>): SlaPolicy {
    return r.sla ?? defaultPolicy('other', r.priority);
  }

  async startForNewRequest(request: Clocked, now: Date): Promise<{ resolveDueAt: Date }> {
    const cal = await this.calendar.get();
    await this.start(request, 'accept', cal, now);
    const resolve = await this.start(request, 'resolve', cal, now);
    return { resolveDueAt: resolve.dueAt as Date };
  }

  async onTransition(
    before: RequestEntity,
    after: RequestEntity,
    event: ResidentRequestEvent,
    now: Date,
  ): Promise<TransitionFacts> {
    const facts: TransitionFacts = {};
    const live = await this.clocks.live(before.id);
    const onTime = (c: ClockRow | undefined) =>
      c !== undefined && (c.status === 'paused' || (c.dueAt !== null && now <= c.dueAt));
    if (event.type === 'ACCEPT' || event.type === 'REJECT') {
      facts.respondedOnTime = onTime(live.find((c) => c.kind === 'accept'));
    }
    if (event.type === 'RESOLVE')
      facts.resolvedOnTime = onTime(live.find((c) => c.kind === 'resolve'));
    const find = (kind: ClockKind) => live.find((c) => c.kind === kind);
    const cal = await this.calendar.get();
    const stop = async (kind: ClockKind) => {
      const c = find(kind);
      if (c) await this.stop(c, cal, now);
    };

    if (isTerminal(after.state) || after.state === 'resolved') facts.overdueSince = null;
    if (isTerminal(after.state)) {
      for (const c of live) await this.stop(c, cal, now);
      return facts;
    }
    if (before.state === 'submitted' && after.state !== 'submitted') await stop('accept');
    const newLevel = after.escalationLevel !== before.escalationLevel;
    if (after.state === 'escalated' && (before.state !== 'escalated' || newLevel)) {
      await stop('dispatch');
      await this.start(after, 'dispatch', cal, now);
    } else if (before.state === 'escalated' && after.state !== 'escalated') {
      await stop('dispatch');
    }
    if (after.state === 'assigned' && before.state !== 'resolved' && !find('resolve')) {
      await this.start(after, 'resolve', cal, now);
    }
    if (after.state === 'resolved') {
      await stop('resolve');
      await this.start(after, 'feedback', cal, now);
    }
    if (before.state === 'resolved' && after.state !== 'resolved') {
      await stop('feedback');
      // A dispute reopens the work with whatever time was left when it was marked resolved.
      const last = await this.clocks.latest(before.id, 'resolve');
      const left = last?.status === 'stopped' ? last.remainingMs : 0;
      await this.start(after, 'resolve', cal, now, left);
    }
    const resolve = find('resolve');
    if (event.type === 'HOLD' && resolve?.status === 'running') await this.pause(resolve, cal, now);
    if (event.type === 'RESUME' && resolve?.status === 'paused')
      await this.resume(resolve, cal, now);
    if (event.type === 'DECIDE_EXTENSION' && event.approve && resolve) {
      const until = before.context.extensionRequested?.until;
      if (until && (await this.extend(resolve, cal, new Date(until), now))) {
        facts.resolveDueAt = new Date(until);
      }
    }
    return facts;
  }

  /** A calendar edit: each running working-time clock keeps the time it had left, re-anchored now. */
  async recalendar(old: WorkingCalendar, next: WorkingCalendar, now: Date): Promise<number> {
    const running = await this.clocks.runningWorkingClocks();
    for (const c of running) {
      const left = c.anchorAt ? remainingAt(old, times(c, c.anchorAt), now) : c.remainingMs;
      await this.reschedule(c, next, { remainingMs: left, anchorAt: now });
    }
    return running.length;
  }

  /** After a warning went out: schedule the next warning or the due time. */
  async afterWarning(c: ClockRow, now: Date): Promise<void> {
    const cal = await this.calendar.get();
    const left = c.anchorAt ? remainingAt(cal, times(c, c.anchorAt), now) : c.remainingMs;
    await this.reschedule(c, cal, {
      remainingMs: left,
      anchorAt: now,
      warningsSent: c.warningsSent + 1,
    });
  }

  async markBreached(c: ClockRow, now: Date): Promise<void> {
    await this.clocks.update({
      ...c,
      status: 'breached',
      remainingMs: 0,
      anchorAt: null,
      nextFireAt: null,
      nextAction: null,
      generation: c.generation + 1,
      breachedAt: now,
      stoppedAt: now,
    });
  }

  /** Running clocks whose next step is at or before `before`. */
  dueSteps(before: Date, limit: number) {
    return this.clocks.due(before, limit);
  }

  /** Running clocks whose next step falls in (from, to]. */
  upcomingSteps(from: Date, to: Date, limit: number) {
    return this.clocks.upcoming(from, to, limit);
  }

  lock(clockId: string): Promise<ClockRow | null> {
    return this.clocks.lock(clockId);
  }

  static step(c: Pick<ClockRow, 'nextAction' | 'warningsSent'>): string {
    return c.nextAction === 'due' ? 'due' : `w${c.warningsSent}`;
  }

  /** Enqueues a clock's next job again (the reconciler, when Redis lost it). */
  async enqueueNext(
    c: Pick<ClockRow, 'id' | 'generation' | 'nextAction' | 'warningsSent' | 'nextFireAt'>,
  ): Promise<void> {
    if (!c.nextFireAt || !c.nextAction) return;
    const step = ClocksService.step(c);
    await this.outbox.enqueue(
      'deadline.fire',
      { clockId: c.id, generation: c.generation, step },
      { jobId: jobId('deadline', c.id, c.generation, step), runAt: c.nextFireAt },
    );
  }

  async views(requestIds: string[]): Promise<Map<string, ClockView[]>> {
    const rows = await this.clocks.forRequests(requestIds);
    const result = new Map<string, ClockView[]>();
    for (const id of requestIds) result.set(id, []);
    for (const c of rows) {
      const entry = result.get(c.requestId);
      if (!entry) continue;
      entry.push({
        kind: c.kind,
        status: c.status,
        // A paused or stopped clock has no due time (a paused one shows what it has left).
        dueAt:
          c.status === 'running' || c.status === 'breached'
            ? (c.dueAt?.toISOString() ?? null)
            : null,
        remainingMs: c.status === 'paused' ? c.remainingMs : null,
        startedAt: c.startedAt.toISOString(),
        breachedAt: c.breachedAt?.toISOString() ?? null,
      });
    }
    return result;
  }

  /**
   * Past a time limit now: a live accept, dispatch or resolve clock past its due time, a breached
   * resolve clock, or a breached dispatch clock at the top of the tree (nobody left to escalate to).
   */
  static isOverdue(clocks: ClockView[], state: string, now: Date): boolean {
    return clocks.some(
      (c) =>
        OVERDUE_KINDS.includes(c.kind) &&
        ((c.status === 'running' && c.dueAt !== null && new Date(c.dueAt) <= now) ||
          (c.status === 'breached' &&
            (c.kind === 'resolve' || (c.kind === 'dispatch' && state === 'escalated')))),
    );
  }

  private async start(
    request: Clocked,
    kind: ClockKind,
    cal: WorkingCalendar,
    now: Date,
    remainingMs?: number,
  ): Promise<ClockRow> {
    const policy = ClocksService.policyOf(request);
    const mode = kind === 'feedback' ? '24x7' : policy.clock;
    const budget = budgetMs(mode, cal, policy[kind]);
    const base: ClockTimes = {
      mode,
      budgetMs: budget,
      remainingMs: remainingMs ?? budget,
      anchorAt: now,
      warnAt: kind === 'feedback' ? [] : policy.warnAt,
      warningsSent: 0,
      holdWarnings: request.priority !== 'urgent',
    };
    const s = schedule(cal, base);
    const row = await this.clocks.insert({
      requestId: request.id,
      kind,
      mode,
      status: 'running',
      budgetMs: budget,
      remainingMs: base.remainingMs,
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
    });
    await this.enqueueNext(row);
    return row;
  }

  private async stop(c: ClockRow, cal: WorkingCalendar, now: Date): Promise<void> {
    const left =
      c.status === 'running' && c.anchorAt
        ? remainingAt(cal, times(c, c.anchorAt), now)
        : c.remainingMs;
    await this.clocks.update({
      ...c,
      status: 'stopped',
      remainingMs: left,
      anchorAt: null,
      nextFireAt: null,
      nextAction: null,
      generation: c.generation + 1,
      stoppedAt: now,
    });
  }

  private async pause(c: ClockRow, cal: WorkingCalendar, now: Date): Promise<void> {
    const left = c.anchorAt ? remainingAt(cal, times(c, c.anchorAt), now) : c.remainingMs;
    await this.clocks.update({
      ...c,
      status: 'paused',
      remainingMs: left,
      anchorAt: null,
      nextFireAt: null,
      nextAction: null,
      generation: c.generation + 1,
    });
  }

  private async resume(c: ClockRow, cal: WorkingCalendar, now: Date): Promise<void> {
    await this.reschedule({ ...c, status: 'running' }, cal, {
      remainingMs: c.remainingMs,
      anchorAt: now,
    });
  }

  /** An approved extension: the clock is now due at `until` (never earlier than it was). */
  private async extend(c: ClockRow, cal: WorkingCalendar, until: Date, now: Date): Promise<void> {
    const left = elapsed(c.mode, cal, now, until);
    if (c.status === 'paused') {
      // Resumed now it would be due at `until`; an extension never takes time away.
      if (left > c.remainingMs) {
        await this.clocks.update({ ...c, remainingMs: left, generation: c.generation + 1 });
      }
      return;
    }
    if (c.dueAt && until <= c.dueAt) return;
    await this.reschedule(c, cal, { remainingMs: left, anchorAt: now });
  }

  private async reschedule(
    c: ClockRow,
    cal: WorkingCalendar,
    at: { remainingMs: number; anchorAt: Date; warningsSent?: number },
  ): Promise<void> {
    const warningsSent = at.warningsSent ?? c.warningsSent;
    const s = schedule(cal, {
      ...times(c, at.anchorAt),
      remainingMs: at.remainingMs,
      warningsSent,
    });
    const next: ClockRow = {
      ...c,
      remainingMs: at.remainingMs,
      anchorAt: at.anchorAt,
      dueAt: s.dueAt,
      warningsSent: s.warningsSent,
      nextFireAt: s.nextFireAt,
      nextAction: s.nextAction,
      generation: c.generation + 1,
    };
    await this.clocks.update(next);
    await this.enqueueNext(next);
  }
}
