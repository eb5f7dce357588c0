import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '../common/logging/describe-error';
import { type JobName, type JobPayloads, type QueueName } from '../common/queue/jobs';
import { OutboxService } from '../common/queue/outbox.service';
import { redisConnection } from '../common/queue/queue.service';
import { REDIS } from '../common/redis/redis.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DeadlinesService } from '../modules/deadlines/deadlines.service';
import { ReconcilerService } from '../modules/deadlines/reconciler.service';
import { MessageSenderService } from '../modules/notifications/message-sender.service';
import { NotifierService } from '../modules/notifications/notifier.service';
import { SupervisionService } from '../modules/supervision/supervision.service';
import { WebhooksService } from '../modules/webhooks/webhooks.service';

export const HEARTBEAT_KEY = 'closed-loop:worker-heartbeat';
const HEARTBEAT_TTL_S = 15;

type Handlers = {
  [N in JobName]: (data: JobPayloads[N], job: Job, token?: string) => Promise<unknown>;
};

/**
 * The worker process: one BullMQ consumer per queue, the outbox poller, the reconciler, the
 * supervision rollup refresh and a heartbeat. On SIGTERM it stops taking jobs, lets running ones finish, then exits.
 */
@Injectable()
export class WorkerRuntime implements OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private readonly id = `${hostname()}-${process.pid}`;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly deadlines: DeadlinesService,
    private readonly reconciler: ReconcilerService,
    private readonly notifier: NotifierService,
    private readonly messages: MessageSenderService,
    private readonly webhooks: WebhooksService,
    private readonly outbox: OutboxService,
    private readonly supervision: SupervisionService,
  ) {}

  private readonly handlers: Handlers = {
    'deadline.fire': async (d, job, token) => {
      const result = await this.deadlines.attempt(d.clockId, d.generation, d.step);
      if (result.outcome !== 'early') return result.outcome;
      // Run before its time (promoted by hand, or Redis edited): back to waiting until it is due.
      this.logger.log(
        `${job.id} ran before its time; delayed again until ${result.notBefore.toISOString()}`,
      );
      await job.moveToDelayed(result.notBefore.getTime(), token);
      throw new DelayedError();
    },
    'notification.send': (d) => this.notifier.notify(d),
    'message.send': (d) => this.messages.send(d),
    'webhook.deliver': (d) => this.webhooks.deliver(d),
  };

  async start(): Promise<void> {
    const connection = redisConnection(this.config.redisUrl);
    const concurrency: Record<QueueName, number> = { deadlines: 16, notifications: 8, webhooks: 8 };
    for (const queue of Object.keys(concurrency) as QueueName[]) {
      const worker = new Worker(
        queue,
        async (job: Job, token?: string) => {
          const handler = this.handlers[job.name as JobName] as (
            d: unknown,
            job: Job,
            token?: string,
          ) => Promise<unknown>;
          if (!handler) throw new Error(`No handler for job ${job.name}`);
          return handler(job.data, job, token);
        },
        { connection, concurrency: concurrency[queue], autorun: true },
      );
      worker.on('failed', (job, error) => void this.onFailed(job, error));
      worker.on('error', (error) => this.logger.error(`${queue}: ${describeError(error)}`));
      this.workers.push(worker);
    }
    await this.beat();
    await this.checkRedisConfig();
    await this.loop(() => this.outbox.relayAll(), this.config.outboxPollMs);
    await this.loop(() => this.reconciler.tick(), this.config.reconcileIntervalMs);
    await this.loop(() => this.supervision.refreshRollup(), this.config.statsRefreshMs);
    if (this.stopping) return;
    this.timers.push(setInterval(() => void this.beat(), 5000));
    this.logger.log(`worker ${this.id} running`);
  }

  /** Runs `task` now and then every `ms`, never two at once. */
  private async loop(task: () => Promise<unknown>, ms: number): Promise<void> {
    let busy = false;
    const run = async () => {
      if (busy || this.stopping) return;
      busy = true;
      try {
        await task();
      } catch (e) {
        this.logger.error(describeError(e, true));
      } finally {
        busy = false;
      }
    };
    await run();
    // A SIGTERM may arrive while start() is still running its first pass; start no timers then.
    if (!this.stopping) this.timers.push(setInterval(() => void run(), ms));
  }

  /** Each pending deadline is a small hash; at Redis' default it is stored at twice the size. */
  private async checkRedisConfig(): Promise<void> {
    try {
      const [, value] = await this.redis.config('GET', 'hash-max-listpack-value');
      if (Number(value) < 256) {
        this.logger.warn(
          `Redis hash-max-listpack-value is ${value}; set it to 256 or more so a pending deadline costs under 1 KiB`,
        );
      }
    } catch {
      this.logger.warn('could not read the Redis configuration (CONFIG GET refused)');
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.redis.set(
        `${HEARTBEAT_KEY}:${this.id}`,
        new Date().toISOString(),
        'EX',
        HEARTBEAT_TTL_S,
      );
    } catch (e) {
      this.logger.warn(`heartbeat: ${describeError(e)}`);
    }
  }

  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    // The job's name, id and a generic reason: its data (titles, texts) and raw error stay out.
    this.logger.warn(
      `${job.name} ${job.id} failed (attempt ${job.attemptsMade}/${attempts}): ${describeError(error)}`,
    );
    if (job.name === 'webhook.deliver' && job.attemptsMade >= attempts) {
      await this.webhooks.deadLetter(
        job.data as JobPayloads['webhook.deliver'],
        job.attemptsMade,
        error,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.workers.map((w) => w.close()));
    await this.redis.del(`${HEARTBEAT_KEY}:${this.id}`).catch(() => undefined);
    this.logger.log('worker stopped');
  }
}
