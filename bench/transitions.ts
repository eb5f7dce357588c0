import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeBlock } from './report';
import {
  arg,
  cpuMs,
  freshDatabase,
  machine,
  percentile,
  pgbench,
  postgresPids,
  login,
  ROOT,
  startApi,
  stop,
  withChildren,
} from './support';

/**
 * bench:transitions — requests driven through the short loop (submit → ACCEPT → RESOLVE → CONFIRM)
 * over HTTP by C concurrent clients, against pgbench (TPC-B-like) on the same Postgres in the same
 * run. Every call is one committed transaction with its event, clocks and outbox rows.
 *
 * The load generator shares the machine's cores with Postgres and the API, so it stays cheap:
 * plain `node:http` on keep-alive sockets, one per client, and a body parsed only when the loop
 * needs it (the new request's id). `fetch` (undici) cost ~2 ms of CPU per call here, CPU taken
 * from the system under test. CPU per call of the API, Postgres and the generator is reported.
 */
const LEVELS = arg('connections', '8,32,128').split(',').map(Number);
const SECONDS = Number(arg('seconds', '15'));
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/closed_loop_transbench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

interface Level {
  connections: number;
  transitions: number;
  transitionsPerSecond: number;
  errors: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** CPU time per call (ms); Postgres counts every Postgres process on the machine. */
  cpuMsPerCall: { api: number; postgres: number; loadGenerator: number };
  pgbenchTps: number;
  ratio: number;
}

interface Answer {
  status: number;
  body: string;
}

