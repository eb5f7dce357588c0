import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service';
import { describeError } from '../logging/describe-error';
import { JOB_QUEUE, type JobName, type JobPayloads } from './jobs';
import { type NewOutboxRow, OutboxRepository } from './outbox.repository';
import { QueueService } from './queue.service';

const BATCH = 1000;
const KICK_DELAY_MS = 5;

/**
 * The one way to enqueue a job. `enqueue` writes an outbox row in the caller's transaction, so a
 * job exists exactly when the change that caused it commits; `relay` then hands rows to BullMQ,
 * right after the commit and from the worker's poller, whichever comes first.
 */
@Injectable()
export class OutboxService implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxService.name);
  private draining = false;
  private scheduled: NodeJS.Timeout | undefined;
  private pending = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly queues: QueueService,
    private readonly db: DatabaseService,
  ) {}

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    opts: { jobId: string; runAt?: Date },
  ): Promise<void> {
    await this.outbox.insert(this.job(name, payload, opts));
  }

  /**
   * The outbox row of a job, for a caller that writes it in its own statement (within the current
   * transaction); the relay is kicked once that transaction commits.
   */
  job<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    opts: { jobId: string; runAt?: Date },
  ): NewOutboxRow {
    this.db.afterCommit(() => this.kick());
    return {
      queue: JOB_QUEUE[name],
      job_name: name,
      job_id: opts.jobId,
      payload,
      run_at: opts.runAt ?? new Date(),
    };
  }

  /**
   * Relay soon, without making the caller wait; a failure here is retried by the poller. Kicks
   * within a few milliseconds share one relay, so a busy API does not add a transaction per command.
   */
  kick(): void {
    this.pending = true;
    if (this.draining || this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.drain();
    }, KICK_DELAY_MS);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending) {
        this.pending = false;
        await this.relayAll();
      }
    } catch (e) {
      this.logger.warn(`outbox relay deferred to the poller: ${describeError(e)}`);
    } finally {
      this.draining = false;
    }
  }

  /** Relays until the outbox is empty (the worker's poller). Returns the rows relayed. */
  async relayAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.relayBatch();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private relayBatch(): Promise<number> {
    return this.db.transaction(async () => {
      const rows = await this.outbox.takeBatch(BATCH);
      if (rows.length === 0) return 0;
      await this.queues.addBulk(
        rows.map((r) => ({
          name: r.job_name as JobName,
          id: r.job_id,
          payload: r.payload as unknown as JobPayloads[JobName],
          runAt: new Date(r.run_at),
        })),
      );
      return rows.length;
    });
  }

  onApplicationShutdown(): void {
    clearTimeout(this.scheduled);
  }

  backlog(): Promise<number> {
    return this.outbox.backlog();
  }
}
