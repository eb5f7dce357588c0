import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { firstScreenSizes } from './bundle-budget.mjs';

/** A dist/ with a Vite manifest: the entry, two route chunks, a shared chunk and a chart chunk. */
function fakeDist(signInCode) {
  const dist = mkdtempSync(join(tmpdir(), 'budget-'));
  mkdirSync(join(dist, '.vite'));
  mkdirSync(join(dist, 'assets'));
  const files = {
    'assets/index.js': 'export const app = "entry";'.repeat(50),
    'assets/shared.js': 'export const shared = 1;'.repeat(20),
    'assets/list.js': 'export const list = 2;',
    'assets/sign-in.js': signInCode,
    'assets/feedback.js': 'export const feedback = 4;',
    'assets/charts.js': 'import * as echarts from "echarts"; export default echarts;',
    'assets/index.css': 'body{}',
  };
  for (const [file, code] of Object.entries(files)) writeFileSync(join(dist, file), code);
  const manifest = {
    'index.html': {
      file: 'assets/index.js',
      isEntry: true,
      imports: ['_shared.js'],
      dynamicImports: [
        'src/views/RequestListView.vue',
        'src/views/SignInView.vue',
        'src/views/FeedbackView.vue',
        'src/views/Charts.vue',
      ],
      css: ['assets/index.css'],
    },
    '_shared.js': { file: 'assets/shared.js' },
    'src/views/RequestListView.vue': { file: 'assets/list.js', imports: ['_shared.js'] },
    'src/views/SignInView.vue': { file: 'assets/sign-in.js', imports: ['index.html'] },
    'src/views/FeedbackView.vue': { file: 'assets/feedback.js', imports: ['_shared.js'] },
    'src/views/Charts.vue': { file: 'assets/charts.js' },
  };
  writeFileSync(join(dist, '.vite', 'manifest.json'), JSON.stringify(manifest));
  return { dist, files };
}

const gz = (code) => gzipSync(code, { level: 9 }).length;

describe('the bundle budget counts what a first screen loads, and nothing else', () => {
  it('sums the entry, its static imports and the route chunk once each; dynamic imports and CSS stay out', () => {
    const { dist, files } = fakeDist('export const signIn = 3;');
    const sizes = Object.fromEntries(firstScreenSizes(dist).map((s) => [s.screen, s]));
    const resident = sizes['resident (my requests)'];
    expect(resident.files.sort()).toEqual([
      'assets/index.js',
      'assets/list.js',
      'assets/shared.js',
    ]);
    expect(resident.gzipped).toBe(
      gz(files['assets/index.js']) + gz(files['assets/shared.js']) + gz(files['assets/list.js']),
    );
    expect(resident.echarts).toEqual([]);
    expect(sizes['sign-in'].files.sort()).toEqual([
      'assets/index.js',
      'assets/shared.js',
      'assets/sign-in.js',
    ]);
  });

  it('names a first-screen chunk that carries ECharts', () => {
    const { dist } = fakeDist('import * as echarts from "echarts";');
    const signIn = firstScreenSizes(dist).find((s) => s.screen === 'sign-in');
    expect(signIn.echarts).toEqual(['assets/sign-in.js']);
  });
});
