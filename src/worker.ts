import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from './config/app-config';
import { MetricsService } from './modules/metrics/metrics.service';
import { WorkerModule } from './worker/worker.module';
import { startMetricsServer } from './worker/metrics-server';
import { WorkerRuntime } from './worker/worker-runtime.service';

/** The worker: queue consumers, outbox relay and reconciler; metrics on WORKER_METRICS_HOST:WORKER_METRICS_PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.get(WorkerRuntime).start();

  const metrics = app.get(MetricsService);
  const server = await startMetricsServer(config, () => metrics.render());
  process.once('SIGTERM', () => server.close());
  process.once('SIGINT', () => server.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
