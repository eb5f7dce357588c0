import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../support/processes';
import { expectProblem, unitId } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';
import { startWorkerContext, type WorkerContext } from '../support/worker-context';

const SECRET = 'webhook-secret-for-tests-0123456789';

/** Spellings of internal hosts, each refused at registration; no connection is ever tried. */
const INTERNAL_URLS = [
  'https://127.0.0.1/hook',
  'https://127.0.0.1:3000/hook',
  'https://127.1/hook',
  'https://0x7f000001/hook',
  'https://2130706433/hook',
  'https://0177.0.0.1/hook',
  'https://0x7f.0.0.1/hook',
  'https://127.0.0.1./hook',
  'https://localhost/hook',
  'https://LOCALHOST:8443/hook',
  'https://0/hook',
  'https://0.0.0.0/hook',
  'https://10.0.0.1/hook',
  'https://172.16.5.4/hook',
  'https://192.168.1.1/hook',
  'https://3232235777/hook',
  'https://100.64.0.1/hook',
  'https://100.100.100.200/latest/meta-data/',
  'https://169.254.169.254/latest/meta-data/',
  'https://0xa9fea9fe/latest/meta-data/',
  'https://224.0.0.1/hook',
  'https://240.0.0.1/hook',
  'https://255.255.255.255/hook',
  'https://[::1]/hook',
  'https://[::]/hook',
  'https://[0:0:0:0:0:0:0:1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::ffff:7f00:1]/hook',
  'https://[::ffff:a9fe:a9fe]/hook',
  'https://[64:ff9b::7f00:1]/hook',
  'https://[64:ff9b::10.0.0.1]/hook',
  'https://[2002:7f00:1::]/hook',
  'https://[2002:c0a8:101::1]/hook',
  'https://[fc00::1]/hook',
  'https://[fd00:ec2::254]/hook',
  'https://[fe80::1]/hook',
  'https://[ff02::1]/hook',
];

