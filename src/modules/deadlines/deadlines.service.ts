import { Injectable, Logger } from '@nestjs/common';
import type { ResidentRequestEvent } from '../../../workflows';
import { jobId } from '../../common/queue/jobs';
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
    // The engine records the warning and queues its notices like any other step.
    await this.commands.applySystem(request, {
      type: 'DEADLINE_WARNING',
      clock: clock.kind,
      fraction: clock.warnAt[clock.warningsSent],
    });
    await this.clocks.afterWarning(clock, now);
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
    // A late milestone shows on the overdue board; the request is not overdue before the plan's end.
    if (clock.dueAt && clock.kind === 'milestone') {
      await this.requests.markMilestoneLate(request.id, clock.dueAt);
    }
    if (atTop) {
      // Nobody above the root to escalate to: the breach stays on the clock, no step is
      // recorded, and the supervisors are told; the request keeps showing as overdue.
      await this.outbox.enqueue(
        'notification.send',
        { requestId: request.id, seq: request.version, topOverdue: clock.kind },
        // Two clocks can pass their limits at the top without a step in between (same seq).
        { jobId: jobId('notify', request.id, request.version, 'top', clock.kind) },
      );
      this.logger.warn(`request ${request.reference}: ${clock.kind} limit passed at the top level`);
    } else {
      await this.commands.applySystem(request, event);
    }
    return { kind: 'breached' as const, lateMs, clock: clock.kind };
  }
}
