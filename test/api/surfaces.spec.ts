import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { isLoopback, metricsAccess } from '../../src/modules/metrics/metrics-access';
import { startMetricsServer } from '../../src/worker/metrics-server';
import { MetricsService } from '../../src/modules/metrics/metrics.service';
import { TEST_DATABASE_URL, testEnv } from '../support/env';
import { createRequest, expectProblem, uniqueCode, unitId } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';

/** Cells a spreadsheet would read as a formula; all of them come from residents or admins. */
const DANGEROUS_TITLES = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)'];
/** Leading whitespace of a title is trimmed when stored, so these arrive as branch names. */
const DANGEROUS_NAMES = ['\tx', '\rx'];
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** RFC 4180 cells of a CSV text (quotes doubled inside quoted cells, CRLF between rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('surfaces: exports, headers, metrics and docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => stopTestApp(t));

  describe('exports neutralise formulas', () => {
    let town: string;
    let db: Client;
    const period = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;

    beforeAll(async () => {
      const admin = await t.as('admin');
      const prefix = Array.from({ length: 6 }, () =>
        String.fromCharCode(65 + Math.floor(Math.random() * 26)),
      ).join('');
      town = (
        await t.http
          .post('/api/v1/units')
          .set(admin)
          .send({
            code: uniqueCode('export-town'),
            name: '=导出镇',
            type: 'town',
            parentId: await unitId(t, 'yinzhou'),
            refPrefix: prefix,
          })
          .expect(201)
      ).body.id as string;
      const ids: string[] = [];
      for (const name of DANGEROUS_NAMES) {
        const branch = await t.http
          .post('/api/v1/units')
          .set(admin)
          .send({ code: uniqueCode('export-branch'), name, type: 'branch', parentId: town })
          .expect(201);
        const resident = await t.http
          .post('/api/v1/users')
          .set(admin)
          .send({
            username: uniqueCode('export-resident'),
            displayName: '@居民',
            password: USER_PASSWORD,
            role: 'resident',
            unitId: branch.body.id,
          })
          .expect(201);
        for (const title of DANGEROUS_TITLES) {
          ids.push((await createRequest(t, resident.body.username, { title })).id);
        }
      }
      // Overdue by two hours: the clocks would take days to get there by themselves.
      db = new Client({ connectionString: TEST_DATABASE_URL });
      await db.connect();
      await db.query(
        `UPDATE requests SET overdue_since = now() - interval '2 hours' WHERE id = ANY($1)`,
        [ids],
      );
    });

    afterAll(() => db.end());

    async function download(path: string) {
      const res = await t.http
        .get(`/api/v1/supervision/${path}`)
        .set(await t.as('county-supervisor'))
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      return res.body as Buffer;
    }

    function expectNeutral(rows: string[][]) {
      for (const cell of rows.flat()) {
        if (NUMBER.test(cell)) continue;
        expect({ cell, formula: FORMULA_START.test(cell) }).toEqual({ cell, formula: false });
      }
    }

    it('GET /supervision/overdue?format=csv starts every such cell with a quote; numbers stay numbers', async () => {
      const text = (await download(`overdue?unitId=${town}&format=csv`)).toString('utf8');
      const rows = parseCsv(text.slice(1));
      // The title row (the town's name leads it), the column titles, then one row per request.
      expect(rows).toHaveLength(2 + DANGEROUS_TITLES.length * DANGEROUS_NAMES.length);
      expect(rows[0][0]).toMatch(/^'=导出镇 /);
      const body = rows.slice(2);
      expect(body.map((r) => r[1]).sort()).toEqual(
        DANGEROUS_NAMES.flatMap(() => DANGEROUS_TITLES.map((title) => `'${title}`)).sort(),
      );
      expect([...new Set(body.map((r) => r[3]))].sort()).toEqual(
        DANGEROUS_NAMES.map((n) => `'${n}`).sort(),
      );
      expectNeutral(rows);
      // hours late, level, returns and holds: bare numbers, never quoted or prefixed.
      for (const r of body) {
        expect(r.slice(7)).toEqual([expect.stringMatching(/^\d+\.\d$/), '0', '0', '0']);
      }
      expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
      expect(text).toContain(`"'\rx"`);
    });

    it('GET /supervision/stats?format=csv does the same for unit names', async () => {
      const text = (
        await download(`stats?unitId=${town}&groupBy=unit&format=csv&${period}`)
      ).toString('utf8');
      const rows = parseCsv(text.slice(1));
      expectNeutral(rows);
      const branches = rows.filter((r) => r[0] === "'\tx" || r[0] === "'\rx");
      expect(branches).toHaveLength(2);
      // received: every branch got one request per dangerous title.
      for (const r of branches) expect(r[1]).toBe(String(DANGEROUS_TITLES.length));
    });

    it('GET /supervision/ranking?format=csv does the same for unit names', async () => {
      const text = (await download(`ranking?unitId=${town}&format=csv&${period}`)).toString('utf8');
      const rows = parseCsv(text.slice(1));
      expectNeutral(rows);
      expect(rows.filter((r) => r[1] === "'\tx" || r[1] === "'\rx")).toHaveLength(2);
    });

    it.each([
      `overdue?unitId=TOWN&format=xlsx`,
      `stats?unitId=TOWN&groupBy=unit&format=xlsx&PERIOD`,
      `ranking?unitId=TOWN&format=xlsx&PERIOD`,
    ])('XLSX keeps such text as string cells, never formulas (%s)', async (path) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(
        (await download(path.replace('TOWN', town).replace('PERIOD', period))) as never,
      );
      const cells: ExcelJS.Cell[] = [];
      book.worksheets[0].eachRow((row) => row.eachCell((cell) => cells.push(cell)));
      const texts = cells.filter((c) => typeof c.value === 'string');
      expect(texts.length).toBeGreaterThan(0);
      for (const cell of cells) {
        expect([cell.address, cell.type === ExcelJS.ValueType.Formula]).toEqual([
          cell.address,
          false,
        ]);
      }
      const values = texts.map((c) => c.value as string);
      // A carriage return in XML text reads back as a line feed (XML end-of-line handling).
      const names = DANGEROUS_NAMES.map((n) => n.replace('\r', '\n'));
      expect(values).toEqual(expect.arrayContaining(names));
      if (path.startsWith('overdue')) {
        expect(values).toEqual(expect.arrayContaining(DANGEROUS_TITLES));
      }
    });
  });

  describe('security headers', () => {
    async function samples(): Promise<[string, Response][]> {
      const admin = await t.as('admin');
      return [
        ['a list', await t.http.get('/api/v1/requests').set(admin)],
        ['an error', await t.http.get('/api/v1/nothing-here').set(admin)],
        ['no token', await t.http.get('/api/v1/requests')],
        ['a refused body', await t.http.post('/api/v1/units').set(admin).send({})],
        ['health', await t.http.get('/health')],
        ['docs', await t.http.get('/docs')],
      ];
    }

    it('come with every answer (helmet), with a CSP that keeps scripts to this origin', async () => {
      for (const [name, res] of await samples()) {
        expect([name, res.status < 500]).toEqual([name, true]);
        expect(res.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'referrer-policy': 'no-referrer',
          'cross-origin-opener-policy': 'same-origin',
          'strict-transport-security': expect.stringMatching(/max-age=\d+/),
        });
        const csp = res.headers['content-security-policy'];
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('Cache-Control: no-store on every /api/v1 answer: data, errors and exports', async () => {
      const admin = await t.as('admin');
      const resident = await t.as('resident-1');
      const r = await createRequest(t);
      const answers: [string, Response][] = [
        ['list', await t.http.get('/api/v1/requests').set(admin)],
        ['one request', await t.http.get(`/api/v1/requests/${r.id}`).set(resident)],
        ['its history', await t.http.get(`/api/v1/requests/${r.id}/events`).set(resident)],
        ['users', await t.http.get('/api/v1/users').set(admin)],
        ['notifications', await t.http.get('/api/v1/me/notifications').set(resident)],
        [
          'csv export',
          await t.http
            .get('/api/v1/supervision/overdue?format=csv')
            .set(admin)
            .buffer(true)
            .parse(binary),
        ],
        [
          'xlsx export',
          await t.http
            .get('/api/v1/supervision/stats?format=xlsx')
            .set(admin)
            .buffer(true)
            .parse(binary),
        ],
        [
          'login',
          await t.http.post('/api/v1/auth/login').send({ username: 'admin', password: 'demo1234' }),
        ],
        ['404', await t.http.get('/api/v1/nothing-here').set(admin)],
        ['400', await t.http.get('/api/v1/requests?page=0').set(admin)],
        ['401', await t.http.get('/api/v1/requests')],
        ['400 from the guard', await t.http.get('/api/v1/requests?category=%00').set(admin)],
      ];
      expect(answers.map(([name, a]) => [name, a.headers['cache-control']])).toEqual(
        answers.map(([name]) => [name, 'no-store']),
      );
      expect(answers.filter(([, a]) => a.status >= 500)).toEqual([]);
    });

    it('Swagger UI at /docs renders, and its scripts and styles load under the CSP', async () => {
      const page = await t.http.get('/docs');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      await expectAssetsLoad(page.text, new URL('/docs', 'http://x/'));
    });

    it('the Bull Board sign-in page and its script load under the CSP', async () => {
      const page = await t.http.get('/admin/queues/session').expect(200);
      await expectAssetsLoad(page.text, new URL('/admin/queues/session', 'http://x/'));
    });

    it('Bull Board renders for an admin, and its scripts load under the CSP', async () => {
      const session = await t.http
        .post('/admin/queues/session')
        .set(await t.as('admin'))
        .expect(204);
      const cookie = (session.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const page = await t.http.get('/admin/queues').set('Cookie', cookie);
      expect(page.status).toBe(200);
      const base = /<base href="([^"]+)"/.exec(page.text)?.[1] ?? '/admin/queues/';
      await expectAssetsLoad(page.text, new URL(base, 'http://x/'), cookie);
    });

    /**
     * Every script of a page comes from this origin (what `script-src 'self'` allows), none is
     * inline, and each loads; so do its local stylesheets.
     */
    async function expectAssetsLoad(html: string, base: URL, cookie?: string) {
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      const sources: string[] = [];
      for (const [, attributes, inline] of scripts) {
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
        if (src) sources.push(src);
        // A data block (type="application/json") is not run, so the CSP does not apply to it.
        else if (!/type=["']application\/json["']/.test(attributes)) expect(inline.trim()).toBe('');
      }
      const styles = [...html.matchAll(/<link[^>]+href=["']([^"']+\.css)["']/g)].map((m) => m[1]);
      expect(sources.length).toBeGreaterThan(0);
      for (const src of [...sources, ...styles]) {
        const url = new URL(src, base);
        if (url.origin !== 'http://x') {
          // Only stylesheets may come from elsewhere (https fonts); scripts never.
          expect(sources).not.toContain(src);
          continue;
        }
        const res = await t.http.get(url.pathname).set(cookie ? { Cookie: cookie } : {});
        expect([url.pathname, res.status]).toEqual([url.pathname, 200]);
        expect(res.headers['content-type']).toMatch(
          src.endsWith('.css') ? /text\/css/ : /javascript/,
        );
      }
    }
  });

  describe('/metrics', () => {
    it('without METRICS_TOKEN answers callers on this machine only (404 for others)', async () => {
      const local = await t.http.get('/metrics').expect(200);
      expect(local.text).toContain('closed_loop_transitions_total');
      // trust proxy is loopback: a local proxy relaying an outside caller does not make it local.
      const relayed = await t.http.get('/metrics').set('X-Forwarded-For', '203.0.113.7');
      expectProblem(relayed, 404, 'HTTP.NOT_FOUND');
      expect(relayed.text).not.toContain('closed_loop_');
    });

    it('decides by address and token', () => {
      for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
        expect([a, isLoopback(a)]).toEqual([a, true]);
      }
      for (const a of ['10.0.0.1', '203.0.113.7', '::ffff:10.0.0.1', 'fe80::1', undefined]) {
        expect([a, isLoopback(a)]).toEqual([a, false]);
      }
      const token = 'metrics-token-0123456789';
      expect(metricsAccess(null, '10.0.0.1', `Bearer ${token}`)).toBe('hidden');
      expect(metricsAccess(token, '127.0.0.1', undefined)).toBe('unauthorized');
      expect(metricsAccess(token, '10.0.0.1', `Bearer ${token}x`)).toBe('unauthorized');
      expect(metricsAccess(token, '10.0.0.1', `Basic ${token}`)).toBe('unauthorized');
      expect(metricsAccess(token, '10.0.0.1', `Bearer ${token}`)).toBe('allowed');
    });

    describe("the worker's metrics server", () => {
      let server: Server | undefined;
      const render = () => t.app.get(MetricsService).render();

      afterEach(async () => {
        await new Promise((resolve) => server?.close(resolve));
        server = undefined;
      });

      const url = (path: string) =>
        `http://127.0.0.1:${(server?.address() as AddressInfo).port}${path}`;

      it('binds to 127.0.0.1 by default and answers local callers without a token', async () => {
        const config = loadConfig({ ...testEnv(), WORKER_METRICS_PORT: '0' });
        expect(config.workerMetricsHost).toBe('127.0.0.1');
        server = await startMetricsServer(config, render);
        expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
        const res = await fetch(url('/metrics'));
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('closed_loop_outbox_backlog');
        expect(
          (await fetch(url('/metrics'), { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status,
        ).toBe(404);
        expect((await fetch(url('/other'))).status).toBe(404);
      });

      it('with METRICS_TOKEN needs the token, wherever the caller is', async () => {
        const token = 'worker-metrics-token-0123';
        server = await startMetricsServer(
          loadConfig({
            ...testEnv(),
            WORKER_METRICS_PORT: '0',
            WORKER_METRICS_HOST: '0.0.0.0',
            METRICS_TOKEN: token,
          }),
          render,
        );
        expect((server.address() as AddressInfo).address).toBe('0.0.0.0');
        expect((await fetch(url('/metrics'))).status).toBe(401);
        const wrong = await fetch(url('/metrics'), { headers: { Authorization: 'Bearer nope' } });
        expect(wrong.status).toBe(401);
        const right = await fetch(url('/metrics'), {
          headers: { Authorization: `Bearer ${token}` },
        });
        expect(right.status).toBe(200);
      });
    });
  });

  describe('with METRICS_TOKEN set and API_DOCS=false', () => {
    const token = 'api-metrics-token-0123456789';
    let locked: TestApp;

    beforeAll(async () => {
      locked = await startTestApp({ METRICS_TOKEN: token, API_DOCS: 'false' });
    });

    afterAll(() => stopTestApp(locked));

    it('/metrics needs the bearer token, even from this machine', async () => {
      expectProblem(await locked.http.get('/metrics'), 401, 'AUTH.UNAUTHENTICATED');
      expectProblem(
        await locked.http.get('/metrics').set('Authorization', 'Bearer wrong-token'),
        401,
        'AUTH.INVALID_TOKEN',
      );
      const res = await locked.http
        .get('/metrics')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Forwarded-For', '203.0.113.7')
        .expect(200);
      expect(res.text).toContain('closed_loop_transitions_total');
    });

    it('/docs and /docs-json are not served', async () => {
      for (const path of ['/docs', '/docs/', '/docs-json', '/docs/swagger-ui-init.js']) {
        const res = await locked.http.get(path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.text).not.toMatch(/"openapi"|SwaggerUIBundle|<title>Swagger UI/);
      }
      // The API itself is unaffected.
      expect((await locked.http.get('/health')).status).toBe(200);
    });

    it('the default serves them', async () => {
      expect((await t.http.get('/docs-json')).status).toBe(200);
    });
  });

  describe('configuration', () => {
    it.each([
      [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN/],
      [{ METRICS_TOKEN: 'has a space in it somewhere' }, /METRICS_TOKEN/],
      [{ API_DOCS: 'no' }, /API_DOCS/],
      [{ WORKER_METRICS_HOST: 'not a host!' }, /WORKER_METRICS_HOST/],
    ])('refuses %j', (env, message) => {
      expect(() => loadConfig({ ...testEnv(), ...env })).toThrow(ConfigError);
      expect(() => loadConfig({ ...testEnv(), ...env })).toThrow(message);
    });
  });
});
