import { startTestApp, type TestApp } from '../support/test-app';

describe('the closed loop over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    expect(t.serverErrors).toEqual([]);
    await t.close();
  });

  async function send(id: string, user: string, event: Record<string, unknown>) {
    return t.http
      .post(`/api/v1/requests/${id}/events`)
      .set(await t.as(user))
      .send(event);
  }

  it('submit → ACCEPT → RESOLVE → CONFIRM → closed', async () => {
    const created = await t.http
      .post('/api/v1/requests')
      .set(await t.as('resident-1'))
      .send({ title: '村口路灯不亮', description: '晚上看不见路', category: 'roads' })
      .expect(201);
    expect(created.body.state).toBe('submitted');
    expect(created.body.reference).toMatch(/^XX-\d{4}-\d{6}$/);
    const id = created.body.id as string;

    expect((await send(id, 'secretary-1', { type: 'ACCEPT' })).body.state).toBe('accepted');
    const resolved = await send(id, 'secretary-1', { type: 'RESOLVE', resolution: '已更换灯泡' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.state).toBe('resolved');
    const closed = await send(id, 'resident-1', { type: 'CONFIRM', rating: 5, comment: '谢谢' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', outcome: 'satisfied', rating: 5 });

    const timeline = await t.http
      .get(`/api/v1/requests/${id}/events`)
      .set(await t.as('resident-1'))
      .expect(200);
    expect(timeline.body.map((e: { type: string }) => e.type)).toEqual([
      'CREATE',
      'ACCEPT',
      'RESOLVE',
      'CONFIRM',
    ]);
  });
});