/** POSTs JSON over the agent's keep-alive sockets; the body is left unparsed. */
function post(agent: Agent, port: number, path: string, token: string, body: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1${path}`,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function drive(
  port: number,
  resident: string,
  secretary: string,
  connections: number,
  seconds: number,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const call = async (token: string, path: string, body: string): Promise<Answer | null> => {
    const t = performance.now();
    const res = await post(agent, port, path, token, body);
    latencies.push(performance.now() - t);
    if (res.status >= 300) {
      errors++;
      return null;
    }
    return res;
  };
  const ACCEPT = JSON.stringify({ type: 'ACCEPT' });
  const RESOLVE = JSON.stringify({ type: 'RESOLVE', resolution: '已处理' });
  const CONFIRM = JSON.stringify({ type: 'CONFIRM', rating: 5 });
  const loop = async (n: number) => {
    let i = 0;
    while (Date.now() < until) {
      const created = await call(
        resident,
        '/requests',
        JSON.stringify({
          title: `bench ${n}-${i++}`,
          description: 'transitions benchmark',
          // Roads need a photo to resolve; the loop measures transitions, not uploads.
          category: 'sewage',
        }),
      );
      if (!created) continue;
      const events = `/requests/${(JSON.parse(created.body) as { id: string }).id}/events`;
      if (!(await call(secretary, events, ACCEPT))) continue;
      if (!(await call(secretary, events, RESOLVE))) continue;
      await call(resident, events, CONFIRM);
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, (_, n) => loop(n)));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { latencies, errors, elapsed, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  console.log(`bench:transitions connections=${LEVELS.join(',')} ${SECONDS}s each`);
  await freshDatabase(DATABASE_URL);
  const { api, port, base } = await startApi({
    DATABASE_URL,
    REDIS_URL,
    JWT_SECRET: 'bench-secret-at-least-16-chars',
    LOG_LEVEL: 'error',
  });
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const resident = await login(base, 'resident-1');
  const secretary = await login(base, 'secretary-1');
  await drive(port, resident, secretary, 8, 3); // warm-up

  const levels: Level[] = [];
  for (const connections of LEVELS) {
    const eventsBefore = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM request_events`)
    ).rows[0].n;
    // Listed again afterwards: backends and workers started during the run count in full.
    const apiCpu = () => cpuMs(withChildren(api.pid as number));
    const pgCpu = () => cpuMs(postgresPids());
    const [apiBefore, pgBefore] = [apiCpu(), pgCpu()];
    const run = await drive(port, resident, secretary, connections, SECONDS);
    const calls = run.latencies.length;
    const perCall = (ms: number) => Math.round((ms / calls) * 100) / 100;
    const cpuMsPerCall = {
      api: perCall(apiCpu() - apiBefore),
      postgres: perCall(pgCpu() - pgBefore),
      loadGenerator: perCall(run.cpuMs),
    };
    const eventsAfter = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM request_events`)
    ).rows[0].n;
    const transitions = run.latencies.length - run.errors;
    if (eventsAfter - eventsBefore !== transitions) {
      throw new Error(
        `${transitions} transitions answered 2xx but ${eventsAfter - eventsBefore} events were committed`,
      );
    }
    const pgbenchTps = pgbench(DATABASE_URL, Math.min(connections, 64), 10);
    const tps = transitions / run.elapsed;
    const level: Level = {
      connections,
      transitions,
      transitionsPerSecond: Math.round(tps),
      errors: run.errors,
      latencyMs: {
        p50: Math.round(percentile(run.latencies, 50) * 10) / 10,
        p99: Math.round(percentile(run.latencies, 99) * 10) / 10,
        max: Math.round(run.latencies[run.latencies.length - 1] * 10) / 10,
      },
      cpuMsPerCall,
      pgbenchTps: Math.round(pgbenchTps),
      ratio: Math.round((tps / pgbenchTps) * 100) / 100,
    };
    levels.push(level);
    console.log(
      `${connections} connections: ${level.transitionsPerSecond} transitions/s, p50 ${level.latencyMs.p50} ms, p99 ${level.latencyMs.p99} ms, errors ${level.errors}; CPU/call API ${cpuMsPerCall.api} ms, Postgres ${cpuMsPerCall.postgres} ms, load generator ${cpuMsPerCall.loadGenerator} ms; pgbench ${level.pgbenchTps} tps; ratio ${level.ratio}`,
    );
  }
  const sync = (await db.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0];
  await db.end();
  await stop(api);

  const at32 = levels.find((l) => l.connections === 32);
  const result = {
    benchmark: 'transitions',
    command: 'npm run bench:transitions',
    at: new Date().toISOString(),
    machine: machine(),
    synchronousCommit: sync.synchronous_commit,
    secondsPerLevel: SECONDS,
    levels,
    goals: {
      ratioAtLeast035: levels.every((l) => l.ratio >= 0.35),
      p99Under50msAt32: at32 ? at32.latencyMs.p99 < 50 : null,
    },
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'bench', 'results', 'transitions.json'),
    JSON.stringify(result, null, 2) + '\n',
  );
  writeBlock('transitions', [
    `**Transitions over HTTP** — \`npm run bench:transitions\` — ${result.at.slice(0, 16)}Z, ${result.machine.cpus} cores, load generator on the same machine, synchronous_commit=${result.synchronousCommit}`,
    '',
    '| connections | transitions/s | p50 | p99 | errors | pgbench TPC-B tps (same clients) | ratio | CPU ms per call: API / Postgres / generator |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...levels.map(
      (l) =>
        `| ${l.connections} | ${l.transitionsPerSecond} | ${l.latencyMs.p50} ms | ${l.latencyMs.p99} ms | ${l.errors} | ${l.pgbenchTps} | ${l.ratio} | ${l.cpuMsPerCall.api} / ${l.cpuMsPerCall.postgres} / ${l.cpuMsPerCall.loadGenerator} |`,
    ),
    '',
    `Goals: ratio ≥ 0.35 at every level — ${result.goals.ratioAtLeast035 ? 'met' : '**not met**'}; ` +
      `p99 < 50 ms at 32 connections — ${result.goals.p99Under50msAt32 ? 'met' : '**not met**'}.`,
  ]);
  console.log(JSON.stringify(result, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
