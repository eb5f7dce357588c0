import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_DIST_DIR } from '../../src/common/http/web-app';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the API serves the built web app at / (npm run build builds web/dist)', () => {
  let t: TestApp;
  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST_DIR, 'index.html'))) {
      throw new Error(`${WEB_DIST_DIR}/index.html is missing: run npm run build first`);
    }
    t = await startTestApp();
  });
  afterAll(() => stopTestApp(t));

  it('/ answers index.html, revalidated on every load', async () => {
    const res = await t.http.get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<div id="app">');
  });

  it('an app route a browser opens directly falls back to index.html', async () => {
    const res = await t.http.get('/requests/123').set('Accept', HTML).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<div id="app">');
  });

  it('the app’s admin screens reload as the app; the queue board under /admin stays the API’s', async () => {
    for (const path of ['/admin', '/admin/units']) {
      const res = await t.http.get(path).set('Accept', HTML).expect(200);
      expect(res.text).toContain('<div id="app">');
    }
    const board = await t.http.get('/admin/queues/session').set('Accept', HTML).expect(200);
    expect(board.text).not.toContain('<div id="app">');
  });

  it('the same path asked for as JSON is not the app: 404 problem+json', async () => {
    const res = await t.http.get('/requests/123').set('Accept', 'application/json').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('hashed assets are cached for a year and carry no inline script', async () => {
    const index = (await t.http.get('/').expect(200)).text;
    const scripts = [...index.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/assets\/[^"]+\.js"/);
    expect(index).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1] as string;
    const res = await t.http.get(asset).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('the built styles load nothing from another host (Vant’s icon font names a CDN copy)', () => {
    const assets = join(WEB_DIST_DIR, 'assets');
    const css = readdirSync(assets).filter((f) => f.endsWith('.css'));
    expect(css.length).toBeGreaterThan(0);
    for (const file of css) {
      const remote = readFileSync(join(assets, file), 'utf8').match(
        /url\((['"]?)(https?:)?\/\/[^)]*\)/g,
      );
      expect({ file, remote }).toEqual({ file, remote: null });
    }
  });

  it('a missing asset is a 404, never index.html', async () => {
    const res = await t.http.get('/assets/nope-123.js').set('Accept', HTML).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('/api/v1/nope still answers problem+json 404, even to a browser', async () => {
    for (const accept of [HTML, 'application/json']) {
      const res = await t.http.get('/api/v1/nope').set('Accept', accept).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'HTTP.NOT_FOUND' });
    }
  });

  it('/docs, /docs-json and /health are still the API’s', async () => {
    const docs = await t.http.get('/docs').set('Accept', HTML).redirects(1).expect(200);
    expect(docs.text).toContain('swagger');
    const json = await t.http.get('/docs-json').set('Accept', HTML).expect(200);
    expect(json.body).toHaveProperty('openapi');
    const health = await t.http.get('/health').set('Accept', HTML);
    expect(health.headers['content-type']).toMatch(/json/);
  });

  it('a POST to an app path is not the app', async () => {
    const res = await t.http.post('/requests/123').set('Accept', HTML).send({});
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
