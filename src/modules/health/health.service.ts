import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../common/redis/redis.module';
import { DatabaseService } from '../../database/database.service';
import { HEARTBEAT_KEY } from '../../worker/worker-runtime.service';

export type Check = { status: 'up' } | { status: 'down'; error: string };

async function check(probe: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up' };
  } catch (e) {
    return { status: 'down', error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    private readonly db: DatabaseService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /**
   * `down` (503) when Postgres or Redis does not answer; `degraded` (200) when they do but no
   * worker has beaten its heart in the last 15 s, so deadlines are not firing.
   */
  async check(): Promise<{
    status: 'ok' | 'degraded' | 'down';
    checks: { postgres: Check; redis: Check; worker: Check };
    workers: { id: string; lastBeat: string }[];
  }> {
    const [postgres, redis] = await Promise.all([
      check(() => this.db.ping()),
      check(() => this.redis.ping()),
    ]);
    const workers = redis.status === 'up' ? await this.workers().catch(() => []) : [];
    const worker: Check =
      workers.length > 0
        ? { status: 'up' }
        : { status: 'down', error: 'no worker heartbeat in 15 s' };
    const checks = { postgres, redis, worker };
    const status =
      postgres.status !== 'up' || redis.status !== 'up'
        ? 'down'
        : worker.status === 'up'
          ? 'ok'
          : 'degraded';
    return { status, checks, workers };
  }

  private async workers(): Promise<{ id: string; lastBeat: string }[]> {
    const keys = await this.redis.keys(`${HEARTBEAT_KEY}:*`);
    if (keys.length === 0) return [];
    const beats = await this.redis.mget(keys);
    return keys.map((k, i) => ({
      id: k.slice(HEARTBEAT_KEY.length + 1),
      lastBeat: beats[i] ?? '',
    }));
  }
}
