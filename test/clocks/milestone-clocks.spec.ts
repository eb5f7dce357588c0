import type { ClockRow } from '../../src/modules/clocks/clocks.repository';
import { DatabaseService } from '../../src/database/database.service';
import {
  createRequest,
  expectProblem,
  getRequest,
  listAll,
  type RequestBody,
  send,
  sendOk,
  timeline,
  uniqueCode,
  uniquePrefix,
  unitId,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';
import { dueBy, startWorkerContext, type WorkerContext } from '../support/worker-context';

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** 24x7 limits: accept and resolve limits of two seconds (requests are accepted at once) that a plan outlasts, one warning at half time. */
const POLICY = {
  clock: '24x7',
  accept: 'PT2S',
  dispatch: 'PT1H',
  resolve: 'PT2S',
  feedback: 'P3D',
  warnAt: [0.5],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (ms: number) => new Date(ms).toISOString();

interface Overdue {
  items: {
    id: string;
    dueAt: string;
    hoursLate: number;
    state: string;
    lateMilestone: { number: number; of: number; name: string; dueAt: string } | null;
  }[];
  total: number;
}

/**
 * A milestone's clock warns and escalates through the deadline machinery like any other clock,
 * driven here by hand through the worker's services; the resolve clock waits for the plan's end,
 * so a request on a plan is neither overdue nor late in the figures before then, while a late
 * milestone shows on the overdue board.
 */
describe('milestone clocks, the overdue board and the figures', () => {
  let t: TestApp;
  let w: WorkerContext;
  let category: string;
  /** A town of this suite's own, so every count below is known. */
  const town = {} as Record<'town' | 'branch' | 'dept', string>;
  const staff = {} as Record<'secretary' | 'dispatcher' | 'supervisor' | 'officer', string>;

  async function admin(path: string, body: object): Promise<{ id: string }> {
    const res = await t.http
      .post(`/api/v1${path}`)
      .set(await t.as('admin'))
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  /** Another branch of the town, with its own secretary: a set of requests of its own. */
  async function branchWithSecretary(): Promise<{ branch: string; secretary: string }> {
    const branch = (
      await admin('/units', {
        code: uniqueCode('branch'),
        name: '计划村',
        type: 'branch',
        parentId: town.town,
      })
    ).id;
    const secretary = uniqueCode('secretary');
    await admin('/users', {
      username: secretary,
      displayName: secretary,
      password: USER_PASSWORD,
      role: 'secretary',
      unitId: branch,
    });
    return { branch, secretary };
  }

  /** A request the secretary records for a resident and accepts. */
  async function accepted(secretary: string, title: string): Promise<RequestBody> {
    const r = await createRequest(t, secretary, {
      title,
      category,
      // Urgent: warnings go out at any hour rather than waiting for working hours.
      priority: 'urgent',
      channel: 'visit',
      residentName: '测试居民',
      residentPhone: '13900000000',
    });
    return sendOk(t, r.id, secretary, { type: 'ACCEPT' });
  }

  /** Proposed by the secretary and approved by the town's supervisor. */
  async function onPlan(
    secretary: string,
    r: RequestBody,
    milestones: { name: string; due: string }[],
  ): Promise<RequestBody> {
    await sendOk(t, r.id, secretary, { type: 'PROPOSE_PLAN', milestones, reason: '工程项目' });
    return sendOk(t, r.id, staff.supervisor, { type: 'DECIDE_PLAN', approve: true });
  }

  /** Fires a clock's steps as the worker would once each is due, until one breaches. */
  async function breach(r: RequestBody, kind: ClockRow['kind']): Promise<void> {
    for (let i = 0; i < 5; i++) {
      const c = await w.clock(r.id, kind);
      const outcome = await w.deadlines.fire(c.id, c.generation, c.step, dueBy(c));
      if (outcome === 'breached') return;
      expect(outcome).toBe('warned');
    }
    throw new Error(`the ${kind} clock of ${r.reference} never breached`);
  }

  async function board(unit: string): Promise<Overdue> {
    const res = await t.http
      .get('/api/v1/supervision/overdue')
      .query({ unitId: unit, pageSize: '100' })
      .set(await t.as(staff.supervisor))
      .expect(200);
    return res.body as Overdue;
  }

  /** Who has which in-app notice about a request: `username kind`, sorted. */
  async function told(
    r: { id: string },
    kinds: string[],
  ): Promise<{ who: string; body: string }[]> {
    return t.app
      .get(DatabaseService)
      .manager()
      .query<{ who: string; body: string }[]>(
        `SELECT u.username || ' ' || n.kind AS who, n.body_zh AS body
           FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.request_id = $1 AND n.kind = ANY($2) ORDER BY 1`,
        [r.id, kinds],
      );
  }

  /** Every active supervisor whose subtree holds the unit, now: other suites add some. */
  async function supervisorsOver(unit: string): Promise<string[]> {
    const rows = await t.app
      .get(DatabaseService)
      .manager()
      .query<{ username: string }[]>(
        `SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id, units b
          WHERE b.id = $1 AND u.role = 'supervisor' AND u.active AND b.path LIKE n.path || '%'`,
        [unit],
      );
    return rows.map((x) => x.username);
  }

  beforeAll(async () => {
    t = await startTestApp();
    w = await startWorkerContext();
    category = uniqueCode('plan');
    await admin('/categories', { code: category, name: `节点测试 ${category}`, nameEn: category });
    await t.http
      .put(`/api/v1/sla-policies/${category}/urgent`)
      .set(await t.as('admin'))
      .send(POLICY)
      .expect(200);
    town.town = (
      await admin('/units', {
        code: uniqueCode('town'),
        name: '节点镇',
        type: 'town',
        parentId: await unitId(t, 'yinzhou'),
        refPrefix: uniquePrefix(),
      })
    ).id;
    town.dept = (
      await admin('/units', {
        code: uniqueCode('dept'),
        name: '节点镇交通办',
        type: 'department',
        parentId: town.town,
      })
    ).id;
    const first = await branchWithSecretary();
    town.branch = first.branch;
    staff.secretary = first.secretary;
    for (const [who, role, unit] of [
      ['dispatcher', 'dispatcher', town.town],
      ['supervisor', 'supervisor', town.town],
      ['officer', 'assignee', town.dept],
    ] as const) {
      staff[who] = uniqueCode(role);
      await admin('/users', {
        username: staff[who],
        displayName: staff[who],
        password: USER_PASSWORD,
        role,
        unitId: unit,
      });
    }
  });

  afterAll(async () => {
    try {
      await w?.close();
    } finally {
      await stopTestApp(t);
    }
  });

  it('a late milestone warns, escalates, shows on the overdue board and leaves it once done', async () => {
    const r = await accepted(staff.secretary, '断头路打通');
    const firstDue = Date.now() + 5 * SECOND;
    const approved = await onPlan(staff.secretary, r, [
      { name: '立项', due: at(firstDue) },
      { name: '招投标', due: at(Date.now() + 2 * HOUR) },
      { name: '竣工', due: at(Date.now() + 3 * HOUR) },
    ]);
    const clock = await w.clock(r.id, 'milestone');
    expect(clock).toMatchObject({ status: 'running', step: 'w0', generation: 1 });
    expect(clock.dueAt?.getTime()).toBe(firstDue);
    expect(approved.clocks.find((c) => c.kind === 'resolve')?.dueAt).toBe(
      at(Date.parse(approved.plan?.endsAt as string)),
    );

    // A job that comes before its time changes nothing and is put back to wait.
    const early = await w.deadlines.attempt(
      clock.id,
      clock.generation,
      clock.step,
      new Date((clock.nextFireAt as Date).getTime() - SECOND),
    );
    expect(early).toEqual({ outcome: 'early', notBefore: clock.nextFireAt });

    // Half the milestone's time gone: its holders are warned, naming the milestone.
    expect(await w.deadlines.fire(clock.id, clock.generation, clock.step, dueBy(clock))).toBe(
      'warned',
    );
    const warned = await getRequest(t, r.id);
    expect(warned).toMatchObject({ state: 'accepted', version: approved.version + 1 });
    await w.notifier.notify({ requestId: r.id, seq: warned.version });
    const warning = await told(r, ['deadline_warning']);
    expect(warning.map((x) => x.who)).toEqual([`${staff.secretary} deadline_warning`]);
    expect(warning[0].body).toContain('节点「立项」时限已用去50%');

    await sleep(Math.max(0, firstDue - Date.now()) + 100);
    expect(await w.clock(r.id, 'milestone')).toMatchObject({ step: 'due' });
    await breach(r, 'milestone');
    const escalated = await getRequest(t, r.id, staff.supervisor);
    expect(escalated).toMatchObject({
      state: 'escalated',
      escalationLevel: 1,
      owner: { id: town.town },
      overdue: false,
      overdueSince: null,
    });
    expect(escalated.plan?.milestones[0]).toMatchObject({ status: 'current', late: true });
    expect(escalated.clocks.find((c) => c.kind === 'milestone')?.status).toBe('breached');
    const events = await timeline(t, r.id);
    expect(events.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      [
        'DEADLINE_WARNING',
        {
          clock: 'milestone',
          fraction: 0.5,
          milestone: 1,
          milestoneName: '立项',
          milestoneCount: 3,
        },
      ],
      [
        'DEADLINE_BREACHED',
        {
          clock: 'milestone',
          milestone: 1,
          milestoneName: '立项',
          milestoneCount: 3,
          ownerUnitId: town.town,
          fromOwnerUnitId: town.branch,
          escalationLevel: 1,
        },
      ],
    ]);
    await w.notifier.notify({ requestId: r.id, seq: escalated.version });
    // The town's dispatcher and supervisor now hold it; every supervisor above is told too.
    const breached = await told(r, ['deadline_breached']);
    const above = await supervisorsOver(town.branch);
    expect(above).toContain(staff.supervisor);
    expect(breached.map((x) => x.who)).toEqual(
      [...new Set([staff.dispatcher, ...above])].map((u) => `${u} deadline_breached`).sort(),
    );
    expect(breached[0].body).toContain('已超过节点「立项」时限');

    // On the board, with which milestone; overdue since the milestone was due.
    const listed = (await board(town.town)).items.find((i) => i.id === r.id);
    expect(listed).toMatchObject({
      state: 'escalated',
      dueAt: at(firstDue),
      lateMilestone: { number: 1, of: 3, name: '立项', dueAt: at(firstDue) },
    });
    expect(listed?.hoursLate).toBeGreaterThanOrEqual(0);
    // The export names it too.
    const csv = await t.http
      .get('/api/v1/supervision/overdue')
      .query({ unitId: town.town, pageSize: '100', format: 'csv' })
      .set(await t.as(staff.supervisor))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    const line = (csv.body as string).split('\r\n').find((l) => l.startsWith(r.reference));
    expect(line?.endsWith(',1/3 立项')).toBe(true);

    // The town dispatches it; the department finishes the late milestone and the plan goes on.
    await sendOk(t, r.id, staff.dispatcher, { type: 'ASSIGN', assigneeUnitId: town.dept });
    const moving = await sendOk(t, r.id, staff.officer, {
      type: 'MILESTONE_DONE',
      milestone: 1,
      note: '立项批复已下达',
    });
    expect(moving.plan?.milestones.map((m) => [m.status, m.late])).toEqual([
      ['done', false],
      ['current', false],
      ['upcoming', false],
    ]);
    expect(moving.clocks.find((c) => c.kind === 'milestone')).toMatchObject({
      status: 'running',
      dueAt: moving.plan?.milestones[1].dueAt,
    });
    expect((await board(town.town)).items.map((i) => i.id)).not.toContain(r.id);
  });

  it('a plan whose first milestone fell due while it waited cannot be approved, only refused', async () => {
    const r = await accepted(staff.secretary, '计划过期');
    const due = Date.now() + 1500;
    await sendOk(t, r.id, staff.secretary, {
      type: 'PROPOSE_PLAN',
      milestones: [
        { name: '立项', due: at(due) },
        { name: '竣工', due: at(Date.now() + HOUR) },
      ],
      reason: '工程项目',
    });
    await sleep(due - Date.now() + 100);
    const before = await getRequest(t, r.id);
    const late = await send(t, r.id, staff.supervisor, { type: 'DECIDE_PLAN', approve: true });
    expectProblem(late, 409, 'REQUEST.PLAN_OUTDATED');
    expect(late.body.dueAt).toBe(at(due));
    expect(await getRequest(t, r.id)).toEqual(before);
    const refused = await sendOk(t, r.id, staff.supervisor, {
      type: 'DECIDE_PLAN',
      approve: false,
      reason: '计划已过期，请重新提交',
    });
    expect(refused).toMatchObject({ planPending: null, plan: null });
  });

  it('inside an approved plan a request is neither overdue nor late until the plan’s end; the figures agree', async () => {
    const T0 = Date.now();
    const { branch, secretary } = await branchWithSecretary();
    const later = (ms: number) => at(Date.now() + ms);

    // P3 first: its first milestone is due in three seconds.
    const p3 = await accepted(secretary, 'P3 节点逾期');
    const p3Due = Date.now() + 3 * SECOND;
    await onPlan(secretary, p3, [
      { name: '立项', due: at(p3Due) },
      { name: '竣工', due: later(2 * HOUR) },
    ]);
    const p1 = await accepted(secretary, 'P1 按计划办理中');
    await onPlan(secretary, p1, [
      { name: '设计', due: later(HOUR) },
      { name: '竣工', due: later(2 * HOUR) },
    ]);
    const p2 = await accepted(secretary, 'P2 按计划办结');
    await onPlan(secretary, p2, [{ name: '竣工', due: later(2 * HOUR) }]);
    const c1 = await accepted(secretary, 'C1 无计划超时');
    const c2 = await accepted(secretary, 'C2 无计划迟办');

    // Every two-second resolve limit, and P3's first milestone, have passed.
    const created = [p3, p1, p2, c1, c2].map((r) => Date.parse(r.createdAt));
    await sleep(Math.max(p3Due, ...created.map((c) => c + 2 * SECOND)) - Date.now() + 100);
    const p1Clock = await w.clock(p1.id, 'resolve');
    // The job of the resolve limit set at submission is stale; the clock waits for the plan.
    expect(await w.deadlines.fire(p1Clock.id, 1, 'w0', new Date())).toBe('stale');
    expect(
      await w.deadlines.attempt(p1Clock.id, p1Clock.generation, p1Clock.step, new Date()),
    ).toMatchObject({ outcome: 'early' });
    await breach(p3, 'milestone');
    await breach(c1, 'resolve');
    const p2Resolved = await sendOk(t, p2.id, secretary, {
      type: 'MILESTONE_DONE',
      milestone: 1,
      note: '已竣工',
    });
    expect(p2Resolved.state).toBe('resolved');
    await sendOk(t, c2.id, secretary, { type: 'RESOLVE', resolution: '迟了' });

    const seen = async (r: RequestBody) => getRequest(t, r.id, staff.supervisor);
    expect(await seen(p1)).toMatchObject({ state: 'accepted', overdue: false });
    expect(await seen(p3)).toMatchObject({ state: 'escalated', overdue: false });
    expect(await seen(c1)).toMatchObject({ state: 'escalated', overdue: true });
    const overdueListed = await listAll(t, staff.supervisor, { branchId: branch, overdue: 'true' });
    expect(overdueListed.items.map((i) => i.id)).toEqual([c1.id]);

    const onBoard = await board(branch);
    expect(onBoard.total).toBe(2);
    expect(
      Object.fromEntries(onBoard.items.map((i) => [i.id, i.lateMilestone?.name ?? null])),
    ).toEqual({ [p3.id]: '立项', [c1.id]: null });

    async function figures(to: number) {
      const res = await t.http
        .get('/api/v1/supervision/stats')
        .query({ unitId: branch, from: at(T0 - HOUR), to: at(to) })
        .set(await t.as(staff.supervisor))
        .expect(200);
      return (res.body as { totals: Record<string, number | null> }).totals;
    }
    // Due so far: only the two requests without a plan; a plan's requests are due at its end.
    expect(await figures(Date.now() + 60 * SECOND)).toMatchObject({
      received: 5,
      accepted: 5,
      escalated: 2,
      resolved: 2,
      resolvedOnTime: 1,
      onTimeRate: 0.5,
      overdueNow: 1,
      dueInPeriod: 2,
      solvedOfDue: 0,
    });
    expect(await figures(Date.now() + 3 * HOUR)).toMatchObject({
      received: 5,
      overdueNow: 1,
      dueInPeriod: 5,
    });
  });
});
