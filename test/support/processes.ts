import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { testEnv } from './env';

const ROOT = join(__dirname, '..', '..');

export { freePort } from '../../bench/ports';
export { startRedisServer } from '../../bench/redis-server';

/**
 * Deletes the keys matching `patterns` (SCAN, never KEYS or FLUSHDB) from the database `redis` is
 * connected to: a test clears its own keys and leaves everyone else's.
 */
export async function deleteKeys(redis: Redis, patterns: string[]): Promise<number> {
  let deleted = 0;
  for (const match of patterns) {
    for await (const keys of redis.scanStream({ match, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
  }
  return deleted;
}

export interface Proc {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM (graceful) or SIGKILL; resolves with the exit code or signal. */
  stop: (signal?: NodeJS.Signals) => Promise<number | string | null>;
}

/** Runs a built entry point (`dist/src/main.js`, `dist/src/worker.js`) against the test database. */
export function startBuilt(entry: 'main' | 'worker', env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', `${entry}.js`)], {
    cwd: ROOT,
    env: { ...testEnv(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null)
        return child.exitCode ?? child.signalCode;
      child.kill(signal);
      // A process that does not stop is a finding, but it must not hang the suite.
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const [code, sig] = await exited;
      clearTimeout(killer);
      return code ?? sig;
    },
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
