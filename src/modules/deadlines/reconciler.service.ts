import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { describeError } from '../../common/logging/describe-error';
import { jobId } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { QueueService } from '../../common/queue/queue.service';
import { REDIS } from '../../common/redis/redis.module';
import { DatabaseService } from '../../database/database.service';
import { ClocksService } from '../clocks/clocks.service';
import { DeadlinesService } from './deadlines.service';

/** The queue's own job normally fires first; the reconciler steps in after this much. */
const GRACE_MS = 1000;
/** How far ahead the reconciler checks that Redis still holds each clock's job. */
const LOOKAHEAD_MS = 60_000;
const BATCH = 500;

export interface ReconcileResult {
  fired: number;
  requeued: number;
}

/**
 * Postgres is the truth about deadlines; Redis only makes them fast. Each tick fires every clock
 * step that is overdue by more than the grace (its job was lost, or a worker died holding it) and
 * puts back the jobs of the steps coming up soon that Redis no longer has. A Redis that lost
 * everything therefore costs seconds, never a deadline.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);

  constructor(
    private readonly clocks: ClocksService,
    private readonly deadlines: DeadlinesService,
    private readonly queues: QueueService,
    private readonly outbox: OutboxService,
    private readonly db: DatabaseService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async tick(now = new Date()): Promise<ReconcileResult> {
    let fired = 0;
    for (;;) {
      const due = await this.clocks.dueSteps(new Date(now.getTime() - GRACE_MS), BATCH);
      let progressed = 0;
      for (const c of due) {
        try {
          const outcome = await this.deadlines.fire(c.id, c.generation, ClocksService.step(c), now);
          if (outcome === 'warned' || outcome === 'breached') fired++;
          progressed++;
        } catch (e) {
          // Left for the next tick (typically a concurrent command on the same request won).
          this.logger.warn(`clock ${c.id}: ${describeError(e)}`);
        }
      }
      if (due.length < BATCH || progressed === 0) break;
    }
    const requeued = await this.requeueMissing(now);
    if (fired || requeued) this.logger.log(`reconciled: fired ${fired}, re-enqueued ${requeued}`);
    return { fired, requeued };
  }

  private async requeueMissing(now: Date): Promise<number> {
    const upcoming = await this.clocks.upcomingSteps(
      now,
      new Date(now.getTime() + LOOKAHEAD_MS),
      5000,
    );
    if (upcoming.length === 0) return 0;
    const queue = this.queues.queues.deadlines;
    const pipeline = this.redis.pipeline();
    for (const c of upcoming) {
      pipeline.exists(queue.toKey(jobId('deadline', c.id, c.generation, ClocksService.step(c))));
    }
    const answers = (await pipeline.exec()) ?? [];
    const missing = upcoming.filter((_, i) => answers[i]?.[1] === 0);
    if (missing.length === 0) return 0;
    await this.db.transaction(async () => {
      for (const c of missing) await this.clocks.enqueueNext(c);
    });
    await this.outbox.relayAll();
    return missing.length;
  }
}
