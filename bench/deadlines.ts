import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import {
  arg,
  freshDatabase,
  machine,
  percentile,
  pgbench,
  ROOT,
  sleep,
  startBuilt,
  stop,
} from './support';
import { startRedisServer } from './redis-server';
import { updateBenchmarksMd } from './report';

/**
 * bench:deadlines — N pending clocks (default 100 000; --n=1000000 for a million), a due slice
 * that fires while they wait, and what it costs: lateness of the breaches, Redis bytes per
 * pending job, outbox relay rate, the reconciler's scan time. Baseline: pgbench on the same server.
 */
const N = Number(arg('n', '100000'));
const DUE = Number(arg('due', '1000'));
const SPREAD_S = Number(arg('spread', '20'));
/** Small job hashes stay listpack-encoded up to this value size; at Redis' default (64) they do not. */
const LISTPACK_VALUE = 256;
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/closed_loop_bench';
const CHUNK = 50_000;

/** Inserts `count` submitted requests, each with one running accept clock and its outbox row. */
async function insertClocks(
  db: Client,
  from: number,
  count: number,
  dueSql: string,
): Promise<void> {
  await db.query(
    `WITH ctx AS (
       SELECT b.id AS branch, t.id AS town, b.path AS path, c.id AS category,
              (SELECT id FROM users WHERE username = 'resident-1') AS resident
         FROM units b JOIN units t ON t.code = 'xianxiang' JOIN categories c ON c.code = 'roads'
        WHERE b.code = 'branch-1'),
     r AS (
       INSERT INTO requests (id, reference, title, description, category_id, priority, channel, state,
         version, machine_version, context, resident_id, resident_name, resident_phone, created_by,
         branch_id, town_id, unit_path, owner_unit_id, sla, created_at, updated_at)
       SELECT gen_random_uuid(), 'BN-' || lpad(g::text, 9, '0'), 'bench ' || g, 'bench', ctx.category,
              'urgent', 'app', 'submitted', 1, 1,
              jsonb_build_object('branchId', ctx.branch, 'escalationLevel', 0, 'assigneeUnitId', null,
                'assigneeUserId', null, 'resolvedFrom', null, 'onHold', false, 'extensionRequested', null,
                'returnCount', 0, 'holdCount', 0, 'reopenCount', 0, 'outcome', null, 'rating', null),
              ctx.resident, '赵大爷', '13800000001', ctx.resident, ctx.branch, ctx.town, ctx.path, ctx.branch,
              '{"clock":"24x7","accept":"PT1H","dispatch":"PT1H","resolve":"PT24H","feedback":"P3D","warnAt":[]}',
              now(), now()
         FROM ctx, generate_series($1::int, $2::int) AS g
       RETURNING id, reference),
     c AS (
       INSERT INTO request_clocks (request_id, kind, mode, status, budget_ms, remaining_ms, anchor_at,
         due_at, warn_at, warnings_sent, hold_warnings, next_fire_at, next_action, generation,
         escalation_level, started_at)
       SELECT r.id, 'accept', '24x7', 'running', 3600000, 3600000, now(), d.due, '{}', 0, false, d.due,
              'due', 1, 0, now()
         FROM r, LATERAL (SELECT ${dueSql} AS due) d
       RETURNING id, next_fire_at)
     INSERT INTO outbox (queue, job_name, job_id, payload, run_at)
     SELECT 'deadlines', 'deadline.fire', 'deadline-' || c.id || '-1-due',
            jsonb_build_object('clockId', c.id, 'generation', 1, 'step', 'due'), c.next_fire_at
       FROM c`,
    [from, from + count - 1],
  );
}

