import { Client } from 'pg';
import {
  endOfWorkingDay,
  isWorkingDay,
  localDateOf,
  localTimestampOf,
  type WorkingCalendar,
} from '../../src/modules/calendar/business-time';
import { DatabaseService } from '../../src/database/database.service';
import { TEST_DATABASE_URL } from '../support/env';
import {
  createRequest,
  driveTo,
  expectProblem,
  getRequest,
  listAll,
  type RequestBody,
  send,
  sendOk,
  snapshot,
  timeline,
  uniqueCode,
  uniquePrefix,
  unitId,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';
import { startWorkerContext, type WorkerContext } from '../support/worker-context';

const DAY = 86_400_000;

/** The town's report: a dead-end road fixed through seven stages over the next half-year. */
const STAGES = ['立项', '初步设计评审', '概算审批', '工程预算', '财政审批', '招投标', '竣工'];

/**
 * Long resolutions on a plan of milestones, over the API: the owner proposes, a supervisor above
 * decides, the milestones are done in order and the last resolves the request; the resident
 * reads each step in the timeline and hears of it.
 */
describe('milestone plans over HTTP', () => {
  let t: TestApp;
  let w: WorkerContext;
  let db: Client;
  let cal: WorkingCalendar;

  /** The first working day from `days` ahead. */
  function workingDayAhead(days: number): string {
    for (let d = days; d < days + 30; d++) {
      const date = localDateOf(new Date(Date.now() + d * DAY));
      if (isWorkingDay(cal, date)) return date;
    }
    throw new Error('no working day within 30 days');
  }

  /** The end of a working day, as the engine reads a date. */
  const endOf = (date: string) => localTimestampOf(endOfWorkingDay(cal, date) as Date);

  const iso = (timestamp: string) => new Date(timestamp).toISOString();

  /** A request of resident-1 escalated by branch-1 and dispatched to dept-roads. */
  async function roadProject(): Promise<RequestBody> {
    return driveTo(t, 'assigned', {
      title: uniqueCode('断头路打通'),
      description: '村北断头路需要打通，涉及立项、设计、预算和招投标。',
    });
  }

  /** Runs the notification job of every step of a request, as the worker would. */
  async function deliver(r: { id: string }): Promise<void> {
    const { version } = await getRequest(t, r.id);
    for (let seq = 1; seq <= version; seq++) await w.notifier.notify({ requestId: r.id, seq });
  }

  /** Who has which in-app notice about a request: `username kind`, sorted. */
  async function told(r: { id: string }, kinds: string[]): Promise<string[]> {
    const rows = await t.app
      .get(DatabaseService)
      .manager()
      .query<{ username: string; kind: string }[]>(
        `SELECT u.username, n.kind FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.request_id = $1 AND n.kind = ANY($2)`,
        [r.id, kinds],
      );
    return rows.map((x) => `${x.username} ${x.kind}`).sort();
  }

  /** The supervisors over branch-1 now: other suites add some. */
  async function supervisorsOverBranch1(): Promise<string[]> {
    const { rows } = await db.query<{ username: string }>(
      `SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id, units b
        WHERE b.code = 'branch-1' AND u.role = 'supervisor' AND u.active
          AND b.path LIKE n.path || '%'`,
    );
    return rows.map((r) => r.username);
  }

  /** Who holds a request dispatched to dept-roads without a name: its assignees now. */
  async function roadsOfficers(): Promise<string[]> {
    const { rows } = await db.query<{ username: string }>(
      `SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id
        WHERE n.code = 'dept-roads' AND u.role = 'assignee' AND u.active`,
    );
    return rows.map((r) => r.username);
  }

  beforeAll(async () => {
    t = await startTestApp();
    w = await startWorkerContext();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    cal = (
      await t.http
        .get('/api/v1/calendar')
        .set(await t.as('admin'))
        .expect(200)
    ).body as WorkingCalendar;
  });

  afterAll(async () => {
    try {
      await db?.end();
      await w?.close();
    } finally {
      await stopTestApp(t);
    }
  });

  it('runs the seven-stage road project end to end: plan, approval, milestones in order, resolution', async () => {
    const r = await roadProject();
    // Monthly stages; the first five sent as dates, the last two as timestamps.
    const dates = STAGES.map((_, i) => workingDayAhead(20 + 26 * i));
    const dues = dates.map((date, i) => (i < 5 ? date : endOf(date)));
    const milestones = STAGES.map((name, i) => ({ name, due: dues[i] }));
    const ends = dates.map(endOf);

    const proposed = await sendOk(t, r.id, 'roads-officer', {
      type: 'PROPOSE_PLAN',
      milestones,
      reason: '需立项、设计、预算、财政审批和招投标，预计半年',
    });
    expect(proposed.planPending).toEqual({
      milestones: STAGES.map((name, i) => ({ name, dueAt: iso(ends[i]) })),
      reason: '需立项、设计、预算、财政审批和招投标，预计半年',
    });
    expect(proposed.plan).toBeNull();
    expect(proposed.allowedEvents).not.toContain('HOLD');
    expect((await getRequest(t, r.id, 'town-supervisor')).allowedEvents).toContain('DECIDE_PLAN');
    // Waiting on a supervisor, like an extension: found with the filter.
    const pending = await listAll(t, 'town-supervisor', { planPending: 'true' });
    expect(pending.items.map((i) => i.id)).toContain(r.id);
    const notPending = await listAll(t, 'town-supervisor', { planPending: 'false' });
    expect(notPending.items.map((i) => i.id)).not.toContain(r.id);

    const approved = await sendOk(t, r.id, 'county-supervisor', {
      type: 'DECIDE_PLAN',
      approve: true,
    });
    expect(approved.planPending).toBeNull();
    expect(approved.plan).toEqual({
      done: 0,
      endsAt: iso(ends[6]),
      milestones: STAGES.map((name, i) => ({
        number: i + 1,
        name,
        dueAt: iso(ends[i]),
        status: i === 0 ? 'current' : 'upcoming',
        late: false,
      })),
    });
    // The resolve clock follows the plan's end, the first milestone runs a clock of its own.
    const clock = (req: RequestBody, kind: string) => req.clocks.find((c) => c.kind === kind);
    expect(clock(approved, 'resolve')).toMatchObject({ status: 'running', dueAt: iso(ends[6]) });
    expect(clock(approved, 'milestone')).toMatchObject({ status: 'running', dueAt: iso(ends[0]) });
    expect(approved).toMatchObject({
      nextDueAt: iso(ends[0]),
      nextDueKind: 'milestone',
      overdue: false,
    });
    const { rows } = await db.query<{ due: Date }>(
      `SELECT resolve_due_at AS due FROM requests WHERE id = $1`,
      [r.id],
    );
    expect(rows[0].due.toISOString()).toBe(iso(ends[6]));

    // The plan is the schedule now: no direct resolution, no hold, no extension, no second plan.
    for (const [event, code] of [
      [{ type: 'RESOLVE', resolution: '修好了' }, 'REQUEST.PLAN_RUNNING'],
      [{ type: 'HOLD', reason: '等' }, 'REQUEST.PLAN_RUNNING'],
      [{ type: 'REQUEST_EXTENSION', until: dates[6], reason: '再等等' }, 'REQUEST.PLAN_RUNNING'],
      [{ type: 'PROPOSE_PLAN', milestones, reason: '再来' }, 'REQUEST.PLAN_RUNNING'],
      [{ type: 'DECIDE_PLAN', approve: true }, 'REQUEST.NO_PENDING_PLAN'],
    ] as const) {
      const user = event.type === 'DECIDE_PLAN' ? 'town-supervisor' : 'roads-officer';
      expectProblem(await send(t, r.id, user, event), 409, code);
    }

    for (let i = 0; i < 6; i++) {
      const current = await sendOk(t, r.id, 'roads-officer', {
        type: 'MILESTONE_DONE',
        milestone: i + 1,
        note: `${STAGES[i]}已完成`,
      });
      expect(current.state).toBe('assigned');
      expect(current.plan?.done).toBe(i + 1);
      expect(current.plan?.milestones[i].status).toBe('done');
      // The next milestone's own clock, except the last one's, which is the resolve clock.
      const milestoneClock = clock(current, 'milestone');
      if (i < 5)
        expect(milestoneClock).toMatchObject({ status: 'running', dueAt: iso(ends[i + 1]) });
      else expect(milestoneClock?.status).toBe('stopped');
      expect(current.nextDueAt).toBe(iso(ends[i < 5 ? i + 1 : 6]));
    }
    // The same milestone twice is refused, not taken for the next one.
    const twice = await send(t, r.id, 'roads-officer', {
      type: 'MILESTONE_DONE',
      milestone: 6,
      note: '再点一次',
    });
    expectProblem(twice, 409, 'REQUEST.MILESTONE_OUT_OF_ORDER');
    expect(twice.body.nextMilestone).toBe(7);

    const resolved = await sendOk(t, r.id, 'roads-officer', {
      type: 'MILESTONE_DONE',
      milestone: 7,
      note: '竣工验收，道路已贯通',
    });
    expect(resolved).toMatchObject({ state: 'resolved', resolution: '竣工验收，道路已贯通' });
    expect(resolved.plan?.done).toBe(7);
    expect(clock(resolved, 'resolve')?.status).toBe('stopped');
    expect(clock(resolved, 'feedback')?.status).toBe('running');

    // The resident reads every step, the notes and the milestones they belong to.
    const events = await timeline(t, r.id, 'resident-1');
    expect(events.map((e) => e.type)).toEqual([
      'CREATE',
      'ACCEPT',
      'ESCALATE',
      'ASSIGN',
      'PROPOSE_PLAN',
      'DECIDE_PLAN',
      ...STAGES.map(() => 'MILESTONE_DONE'),
      'RESOLVE',
    ]);
    const done = events.filter((e) => e.type === 'MILESTONE_DONE');
    expect(done.map((e) => e.payload)).toEqual(
      STAGES.map((name, i) => ({
        milestone: i + 1,
        note: i < 6 ? `${name}已完成` : '竣工验收，道路已贯通',
        milestoneName: name,
        milestoneDue: ends[i],
        milestoneCount: 7,
      })),
    );
    expect(events.find((e) => e.type === 'PROPOSE_PLAN')?.payload).toMatchObject({
      milestones: STAGES.map((name, i) => ({ name, due: ends[i] })),
      dueDates: dates.map((date, i) => (i < 5 ? date : null)),
      until: ends[6],
      milestoneCount: 7,
    });
    expect(events.at(-1)).toMatchObject({
      type: 'RESOLVE',
      from: 'assigned',
      to: 'resolved',
      actorRole: 'assignee',
      payload: { resolution: '竣工验收，道路已贯通' },
    });

    // Who heard of it: supervisors of the plan and its milestones, the resident of each step.
    await deliver(r);
    const supervisors = await supervisorsOverBranch1();
    expect(await told(r, ['plan_proposed', 'plan_decided'])).toEqual(
      [
        ...supervisors.map((u) => `${u} plan_proposed`),
        // The deciding supervisor is not told of their own step; the holders are.
        ...(await roadsOfficers()).map((u) => `${u} plan_decided`),
      ].sort(),
    );
    const residentHeard = await told(r, ['plan_approved', 'milestone_done', 'resolved']);
    expect(residentHeard.filter((x) => x.startsWith('resident-1 '))).toEqual(
      [
        'resident-1 plan_approved',
        ...STAGES.map(() => 'resident-1 milestone_done'),
        'resident-1 resolved',
      ].sort(),
    );
    const inbox = await t.http
      .get('/api/v1/me/notifications')
      .query({ pageSize: '100' })
      .set(await t.as('resident-1'))
      .expect(200);
    const mine = (
      inbox.body as {
        items: { requestId: string; kind: string; body: string; feedbackUrl: string | null }[];
      }
    ).items.filter((n) => n.requestId === r.id);
    const fifth = mine.find((n) => n.kind === 'milestone_done' && n.body.includes('财政审批'));
    expect(fifth?.body).toContain('第 5/7 个节点「财政审批」');
    expect(fifth?.body).toContain('财政审批已完成');
    expect(mine.find((n) => n.kind === 'resolved')?.feedbackUrl).toMatch(/\/f\/[A-Za-z0-9_-]{54}$/);

    const closed = await sendOk(t, r.id, 'resident-1', { type: 'CONFIRM', rating: 5 });
    expect(closed).toMatchObject({ state: 'closed', outcome: 'satisfied' });
  });

  it('a plan at an accepted request runs with the branch, and one milestone only moves the resolve clock', async () => {
    const r = await driveTo(t, 'accepted');
    const end = endOf(workingDayAhead(40));
    await sendOk(t, r.id, 'secretary-1', {
      type: 'PROPOSE_PLAN',
      milestones: [{ name: '竣工', due: end }],
      reason: '等施工队',
    });
    const approved = await sendOk(t, r.id, 'town-supervisor', {
      type: 'DECIDE_PLAN',
      approve: true,
    });
    expect(approved.clocks.map((c) => c.kind).sort()).toEqual(['accept', 'resolve']);
    expect(approved.clocks.find((c) => c.kind === 'resolve')?.dueAt).toBe(iso(end));
    const resolved = await sendOk(t, r.id, 'secretary-1', {
      type: 'MILESTONE_DONE',
      milestone: 1,
      note: '已修通',
    });
    expect(resolved).toMatchObject({ state: 'resolved', resolution: '已修通' });
  });

  it('a refused plan needs a reason, tells the owner, and leaves the time limit as it was', async () => {
    const r = await roadProject();
    const dueBefore = r.clocks.find((c) => c.kind === 'resolve')?.dueAt;
    await sendOk(t, r.id, 'roads-officer', {
      type: 'PROPOSE_PLAN',
      milestones: [
        { name: '立项', due: workingDayAhead(20) },
        { name: '竣工', due: workingDayAhead(60) },
      ],
      reason: '工程量大',
    });
    const before = await snapshot(t, r.id);
    const noReason = await send(t, r.id, 'town-supervisor', {
      type: 'DECIDE_PLAN',
      approve: false,
    });
    expectProblem(noReason, 400, 'VALIDATION.FAILED');
    expect(noReason.body.errors).toEqual([
      { field: 'reason', messages: ['reason is required when approve is false'] },
    ]);
    expect(await snapshot(t, r.id)).toEqual(before);

    const refused = await sendOk(t, r.id, 'town-supervisor', {
      type: 'DECIDE_PLAN',
      approve: false,
      reason: '工期太长，请分段处理',
    });
    expect(refused).toMatchObject({ planPending: null, plan: null });
    expect(refused.clocks.find((c) => c.kind === 'resolve')?.dueAt).toBe(dueBefore);
    await deliver(r);
    expect(await told(r, ['plan_decided'])).toEqual(
      (await roadsOfficers()).map((u) => `${u} plan_decided`).sort(),
    );
    // Without a plan the work goes on as before: the owner may resolve it.
    expect((await getRequest(t, r.id, 'roads-officer')).allowedEvents).toEqual(
      expect.arrayContaining(['RESOLVE', 'PROPOSE_PLAN']),
    );
  });

  describe('a plan whose dates do not hold answers 400 naming the field, and writes nothing', () => {
    let r: RequestBody;

    beforeAll(async () => {
      r = await driveTo(t, 'accepted');
    });

    async function propose(milestones: unknown) {
      const before = await snapshot(t, r.id);
      const res = await send(t, r.id, 'secretary-1', {
        type: 'PROPOSE_PLAN',
        milestones,
        reason: '工程项目',
      });
      expectProblem(res, 400, 'VALIDATION.FAILED');
      expect(await snapshot(t, r.id)).toEqual(before);
      return res.body.errors as { field: string; messages: string[] }[];
    }

    it('dates going backwards', async () => {
      const errors = await propose([
        { name: '立项', due: workingDayAhead(60) },
        { name: '初步设计评审', due: workingDayAhead(30) },
        { name: '竣工', due: workingDayAhead(90) },
      ]);
      expect(errors).toEqual([
        {
          field: 'milestones[1].due',
          messages: ['milestones[1].due must be later than milestones[0].due'],
        },
      ]);
    });

    it('a date and a timestamp going backwards once the date is a time', async () => {
      const date = workingDayAhead(30);
      // Noon of that day comes before its end of work (17:30 by default).
      const errors = await propose([
        { name: '立项', due: date },
        { name: '竣工', due: `${date}T12:00:00+08:00` },
      ]);
      expect(errors).toEqual([
        {
          field: 'milestones[1].due',
          messages: ['milestones[1].due must be later than milestones[0].due'],
        },
      ]);
    });

    it('a date that has passed, and one that is no working day', async () => {
      let holiday = '';
      for (let d = 20; !holiday; d++) {
        const date = localDateOf(new Date(Date.now() + d * DAY));
        if (!isWorkingDay(cal, date)) holiday = date;
      }
      const errors = await propose([
        { name: '立项', due: localDateOf(new Date(Date.now() - 40 * DAY)) },
        { name: '设计', due: '2020-01-01T09:00:00+08:00' },
        { name: '竣工', due: holiday },
      ]);
      expect(errors.map((e) => e.field)).toEqual([
        'milestones[0].due',
        'milestones[1].due',
        'milestones[2].due',
      ]);
      expect(errors[1].messages).toEqual(['milestones[1].due must be in the future']);
      expect(errors[2].messages[0]).toMatch(/is not a working day/);
    });

    it('no milestone, thirteen, or a name too long', async () => {
      expect(await propose([])).toEqual([
        { field: 'milestones', messages: ['milestones must be a list of 1 to 12 milestones'] },
      ]);
      const thirteen = Array.from({ length: 13 }, (_, i) => ({
        name: `第${i + 1}步`,
        due: `2099-${String((i % 12) + 1).padStart(2, '0')}-01`,
      }));
      expect((await propose(thirteen))[0].field).toBe('milestones');
      expect(await propose([{ name: '长'.repeat(101), due: workingDayAhead(30) }])).toEqual([
        {
          field: 'milestones[0].name',
          messages: ['milestones[0].name must be at most 100 characters'],
        },
      ]);
    });
  });

  it('one plan at a time: a second proposal, a hold or an extension waits for the decision', async () => {
    const r = await driveTo(t, 'accepted');
    const plan = {
      type: 'PROPOSE_PLAN',
      milestones: [{ name: '竣工', due: workingDayAhead(30) }],
      reason: '等材料',
    };
    await sendOk(t, r.id, 'secretary-1', plan);
    const before = await snapshot(t, r.id);
    expectProblem(await send(t, r.id, 'secretary-1', plan), 409, 'REQUEST.PLAN_PENDING');
    expectProblem(
      await send(t, r.id, 'secretary-1', { type: 'HOLD', reason: '等' }),
      409,
      'REQUEST.PLAN_PENDING',
    );
    expectProblem(
      await send(t, r.id, 'secretary-1', {
        type: 'REQUEST_EXTENSION',
        until: workingDayAhead(30),
        reason: '等',
      }),
      409,
      'REQUEST.PLAN_PENDING',
    );
    expectProblem(
      await send(t, r.id, 'secretary-1', { type: 'MILESTONE_DONE', milestone: 1, note: '完成' }),
      409,
      'REQUEST.NO_PLAN_RUNNING',
    );
    expect(await snapshot(t, r.id)).toEqual(before);
    // Escalating hands the request on: the proposal goes with the old owner.
    const escalated = await sendOk(t, r.id, 'secretary-1', { type: 'ESCALATE', reason: '需镇里' });
    expect(escalated.planPending).toBeNull();
  });

  describe('who may propose, decide and mark milestones', () => {
    let r: RequestBody;
    let otherSupervisor: string;

    beforeAll(async () => {
      r = await roadProject();
      const admin = await t.as('admin');
      const town = (
        await t.http
          .post('/api/v1/units')
          .set(admin)
          .send({
            code: uniqueCode('town'),
            name: '邻镇',
            type: 'town',
            parentId: await unitId(t, 'yinzhou'),
            refPrefix: uniquePrefix(),
          })
          .expect(201)
      ).body as { id: string };
      // By id: the helpers' unit codes were read before this town existed.
      otherSupervisor = uniqueCode('supervisor');
      await t.http
        .post('/api/v1/users')
        .set(admin)
        .send({
          username: otherSupervisor,
          displayName: '邻镇督查',
          password: USER_PASSWORD,
          role: 'supervisor',
          unitId: town.id,
        })
        .expect(201);
    });

    const proposal = () => ({
      type: 'PROPOSE_PLAN',
      milestones: [{ name: '竣工', due: workingDayAhead(30) }],
      reason: '工程项目',
    });

    it('proposing is the holder’s: others get 403, or 404 outside their scope', async () => {
      const before = await snapshot(t, r.id);
      for (const user of ['resident-1', 'dispatcher', 'town-supervisor']) {
        expectProblem(await send(t, r.id, user, proposal()), 403, 'REQUEST.EVENT_FORBIDDEN');
      }
      // The branch secretary works on the request, but the department holds it now.
      expectProblem(await send(t, r.id, 'secretary-1', proposal()), 403, 'REQUEST.NOT_OWNER');
      for (const user of ['secretary-2', 'env-officer', 'resident-2']) {
        expectProblem(await send(t, r.id, user, proposal()), 404, 'REQUEST.NOT_FOUND');
      }
      expect(await snapshot(t, r.id)).toEqual(before);
    });

    it('deciding is for a supervisor above the request', async () => {
      await sendOk(t, r.id, 'roads-officer', proposal());
      const before = await snapshot(t, r.id);
      for (const user of ['roads-officer', 'dispatcher', 'secretary-1', 'resident-1', 'admin']) {
        expectProblem(
          await send(t, r.id, user, { type: 'DECIDE_PLAN', approve: true }),
          403,
          'REQUEST.EVENT_FORBIDDEN',
        );
      }
      expectProblem(
        await send(t, r.id, otherSupervisor, { type: 'DECIDE_PLAN', approve: true }),
        404,
        'REQUEST.NOT_FOUND',
      );
      expect(await snapshot(t, r.id)).toEqual(before);
      await sendOk(t, r.id, 'town-supervisor', { type: 'DECIDE_PLAN', approve: true });
    });

    it('marking a milestone done is the holder’s', async () => {
      const done = { type: 'MILESTONE_DONE', milestone: 1, note: '完成' };
      const before = await snapshot(t, r.id);
      for (const user of ['resident-1', 'town-supervisor', 'dispatcher']) {
        expectProblem(await send(t, r.id, user, done), 403, 'REQUEST.EVENT_FORBIDDEN');
      }
      expectProblem(await send(t, r.id, 'secretary-1', done), 403, 'REQUEST.NOT_OWNER');
      expectProblem(await send(t, r.id, otherSupervisor, done), 404, 'REQUEST.NOT_FOUND');
      expect(await snapshot(t, r.id)).toEqual(before);
      expect((await sendOk(t, r.id, 'roads-officer', done)).state).toBe('resolved');
    });
  });

  it('a resident’s request without a plan shows none; a request never stored one reads the same', async () => {
    const r = await createRequest(t);
    expect(r).toMatchObject({ planPending: null, plan: null });
    // Requests stored before plans existed have neither key in their context.
    await db.query(
      `UPDATE requests SET context = context - 'plan' - 'planRequested' WHERE id = $1`,
      [r.id],
    );
    const read = await getRequest(t, r.id, 'secretary-1');
    expect(read).toMatchObject({ planPending: null, plan: null });
    const accepted = await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
    expect(accepted.allowedEvents).toContain('PROPOSE_PLAN');
    expect(accepted.allowedEvents).not.toContain('MILESTONE_DONE');
  });
});
