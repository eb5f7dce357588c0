import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../support/env';
import { driveTo, timeline, type RequestBody } from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

interface EventRow {
  id: string;
  seq: number;
  type: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

describe('the event table is append-only', () => {
  let t: TestApp;
  let db: Client;
  let r: RequestBody;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    r = await driveTo(t, 'resolvedAtBranch');
  });

  afterAll(async () => {
    try {
      await db.end();
    } finally {
      await stopTestApp(t);
    }
  });

  async function rows(): Promise<EventRow[]> {
    const res = await db.query<EventRow>(
      `SELECT id, seq, type, from_state, to_state, actor_id, payload, created_at
         FROM request_events WHERE request_id = $1 ORDER BY seq`,
      [r.id],
    );
    return res.rows;
  }

  async function refusal(sql: string, params: unknown[] = []): Promise<unknown> {
    try {
      await db.query(sql, params);
    } catch (e) {
      return e;
    }
    return undefined;
  }

  it('the request has its events in the table', async () => {
    expect((await rows()).map((e) => e.type)).toEqual(['CREATE', 'ACCEPT', 'RESOLVE']);
  });

  it.each([
    [
      'UPDATE of a payload',
      `UPDATE request_events SET payload = '{"resolution":"篡改"}' WHERE request_id = $1`,
    ],
    [
      'UPDATE of a type',
      `UPDATE request_events SET type = 'REJECT' WHERE request_id = $1 AND seq = 2`,
    ],
    [
      'UPDATE of a time',
      `UPDATE request_events SET created_at = now() - interval '1 year' WHERE request_id = $1`,
    ],
    ['DELETE of one event', `DELETE FROM request_events WHERE request_id = $1 AND seq = 3`],
    ['DELETE of a whole history', `DELETE FROM request_events WHERE request_id = $1`],
  ])('%s is refused by the trigger, and the rows stay as they were', async (_what, sql) => {
    const before = await rows();
    const error = await refusal(sql, [r.id]);
    expect(error).toMatchObject({
      code: '23001',
      message: expect.stringMatching(/request_events is append-only: (UPDATE|DELETE) refused/),
    });
    expect(await rows()).toEqual(before);
  });

  it('TRUNCATE is refused by the trigger, and the rows stay as they were', async () => {
    const before = await rows();
    // Inside a transaction with a savepoint, so a missing trigger could not wipe the shared
    // database for the other suites; the count is read before the rollback.
    await db.query('BEGIN');
    try {
      await db.query('SAVEPOINT before_truncate');
      const error = await refusal('TRUNCATE request_events');
      expect(error).toMatchObject({
        code: '23001',
        message: expect.stringMatching(/request_events is append-only: TRUNCATE refused/),
      });
      await db.query('ROLLBACK TO SAVEPOINT before_truncate');
      const count = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM request_events WHERE request_id = $1',
        [r.id],
      );
      expect(Number(count.rows[0].n)).toBe(before.length);
    } finally {
      await db.query('ROLLBACK');
    }
    expect(await rows()).toEqual(before);
  });

  it('TRUNCATE … CASCADE through the requests table is refused too', async () => {
    await db.query('BEGIN');
    try {
      await db.query('SAVEPOINT before_truncate');
      const error = await refusal('TRUNCATE requests CASCADE');
      expect(error).toMatchObject({ code: '23001' });
      await db.query('ROLLBACK TO SAVEPOINT before_truncate');
      const count = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM requests WHERE id = $1',
        [r.id],
      );
      expect(Number(count.rows[0].n)).toBe(1);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('the API still shows the untouched history, and new events are still appended', async () => {
    const events = await timeline(t, r.id);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'CREATE'],
      [2, 'ACCEPT'],
      [3, 'RESOLVE'],
    ]);
    expect(events[2].payload).toMatchObject({ resolution: '已由村里修好' });
    const res = await t.http
      .post(`/api/v1/requests/${r.id}/events`)
      .set(await t.as('resident-1'))
      .send({ type: 'CONFIRM', rating: 5 })
      .expect(200);
    expect(res.body.state).toBe('closed');
    expect((await rows()).map((e) => e.type)).toEqual(['CREATE', 'ACCEPT', 'RESOLVE', 'CONFIRM']);
  });
});