async function outboxBacklog(db: Client): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox`)).rows[0].n;
}

async function timeQuery(
  db: Client,
  sql: string,
  runs: number,
): Promise<{ p50: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await db.query(sql);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), max: times[times.length - 1] };
}

async function main(): Promise<void> {
  console.log(`bench:deadlines N=${N} due slice=${DUE}`);
  await freshDatabase(DATABASE_URL);
  const baselineTps = pgbench(DATABASE_URL, 8, 10);
  console.log(`baseline: pgbench TPC-B-like, 8 clients, 10 s: ${baselineTps.toFixed(0)} tps`);

  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  // A redis-server of the bench's own: it starts empty, its memory is the bench's alone, and no
  // other Redis is emptied or reconfigured.
  const ownRedis = await startRedisServer(['--hash-max-listpack-value', String(LISTPACK_VALUE)]);
  const redis = new Redis(ownRedis.url);
  const env = {
    DATABASE_URL,
    REDIS_URL: ownRedis.url,
    JWT_SECRET: 'bench-secret-at-least-16-chars',
    WORKER_METRICS_PORT: '0',
  };
  const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

  let t = Date.now();
  for (let from = 1; from <= N; from += CHUNK) {
    await insertClocks(
      db,
      from,
      Math.min(CHUNK, N - from + 1),
      `now() + interval '2 hours' + (random() * interval '2 hours')`,
    );
  }
  const insertSeconds = (Date.now() - t) / 1000;
  await db.query('VACUUM ANALYZE request_clocks, outbox, requests');
  console.log(`inserted ${N} requests with pending clocks in ${insertSeconds.toFixed(1)} s`);

  const worker = startBuilt('worker', { ...env, OUTBOX_POLL_MS: '200' });
  t = Date.now();
  while ((await outboxBacklog(db)) > 0) await sleep(200);
  const relaySeconds = (Date.now() - t) / 1000;
  const relayRate = N / relaySeconds;
  await sleep(1000);
  const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  const delayed = await redis.zcard('bull:deadlines:delayed');
  const bytesPerJob = (memoryAfter - memoryBefore) / delayed;
  console.log(
    `relayed ${N} jobs in ${relaySeconds.toFixed(1)} s (${relayRate.toFixed(0)}/s); ${delayed} delayed jobs, ${bytesPerJob.toFixed(0)} B each`,
  );

  const dueQuery = `SELECT id, generation, warnings_sent, next_action FROM request_clocks
    WHERE status = 'running' AND next_fire_at <= now() - interval '1 second' ORDER BY next_fire_at LIMIT 500`;
  const upcomingQuery = `SELECT id, generation, warnings_sent, next_action, next_fire_at FROM request_clocks
    WHERE status = 'running' AND next_fire_at > now() AND next_fire_at <= now() + interval '60 seconds'
    ORDER BY next_fire_at LIMIT 5000`;
  const scanDue = await timeQuery(db, dueQuery, 30);
  const scanUpcoming = await timeQuery(db, upcomingQuery, 30);
  console.log(
    `reconciler scan at N: due ${scanDue.p50.toFixed(2)} ms, upcoming ${scanUpcoming.p50.toFixed(2)} ms (p50)`,
  );

  // The due slice: D clocks due from 15 s on, spread evenly over SPREAD_S seconds, while N wait.
  await insertClocks(
    db,
    N + 1,
    DUE,
    `now() + interval '15 seconds' + ((substring(r.reference from 4)::int - ${N + 1})::float / ${DUE}) * interval '${SPREAD_S} seconds'`,
  );
  const sliceStart = Date.now();
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM request_clocks c JOIN requests r ON r.id = c.request_id
        WHERE r.reference > $1 AND c.kind = 'accept' AND c.status = 'breached'`,
      [`BN-${String(N).padStart(9, '0')}`],
    );
    if (rows[0].n >= DUE || Date.now() - sliceStart > (SPREAD_S + 120) * 1000) break;
    await sleep(500);
  }
  const { rows: lateness } = await db.query<{ ms: number }>(
    `SELECT extract(epoch FROM (c.breached_at - c.due_at)) * 1000 AS ms
       FROM request_clocks c JOIN requests r ON r.id = c.request_id
      WHERE r.reference > $1 AND c.kind = 'accept' AND c.status = 'breached' ORDER BY 1`,
    [`BN-${String(N).padStart(9, '0')}`],
  );
  const late = lateness.map((r) => Number(r.ms));
  const fired = late.length;
  const { rows: dupes } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT request_id FROM request_events WHERE type = 'DEADLINE_BREACHED'
       GROUP BY request_id HAVING count(*) > 1) d`,
  );
  const stillPending = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM request_clocks WHERE status = 'running' AND kind = 'accept'`,
    )
  ).rows[0].n;
  await stop(worker);
  await redis.quit();
  await ownRedis.stop();
  await db.end();

  const result = {
    benchmark: 'deadlines',
    command: `npm run bench:deadlines -- --n=${N}`,
    at: new Date().toISOString(),
    machine: machine(),
    baseline: { pgbenchTps8Clients: Math.round(baselineTps) },
    pendingClocks: N,
    stillPendingAfterSlice: stillPending,
    insertSeconds,
    outboxRelay: { seconds: relaySeconds, jobsPerSecond: Math.round(relayRate) },
    redis: { delayedJobs: delayed, bytesPerPendingJob: Math.round(bytesPerJob) },
    reconcilerScanMs: {
      dueP50: scanDue.p50,
      dueMax: scanDue.max,
      upcomingP50: scanUpcoming.p50,
      upcomingMax: scanUpcoming.max,
    },
    redisConfig: { 'hash-max-listpack-value': LISTPACK_VALUE },
    dueSlice: {
      size: DUE,
      spreadSeconds: SPREAD_S,
      ratePerSecond: DUE / SPREAD_S,
      fired,
      firedTwice: dupes[0].n,
      latenessMs: {
        p50: percentile(late, 50),
        p99: percentile(late, 99),
        max: late[late.length - 1],
      },
    },
    goals: {
      latenessP99Under1s: percentile(late, 99) < 1000,
      redisUnder1KiBPerClock: bytesPerJob < 1024,
    },
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const file = join(ROOT, 'bench', 'results', `deadlines-${N}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  updateBenchmarksMd('deadlines', N, result);
  console.log(JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
