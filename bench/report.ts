import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support';

interface DeadlinesResult {
  command: string;
  at: string;
  machine: { cpus: number; memoryGiB: number; postgres: string; redis: string };
  baseline: { pgbenchTps8Clients: number };
  pendingClocks: number;
  outboxRelay: { jobsPerSecond: number };
  redis: { bytesPerPendingJob: number };
  reconcilerScanMs: { dueP50: number; upcomingP50: number };
  dueSlice: {
    size: number;
    ratePerSecond: number;
    fired: number;
    firedTwice: number;
    latenessMs: { p50: number; p99: number; max: number };
  };
}

/** Replaces the block between `<!-- key:begin -->` and `<!-- key:end -->`, or appends it. */
export function writeBlock(key: string, lines: string[]): void {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const begin = `<!-- ${key}:begin -->`;
  const end = `<!-- ${key}:end -->`;
  const block = [begin, ...lines, end].join('\n');
  const start = text.indexOf(begin);
  const next =
    start >= 0
      ? text.slice(0, start) + block + text.slice(text.indexOf(end) + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/** Keeps one block per benchmark and size in BENCHMARKS.md, newest run wins. */
export function updateBenchmarksMd(name: 'deadlines', size: number, r: DeadlinesResult): void {
  const f = (n: number) => n.toFixed(1);
  writeBlock(`${name}-${size}`, [
    `**${r.pendingClocks.toLocaleString('en')} pending clocks** — \`${r.command}\` — ${r.at.slice(0, 16)}Z, ${r.machine.cpus} cores, ${r.machine.memoryGiB} GiB, ${r.machine.postgres}, ${r.machine.redis}`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| baseline: pgbench TPC-B-like, 8 clients, same server | ${r.baseline.pgbenchTps8Clients} tps |`,
    `| breach lateness p50 / p99 / max (${r.dueSlice.fired} of ${r.dueSlice.size} due at ${r.dueSlice.ratePerSecond}/s, fired twice: ${r.dueSlice.firedTwice}) | ${f(r.dueSlice.latenessMs.p50)} / ${f(r.dueSlice.latenessMs.p99)} / ${f(r.dueSlice.latenessMs.max)} ms |`,
    `| Redis per pending clock (hash-max-listpack-value 256) | ${r.redis.bytesPerPendingJob} B |`,
    `| outbox relay | ${r.outboxRelay.jobsPerSecond} jobs/s |`,
    `| reconciler scan at this N (due / upcoming, p50) | ${f(r.reconcilerScanMs.dueP50)} / ${f(r.reconcilerScanMs.upcomingP50)} ms |`,
  ]);
}