/** Not https, or not a URL at all. */
const BAD_SCHEMES = [
  'http://8.8.8.8/hook',
  'ftp://8.8.8.8/hook',
  'file:///etc/passwd',
  'gopher://8.8.8.8:70/_',
  'javascript:alert(1)',
  'not a url',
  '//8.8.8.8/hook',
];

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('webhooks reach only public addresses or the operator’s allow-list', () => {
  /** The default configuration: https only, no allow-list. */
  let strict: TestApp;
  /** An operator who allows http and this machine's 127.0.0.1 and localhost. */
  let open: TestApp;
  /** A worker whose operator has since taken localhost off the allow-list. */
  let w: WorkerContext;
  let receiver: Server;
  let port: number;
  let xianxiang: string;
  const received: Received[] = [];
  const hooks: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (req.url === '/redirect') {
          res.writeHead(307, { Location: `http://127.0.0.1:${port}/redirected` }).end();
        } else {
          res.writeHead(req.url === '/unavailable' ? 503 : 204).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    strict = await startTestApp({ WEBHOOK_ALLOW_HOSTS: '', WEBHOOK_ALLOW_HTTP: 'false' });
    open = await startTestApp({
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1,localhost',
      WEBHOOK_ALLOW_HTTP: 'true',
    });
    w = await startWorkerContext({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_ALLOW_HTTP: 'true' });
    xianxiang = await unitId(open, 'xianxiang');
  });

  afterAll(async () => {
    try {
      // Other suites share the database: leave no webhook pointing at a closed port.
      for (const id of hooks) {
        const res = await open.http.delete(`/api/v1/webhooks/${id}`).set(await open.as('admin'));
        expect([204, 404]).toContain(res.status);
      }
    } finally {
      await new Promise<void>((resolve) => {
        receiver.close(() => resolve());
        receiver.closeAllConnections();
      });
      await w?.close();
      await stopTestApp(open);
      await stopTestApp(strict);
    }
  });

  async function register(t: TestApp, url: string) {
    const res = await t.http
      .post('/api/v1/webhooks')
      .set(await t.as('admin'))
      .send({ unitId: xianxiang, url, secret: SECRET });
    if (res.status === 201) hooks.push((res.body as { id: string }).id);
    return res;
  }

  async function registered(url: string): Promise<string> {
    const res = await register(open, url);
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  }

  const job = (webhookId: string) => {
    const deliveryId = `webhook-test-${randomUUID()}`;
    return { webhookId, deliveryId, body: { event: 'test', deliveryId } };
  };

  const pathsSince = (count: number) => received.slice(count).map((r) => r.path);

  describe('at registration', () => {
    it.each(INTERNAL_URLS)('refuses %s', async (url) => {
      const res = await register(strict, url);
      expectProblem(res, 400, 'WEBHOOK.URL_NOT_ALLOWED');
      expect((res.body as { detail: string }).detail).toMatch(
        /(is (an?|the) [a-zA-Z -]+ address|resolves to .*address); webhooks may only reach public addresses$/,
      );
    });

    it.each(BAD_SCHEMES)('refuses %s', async (url) => {
      expectProblem(await register(strict, url), 400, 'WEBHOOK.URL_NOT_ALLOWED');
    });

    it('says why, in words an admin can act on', async () => {
      const loopback = await register(strict, 'https://2130706433/hook');
      expect((loopback.body as { detail: string }).detail).toBe(
        'The webhook host 127.0.0.1 is a loopback address; webhooks may only reach public addresses',
      );
      const named = await register(strict, 'https://localhost/hook');
      expect((named.body as { detail: string }).detail).toMatch(
        /^The webhook host localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
      );
      const http = await register(strict, 'http://8.8.8.8/hook');
      expect((http.body as { detail: string }).detail).toBe('Webhook URLs must use https');
    });

    it('stores nothing it refused', async () => {
      const list = await strict.http
        .get('/api/v1/webhooks')
        .set(await strict.as('admin'))
        .expect(200);
      const stored = new Set((list.body as { url: string }[]).map((h) => h.url));
      for (const url of [...INTERNAL_URLS, ...BAD_SCHEMES]) {
        expect(stored.has(url) || (URL.canParse(url) && stored.has(new URL(url).href))).toBe(false);
      }
    });

    it('admits an allow-listed host over http, stored as the URL parser spells it', async () => {
      const res = await register(open, `http://127.1:${port}/ok`);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ url: `http://127.0.0.1:${port}/ok`, active: true });
      expectProblem(
        await register(strict, `http://127.1:${port}/ok`),
        400,
        'WEBHOOK.URL_NOT_ALLOWED',
      );
    });
  });

  describe('at delivery', () => {
    it('reaches an allow-listed receiver with a timestamped signature it can verify', async () => {
      const id = await registered(`http://127.0.0.1:${port}/ok`);
      const count = received.length;
      const delivery = job(id);
      await w.webhooks.deliver(delivery);
      expect(pathsSince(count)).toEqual(['/ok']);
      const got = received[received.length - 1];

      // The receiver's side, as the README describes it.
      const timestamp = Number(got.headers['x-closed-loop-timestamp']);
      expect(Number.isInteger(timestamp)).toBe(true);
      expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(300);
      const expected = Buffer.from(
        `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`,
      );
      const signature = Buffer.from(String(got.headers['x-closed-loop-signature']));
      expect(signature.length === expected.length && timingSafeEqual(signature, expected)).toBe(
        true,
      );
      // The body alone, or another timestamp, does not verify: a replay cannot be re-dated.
      const bodyOnly = `sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`;
      expect(signature.toString()).not.toBe(bodyOnly);
      expect(got.headers['x-closed-loop-delivery']).toBe(delivery.deliveryId);
      expect(JSON.parse(got.body)).toEqual(delivery.body);
    });

    it('does not follow a redirect: the delivery fails and the target is never called', async () => {
      const id = await registered(`http://127.0.0.1:${port}/redirect`);
      const count = received.length;
      await expect(w.webhooks.deliver(job(id))).rejects.toMatchObject({
        message: 'redirect not followed',
      });
      expect(pathsSince(count)).toEqual(['/redirect']);
    });

    it('refuses a host that resolves to 127.0.0.1 once it is no longer allow-listed', async () => {
      // Registered while the operator allowed localhost; this worker's configuration does not.
      const id = await registered(`http://localhost:${port}/ok`);
      const count = received.length;
      const delivery = job(id);
      const error: unknown = await w.webhooks.deliver(delivery).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: 'address not allowed' });
      expect(pathsSince(count)).toEqual([]);

      await w.webhooks.deadLetter(delivery, 1, error);
      const letters = await open.http
        .get('/api/v1/webhooks/dead-letters')
        .set(await open.as('admin'))
        .expect(200);
      expect(
        (letters.body as { deliveryId: string; lastError: string }[]).find(
          (d) => d.deliveryId === delivery.deliveryId,
        ),
      ).toMatchObject({ lastError: 'address not allowed', attempts: 1 });
    });

    it('stores short, generic reasons, never the raw error', async () => {
      const closed = await freePort();
      const cases: [string, string][] = [
        [`http://127.0.0.1:${port}/unavailable`, 'answered 503'],
        [`http://127.0.0.1:${closed}/ok`, 'refused'],
      ];
      for (const [url, reason] of cases) {
        const delivery = job(await registered(url));
        const error: unknown = await w.webhooks.deliver(delivery).catch((e: unknown) => e);
        expect(error).toMatchObject({ message: reason });
        await w.webhooks.deadLetter(delivery, 3, error);
      }
      const unexpected = job(await registered(`http://127.0.0.1:${port}/ok`));
      await w.webhooks.deadLetter(unexpected, 1, new Error(`connect ECONNREFUSED at ${SECRET}`));
      const letters = (
        await open.http
          .get('/api/v1/webhooks/dead-letters')
          .set(await open.as('admin'))
          .expect(200)
      ).body as { lastError: string; deliveryId: string }[];
      expect(letters.find((d) => d.deliveryId === unexpected.deliveryId)?.lastError).toBe('failed');
      expect(letters.map((d) => d.lastError)).toEqual(
        expect.arrayContaining(['answered 503', 'refused']),
      );
    });
  });
});
