import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../support/env';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

/** The engine keeps the facts the supervision figures are computed from. */
describe('supervision facts kept by the engine', () => {
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    try {
      await db.end();
    } finally {
      await stopTestApp(t);
    }
  });

  async function send(id: string, user: string, event: Record<string, unknown>) {
    const res = await t.http
      .post(`/api/v1/requests/${id}/events`)
      .set(await t.as(user))
      .send(event);
    expect([event.type, res.status]).toEqual([event.type, 200]);
    return res.body as { state: string };
  }

  async function submit(
    title: string,
    description: string,
    resident = 'resident-2',
    category = 'roads',
  ): Promise<string> {
    const created = await t.http
      .post('/api/v1/requests')
      .set(await t.as(resident))
      .send({ title, description, category })
      .expect(201);
    return created.body.id as string;
  }

  async function facts(id: string) {
    const { rows } = await db.query(
      `SELECT responded_at IS NOT NULL AS responded, responded_on_time, accepted_at IS NOT NULL AS accepted,
              escalated_at IS NOT NULL AS escalated, resolved_at IS NOT NULL AS resolved,
              resolved_on_time, resolve_due_at IS NOT NULL AS has_due, dispute_count,
              overdue_since IS NOT NULL AS overdue
         FROM requests WHERE id = $1`,
      [id],
    );
    return rows[0] as Record<string, unknown>;
  }

  it('records the first response, escalation and resolution, on time, and disputes', async () => {
    const id = await submit('供水管漏水', '路边一直冒水');
    expect(await facts(id)).toMatchObject({ responded: false, has_due: true, escalated: false });

    await send(id, 'secretary-1', { type: 'ACCEPT' });
    expect(await facts(id)).toMatchObject({
      responded: true,
      responded_on_time: true,
      accepted: true,
    });

    await send(id, 'secretary-1', { type: 'ESCALATE', reason: '需要交通办' });
    const units = await t.http.get('/api/v1/units?type=department').set(await t.as('dispatcher'));
    const roads = (units.body as { id: string; code: string }[]).find(
      (u) => u.code === 'dept-roads',
    );
    await send(id, 'dispatcher', { type: 'ASSIGN', assigneeUnitId: roads?.id });
    await send(id, 'roads-officer', { type: 'RESOLVE', resolution: '已修好' });
    expect(await facts(id)).toMatchObject({
      escalated: true,
      resolved: true,
      resolved_on_time: true,
      dispute_count: 0,
    });

    await send(id, 'resident-2', { type: 'DISPUTE', comment: '还在漏' });
    await send(id, 'roads-officer', { type: 'RESOLVE', resolution: '换了整段管子' });
    await send(id, 'resident-2', { type: 'CONFIRM', rating: 4 });
    expect(await facts(id)).toMatchObject({
      dispute_count: 1,
      resolved_on_time: true,
      overdue: false,
    });
  });

  it('a rejection is a response too', async () => {
    const id = await submit('想要个篮球场', '村里没有', 'resident-1', 'other');
    await send(id, 'secretary-1', { type: 'REJECT', reason: '不属于本村事务' });
    expect(await facts(id)).toMatchObject({
      responded: true,
      responded_on_time: true,
      accepted: false,
    });
  });

  it('keeps resolve_due_at on the resolve clock wherever its due time moves', async () => {
    const id = await submit('井盖松动', '车过会响');
    const due = async () =>
      (
        await db.query<{ request: Date; clock: Date; clockId: string }>(
          `SELECT r.resolve_due_at AS request, c.due_at AS clock, c.id AS "clockId"
             FROM requests r JOIN request_clocks c ON c.request_id = r.id
            WHERE r.id = $1 AND c.kind = 'resolve' AND c.status = 'running'`,
          [id],
        )
      ).rows[0];
    const first = await due();
    expect(first.request).toEqual(first.clock);
    // Whatever moves the clock (resume, extension, restart, calendar edit) moves the request.
    await db.query(`UPDATE request_clocks SET due_at = due_at + interval '3 hours' WHERE id = $1`, [
      first.clockId,
    ]);
    const moved = await due();
    expect(moved.request.getTime()).toBe(first.clock.getTime() + 3 * 3_600_000);
    await send(id, 'secretary-1', { type: 'ACCEPT' });
    await send(id, 'secretary-1', { type: 'HOLD', reason: '等材料' });
    const { rows } = await db.query<{ request: Date }>(
      `SELECT resolve_due_at AS request FROM requests WHERE id = $1`,
      [id],
    );
    expect(rows[0].request).toEqual(moved.request);
    await send(id, 'secretary-1', { type: 'RESUME' });
    const resumed = await due();
    expect(resumed.request).toEqual(resumed.clock);
  });
});
