import { Injectable } from '@nestjs/common';
import {
  type ClockKind,
  type ClockOp,
  clockedMilestone,
  isTerminal,
  planEnd,
  type PolicyClockKind,
  type ResidentRequestEvent,
} from '../../../workflows';
import { jobId } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import type { WorkingCalendar } from '../calendar/business-time';
import { CalendarRepository, type StoredCalendar } from '../calendar/calendar.repository';
import type { RequestEntity } from '../requests/requests.entity';
import { defaultPolicy, type SlaPolicy } from '../sla-policies/sla-defaults';
import {
  breachedRow,
  leftAt,
  type NewClock,
  newClockRow,
  pausedRow,
  rescheduledRow,
  stoppedRow,
} from './clock-rows';
import { budgetMs, elapsed } from './clock-schedule';
import { type ClockView, isLive, newer, viewOf } from './clock-view';
import {
  type ClockRow,
  type ClockWrites,
  ClocksRepository,
  noClockWrites,
} from './clocks.repository';

type Clocked = Pick<RequestEntity, 'id' | 'priority' | 'sla' | 'escalationLevel'>;

/** What a transition did to the request's time limits, kept on the request for supervision. */
export interface TransitionFacts {
  respondedOnTime?: boolean;
  resolvedOnTime?: boolean;
  overdueSince?: Date | null;
}

/** A request's clocks with the changes of the current step applied, as they will be stored. */
export interface ClockChanges {
  writes: ClockWrites;
  /** Every clock of the request after the changes. */
  clocks: ClockRow[];
}

