import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** In development the API runs apart (./scripts/up.sh or npm start); Vite proxies /api to it. */
const API_ORIGIN = process.env.API_ORIGIN ?? 'http://127.0.0.1:3000';

/**
 * Vant's icon font lists a copy on a CDN after the embedded one; Chromium checks it against the
 * Content-Security-Policy and a phone could fetch it. The app loads nothing from other hosts.
 */
function vantIconsOffline(): Plugin {
  return {
    name: 'vant-icons-offline',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant\/es\/icon\/index\.css$/.test(id)) return null;
      return code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/g, '');
    },
  };
}

export default defineConfig({
  plugins: [
    vantIconsOffline(),
    vue(),
    // Vant components (and their CSS) are imported where a template uses them, nowhere else.
    Components({ resolvers: [VantResolver()], dts: 'src/components.d.ts' }),
  ],
  // vue-i18n's build flags: the Composition API only, no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: { proxy: { '/api': API_ORIGIN } },
  // ECharts' chunk (about 520 kB, 175 kB gzipped) loads only on the supervisors' statistics.
  build: { target: 'es2022', manifest: true, chunkSizeWarningLimit: 600 },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.ts', 'scripts/**/*.spec.mjs'],
    setupFiles: ['src/test/setup.ts'],
    // Vant's components import their CSS; Vite must load them, not Node.
    server: { deps: { inline: ['vant'] } },
  },
});
