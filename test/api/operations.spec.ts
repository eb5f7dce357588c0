import { ERROR_CODES } from '../../src/common/errors/error-catalogue';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

describe('operations: Bull Board and metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => stopTestApp(t));

  it('Bull Board is for admins only', async () => {
    const anonymous = await t.http.get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);

    const secretary = await t.http.get(`/admin/queues?token=${await t.token('secretary-1')}`);
    expect(secretary.status).toBe(403);
    expect((await t.http.get('/admin/queues?token=garbage')).status).toBe(401);

    const admin = await t.http.get(`/admin/queues?token=${await t.token('admin')}`);
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('<html');
    const cookie = admin.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).toMatch(/closed_loop_board=.*HttpOnly/i);

    const again = await t.http.get('/admin/queues').set('Cookie', cookie[0].split(';')[0]);
    expect(again.status).toBe(200);
    const api = await t.http
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${await t.token('admin')}`);
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain('deadlines');
  });

  it('/metrics speaks the Prometheus text format without a token', async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE closed_loop_transitions_total counter');
    expect(res.text).toContain('closed_loop_outbox_backlog');
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