/**
 * The clocks of DESIGN section 4. Every change is written in the caller's transaction, with an
 * outbox row for the clock's next job, so a clock and its job exist together or not at all.
 *
 * Which clock starts, stops, pauses or moves on which step is declared with the machine, in
 * workflows/resident-request.effects.ts; this service carries the operations out. The feedback
 * clock always counts calendar time (24x7).
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

  /** The working calendar, read again only when its stored version is not the one remembered. */
  private cached: StoredCalendar | undefined;

  async calendarAt(version?: number): Promise<StoredCalendar> {
    if (version !== undefined && this.cached?.version === version) return this.cached;
    this.cached = await this.calendar.get();
    return this.cached;
  }

  /**
   * The clocks of a new request, for the caller to write with it, and the calendar version they
   * were timed by (so further steps in the same transaction need not read the calendar again).
   */
  async startForNewRequest(
    request: Clocked,
    ops: readonly ClockOp[],
    now: Date,
  ): Promise<ClockChanges & { resolveDueAt: Date | null; calendarVersion: number }> {
    const cal = await this.calendarAt();
    const w = noClockWrites();
    for (const { op, clock } of ops) if (op === 'start') this.start(w, request, clock, cal, now);
    const resolve = w.inserts.find((c) => c.kind === 'resolve');
    return {
      writes: w,
      clocks: w.inserts,
      resolveDueAt: resolve?.dueAt ?? null,
      calendarVersion: cal.version,
    };
  }

  /**
   * Carries out a step's declared clock operations (workflows/resident-request.effects.ts) on the
   * request's clocks (`clocks`: all of them, locked by the caller), for the caller to write
   * together with the request; and notes the facts supervision keeps.
   */
  async onTransition(
    before: RequestEntity,
    after: RequestEntity,
    event: ResidentRequestEvent,
    ops: readonly ClockOp[],
    now: Date,
    clocks: ClockRow[],
    calendarVersion?: number,
  ): Promise<ClockChanges & { facts: TransitionFacts }> {
    const facts: TransitionFacts = {};
    const w = noClockWrites();
    const live = clocks.filter(isLive);
    const find = (kind: ClockKind) => live.find((c) => c.kind === kind);
    const onTime = (c: ClockRow | undefined) =>
      c !== undefined && (c.status === 'paused' || (c.dueAt !== null && now <= c.dueAt));
    if (event.type === 'ACCEPT' || event.type === 'REJECT')
      facts.respondedOnTime = onTime(find('accept'));
    // Unanswered when the accept limit passed: it now counts in the response rate, as late.
    if (event.type === 'DEADLINE_BREACHED' && event.clock === 'accept') {
      facts.respondedOnTime = false;
    }
    if (event.type === 'RESOLVE') facts.resolvedOnTime = onTime(find('resolve'));
    if (isTerminal(after.state) || after.state === 'resolved') facts.overdueSince = null;

    const cal = await this.calendarAt(calendarVersion);
    const stop = (kind: ClockKind | 'all') => {
      for (const c of live) if (kind === 'all' || c.kind === kind) this.stop(w, c, cal, now);
    };
    for (const { op, clock } of ops) {
      const c = clock === 'all' ? undefined : find(clock);
      switch (op) {
        case 'start':
          this.start(w, after, clock, cal, now);
          break;
        case 'restart':
          stop(clock);
          this.start(w, after, clock, cal, now);
          break;
        case 'ensure':
          if (!c) this.start(w, after, clock, cal, now);
          break;
        case 'continue': {
          const last = clocks
            .filter((k) => k.kind === clock)
            .reduce<ClockRow | undefined>((a, k) => (!a || newer(k, a) ? k : a), undefined);
          this.start(w, after, clock, cal, now, last?.status === 'stopped' ? last.remainingMs : 0);
          break;
        }
        case 'stop':
          stop(clock);
          break;
        case 'pause':
          if (c?.status === 'running') this.pause(w, c, cal, now);
          break;
        case 'resume':
          if (c?.status === 'paused') this.resume(w, c, cal, now);
          break;
        case 'extend': {
          const until = before.context.extensionRequested?.until;
          if (c && until) this.extend(w, c, cal, new Date(until), now);
          break;
        }
        case 'followPlan': {
          // Due exactly at the plan's end, which the supervisor approved (a plan holds no hold).
          const end = planEnd(after.context.plan);
          if (c?.status === 'running' && end) {
            const left = elapsed(c.mode, cal, now, new Date(end));
            this.reschedule(w, c, cal, { remainingMs: left, anchorAt: now });
          }
          break;
        }
        case 'nextMilestone': {
          stop(clock);
          const next = clockedMilestone(after.context.plan);
          if (next) this.startMilestone(w, after, cal, now, new Date(next.milestone.due));
          break;
        }
      }
    }
    return {
      writes: w,
      clocks: [...clocks.map((k) => w.updates.get(k.id) ?? k), ...w.inserts],
      facts,
    };
  }

  /** A calendar edit: each running working-time clock keeps the time it had left, re-anchored now. */
  async recalendar(old: WorkingCalendar, next: WorkingCalendar, now: Date): Promise<number> {
    const running = await this.clocks.runningWorkingClocks();
    const w = noClockWrites();
    for (const c of running) {
      this.reschedule(w, c, next, { remainingMs: leftAt(c, old, now), anchorAt: now });
    }
    await this.clocks.write(w);
    return running.length;
  }

  /** After a warning went out: schedule the next warning or the due time. */
  async afterWarning(c: ClockRow, now: Date): Promise<void> {
    const cal = await this.calendarAt();
    const w = noClockWrites();
    this.reschedule(w, c, cal, {
      remainingMs: leftAt(c, cal, now),
      anchorAt: now,
      warningsSent: c.warningsSent + 1,
    });
    await this.clocks.write(w);
  }

  async markBreached(c: ClockRow, now: Date): Promise<void> {
    const w = noClockWrites();
    w.updates.set(c.id, breachedRow(c, now));
    await this.clocks.write(w);
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

  /** Every clock of a request, locked for the command that changes them. */
  ofRequestLocked(requestId: string): Promise<ClockRow[]> {
    return this.clocks.ofRequestLocked(requestId);
  }

  static step(c: Pick<ClockRow, 'nextAction' | 'warningsSent'>): string {
    return c.nextAction === 'due' ? 'due' : `w${c.warningsSent}`;
  }

  /** Enqueues a clock's next job again (the reconciler, when Redis lost it). */
  async enqueueNext(
    c: Pick<ClockRow, 'id' | 'generation' | 'nextAction' | 'warningsSent' | 'nextFireAt'>,
  ): Promise<void> {
    const w = noClockWrites();
    this.nextJob(w, c);
    await this.clocks.write(w);
  }

  private nextJob(
    w: ClockWrites,
    c: Pick<ClockRow, 'id' | 'generation' | 'nextAction' | 'warningsSent' | 'nextFireAt'>,
  ): void {
    if (!c.nextFireAt || !c.nextAction) return;
    const step = ClocksService.step(c);
    w.jobs.push(
      this.outbox.job(
        'deadline.fire',
        { clockId: c.id, generation: c.generation, step },
        { jobId: jobId('deadline', c.id, c.generation, step), runAt: c.nextFireAt },
      ),
    );
  }

  async views(requestIds: string[]): Promise<Map<string, ClockView[]>> {
    const rows = await this.clocks.forRequests(requestIds);
    const result = new Map<string, ClockView[]>();
    for (const id of requestIds) result.set(id, []);
    for (const c of rows) result.get(c.requestId)?.push(viewOf(c));
    return result;
  }

  private start(
    w: ClockWrites,
    request: Clocked,
    kind: PolicyClockKind,
    cal: WorkingCalendar,
    now: Date,
    remainingMs?: number,
  ): ClockRow {
    const policy = ClocksService.policyOf(request);
    const mode = kind === 'feedback' ? '24x7' : policy.clock;
    const budget = budgetMs(mode, cal, policy[kind]);
    return this.insert(w, request, kind, cal, now, {
      mode,
      budgetMs: budget,
      remainingMs: remainingMs ?? budget,
      warnAt: kind === 'feedback' ? [] : policy.warnAt,
    });
  }

  /**
   * A milestone's clock, due at the milestone's due time. Its limit is the time from now to then,
   * so the policy's warnings come at those fractions of it, in the policy's kind of time.
   */
  private startMilestone(
    w: ClockWrites,
    request: Clocked,
    cal: WorkingCalendar,
    now: Date,
    due: Date,
  ): ClockRow {
    const policy = ClocksService.policyOf(request);
    const span = Math.round(elapsed(policy.clock, cal, now, due));
    return this.insert(w, request, 'milestone', cal, now, {
      mode: policy.clock,
      budgetMs: span,
      remainingMs: span,
      warnAt: policy.warnAt,
    });
  }

  private insert(
    w: ClockWrites,
    request: Clocked,
    kind: ClockKind,
    cal: WorkingCalendar,
    now: Date,
    clock: NewClock,
  ): ClockRow {
    const row = newClockRow(request, kind, cal, now, clock);
    w.inserts.push(row);
    this.nextJob(w, row);
    return row;
  }

  private stop(w: ClockWrites, c: ClockRow, cal: WorkingCalendar, now: Date): void {
    w.updates.set(c.id, stoppedRow(c, cal, now));
  }

  private pause(w: ClockWrites, c: ClockRow, cal: WorkingCalendar, now: Date): void {
    w.updates.set(c.id, pausedRow(c, cal, now));
  }

  private resume(w: ClockWrites, c: ClockRow, cal: WorkingCalendar, now: Date): void {
    this.reschedule(w, { ...c, status: 'running' }, cal, {
      remainingMs: c.remainingMs,
      anchorAt: now,
    });
  }

  /** An approved extension: the clock is now due at `until` (never earlier than it was). */
  private extend(w: ClockWrites, c: ClockRow, cal: WorkingCalendar, until: Date, now: Date): void {
    const left = elapsed(c.mode, cal, now, until);
    if (c.status === 'paused') {
      // Resumed now it would be due at `until`; an extension never takes time away.
      if (left > c.remainingMs) {
        w.updates.set(c.id, {
          ...c,
          remainingMs: Math.round(left),
          generation: c.generation + 1,
        });
      }
      return;
    }
    if (c.dueAt && until <= c.dueAt) return;
    this.reschedule(w, c, cal, { remainingMs: left, anchorAt: now });
  }

  private reschedule(
    w: ClockWrites,
    c: ClockRow,
    cal: WorkingCalendar,
    at: { remainingMs: number; anchorAt: Date; warningsSent?: number },
  ): void {
    const next = rescheduledRow(c, cal, at);
    w.updates.set(c.id, next);
    this.nextJob(w, next);
  }
}
