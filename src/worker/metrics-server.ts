import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { metricsAccess } from '../modules/metrics/metrics-access';

/**
 * The worker's /metrics on WORKER_METRICS_HOST:WORKER_METRICS_PORT (loopback by default), under
 * the same rule as the API's: METRICS_TOKEN, or callers on this machine only. A request relayed
 * by a proxy (X-Forwarded-For) does not count as local.
 */
export async function startMetricsServer(
  config: Pick<AppConfig, 'workerMetricsHost' | 'workerMetricsPort' | 'metricsToken'>,
  render: () => Promise<string>,
): Promise<Server> {
  const server = createServer((req, res) => {
    const client = req.headers['x-forwarded-for'] ? undefined : req.socket.remoteAddress;
    const access = metricsAccess(config.metricsToken, client, req.headers.authorization);
    if (req.url !== '/metrics' || access === 'hidden') {
      res.writeHead(404).end();
      return;
    }
    if (access === 'unauthorized') {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      return;
    }
    render().then(
      (body) => res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(config.workerMetricsPort, config.workerMetricsHost);
  await once(server, 'listening');
  return server;
}
