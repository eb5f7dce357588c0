import type { Response } from 'supertest';
import {
  createRequest,
  getRequest,
  send,
  timeline,
  unitId,
  type EventBody,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

const LOSER_CODES = ['REQUEST.VERSION_CONFLICT', 'REQUEST.TRANSITION_NOT_ALLOWED'];

describe('concurrent commands on one request', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    // Log in up front, so the parallel commands below really start together.
    await Promise.all(['secretary-1', 'resident-1', 'admin'].map((u) => t.token(u)));
  });

  afterAll(() => stopTestApp(t));

  function outcome(res: Response): string {
    return res.status === 200 ? 'won' : `${res.status} ${(res.body as { code: string }).code}`;
  }

  it('20 parallel ACCEPTs: exactly one 200, the rest 409, one ACCEPT in the timeline', async () => {
    const r = await createRequest(t);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => send(t, r.id, 'secretary-1', { type: 'ACCEPT' })),
    );
    const winners = results.filter((res) => res.status === 200);
    expect(winners).toHaveLength(1);
    expect(winners[0].body).toMatchObject({ state: 'accepted', version: 2 });
    for (const loser of results.filter((res) => res.status !== 200)) {
      expect(loser.status).toBe(409);
      expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(LOSER_CODES).toContain(loser.body.code);
    }
    const events = await timeline(t, r.id);
    expect(events.map((e) => e.type)).toEqual(['CREATE', 'ACCEPT']);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(await getRequest(t, r.id)).toMatchObject({ state: 'accepted', version: 2 });
  });

  it('ACCEPT and REJECT racing: one wins, the request shows that one', async () => {
    const r = await createRequest(t);
    const attempts: EventBody[] = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? { type: 'ACCEPT' } : { type: 'REJECT', reason: '不受理' },
    );
    const results = await Promise.all(attempts.map((event) => send(t, r.id, 'secretary-1', event)));
    const won = attempts.filter((_, i) => results[i].status === 200);
    expect(won).toHaveLength(1);
    for (const res of results.filter((x) => x.status !== 200)) {
      expect(['409 REQUEST.VERSION_CONFLICT', '409 REQUEST.TRANSITION_NOT_ALLOWED']).toContain(
        outcome(res),
      );
    }
    const state = won[0].type === 'ACCEPT' ? 'accepted' : 'rejected';
    expect(await getRequest(t, r.id)).toMatchObject({ state, version: 2 });
    expect((await timeline(t, r.id)).map((e) => e.type)).toEqual(['CREATE', won[0].type]);
  });

  it('different users racing with If-Match on the version they saw: exactly one wins', async () => {
    const r = await createRequest(t);
    const branch2 = await unitId(t, 'branch-2');
    const contenders: [string, EventBody, string][] = [
      ['secretary-1', { type: 'ACCEPT' }, 'accepted'],
      ['secretary-1', { type: 'REJECT', reason: '不受理' }, 'rejected'],
      ['secretary-1', { type: 'RETURN', reason: '转村', branchId: branch2 }, 'submitted'],
      ['resident-1', { type: 'WITHDRAW', reason: '撤回' }, 'withdrawn'],
      ['resident-1', { type: 'COMMENT', text: '补充' }, 'submitted'],
    ];
    const attempts = [...contenders, ...contenders, ...contenders];
    const results = await Promise.all(
      attempts.map(([user, event]) => send(t, r.id, user, event, { 'If-Match': '"1"' })),
    );
    const won = attempts.filter((_, i) => results[i].status === 200);
    expect(won).toHaveLength(1);
    // Losers lost the race (409), came after the winner (412), or, once a RETURN has moved the
    // request to branch-2, can no longer see it (404).
    const allowedLosses = ['409 REQUEST.VERSION_CONFLICT', '412 REQUEST.PRECONDITION_FAILED'];
    if (won[0][1].type === 'RETURN') allowedLosses.push('404 REQUEST.NOT_FOUND');
    for (const res of results.filter((x) => x.status !== 200)) {
      expect(allowedLosses).toContain(outcome(res));
    }
    expect(await getRequest(t, r.id)).toMatchObject({ state: won[0][2], version: 2 });
    expect((await timeline(t, r.id)).map((e) => e.type)).toEqual(['CREATE', won[0][1].type]);
  });

  it('20 parallel COMMENTs with the same If-Match: one 200, the rest 409 or 412', async () => {
    const r = await createRequest(t);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(t, r.id, 'resident-1', { type: 'COMMENT', text: `第${i}条` }, { 'If-Match': '"1"' }),
      ),
    );
    const outcomes = results.map(outcome);
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    for (const o of outcomes.filter((x) => x !== 'won')) {
      expect(['409 REQUEST.VERSION_CONFLICT', '412 REQUEST.PRECONDITION_FAILED']).toContain(o);
    }
    const comments = (await timeline(t, r.id)).filter((e) => e.type === 'COMMENT');
    expect(comments).toHaveLength(1);
    expect((await getRequest(t, r.id)).version).toBe(2);
  });

  it('parallel commands on different requests do not get in each other’s way', async () => {
    const requests = await Promise.all(Array.from({ length: 10 }, () => createRequest(t)));
    const results = await Promise.all(
      requests.map((r) => send(t, r.id, 'secretary-1', { type: 'ACCEPT' })),
    );
    expect(results.map((res) => res.status)).toEqual(Array<number>(10).fill(200));
    // … and 10 parallel creations get 10 distinct reference numbers.
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createRequest(t, i % 2 ? 'resident-1' : 'resident-2')),
    );
    expect(new Set(created.map((c) => c.reference)).size).toBe(10);
  });
});
