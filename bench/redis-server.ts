import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { freePort } from './ports';

export interface OwnRedis {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/**
 * A redis-server of one's own on a free port, in memory only (no snapshot, no append-only file).
 * Whoever starts one may wipe it; a Redis anyone else started is never wiped.
 */
export async function startRedisServer(extraArgs: string[] = []): Promise<OwnRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      tmpdir(),
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit');
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited: ${output}`);
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return { url, port, stop };
    } catch {
      // Not listening yet.
    } finally {
      probe.disconnect();
    }
    if (i > 100) {
      await stop();
      throw new Error(`redis-server on port ${port} did not answer: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
