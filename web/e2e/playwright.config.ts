import { createServer } from 'node:net';
import { defineConfig, devices } from '@playwright/test';

/** A port nobody listens on; picked once by the runner, inherited by its workers through env. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

process.env.E2E_PORT ??= String(await freePort());
process.env.E2E_WORKER_METRICS_PORT ??= String(await freePort());

/**
 * End to end on a phone: the built API (serving web/dist) and the worker, started by
 * global-setup.ts on their own database and Redis database, in Debian's Chromium. No browser is
 * ever downloaded.
 */
export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    ...devices['Pixel 7'],
    browserName: 'chromium',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
