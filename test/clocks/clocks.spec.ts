import {
  addWorkingTime,
  isWorkingInstant,
  localDateOf,
  type WorkingCalendar,
  workingMsBetween,
} from '../../src/modules/calendar/business-time';
import { Client } from 'pg';
import type { ClockDto } from '../../src/modules/requests/dto/request.dto';
import { TEST_DATABASE_URL } from '../support/env';
import {
  createRequest,
  expectProblem,
  getRequest,
  listAll,
  type RequestBody,
  send,
  sendOk,
  snapshot,
  timeline,
  uniqueCode,
  unitId,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';
import { dueBy, startWorkerContext, type WorkerContext } from '../support/worker-context';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

interface Policy {
  clock: '24x7' | 'working';
  accept: string;
  dispatch: string;
  resolve: string;
  feedback: string;
  warnAt: number[];
}

/** Long 24x7 limits: nothing fires while a test runs. */
const SLOW: Policy = {
  clock: '24x7',
  accept: 'PT1H',
  dispatch: 'PT1H',
  resolve: 'PT24H',
  feedback: 'P3D',
  warnAt: [0.5, 0.8],
};

/** Seconds-long 24x7 limits with one warning at half time. */
const FAST: Policy = {
  clock: '24x7',
  accept: 'PT2S',
  dispatch: 'PT2S',
  resolve: 'PT1H',
  feedback: 'PT2S',
  warnAt: [0.5],
};

/** A short resolve clock (and no warning); accepting may take no longer than resolving. */
const FAST_RESOLVE: Policy = {
  clock: '24x7',
  accept: 'PT5S',
  dispatch: 'PT1H',
  resolve: 'PT5S',
  feedback: 'P3D',
  warnAt: [],
};

const WORKING: Policy = {
  clock: 'working',
  accept: 'PT1H',
  dispatch: 'PT2H',
  resolve: 'PT1H',
  feedback: 'P3D',
  warnAt: [0.5, 0.8],
};

/** Working-time limits of whole days. */
const WORKING_DAYS: Policy = {
  clock: 'working',
  accept: 'P1D',
  dispatch: 'P1D',
  resolve: 'P15D',
  feedback: 'P3D',
  warnAt: [0.5, 0.8],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (iso: string | null): number => {
  if (iso === null) throw new Error('expected a time, got null');
  return Date.parse(iso);
};

function clockOf(r: RequestBody, kind: ClockDto['kind']): ClockDto {
  const c = r.clocks.find((x) => x.kind === kind);
  if (!c) throw new Error(`request ${r.reference} shows no ${kind} clock: ${JSON.stringify(r)}`);
  return c;
}

function calendarOf(body: Record<string, unknown>): WorkingCalendar {
  return {
    workingHours: body.workingHours as WorkingCalendar['workingHours'],
    weekendDays: body.weekendDays as number[],
    holidays: body.holidays as string[],
    makeupWorkdays: body.makeupWorkdays as string[],
  };
}

describe('clocks over HTTP with the worker in process', () => {
  let t: TestApp;
  let w: WorkerContext;
  let db: Client;
  /** urgent: SLOW, normal: WORKING, complex: WORKING_DAYS. */
  let slow: string;
  /** urgent: FAST, complex: FAST_RESOLVE. */
  let fast: string;

  async function createCategory(): Promise<string> {
    const code = uniqueCode('clk');
    await t.http
      .post('/api/v1/categories')
      .set(await t.as('admin'))
      .send({ code, name: `时限测试 ${code}`, nameEn: `Clock test ${code}` })
      .expect(201);
    return code;
  }

  async function putPolicy(category: string, priority: string, policy: Policy): Promise<void> {
    const res = await t.http
      .put(`/api/v1/sla-policies/${category}/${priority}`)
      .set(await t.as('admin'))
      .send(policy);
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 200,
      body: { category, priority, stored: true, ...policy },
    });
  }

  const create = (category: string, priority: string) =>
    createRequest(t, 'resident-1', { category, priority });

  /** Reconciler ticks with `now` `lead` ms ahead, until `done` holds for the request. */
  async function tickUntil(
    id: string,
    done: (r: RequestBody) => boolean,
    lead = 3 * SECOND,
  ): Promise<RequestBody> {
    for (let i = 0; i < 6; i++) {
      await w.reconciler.tick(new Date(Date.now() + lead));
      const r = await getRequest(t, id);
      if (done(r)) return r;
    }
    throw new Error(`request ${id}: the condition never held after 6 ticks`);
  }

  const types = async (id: string) => (await timeline(t, id)).map((e) => e.type);

  /** The request's stored resolve due time (a supervision fact) and its live resolve clock's. */
  async function storedResolveDue(id: string): Promise<{ request: number; clock: number }> {
    const { rows } = await db.query<{ request: Date; clock: Date }>(
      `SELECT r.resolve_due_at AS request, c.due_at AS clock
         FROM requests r JOIN request_clocks c ON c.request_id = r.id
        WHERE r.id = $1 AND c.kind = 'resolve' AND c.status = 'running'`,
      [id],
    );
    expect(rows).toHaveLength(1);
    return { request: rows[0].request.getTime(), clock: rows[0].clock.getTime() };
  }

  beforeAll(async () => {
    t = await startTestApp();
    w = await startWorkerContext();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    slow = await createCategory();
    fast = await createCategory();
    await putPolicy(slow, 'urgent', SLOW);
    await putPolicy(slow, 'normal', WORKING);
    await putPolicy(slow, 'complex', WORKING_DAYS);
    await putPolicy(fast, 'urgent', FAST);
    await putPolicy(fast, 'complex', FAST_RESOLVE);
  });

  afterAll(async () => {
    try {
      await db?.end();
      await w?.close();
    } finally {
      await stopTestApp(t);
    }
  });

  it('a new request runs its accept and resolve clocks, due as its policy says', async () => {
    const r = await create(slow, 'urgent');
    expect(r).toMatchObject({ escalationLevel: 0, overdue: false });
    expect(r.clocks.map((c) => `${c.kind}:${c.status}`).sort()).toEqual([
      'accept:running',
      'resolve:running',
    ]);
    const created = ms(r.createdAt);
    expect(ms(clockOf(r, 'accept').dueAt) - created).toBe(HOUR);
    expect(ms(clockOf(r, 'resolve').dueAt) - created).toBe(24 * HOUR);
    expect(clockOf(r, 'accept')).toMatchObject({ remainingMs: null, breachedAt: null });
    expect(ms(clockOf(r, 'accept').startedAt)).toBe(created);
  });

  it('ACCEPT, ESCALATE, ASSIGN, RESOLVE and DISPUTE start and stop the right clocks', async () => {
    const r0 = await create(slow, 'urgent');
    const resolveDue = ms(clockOf(r0, 'resolve').dueAt);

    const accepted = await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    expect(clockOf(accepted, 'accept')).toMatchObject({ status: 'stopped', dueAt: null });
    // The resolve clock runs from submission: accepting does not restart it.
    expect(clockOf(accepted, 'resolve')).toMatchObject({ status: 'running' });
    expect(ms(clockOf(accepted, 'resolve').dueAt)).toBe(resolveDue);

    const beforeEscalate = Date.now();
    const escalated = await sendOk(t, r0.id, 'secretary-1', {
      type: 'ESCALATE',
      reason: '需镇里协调',
    });
    const afterEscalate = Date.now();
    const dispatch = clockOf(escalated, 'dispatch');
    expect(dispatch.status).toBe('running');
    expect(ms(dispatch.dueAt)).toBeGreaterThanOrEqual(beforeEscalate + HOUR);
    expect(ms(dispatch.dueAt)).toBeLessThanOrEqual(afterEscalate + HOUR);
    expect(ms(clockOf(escalated, 'resolve').dueAt)).toBe(resolveDue);

    const assigned = await sendOk(t, r0.id, 'dispatcher', {
      type: 'ASSIGN',
      assigneeUnitId: await unitId(t, 'dept-roads'),
    });
    expect(clockOf(assigned, 'dispatch')).toMatchObject({ status: 'stopped', dueAt: null });
    expect(clockOf(assigned, 'resolve')).toMatchObject({ status: 'running' });
    expect(ms(clockOf(assigned, 'resolve').dueAt)).toBe(resolveDue);

    const beforeResolve = Date.now();
    const resolved = await sendOk(t, r0.id, 'roads-officer', {
      type: 'RESOLVE',
      resolution: '已修补',
    });
    const afterResolve = Date.now();
    expect(clockOf(resolved, 'resolve')).toMatchObject({ status: 'stopped', dueAt: null });
    const feedback = clockOf(resolved, 'feedback');
    expect(feedback.status).toBe('running');
    expect(ms(feedback.dueAt)).toBeGreaterThanOrEqual(beforeResolve + 3 * DAY);
    expect(ms(feedback.dueAt)).toBeLessThanOrEqual(afterResolve + 3 * DAY);

    await sleep(200);
    const disputed = await sendOk(t, r0.id, 'resident-1', { type: 'DISPUTE', comment: '还有坑' });
    const afterDispute = Date.now();
    expect(disputed.state).toBe('assigned');
    expect(clockOf(disputed, 'feedback')).toMatchObject({ status: 'stopped', dueAt: null });
    // The resolve clock restarts with what was left when it was resolved: due moves on by the
    // time the request spent resolved, no more.
    const reopened = clockOf(disputed, 'resolve');
    expect(reopened.status).toBe('running');
    const shift = ms(reopened.dueAt) - resolveDue;
    expect(shift).toBeGreaterThanOrEqual(200);
    expect(shift).toBeLessThanOrEqual(afterDispute - beforeResolve);
  });

  it('HOLD pauses the resolve clock and RESUME restarts it with the time that was left', async () => {
    const r0 = await create(slow, 'urgent');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    const dueBefore = ms(clockOf(r0, 'resolve').dueAt);

    const beforeHold = Date.now();
    const held = await sendOk(t, r0.id, 'secretary-1', {
      type: 'HOLD',
      reason: '等待村民补充材料',
    });
    const afterHold = Date.now();
    expect(held.onHold).toBe(true);
    const paused = clockOf(held, 'resolve');
    expect(paused).toMatchObject({ status: 'paused', dueAt: null });
    expect(paused.remainingMs).toBeGreaterThanOrEqual(dueBefore - afterHold);
    expect(paused.remainingMs).toBeLessThanOrEqual(dueBefore - beforeHold);
    expect(held.overdue).toBe(false);

    await sleep(400);
    const beforeResume = Date.now();
    const resumed = await sendOk(t, r0.id, 'secretary-1', { type: 'RESUME' });
    const afterResume = Date.now();
    expect(resumed.onHold).toBe(false);
    const running = clockOf(resumed, 'resolve');
    expect(running).toMatchObject({ status: 'running', remainingMs: null });
    // Due later by the time it was paused.
    const shift = ms(running.dueAt) - dueBefore;
    expect(shift).toBeGreaterThanOrEqual(beforeResume - afterHold);
    expect(shift).toBeLessThanOrEqual(afterResume - beforeHold);
    expect(shift).toBeGreaterThanOrEqual(400);
  });

  it('a resident comment on a held request resumes its clock', async () => {
    const r0 = await create(slow, 'urgent');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    await sendOk(t, r0.id, 'secretary-1', { type: 'HOLD', reason: '等待村民补充材料' });
    const commented = await sendOk(t, r0.id, 'resident-1', { type: 'COMMENT', text: '照片已上传' });
    expect(commented.onHold).toBe(false);
    expect(clockOf(commented, 'resolve')).toMatchObject({ status: 'running' });
    expect(ms(clockOf(commented, 'resolve').dueAt)).toBeGreaterThan(Date.now() + 23 * HOUR);
    const events = await timeline(t, r0.id);
    expect(events.map((e) => e.type)).toEqual(['CREATE', 'ACCEPT', 'HOLD', 'COMMENT', 'RESUME']);
    expect(events[4]).toMatchObject({ actorRole: 'resident' });

    // A secretary's comment does not resume.
    await sendOk(t, r0.id, 'secretary-1', { type: 'HOLD', reason: '再等等' });
    const stillHeld = await sendOk(t, r0.id, 'secretary-1', { type: 'COMMENT', text: '已联系' });
    expect(stillHeld.onHold).toBe(true);
    expect(clockOf(stillHeld, 'resolve').status).toBe('paused');
  });

  it('an approved extension moves the resolve due time (clock and request) to `until`; a rejected one does not', async () => {
    const until = new Date(Date.now() + 48 * HOUR).toISOString();

    const approved = await create(slow, 'urgent');
    await sendOk(t, approved.id, 'secretary-1', { type: 'ACCEPT' });
    await sendOk(t, approved.id, 'secretary-1', {
      type: 'REQUEST_EXTENSION',
      until,
      reason: '需要采购材料',
    });
    const yes = await sendOk(t, approved.id, 'town-supervisor', {
      type: 'DECIDE_EXTENSION',
      approve: true,
    });
    expect(yes.extensionRequested).toBeNull();
    expect(clockOf(yes, 'resolve')).toMatchObject({ status: 'running', dueAt: until });
    expect(await storedResolveDue(approved.id)).toEqual({ request: ms(until), clock: ms(until) });

    const rejected = await create(slow, 'urgent');
    const dueBefore = clockOf(rejected, 'resolve').dueAt;
    await sendOk(t, rejected.id, 'secretary-1', { type: 'ACCEPT' });
    await sendOk(t, rejected.id, 'secretary-1', {
      type: 'REQUEST_EXTENSION',
      until,
      reason: '需要采购材料',
    });
    const no = await sendOk(t, rejected.id, 'town-supervisor', {
      type: 'DECIDE_EXTENSION',
      approve: false,
    });
    expect(no.extensionRequested).toBeNull();
    expect(clockOf(no, 'resolve')).toMatchObject({ status: 'running', dueAt: dueBefore });
    expect(await storedResolveDue(rejected.id)).toEqual({
      request: ms(dueBefore),
      clock: ms(dueBefore),
    });
  });

  it('an extension approved while on hold is kept for when the clock resumes', async () => {
    const r0 = await create(slow, 'urgent');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    const until = new Date(Date.now() + 72 * HOUR).toISOString();
    await sendOk(t, r0.id, 'secretary-1', { type: 'HOLD', reason: '等待材料' });
    await sendOk(t, r0.id, 'secretary-1', { type: 'REQUEST_EXTENSION', until, reason: '延期' });
    const decidedAt = Date.now();
    const decided = await sendOk(t, r0.id, 'town-supervisor', {
      type: 'DECIDE_EXTENSION',
      approve: true,
    });
    const paused = clockOf(decided, 'resolve');
    expect(paused).toMatchObject({ status: 'paused', dueAt: null });
    expect(paused.remainingMs).toBeGreaterThan(71 * HOUR);
    expect(paused.remainingMs).toBeLessThanOrEqual(ms(until) - decidedAt + SECOND);
  });

  it('an extension approved while on hold never takes time away', async () => {
    // Five seconds to resolve, paused at once: the time left is kept while the due time passes.
    const r0 = await create(fast, 'complex');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    const held = await sendOk(t, r0.id, 'secretary-1', { type: 'HOLD', reason: '等待材料' });
    const left = clockOf(held, 'resolve').remainingMs;
    expect(left).toBeGreaterThan(3 * SECOND);
    // Until a moment after the clock's old due time, but sooner than the time it has left.
    const wasDue = ms(r0.createdAt) + 5 * SECOND;
    await sleep(Math.max(0, wasDue - Date.now()) + 100);
    const until = new Date(Date.now() + 1500).toISOString();
    await sendOk(t, r0.id, 'secretary-1', { type: 'REQUEST_EXTENSION', until, reason: '延期' });
    const decided = await sendOk(t, r0.id, 'town-supervisor', {
      type: 'DECIDE_EXTENSION',
      approve: true,
    });
    expect(clockOf(decided, 'resolve')).toMatchObject({ status: 'paused', remainingMs: left });
  });

  describe('working time', () => {
    let original: WorkingCalendar;

    beforeAll(async () => {
      const res = await t.http
        .get('/api/v1/calendar')
        .set(await t.as('admin'))
        .expect(200);
      original = calendarOf(res.body as Record<string, unknown>);
    });

    afterAll(async () => {
      // The database is shared: put the calendar back whatever happened.
      await t.http
        .put('/api/v1/calendar')
        .set(await t.as('admin'))
        .send(original)
        .expect(200);
    });

    it('a working-time clock is due inside working hours, and a calendar edit moves it', async () => {
      const r0 = await create(slow, 'normal');
      const urgent = await create(slow, 'urgent');
      const created = new Date(r0.createdAt);
      const resolve = clockOf(r0, 'resolve');
      expect(resolve.dueAt).toBe(addWorkingTime(original, created, HOUR).toISOString());
      // Due at the end of a working millisecond: inside (periodStart, periodEnd].
      expect(isWorkingInstant(original, new Date(ms(resolve.dueAt) - 1))).toBe(true);
      expect(workingMsBetween(original, created, new Date(ms(resolve.dueAt)))).toBe(HOUR);
      expect(clockOf(r0, 'accept').dueAt).toBe(resolve.dueAt);

      // Today and the next six days become holidays.
      const added = Array.from({ length: 7 }, (_, i) =>
        localDateOf(new Date(Date.now() + i * DAY)),
      );
      const next: WorkingCalendar = {
        ...original,
        holidays: [...new Set([...original.holidays, ...added])].sort(),
      };
      const beforeEdit = Date.now();
      const res = await t.http
        .put('/api/v1/calendar')
        .set(await t.as('admin'))
        .send({ holidays: next.holidays });
      expect(res.status).toBe(200);
      expect(res.body.holidays).toEqual(expect.arrayContaining(added));

      const moved = clockOf(await getRequest(t, r0.id), 'resolve');
      const movedDue = new Date(ms(moved.dueAt));
      expect(movedDue.getTime()).toBeGreaterThan(ms(resolve.dueAt));
      expect(localDateOf(movedDue) > added[added.length - 1]).toBe(true);
      expect(isWorkingInstant(next, new Date(movedDue.getTime() - 1))).toBe(true);
      // It keeps the working time it had left at the edit: at most the hour, less what had
      // already elapsed.
      const left = workingMsBetween(next, new Date(beforeEdit), movedDue);
      expect(left).toBeLessThanOrEqual(HOUR);
      expect(left).toBeGreaterThanOrEqual(HOUR - (Date.now() - created.getTime()));

      // A 24x7 clock does not care about the calendar.
      const urgentAfter = await getRequest(t, urgent.id);
      expect(clockOf(urgentAfter, 'resolve').dueAt).toBe(clockOf(urgent, 'resolve').dueAt);
    });

    it('shorter working hours move an open working-time clock too', async () => {
      // Accepting takes one working day.
      const r0 = await create(slow, 'complex');
      const before = ms(clockOf(r0, 'accept').dueAt);
      const hours = [{ start: '09:00', end: '10:00' }];
      await t.http
        .put('/api/v1/calendar')
        .set(await t.as('admin'))
        .send({ workingHours: hours })
        .expect(200);
      const after = new Date(ms(clockOf(await getRequest(t, r0.id), 'accept').dueAt));
      expect(after.getTime()).not.toBe(before);
      const cal: WorkingCalendar = { ...original, workingHours: hours };
      expect(isWorkingInstant(cal, new Date(after.getTime() - 1))).toBe(true);
      // 7.5 working hours left at most, now counted in one-hour days: at least a week later.
      expect(after.getTime()).toBeGreaterThan(Date.now() + 7 * DAY);
    });
  });

  it('changing a policy does not move the clocks of existing requests', async () => {
    const category = await createCategory();
    await putPolicy(category, 'urgent', SLOW);
    const existing = await create(category, 'urgent');
    await putPolicy(category, 'urgent', {
      ...SLOW,
      resolve: 'PT48H',
      accept: 'PT30M',
      dispatch: 'PT10M',
    });

    const again = await getRequest(t, existing.id);
    expect(clockOf(again, 'resolve').dueAt).toBe(clockOf(existing, 'resolve').dueAt);
    expect(clockOf(again, 'accept').dueAt).toBe(clockOf(existing, 'accept').dueAt);
    expect(ms(clockOf(again, 'resolve').dueAt) - ms(again.createdAt)).toBe(24 * HOUR);

    // Later events of the old request still use its own policy.
    const escalatedAt = Date.now();
    await sendOk(t, existing.id, 'secretary-1', { type: 'ACCEPT' });
    const escalated = await sendOk(t, existing.id, 'secretary-1', {
      type: 'ESCALATE',
      reason: '需镇里协调',
    });
    expect(ms(clockOf(escalated, 'dispatch').dueAt)).toBeGreaterThanOrEqual(escalatedAt + HOUR);
    expect(ms(clockOf(escalated, 'dispatch').dueAt)).toBeLessThanOrEqual(Date.now() + HOUR);

    const fresh = await create(category, 'urgent');
    expect(ms(clockOf(fresh, 'resolve').dueAt) - ms(fresh.createdAt)).toBe(48 * HOUR);
    expect(ms(clockOf(fresh, 'accept').dueAt) - ms(fresh.createdAt)).toBe(HOUR / 2);
  });

  it('the reconciler escalates a breached request to the town, then to the county', async () => {
    const r0 = await create(fast, 'urgent');
    expect(r0.owner.code).toBe('branch-1');

    const level1 = await tickUntil(r0.id, (r) => r.state === 'escalated');
    expect(level1).toMatchObject({ escalationLevel: 1, owner: { code: 'xianxiang' } });
    expect(level1.overdue).toBe(false);
    expect(clockOf(level1, 'accept').status).toBe('breached');
    expect(clockOf(level1, 'accept').breachedAt).toEqual(expect.any(String));
    expect(clockOf(level1, 'dispatch').status).toBe('running');
    expect(clockOf(level1, 'resolve').status).toBe('running');
    const events1 = await timeline(t, r0.id);
    expect(events1.map((e) => e.type)).toEqual(['CREATE', 'DEADLINE_WARNING', 'DEADLINE_BREACHED']);
    expect(events1[1]).toMatchObject({
      actor: null,
      actorRole: 'system',
      payload: { clock: 'accept', fraction: 0.5 },
    });
    expect(events1[2]).toMatchObject({
      from: 'submitted',
      to: 'escalated',
      actorRole: 'system',
      payload: { clock: 'accept', escalationLevel: 1 },
    });

    const level2 = await tickUntil(r0.id, (r) => r.escalationLevel === 2);
    expect(level2).toMatchObject({ state: 'escalated', owner: { code: 'yinzhou' } });
    const events2 = await timeline(t, r0.id);
    expect(events2.map((e) => `${e.type}:${String(e.payload.clock)}`)).toEqual([
      'CREATE:undefined',
      'DEADLINE_WARNING:accept',
      'DEADLINE_BREACHED:accept',
      'DEADLINE_WARNING:dispatch',
      'DEADLINE_BREACHED:dispatch',
    ]);
    expect(events2[4]).toMatchObject({ from: 'escalated', to: 'escalated' });

    // At the top there is nobody left to escalate to: the breach stays on the clock and the
    // request shows as overdue, with no further escalation.
    const top = await tickUntil(r0.id, (r) => clockOf(r, 'dispatch').status === 'breached');
    expect(top).toMatchObject({ escalationLevel: 2, overdue: true, owner: { code: 'yinzhou' } });
    expect((await types(r0.id)).filter((x) => x === 'DEADLINE_BREACHED')).toHaveLength(2);
    const overdue = await listAll(t, 'admin', { overdue: 'true', category: fast });
    expect(overdue.items.map((r) => r.id)).toContain(r0.id);
  });

  it('resolved without an answer within the feedback window: closed as no feedback', async () => {
    const r0 = await create(fast, 'urgent');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    await sendOk(t, r0.id, 'secretary-1', { type: 'RESOLVE', resolution: '已处理' });
    const closed = await tickUntil(r0.id, (r) => r.state === 'closed');
    expect(closed).toMatchObject({ outcome: 'no_feedback', overdue: false });
    expect(closed.closedAt).toEqual(expect.any(String));
    expect(clockOf(closed, 'feedback').status).toBe('breached');
    const events = await timeline(t, r0.id);
    expect(events.map((e) => e.type)).toEqual(['CREATE', 'ACCEPT', 'RESOLVE', 'FEEDBACK_TIMEOUT']);
    expect(events[3]).toMatchObject({ from: 'resolved', to: 'closed', actorRole: 'system' });
  });

  it('overdue is true past a due time, and GET /requests?overdue= filters the same way', async () => {
    const late = await create(fast, 'urgent');
    const accepted = await create(fast, 'urgent');
    await sendOk(t, accepted.id, 'secretary-1', { type: 'ACCEPT' });
    const resolved = await create(fast, 'urgent');
    await sendOk(t, resolved.id, 'secretary-1', { type: 'ACCEPT' });
    await sendOk(t, resolved.id, 'secretary-1', { type: 'RESOLVE', resolution: '已处理' });
    expect((await getRequest(t, late.id)).overdue).toBe(false);

    // Past the two seconds of the accept (and feedback) clocks; nobody fires them.
    await sleep(ms(clockOf(late, 'accept').dueAt) - Date.now() + 300);
    const lateNow = await getRequest(t, late.id);
    expect(lateNow).toMatchObject({ state: 'submitted', overdue: true });
    expect(ms(clockOf(lateNow, 'accept').dueAt)).toBeLessThan(Date.now());
    expect((await getRequest(t, accepted.id)).overdue).toBe(false);
    // A feedback clock past its time is not "overdue" work.
    const resolvedNow = await getRequest(t, resolved.id);
    expect(clockOf(resolvedNow, 'feedback').status).toBe('running');
    expect(resolvedNow.overdue).toBe(false);

    const yes = await listAll(t, 'admin', { overdue: 'true', category: fast });
    const no = await listAll(t, 'admin', { overdue: 'false', category: fast });
    expect(yes.items.map((r) => r.id)).toContain(late.id);
    expect(yes.items.map((r) => r.id)).not.toContain(accepted.id);
    expect(yes.items.map((r) => r.id)).not.toContain(resolved.id);
    expect(no.items.map((r) => r.id)).toEqual(expect.arrayContaining([accepted.id, resolved.id]));
    expect(no.items.map((r) => r.id)).not.toContain(late.id);
    // The filter and the flag agree on every request of the category.
    expect(yes.items.every((r) => r.overdue)).toBe(true);
    expect(no.items.every((r) => !r.overdue)).toBe(true);
    expect(yes.total + no.total).toBe((await listAll(t, 'admin', { category: fast })).total);

    // The secretary's scope applies to the filter as well.
    const forSecretary = await listAll(t, 'secretary-2', { overdue: 'true', category: fast });
    expect(forSecretary.items.map((r) => r.id)).not.toContain(late.id);
  });

  it('a step fired twice, or for a clock that has moved on, has no effect the second time', async () => {
    const r0 = await create(fast, 'urgent');
    const w0 = await w.clock(r0.id, 'accept');
    expect(w0).toMatchObject({ status: 'running', step: 'w0' });

    await expect(w.deadlines.fire(w0.id, w0.generation, 'w0', dueBy(w0))).resolves.toBe('warned');
    const afterWarning = await snapshot(t, r0.id);
    await expect(w.deadlines.fire(w0.id, w0.generation, 'w0')).resolves.toBe('stale');
    expect(await snapshot(t, r0.id)).toEqual(afterWarning);

    const due = await w.clock(r0.id, 'accept');
    expect(due).toMatchObject({ step: 'due', generation: w0.generation + 1 });
    // The right step of an old generation, or a wrong step of the live one: stale.
    await expect(w.deadlines.fire(due.id, w0.generation, 'due')).resolves.toBe('stale');
    await expect(w.deadlines.fire(due.id, due.generation, 'w0')).resolves.toBe('stale');
    expect(await snapshot(t, r0.id)).toEqual(afterWarning);

    // The job and the reconciler at the same moment: one breach.
    const outcomes = await Promise.all([
      w.deadlines.fire(due.id, due.generation, 'due', dueBy(due)),
      w.deadlines.fire(due.id, due.generation, 'due', dueBy(due)),
    ]);
    expect(outcomes.sort()).toEqual(['breached', 'stale']);
    const afterBreach = await snapshot(t, r0.id);
    expect(afterBreach.events.map((e) => e.split(':')[1])).toEqual([
      'CREATE',
      'DEADLINE_WARNING',
      'DEADLINE_BREACHED',
    ]);
    await expect(w.deadlines.fire(due.id, due.generation, 'due')).resolves.toBe('stale');
    expect(await snapshot(t, r0.id)).toEqual(afterBreach);
  });

  it('a step fired before its time (a job promoted by hand) does nothing and says when it is due', async () => {
    const r0 = await create(slow, 'urgent');
    const w0 = await w.clock(r0.id, 'accept');
    expect(w0).toMatchObject({ status: 'running', step: 'w0' });
    const created = await snapshot(t, r0.id);

    await expect(w.deadlines.attempt(w0.id, w0.generation, w0.step)).resolves.toEqual({
      outcome: 'early',
      notBefore: w0.nextFireAt,
    });
    // The reconciler asks as of the time it reconciles for: a millisecond short is still early.
    const justBefore = new Date((w0.nextFireAt as Date).getTime() - 1);
    await expect(w.deadlines.fire(w0.id, w0.generation, w0.step, justBefore)).resolves.toBe(
      'early',
    );
    expect(await snapshot(t, r0.id)).toEqual(created);
    expect(await w.clock(r0.id, 'accept')).toEqual(w0);

    await expect(w.deadlines.fire(w0.id, w0.generation, w0.step, dueBy(w0))).resolves.toBe(
      'warned',
    );
  });

  it('a job for a clock that was stopped is a no-op', async () => {
    const r0 = await create(fast, 'urgent');
    const before = await w.clock(r0.id, 'accept');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    const stopped = await w.clock(r0.id, 'accept');
    expect(stopped.status).toBe('stopped');
    const snap = await snapshot(t, r0.id);
    await expect(w.deadlines.fire(before.id, before.generation, 'w0')).resolves.toBe('stale');
    await expect(w.deadlines.fire(stopped.id, stopped.generation, 'due')).resolves.toBe('stale');
    await expect(w.deadlines.fire(stopped.id, stopped.generation, 'w0')).resolves.toBe('stale');
    expect(await snapshot(t, r0.id)).toEqual(snap);
    expect(snap.events.map((e) => e.split(':')[1])).toEqual(['CREATE', 'ACCEPT']);
  });

  it('a deadline firing while a command holds some of the clocks waits, never deadlocks', async () => {
    const r0 = await create(fast, 'urgent');
    const [low, high] = (await w.clocks(r0.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const firing = await w.clock(r0.id, high.kind);
    // A command locks a request's clocks in id order; this one is midway, holding the lower one.
    const command = new Client({ connectionString: TEST_DATABASE_URL });
    await command.connect();
    try {
      await command.query('BEGIN');
      await command.query('SELECT 1 FROM request_clocks WHERE id = $1 FOR UPDATE', [low.id]);
      const fired = w.deadlines.fire(firing.id, firing.generation, firing.step, dueBy(firing));
      await new Promise((r) => setTimeout(r, 300));
      // Had the worker locked its own clock first, it would hold this one now: a deadlock.
      await command.query('SELECT 1 FROM request_clocks WHERE id = $1 FOR UPDATE', [high.id]);
      await command.query('COMMIT');
      await expect(fired).resolves.toMatch(/^(warned|breached)$/);
    } finally {
      await command.end();
    }
  });

  it('a breached resolve clock makes a request overdue until it is resolved', async () => {
    const r0 = await create(fast, 'complex');
    await sendOk(t, r0.id, 'secretary-1', { type: 'ACCEPT' });
    const resolveDue = clockOf(r0, 'resolve').dueAt;
    const escalated = await tickUntil(r0.id, (r) => r.state === 'escalated', 8 * SECOND);
    expect(escalated).toMatchObject({ escalationLevel: 1, overdue: true });
    expect(clockOf(escalated, 'resolve')).toMatchObject({ status: 'breached', dueAt: resolveDue });
    expect(clockOf(escalated, 'dispatch').status).toBe('running');
    expect(escalated.overdueSince).toBe(resolveDue);
    const yes = await listAll(t, 'admin', { overdue: 'true', category: fast });
    expect(yes.items.map((r) => r.id)).toContain(r0.id);

    // Assigned: the department gets a fresh resolve clock, but the request was late all the same.
    const assigned = await sendOk(t, r0.id, 'dispatcher', {
      type: 'ASSIGN',
      assigneeUnitId: await unitId(t, 'dept-roads'),
    });
    expect(clockOf(assigned, 'resolve').status).toBe('running');
    expect(ms(clockOf(assigned, 'resolve').dueAt)).toBeGreaterThan(Date.now());
    expect(assigned).toMatchObject({ overdue: true, overdueSince: resolveDue });

    const resolved = await sendOk(t, r0.id, 'roads-officer', {
      type: 'RESOLVE',
      resolution: '已修复',
    });
    expect(resolved).toMatchObject({ overdue: false, overdueSince: null });
    const no = await listAll(t, 'admin', { overdue: 'false', category: fast });
    expect(no.items.map((r) => r.id)).toContain(r0.id);
    const stillYes = await listAll(t, 'admin', { overdue: 'true', category: fast });
    expect(stillYes.items.map((r) => r.id)).not.toContain(r0.id);
  });

  it('system events cannot be sent by users', async () => {
    const r0 = await create(slow, 'urgent');
    const res = await send(t, r0.id, 'admin', { type: 'DEADLINE_BREACHED', clock: 'accept' });
    expectProblem(res, 403, 'REQUEST.EVENT_FORBIDDEN');
    expect((await getRequest(t, r0.id)).state).toBe('submitted');
  });
});
