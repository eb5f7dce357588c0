import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pinoOptions } from '../common/logging/logger-options';
import { QueueModule } from '../common/queue/queue.module';
import { RedisModule } from '../common/redis/redis.module';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { DeadlinesModule } from '../modules/deadlines/deadlines.module';
import { MetricsModule } from '../modules/metrics/metrics.module';
import { NotificationsModule } from '../modules/notifications/notifications.module';
import { SupervisionModule } from '../modules/supervision/supervision.module';
import { WebhooksModule } from '../modules/webhooks/webhooks.module';
import { WorkerRuntime } from './worker-runtime.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: pinoOptions(config.logLevel) }),
        DatabaseModule,
        RedisModule,
        QueueModule,
        MetricsModule,
        DeadlinesModule,
        NotificationsModule,
        WebhooksModule,
        SupervisionModule,
      ],
      providers: [WorkerRuntime],
    };
  }
}
