import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OutboxService } from '../../src/common/queue/outbox.service';
import { loadConfig } from '../../src/config/app-config';
import { type ClockRow, ClocksRepository } from '../../src/modules/clocks/clocks.repository';
import { ClocksService } from '../../src/modules/clocks/clocks.service';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { ReconcilerService } from '../../src/modules/deadlines/reconciler.service';
import { MessageSenderService } from '../../src/modules/notifications/message-sender.service';
import { NotifierService } from '../../src/modules/notifications/notifier.service';
import { WebhooksService } from '../../src/modules/webhooks/webhooks.service';
import { WorkerModule } from '../../src/worker/worker.module';
import { testEnv } from './env';

/**
 * The time a clock's next step is due: passed as `dueBy` to `deadlines.fire`, a test fires the
 * step as the worker would once its time has come, without waiting for it.
 */
export function dueBy(c: Pick<ClockRow, 'nextFireAt'>): Date | undefined {
  return c.nextFireAt ?? undefined;
}

export interface WorkerContext {
  app: INestApplicationContext;
  deadlines: DeadlinesService;
  reconciler: ReconcilerService;
  notifier: NotifierService;
  messages: MessageSenderService;
  webhooks: WebhooksService;
  outbox: OutboxService;
  /** The clock rows a request shows (per kind the live one, else the last that ended). */
  clocks(requestId: string): Promise<ClockRow[]>;
  /** The row of one clock kind of a request, with the step its next job would fire. */
  clock(requestId: string, kind: ClockRow['kind']): Promise<ClockRow & { step: string }>;
  close(): Promise<void>;
}

/**
 * The worker's services in this process, without `WorkerRuntime.start()`: no BullMQ consumer,
 * poller or reconciler timer runs, so a test decides when a deadline fires (`deadlines.fire`, or
 * `reconciler.tick(future)`) and when a notification or webhook job runs. `env` overrides the
 * test configuration.
 */
export async function startWorkerContext(env: NodeJS.ProcessEnv = {}): Promise<WorkerContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(loadConfig({ ...testEnv(), ...env })),
    {
      logger: false,
    },
  );
  const repo = app.get(ClocksRepository);
  const clocks = (requestId: string) => repo.forRequests([requestId]);
  return {
    app,
    deadlines: app.get(DeadlinesService),
    reconciler: app.get(ReconcilerService),
    notifier: app.get(NotifierService),
    messages: app.get(MessageSenderService),
    webhooks: app.get(WebhooksService),
    outbox: app.get(OutboxService),
    clocks,
    clock: async (requestId, kind) => {
      const row = (await clocks(requestId)).find((c) => c.kind === kind);
      if (!row) throw new Error(`request ${requestId} has no ${kind} clock`);
      return { ...row, step: ClocksService.step(row) };
    },
    close: () => app.close(),
  };
}
