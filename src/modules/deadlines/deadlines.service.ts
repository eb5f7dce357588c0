import { Injectable, Logger } from '@nestjs/common';
import type { ResidentRequestEvent } from '../../../workflows';
import { jobId, type NotificationKind } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { DatabaseService } from '../../database/database.service';
import { ClocksService } from '../clocks/clocks.service';
import type { ClockRow } from '../clocks/clocks.repository';
import { RequestCommandsService } from '../requests/request-commands.service';
import type { RequestEntity } from '../requests/requests.entity';
import { RequestsService } from '../requests/requests.service';
import { MetricsService } from '../metrics/metrics.service';

export type FireOutcome = 'warned' | 'breached' | 'stale' | 'early';

/** What firing a step did; a step that is not due yet tells when it will be. */
export type FireResult =
  { outcome: Exclude<FireOutcome, 'early'> } | { outcome: 'early'; notBefore: Date };

/**
 * Fires one step of one clock. The job, the reconciler or both may call this for the same step:
 * the clock row is locked and its generation and step compared first, so only the live step of
 * the live clock has any effect, exactly once, and never before its time: a job promoted by hand
 * or a Redis edited by someone does nothing before the clock's next fire time.
 */
@Injectable()
export class DeadlinesService {
  private readonly logger = new Logger(DeadlinesService.name);

  constructor(
    private readonly clocks: ClocksService,
    private readonly commands: RequestCommandsService,
    private readonly requests: RequestsService,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    private readonly db: DatabaseService,
  ) {}

  /** Fires the step if it is due by `dueBy` (the reconciler passes the time it reconciles for). */
  async fire(
    clockId: string,
    generation: number,
    step: string,
    dueBy = new Date(),
  ): Promise<FireOutcome> {
    return (await this.attempt(clockId, generation, step, dueBy)).outcome;
  }

  async attempt(
    clockId: string,
    generation: number,
    step: string,
    dueBy = new Date(),
  ): Promise<FireResult> {
    const outcome = await this.db.transaction(async () => {
      const clock = await this.clocks.lock(clockId);
      if (
        !clock ||
        clock.status !== 'running' ||
        clock.generation !== generation ||
        ClocksService.step(clock) !== step ||
        !clock.nextFireAt
      ) {
        return { kind: 'stale' as const };
      }
      if (clock.nextFireAt > dueBy) return { kind: 'early' as const, notBefore: clock.nextFireAt };
      const now = new Date();
      const request = await this.requests.findById(clock.requestId);
      if (!request) return { kind: 'stale' as const };
      return clock.nextAction === 'warn'
        ? this.warn(clock, request, now)
        : this.breach(clock, request, now);
    });
    if (outcome.kind === 'early') return { outcome: 'early', notBefore: outcome.notBefore };
    if (outcome.kind === 'breached' && outcome.lateMs !== undefined) {
      this.metrics.deadlineLateness.observe({ kind: outcome.clock }, outcome.lateMs / 1000);
    }
    return { outcome: outcome.kind };
  }

  private async warn(clock: ClockRow, request: RequestEntity, now: Date) {
    const fraction = clock.warnAt[clock.warningsSent];
    const result = await this.commands.applySystem(request, {
      type: 'DEADLINE_WARNING',
      clock: clock.kind,
      fraction,
    });
    await this.clocks.afterWarning(clock, now);
    if (result) {
      await this.notify(
        request.id,
        'deadline_warning',
        result.seq,
        clock.kind,
        fraction,
        clock.dueAt,
      );
    }
    return { kind: 'warned' as const };
  }

  private async breach(clock: ClockRow, request: RequestEntity, now: Date) {
    const lateMs = clock.dueAt ? now.getTime() - clock.dueAt.getTime() : undefined;
    await this.clocks.markBreached(clock, now);
    const event: ResidentRequestEvent =
      clock.kind === 'feedback'
        ? { type: 'FEEDBACK_TIMEOUT' }
        : { type: 'DEADLINE_BREACHED', clock: clock.kind };
    const atTop =
      event.type === 'DEADLINE_BREACHED' && (await this.requests.isOwnedByRoot(request));
    if (clock.dueAt && (clock.kind === 'resolve' || (clock.kind === 'dispatch' && atTop))) {
      await this.requests.markOverdue(request.id, clock.dueAt);
    }
    if (atTop) {
      // Nobody above the root to escalate to: the breach stays on the clock and the supervisors
      // are told; the request keeps showing as overdue.
      await this.notify(request.id, 'top_overdue', request.version, clock.kind);
      this.logger.warn(`request ${request.reference}: ${clock.kind} limit passed at the top level`);
    } else {
      const result = await this.commands.applySystem(request, event);
      if (result) {
        const kind: NotificationKind =
          event.type === 'FEEDBACK_TIMEOUT' ? 'feedback_timeout' : 'deadline_breached';
        await this.notify(request.id, kind, result.seq, clock.kind);
      }
    }
    return { kind: 'breached' as const, lateMs, clock: clock.kind };
  }

  private notify(
    requestId: string,
    kind: NotificationKind,
    seq: number,
    clock?: string,
    fraction?: number,
    dueAt?: Date | null,
  ): Promise<void> {
    return this.outbox.enqueue(
      'notification.send',
      { requestId, kind, seq, clock, fraction, dueAt: dueAt?.toISOString() },
      // The clock is part of the id: at the top level two clocks can pass their limits without
      // an event in between, so they share `seq` (the request's version).
      { jobId: jobId('notify', requestId, seq, kind, ...(clock ? [clock] : [])) },
    );
  }
}
