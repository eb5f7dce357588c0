import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { jobId } from '../../src/common/queue/jobs';
import { redisConnection } from '../../src/common/queue/queue.service';
import { apiClient } from '../support/api-client';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import {
  deleteKeys,
  freePort,
  type Proc,
  startBuilt,
  startRedisServer,
  waitFor,
} from '../support/processes';

const HEARTBEATS = 'closed-loop:worker-heartbeat:*';

/**
 * End to end: the built API and worker as separate processes, real Postgres and Redis, policies
 * of a few seconds. Each scenario uses its own category so it sees only its own clocks. The suite
 * uses the TEST_REDIS_URL database and deletes only the application's keys there; the test that
 * loses Redis runs on a redis-server of its own.
 */
describe('deadlines end to end (built API and worker processes)', () => {
  let api: Proc;
  let worker: Proc;
  let base: string;
  let db: Client;
  let redis: Redis;
  const client = apiClient();
  const statuses = client.statuses;

  /** Keys nobody else may lose: one in another database of the shared server, one in ours. */
  const sentinelKey = `closed-loop-test-sentinel:${randomUUID()}`;
  const testDb = Number(new URL(TEST_REDIS_URL).pathname.slice(1) || 0);
  const otherDbUrl = Object.assign(new URL(TEST_REDIS_URL), {
    pathname: `/${testDb === 0 ? 1 : 0}`,
  }).toString();
  let otherDb: Redis;

  const call = (method: string, path: string, user?: string, body?: unknown, at = base) =>
    client.call(at, method, path, user, body);

  async function fastCategory(code: string, policy: Record<string, unknown>) {
    const created = await call('POST', '/categories', 'admin', { code, name: code, nameEn: code });
    expect(created.status).toBe(201);
    const put = await call('PUT', `/sla-policies/${code}/urgent`, 'admin', {
      clock: '24x7',
      accept: 'PT120S',
      dispatch: 'PT120S',
      resolve: 'PT120S',
      feedback: 'PT120S',
      warnAt: [],
      ...policy,
    });
    expect(put.status).toBe(200);
  }

  async function submit(category: string, title: string, at = base): Promise<string> {
    const res = await call(
      'POST',
      '/requests',
      'resident-1',
      { title, description: 'end-to-end deadline test', category, priority: 'urgent' },
      at,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function systemEvents(ids: string[]) {
    const { rows } = await db.query<{
      request_id: string;
      type: string;
      clock: string | null;
      level: string | null;
    }>(
      `SELECT request_id, type, payload->>'clock' AS clock, payload->>'escalationLevel' AS level
         FROM request_events WHERE request_id = ANY($1) AND actor_role = 'system' ORDER BY request_id, seq`,
      [ids],
    );
    return rows;
  }

  /** `n` requests of `category`, submitted ten at a time (through the API at `at`). */
  async function submitMany(category: string, n: number, at = base): Promise<string[]> {
    const ids: string[] = [];
    for (let batch = 0; ids.length < n; batch++) {
      ids.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) => submit(category, `${category} ${batch}-${i}`, at)),
        )),
      );
    }
    return ids;
  }

  /** Every one of `ids` gets its accept breach, and two seconds later still exactly one each. */
  async function expectEachBreachedOnce(ids: string[]): Promise<void> {
    const breaches = async () =>
      (await systemEvents(ids)).filter((e) => e.type === 'DEADLINE_BREACHED');
    await waitFor(
      `all ${ids.length} accept clocks to fire`,
      async () => (await breaches()).length >= ids.length,
      45_000,
      500,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const fired = await breaches();
    expect(fired).toHaveLength(ids.length);
    expect(new Set(fired.map((e) => e.request_id)).size).toBe(ids.length);
  }

  let workerMetricsPort = 0;

  /** A worker on the suite's Redis, or on `redisUrl` (whose heartbeats `heartbeats` reads). */
  async function startWorker(heartbeats = redis, redisUrl = TEST_REDIS_URL): Promise<Proc> {
    workerMetricsPort = await freePort();
    const proc = startBuilt('worker', {
      REDIS_URL: redisUrl,
      WORKER_METRICS_PORT: String(workerMetricsPort),
      RECONCILE_INTERVAL_MS: '1000',
      STATS_REFRESH_MS: '1000',
    });
    await waitFor(
      'a worker heartbeat',
      async () => (await heartbeats.keys(HEARTBEATS)).length > 0,
      30_000,
    );
    return proc;
  }

  async function startApi(redisUrl = TEST_REDIS_URL): Promise<{ proc: Proc; at: string }> {
    const port = await freePort();
    const at = `http://127.0.0.1:${port}`;
    const proc = startBuilt('main', { PORT: String(port), REDIS_URL: redisUrl });
    await waitFor(
      'the API to answer /health',
      async () => (await fetch(`${at}/health`)).status === 200,
      30_000,
    );
    return { proc, at };
  }

  beforeAll(async () => {
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    redis = new Redis(TEST_REDIS_URL);
    otherDb = new Redis(otherDbUrl);
    await otherDb.set(sentinelKey, 'keep');
    await redis.set(sentinelKey, 'keep');
    // Jobs and heartbeats left by earlier runs; only the application's keys, in our database.
    await deleteKeys(redis, ['bull:*', 'closed-loop:*']);
    ({ proc: api, at: base } = await startApi());
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await api?.stop('SIGTERM');
    await otherDb?.del(sentinelKey);
    await redis?.del(sentinelKey);
    await otherDb?.quit();
    await redis?.quit();
    await db?.end();
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it('escalates by itself to level 1 and then level 2, warning before each breach, each once', async () => {
    await fastCategory('e2e-ladder', { accept: 'PT3S', dispatch: 'PT3S', warnAt: [0.5] });
    const id = await submit('e2e-ladder', '路灯全部不亮');

    await waitFor(
      'escalation to level 2',
      async () =>
        (await call('GET', `/requests/${id}`, 'county-supervisor')).body.escalationLevel === 2,
      30_000,
    );
    // Let the level-2 dispatch clock warn and run out at the top as well.
    await new Promise((r) => setTimeout(r, 4000));

    const events = await systemEvents([id]);
    const count = (type: string, clock: string) =>
      events.filter((e) => e.type === type && e.clock === clock).length;
    expect(count('DEADLINE_WARNING', 'accept')).toBe(1);
    expect(count('DEADLINE_BREACHED', 'accept')).toBe(1);
    expect(count('DEADLINE_WARNING', 'dispatch')).toBe(2);
    expect(count('DEADLINE_BREACHED', 'dispatch')).toBe(1);
    expect(events.filter((e) => e.type === 'DEADLINE_BREACHED').map((e) => e.level)).toEqual([
      '1',
      '2',
    ]);
    expect(events.map((e) => e.type).slice(0, 4)).toEqual([
      'DEADLINE_WARNING',
      'DEADLINE_BREACHED',
      'DEADLINE_WARNING',
      'DEADLINE_BREACHED',
    ]);

    const request = await call('GET', `/requests/${id}`, 'county-supervisor');
    expect(request.body).toMatchObject({ state: 'escalated', escalationLevel: 2, overdue: true });
    expect(request.body.owner.code).toBe('yinzhou');

    const metrics = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
    expect(metrics).toMatch(/closed_loop_deadline_lateness_seconds_count\{kind="accept"\} [1-9]/);
    expect(metrics).toMatch(/closed_loop_transitions_total\{type="DEADLINE_BREACHED"\} [1-9]/);

    const inbox = await call('GET', '/me/notifications', 'county-supervisor');
    expect(
      inbox.body.items.some(
        (n: { requestId: string; kind: string }) =>
          n.requestId === id && n.kind === 'deadline_breached',
      ),
    ).toBe(true);
  });

  it('closes a resolved request as "no feedback" when the feedback window passes', async () => {
    await fastCategory('e2e-feedback', { feedback: 'PT3S' });
    const id = await submit('e2e-feedback', '垃圾桶满了');
    expect(
      (await call('POST', `/requests/${id}/events`, 'secretary-1', { type: 'ACCEPT' })).status,
    ).toBe(200);
    const resolved = await call('POST', `/requests/${id}/events`, 'secretary-1', {
      type: 'RESOLVE',
      resolution: '已清运',
    });
    expect(resolved.body.state).toBe('resolved');

    const closed = await waitFor(
      'the feedback timeout',
      async () => {
        const r = await call('GET', `/requests/${id}`, 'resident-1');
        return r.body.state === 'closed' ? r.body : undefined;
      },
      20_000,
    );
    expect(closed.outcome).toBe('no_feedback');
    const events = await systemEvents([id]);
    expect(events.map((e) => e.type)).toEqual(['FEEDBACK_TIMEOUT']);
  });

  it('fires a plan’s milestone clock by itself, and not the resolve limit the plan moved', async () => {
    await fastCategory('e2e-plan', { accept: 'PT8S', resolve: 'PT8S', warnAt: [0.5] });
    const id = await submit('e2e-plan', '断头路分阶段打通');
    const created = Date.now();
    const send = async (user: string, event: Record<string, unknown>) => {
      const res = await call('POST', `/requests/${id}/events`, user, event);
      expect(res.status).toBe(200);
      return res.body;
    };
    await send('secretary-1', { type: 'ACCEPT' });
    const firstDue = new Date(Date.now() + 4000).toISOString();
    await send('secretary-1', {
      type: 'PROPOSE_PLAN',
      milestones: [
        { name: '立项', due: firstDue },
        { name: '竣工', due: new Date(Date.now() + 3_600_000).toISOString() },
      ],
      reason: '工程项目',
    });
    await send('town-supervisor', { type: 'DECIDE_PLAN', approve: true });

    const escalated = await waitFor(
      'the late milestone to escalate',
      async () => {
        const r = await call('GET', `/requests/${id}`, 'county-supervisor');
        return r.body.state === 'escalated' ? r.body : undefined;
      },
      20_000,
    );
    expect(escalated).toMatchObject({ escalationLevel: 1, overdue: false, overdueSince: null });
    // Past the resolve limit set at submission: the plan moved it, so it does not fire.
    await new Promise((r) => setTimeout(r, Math.max(0, created + 10_000 - Date.now())));
    const events = await systemEvents([id]);
    const milestone = events.filter((e) => e.clock === 'milestone').map((e) => e.type);
    expect(milestone).toEqual(['DEADLINE_WARNING', 'DEADLINE_BREACHED']);
    expect(events.filter((e) => e.type === 'DEADLINE_BREACHED').map((e) => e.clock)).toEqual([
      'milestone',
    ]);
    const board = await call('GET', '/supervision/overdue?pageSize=100', 'county-supervisor');
    const listed = board.body.items.find((i: { id: string }) => i.id === id);
    expect(listed.lateMilestone).toMatchObject({ number: 1, of: 2, name: '立项', dueAt: firstDue });
  });

  it('puts a deadline job promoted by hand back to wait until its time, then fires it on time', async () => {
    await fastCategory('e2e-promote', { accept: 'PT10S', warnAt: [0.5] });
    const id = await submit('e2e-promote', '提前触发的时限');
    const clockRow = async () =>
      (
        await db.query<{ id: string; generation: number; next_fire_at: Date; due_at: Date }>(
          `SELECT id, generation, next_fire_at, due_at FROM request_clocks
            WHERE request_id = $1 AND kind = 'accept'`,
          [id],
        )
      ).rows[0];
    const clock = await clockRow();
    const queue = new Queue('deadlines', { connection: redisConnection(TEST_REDIS_URL) });
    try {
      const job = await waitFor(
        'the warning job in Redis',
        async () => queue.getJob(jobId('deadline', clock.id, clock.generation, 'w0')),
        10_000,
      );
      expect(await job.getState()).toBe('delayed');
      await job.promote();

      // The worker takes it at once, finds it early and delays it again to the clock's time.
      await waitFor(
        'the promoted job to be delayed again',
        async () => (await job.getState()) === 'delayed',
        10_000,
        20,
      );
      const score = await redis.zscore('bull:deadlines:delayed', job.id as string);
      expect(Math.floor(Number(score) / 0x1000)).toBe(clock.next_fire_at.getTime());
      const after = await queue.getJob(job.id as string);
      expect(after?.processedOn).toBeGreaterThan(0);
      expect(after?.attemptsMade).toBe(0);
      expect(await systemEvents([id])).toEqual([]);
      expect(await clockRow()).toEqual(clock);

      const { rows } = await waitFor(
        'the warning and the breach',
        async () => {
          const r = await db.query<{ type: string; created_at: Date }>(
            `SELECT type, created_at FROM request_events
              WHERE request_id = $1 AND actor_role = 'system' ORDER BY seq`,
            [id],
          );
          return r.rows.length >= 2 ? r : undefined;
        },
        30_000,
      );
      expect(rows.map((e) => e.type)).toEqual(['DEADLINE_WARNING', 'DEADLINE_BREACHED']);
      expect(rows[0].created_at.getTime()).toBeGreaterThanOrEqual(clock.next_fire_at.getTime());
      expect(rows[1].created_at.getTime()).toBeGreaterThanOrEqual(clock.due_at.getTime());
    } finally {
      await queue.close();
    }
  });

  it('keeps the supervision rollup current by itself, with nobody asking for stats', async () => {
    await submit('e2e-feedback', '路面破损');
    // Merged duplicates count nowhere; earlier suites in the same database leave some behind.
    const counts = async () => {
      const { rows } = await db.query<{
        dirty: number;
        requests: number;
        day: number;
        month: number;
      }>(
        `SELECT (SELECT count(*) FROM request_stats_dirty)::int AS dirty,
                (SELECT count(*) FROM requests
                  WHERE outcome IS DISTINCT FROM 'duplicate')::int AS requests,
                (SELECT coalesce(sum(received), 0) FROM request_stats WHERE grain = 'day')::int AS day,
                (SELECT coalesce(sum(received), 0) FROM request_stats WHERE grain = 'month')::int AS month`,
      );
      return rows[0];
    };
    const settled = await waitFor(
      'the worker to refresh the rollup',
      async () => {
        const c = await counts();
        return c.dirty === 0 && c.day === c.requests ? c : undefined;
      },
      15_000,
    );
    expect(settled.month).toBe(settled.requests);
  });

  it('fires every one of 200 pending clocks exactly once after Redis loses everything', async () => {
    await fastCategory('e2e-flush', { accept: 'PT10S' });
    // The Redis this test wipes is its own, and so are the API and worker that use it; the
    // suite's worker stops meanwhile so that no clock is scheduled through the shared Redis.
    await worker.stop('SIGTERM');
    const own = await startRedisServer();
    const ownRedis = new Redis(own.url);
    let ownApi: Proc | undefined;
    let ownWorker: Proc | undefined;
    try {
      const started = await startApi(own.url);
      ownApi = started.proc;
      ownWorker = await startWorker(ownRedis, own.url);
      const ids = await submitMany('e2e-flush', 200, started.at);
      await waitFor(
        'the outbox to drain into Redis',
        async () => (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n === 0,
        10_000,
      );
      expect(await ownRedis.zcard('bull:deadlines:delayed')).toBeGreaterThanOrEqual(200);
      expect(await ownRedis.flushall()).toBe('OK');

      await expectEachBreachedOnce(ids);
    } finally {
      await ownWorker?.stop('SIGTERM');
      await ownApi?.stop('SIGTERM');
      await ownRedis.quit();
      await own.stop();
      worker = await startWorker();
    }
  });

  it('loses nothing and fires nothing twice when the worker is killed mid-flight', async () => {
    await fastCategory('e2e-kill', { accept: 'PT5S' });
    const ids = await submitMany('e2e-kill', 100);
    await waitFor(
      'the first breaches',
      async () => (await systemEvents(ids)).some((e) => e.type === 'DEADLINE_BREACHED'),
      20_000,
      20,
    );
    expect(await worker.stop('SIGKILL')).toBe('SIGKILL');
    // A killed worker leaves its heartbeat behind until it expires; the new one must be seen.
    await deleteKeys(redis, [HEARTBEATS]);
    worker = await startWorker();

    await expectEachBreachedOnce(ids);
  });

  it('reports the worker in /health and stops it gracefully on SIGTERM', async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as {
      status: string;
      checks: Record<string, { status: string }>;
    };
    expect(health.status).toBe('ok');
    expect(health.checks.worker.status).toBe('up');
    // Nest re-raises the signal once its shutdown hooks have run; the heartbeat going shows they did.
    expect(await worker.stop('SIGTERM')).toBe('SIGTERM');
    expect(await redis.keys(HEARTBEATS)).toEqual([]);
    const after = (await (await fetch(`${base}/health`)).json()) as { status: string };
    expect(after.status).toBe('degraded');
    worker = await startWorker();
  });

  it("leaves every Redis database but its own, and every key but the application's, alone", async () => {
    expect(await otherDb.get(sentinelKey)).toBe('keep');
    expect(await redis.get(sentinelKey)).toBe('keep');
  });
});
