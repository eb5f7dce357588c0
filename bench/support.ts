import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { seedDemo } from '../src/database/demo-data';
import { freePort } from './ports';

export const ROOT = join(__dirname, '..', '..');

export function arg(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.find((a) => a.startsWith(prefix));
  return found ? found.slice(prefix.length) : fallback;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: execFileSync('psql', ['--version']).toString().trim(),
    redis: execFileSync('redis-server', ['--version'])
      .toString()
      .trim()
      .split(' ')
      .slice(0, 3)
      .join(' '),
  };
}

/** A fresh database with the real migrations and the demo town. */
export async function freshDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = new Client({ connectionString: u.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await seedDemo(ds, 'demo1234');
  await ds.destroy();
}

/** pgbench TPC-B-like on the same server: the physical baseline of this run. */
export function pgbench(url: string, clients: number, seconds: number, selectOnly = false): number {
  const u = new URL(url);
  const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres'];
  execFileSync('pgbench', [...conn, '-i', '-q', '-s', '10', u.pathname.slice(1)], {
    stdio: 'ignore',
  });
  const out = execFileSync('pgbench', [
    ...conn,
    ...(selectOnly ? ['-S'] : []),
    '-c',
    String(clients),
    '-j',
    String(Math.min(clients, 2)),
    '-T',
    String(seconds),
    u.pathname.slice(1),
  ]).toString();
  const m = /tps = ([\d.]+)/.exec(out);
  return m ? Number(m[1]) : NaN;
}

export function startBuilt(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', `${entry}.js`)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

/** The built API on a free port, once it answers /health. */
export async function startApi(
  env: NodeJS.ProcessEnv,
): Promise<{ api: ChildProcess; port: number; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // A benchmark signs in once and keeps its tokens for the whole run.
  const api = startBuilt('main', { JWT_EXPIRES_IN: '12h', ...env, PORT: String(port) });
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/health`).catch(() => null))?.ok) return { api, port, base };
    if (i > 300) throw new Error('the API did not start');
    await sleep(100);
  }
}

/** A demo account's bearer token. */
export async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function statFields(pid: number): string[] | null {
  try {
    // The fields after the parenthesised command name, from the process state on.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return null; // Exited since it was listed.
  }
}

const allPids = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);

/** CPU time (user + system, ms) the processes have used so far; ones that are gone count 0. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux.
}

/** A process and its children (an API running workers). */
export function withChildren(pid: number): number[] {
  return [pid, ...allPids().filter((p) => Number(statFields(p)?.[1]) === pid)];
}

/** Every Postgres process on the machine (server and backends). */
export function postgresPids(): number[] {
  return allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}
