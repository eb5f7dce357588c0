import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUE_NAMES } from '../../common/queue/jobs';
import { OutboxService } from '../../common/queue/outbox.service';
import { QueueService } from '../../common/queue/queue.service';

/** Prometheus metrics of this process; queue depths and the outbox backlog are read at scrape time. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly transitions = new Counter({
    name: 'closed_loop_transitions_total',
    help: 'Events applied to requests, by event type',
    labelNames: ['type'],
    registers: [this.registry],
  });

  readonly deadlineLateness = new Histogram({
    name: 'closed_loop_deadline_lateness_seconds',
    help: 'How long after its due time a clock was fired (fired time minus due time)',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  constructor(queues: QueueService, outbox: OutboxService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'closed_loop_' });
    new Gauge({
      name: 'closed_loop_queue_jobs',
      help: 'Jobs in each BullMQ queue, by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of QUEUE_NAMES) {
          const counts = await queues.queues[name].getJobCounts(
            'waiting',
            'delayed',
            'active',
            'failed',
          );
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      },
    });
    new Gauge({
      name: 'closed_loop_outbox_backlog',
      help: 'Outbox rows not yet handed to BullMQ',
      registers: [this.registry],
      async collect() {
        this.set(await outbox.backlog());
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
