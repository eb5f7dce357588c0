import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = join(import.meta.dirname, '..', '..');

/** Its own database and Redis database, so a run never touches the jest suites' or anyone's data. */
export const E2E_DATABASE_URL =
  process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/closed_loop_e2e';
export const E2E_REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

async function freshDatabase(): Promise<void> {
  const url = new URL(E2E_DATABASE_URL);
  const name = url.pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/**
 * The walk-throughs resolve roads and sanitation requests without a photo, which the seed's rule
 * would refuse; the photo tests switch the rule back on for the category they use.
 */
async function roadsWithoutEvidence(): Promise<void> {
  const db = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await db.connect();
  try {
    await db.query(
      `UPDATE categories SET evidence_required = false WHERE code IN ('roads', 'sanitation')`,
    );
  } finally {
    await db.end();
  }
}

function start(
  entry: 'main' | 'worker',
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', `${entry}.js`)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

/**
 * A fresh database (dropped, created, migrated, the demo town loaded), an emptied Redis
 * database, then the built API (which serves web/dist) and worker on free ports. Playwright calls
 * the returned function when the run ends.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const built of ['dist/src/main.js', 'web/dist/index.html']) {
    if (!existsSync(join(ROOT, built)))
      throw new Error(`${built} is missing: run npm run build first`);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: E2E_DATABASE_URL,
    REDIS_URL: E2E_REDIS_URL,
    JWT_SECRET: 'e2e-secret-at-least-16-chars',
    PORT: process.env.E2E_PORT,
    // The feedback links in notifications point at this server, as a town's would at its own.
    PUBLIC_BASE_URL: `http://127.0.0.1:${process.env.E2E_PORT}`,
    WORKER_METRICS_PORT: process.env.E2E_WORKER_METRICS_PORT,
    LOG_LEVEL: 'warn',
    DEMO_PASSWORD: 'demo1234',
  };
  await freshDatabase();
  const node = (...args: string[]) =>
    execFileSync(process.execPath, args, { cwd: ROOT, env, stdio: 'pipe' });
  node('dist/src/database/cli.js', 'run');
  node('dist/src/database/seed-demo.js');
  await roadsWithoutEvidence();
  // Jobs a previous run left for requests of its dropped database must not reach this worker.
  node(
    '-e',
    `new (require('ioredis').Redis)(process.env.REDIS_URL).flushdb().then(() => process.exit(0))`,
  );

  const worker = start('worker', env);
  const api = start('main', env);
  const health = `http://127.0.0.1:${env.PORT}/health`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(health).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || api.child.exitCode !== null || worker.child.exitCode !== null) {
      await Promise.all([stop(api.child), stop(worker.child)]);
      throw new Error(`the API did not answer ${health}:\n${api.output()}\n${worker.output()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return async () => {
    await Promise.all([stop(api.child), stop(worker.child)]);
    // What the processes said, for a failed run (web/test-results/ is not committed).
    const logs = join(ROOT, 'web', 'test-results');
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, 'api.log'), api.output());
    writeFileSync(join(logs, 'worker.log'), worker.output());
  };
}
