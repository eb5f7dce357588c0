import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JOB_QUEUE, type JobName, type JobPayloads, QUEUE_NAMES, type QueueName } from './jobs';

/** Completed jobs are removed; failed ones stay for an operator to see (Bull Board). */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: false,
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
};

export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** The producers. Jobs reach them only through the outbox relay (see OutboxService). */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  readonly queues: Record<QueueName, Queue>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const connection = redisConnection(config.redisUrl);
    // Webhook receivers are other people's servers: fewer, slower retries, then the dead letters.
    const options: Record<QueueName, JobsOptions> = {
      deadlines: DEFAULT_JOB_OPTIONS,
      notifications: DEFAULT_JOB_OPTIONS,
      webhooks: {
        ...DEFAULT_JOB_OPTIONS,
        attempts: config.webhookAttempts,
        backoff: { type: 'exponential', delay: config.webhookBackoffMs },
      },
    };
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => [
        name,
        new Queue(name, { connection, defaultJobOptions: options[name] }),
      ]),
    ) as Record<QueueName, Queue>;
  }

  async addBulk(
    jobs: {
      name: JobName;
      id: string;
      payload: JobPayloads[JobName];
      runAt: Date;
      opts?: JobsOptions;
    }[],
  ): Promise<void> {
    const now = Date.now();
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const job of jobs) {
      const queue = JOB_QUEUE[job.name];
      const list = byQueue.get(queue) ?? [];
      list.push({
        name: job.name,
        data: job.payload,
        opts: { ...job.opts, jobId: job.id, delay: Math.max(0, job.runAt.getTime() - now) },
      });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queues[queue].addBulk(list)));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}
