// After `vite build`: the gzipped JavaScript each first screen loads (the entry chunk, its static
// imports, and the screen's route chunk with its static imports) must stay under the budget, and
// none of it may be ECharts (charts belong to supervisors' screens, loaded on demand).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 200 * 1024;
const DIST = join(import.meta.dirname, '..', 'dist');

/** A role's first screen and the view its home route loads (see src/roles.ts and src/router.ts). */
export const FIRST_SCREENS = {
  'sign-in': 'src/views/SignInView.vue',
  'resident (my requests)': 'src/views/RequestListView.vue',
  'secretary (inbox)': 'src/views/RequestListView.vue',
  'feedback link (no sign-in)': 'src/views/FeedbackView.vue',
};

export function firstScreenSizes(dist = DIST) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('the manifest names no entry chunk');
  const closure = (key, into = new Set()) => {
    if (into.has(key)) return into;
    if (!manifest[key]) throw new Error(`the manifest has no chunk ${key}`);
    into.add(key);
    for (const dep of manifest[key].imports ?? []) closure(dep, into);
    return into;
  };
  return Object.entries(FIRST_SCREENS).map(([screen, view]) => {
    const keys = closure(view, closure(entry));
    const files = [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
    let gzipped = 0;
    const echarts = [];
    for (const file of files) {
      const code = readFileSync(join(dist, file));
      gzipped += gzipSync(code, { level: 9 }).length;
      if (/echarts|zrender/i.test(code.toString('utf8'))) echarts.push(file);
    }
    return { screen, files, gzipped, echarts };
  });
}

if (import.meta.main) {
  let failed = false;
  for (const { screen, files, gzipped, echarts } of firstScreenSizes()) {
    const over = gzipped > BUDGET_BYTES;
    failed ||= over || echarts.length > 0;
    console.log(
      `${over ? '✗' : '✓'} ${screen}: ${(gzipped / 1024).toFixed(1)} kB gzipped JS in ${files.length} files (budget ${BUDGET_BYTES / 1024} kB)`,
    );
    if (echarts.length) console.log(`✗ ${screen} loads ECharts: ${echarts.join(', ')}`);
  }
  if (failed) process.exit(1);
}
