import type { Test } from 'supertest';
import { ERROR_CODES } from '../../src/common/errors/error-catalogue';
import { QueueService } from '../../src/common/queue/queue.service';
import { createUser, expectProblem } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('operations: Bull Board and metrics', () => {
  let t: TestApp;
  let admin: string;
  let secretary: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, secretary] = await Promise.all([t.token('admin'), t.token('secretary-1')]);
  });

  afterAll(() => stopTestApp(t));

  /** Trades an access token for the board's cookie; answers the response and the cookie. */
  async function boardSession(send: (req: Test) => Test) {
    const res = await send(t.http.post('/admin/queues/session'));
    const cookies = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
    return { res, cookie: cookies[0], pair: cookies[0]?.split(';')[0] };
  }

  it('Bull Board is for admins only', async () => {
    const anonymous = await t.http.get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);

    const notAdmin = await boardSession((r) => r.set(bearer(secretary)));
    expectProblem(notAdmin.res, 403, 'AUTH.FORBIDDEN');
    expect(notAdmin.cookie).toBeUndefined();
    expectProblem(
      (await boardSession((r) => r.send({ token: 'garbage' }))).res,
      401,
      'AUTH.INVALID_TOKEN',
    );
    expectProblem((await boardSession((r) => r.send({}))).res, 401, 'AUTH.UNAUTHENTICATED');

    const signedIn = await boardSession((r) => r.set(bearer(admin)));
    expect(signedIn.res.status).toBe(204);
    expect(signedIn.cookie).toMatch(/^closed_loop_board=[^;]+;/);
    expect(signedIn.cookie).toMatch(/HttpOnly/i);
    expect(signedIn.cookie).toMatch(/SameSite=Strict/i);
    expect(signedIn.cookie).toMatch(/Path=\/admin\/queues/i);

    const page = await t.http.get('/admin/queues').set('Cookie', signedIn.pair);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const api = await t.http.get('/admin/queues/api/queues').set('Cookie', signedIn.pair);
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain('deadlines');

    // The JSON body works as well as the bearer header; a bearer header works on the board too.
    const byBody = await boardSession((r) => r.send({ token: admin }));
    expect(byBody.res.status).toBe(204);
    await t.http.get('/admin/queues/api/queues').set(bearer(admin)).expect(200);

    // A browser gets a sign-in page for the cookie.
    const signIn = await t.http.get('/admin/queues/session').expect(200);
    expect(signIn.text).toContain('/admin/queues/session');
  });

  it('a token in the URL is ignored: it is neither accepted nor turned into a cookie', async () => {
    const token = admin;
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await t.http.get(`${url}?token=${token}`);
      expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('the board is read-only by default: every write is refused and no queue changes', async () => {
    const { pair } = await boardSession((r) => r.set(bearer(admin)));
    const queues = await t.http.get('/admin/queues/api/queues').set('Cookie', pair).expect(200);
    const listed = (queues.body as { queues: { name: string; readOnlyMode: boolean }[] }).queues;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((q) => q.readOnlyMode)).toBe(true);

    for (const url of [
      '/admin/queues/api/queues/deadlines/pause',
      '/admin/queues/api/queues/pause',
      '/admin/queues/api/queues/webhooks/clean/completed',
      '/admin/queues/api/queues/notifications/empty',
    ]) {
      expectProblem(await t.http.put(url).set('Cookie', pair), 405, 'HTTP.METHOD_NOT_ALLOWED');
    }
    expect(await t.app.get(QueueService).queues.deadlines.isPaused()).toBe(false);
  });

  it('a cookie stops working once its admin is deactivated', async () => {
    const other = await createUser(t, 'admin', 'yinzhou');
    const token = await t.token(other.username);
    const { pair } = await boardSession((r) => r.set(bearer(token)));
    expect(pair).toBeDefined();
    await t.http.get('/admin/queues/api/queues').set('Cookie', pair).expect(200);
    await t.http
      .patch(`/api/v1/users/${other.id}`)
      .set(bearer(admin))
      .send({ active: false })
      .expect(200);
    expectProblem(
      await t.http.get('/admin/queues/api/queues').set('Cookie', pair),
      401,
      'AUTH.INVALID_TOKEN',
    );
  });
  it('/metrics speaks the Prometheus text format without a token', async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE closed_loop_transitions_total counter');
    expect(res.text).toContain('closed_loop_outbox_backlog');
  });
});

describe('operations: Bull Board with QUEUE_DASHBOARD_WRITES=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ QUEUE_DASHBOARD_WRITES: 'true' });
  });

  afterAll(() => stopTestApp(t));

  it('lets an admin write (resuming a running queue changes nothing)', async () => {
    const headers = { Authorization: `Bearer ${await t.token('admin')}` };
    const queues = await t.http.get('/admin/queues/api/queues').set(headers).expect(200);
    const listed = (queues.body as { queues: { readOnlyMode: boolean }[] }).queues;
    expect(listed.every((q) => !q.readOnlyMode)).toBe(true);
    await t.http.put('/admin/queues/api/queues/deadlines/resume').set(headers).expect(200);
    expect(await t.app.get(QueueService).queues.deadlines.isPaused()).toBe(false);
  });
});

describe('the OpenAPI document and the error catalogue', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => stopTestApp(t));

  it('lists every catalogued code in one Problem schema that every operation refers to', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(ERROR_CODES);
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) {
      expect(op.responses.default).toEqual({
        description: expect.any(String),
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      });
    }
  });
});
