import {
  createRequest,
  createUser,
  driveTo,
  expectProblem,
  getRequest,
  countRequests,
  findListed,
  send,
  sendOk,
  timeline,
  uniqueTitle,
  unitId,
  userId,
  type RequestBody,
  type Target,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';

describe('the closed loop over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => stopTestApp(t));

  it('submit → ACCEPT → RESOLVE → CONFIRM → closed', async () => {
    const created = await t.http
      .post('/api/v1/requests')
      .set(await t.as('resident-1'))
      .send({ title: uniqueTitle('村口路灯不亮'), description: '晚上看不见路', category: 'roads' })
      .expect(201);
    expect(created.body).toMatchObject({
      state: 'submitted',
      version: 1,
      channel: 'app',
      priority: 'normal',
      branch: { code: 'branch-1' },
      owner: { code: 'branch-1' },
      category: { code: 'roads' },
      escalationLevel: 0,
      reopenCount: 0,
      returnCount: 0,
      closedAt: null,
    });
    expect(created.body.reference).toMatch(/^XX-\d{4}-\d{6}$/);
    expect(created.headers.location).toBe(`/api/v1/requests/${created.body.id}`);
    expect(created.headers.etag).toBe('"1"');
    expect([...created.body.allowedEvents].sort()).toEqual(['COMMENT', 'WITHDRAW']);
    const id = created.body.id as string;

    const forSecretary = await getRequest(t, id, 'secretary-1');
    expect([...forSecretary.allowedEvents].sort()).toEqual([
      'ACCEPT',
      'COMMENT',
      'MERGE',
      'REJECT',
      'RETURN',
    ]);

    const accepted = await sendOk(t, id, 'secretary-1', { type: 'ACCEPT' });
    expect(accepted).toMatchObject({ state: 'accepted', version: 2, owner: { code: 'branch-1' } });
    const resolved = await send(t, id, 'secretary-1', {
      type: 'RESOLVE',
      resolution: '已更换灯泡',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.headers.etag).toBe('"3"');
    expect(resolved.body).toMatchObject({
      state: 'resolved',
      resolution: '已更换灯泡',
      version: 3,
    });
    expect([...resolved.body.allowedEvents].sort()).toEqual(['CLOSE', 'COMMENT']);
    const forResident = await getRequest(t, id, 'resident-1');
    expect([...forResident.allowedEvents].sort()).toEqual([
      'COMMENT',
      'CONFIRM',
      'DISPUTE',
      'WITHDRAW',
    ]);

    const closed = await send(t, id, 'resident-1', { type: 'CONFIRM', rating: 5, comment: '谢谢' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      state: 'closed',
      outcome: 'satisfied',
      rating: 5,
      version: 4,
    });
    expect(closed.body.closedAt).toEqual(expect.any(String));
    expect(closed.body.allowedEvents).toEqual(['COMMENT']);

    const events = await timeline(t, id, 'resident-1');
    expect(events.map((e) => e.type)).toEqual(['CREATE', 'ACCEPT', 'RESOLVE', 'CONFIRM']);
  });

  it('a rating of 1 or 2 closes the request as dissatisfied', async () => {
    const r = await driveTo(t, 'resolvedAtBranch');
    const closed = await sendOk(t, r.id, 'resident-1', { type: 'CONFIRM', rating: 2 });
    expect(closed).toMatchObject({ state: 'closed', outcome: 'dissatisfied', rating: 2 });
  });

  it('the escalation loop: ESCALATE → ASSIGN → RESOLVE → DISPUTE → RESOLVE → CLOSE', async () => {
    const roads = await unitId(t, 'dept-roads');
    const town = await unitId(t, 'xianxiang');
    const r = await createRequest(t, 'resident-1', { title: uniqueTitle('学校门口污水') });

    await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
    const escalated = await sendOk(t, r.id, 'secretary-1', {
      type: 'ESCALATE',
      reason: '需要镇里协调施工队',
    });
    expect(escalated).toMatchObject({
      state: 'escalated',
      escalationLevel: 1,
      owner: { id: town, code: 'xianxiang' },
    });
    expect(escalated.allowedEvents).toEqual(['COMMENT']);
    const forDispatcher = await getRequest(t, r.id, 'dispatcher');
    expect([...forDispatcher.allowedEvents].sort()).toEqual(['ASSIGN', 'COMMENT']);

    // Before the dispatch the roads office cannot even see it.
    expectProblem(
      await t.http.get(`/api/v1/requests/${r.id}`).set(await t.as('roads-officer')),
      404,
      'REQUEST.NOT_FOUND',
    );

    const assigned = await sendOk(t, r.id, 'dispatcher', { type: 'ASSIGN', assigneeUnitId: roads });
    expect(assigned).toMatchObject({
      state: 'assigned',
      assigneeUnit: { id: roads, code: 'dept-roads' },
      assigneeUserId: null,
      owner: { code: 'dept-roads' },
    });
    const forOfficer = await getRequest(t, r.id, 'roads-officer');
    expect([...forOfficer.allowedEvents].sort()).toEqual([
      'COMMENT',
      'HOLD',
      'PROPOSE_PLAN',
      'REQUEST_EXTENSION',
      'RESOLVE',
    ]);

    const resolved = await sendOk(t, r.id, 'roads-officer', {
      type: 'RESOLVE',
      resolution: '已疏通管道',
    });
    expect(resolved.state).toBe('resolved');

    const disputed = await sendOk(t, r.id, 'resident-1', {
      type: 'DISPUTE',
      comment: '下雨又冒出来了',
    });
    expect(disputed).toMatchObject({
      state: 'assigned',
      reopenCount: 1,
      assigneeUnit: { code: 'dept-roads' },
    });

    await sendOk(t, r.id, 'roads-officer', { type: 'RESOLVE', resolution: '更换了整段管道' });
    const closed = await sendOk(t, r.id, 'secretary-1', {
      type: 'CLOSE',
      note: '电话回访，居民表示满意',
      satisfied: true,
    });
    expect(closed).toMatchObject({
      state: 'closed',
      outcome: 'satisfied',
      reopenCount: 1,
      resolution: '更换了整段管道',
    });

    const events = await timeline(t, r.id);
    expect(events.map((e) => [e.type, e.from, e.to, e.actor?.username])).toEqual([
      ['CREATE', null, 'submitted', 'resident-1'],
      ['ACCEPT', 'submitted', 'accepted', 'secretary-1'],
      ['ESCALATE', 'accepted', 'escalated', 'secretary-1'],
      ['ASSIGN', 'escalated', 'assigned', 'dispatcher'],
      ['RESOLVE', 'assigned', 'resolved', 'roads-officer'],
      ['DISPUTE', 'resolved', 'assigned', 'resident-1'],
      ['RESOLVE', 'assigned', 'resolved', 'roads-officer'],
      ['CLOSE', 'resolved', 'closed', 'secretary-1'],
    ]);
    expect(events[2].payload).toMatchObject({ reason: '需要镇里协调施工队', escalationLevel: 1 });
    expect(events[3].payload).toMatchObject({ assigneeUnitId: roads, ownerUnitId: roads });
    expect(events[7].payload).toMatchObject({ note: '电话回访，居民表示满意', satisfied: true });
  });

  it('a dispute of a branch resolution sends it back to the branch (accepted)', async () => {
    const r = await driveTo(t, 'resolvedAtBranch');
    const disputed = await sendOk(t, r.id, 'resident-1', { type: 'DISPUTE', comment: '没修好' });
    expect(disputed).toMatchObject({
      state: 'accepted',
      reopenCount: 1,
      owner: { code: 'branch-1' },
    });
  });

  it('CLOSE after a call-back with satisfied false or unknown records that outcome', async () => {
    const a = await driveTo(t, 'resolvedAtBranch');
    const b = await driveTo(t, 'resolvedAtBranch');
    const no = await sendOk(t, a.id, 'secretary-1', {
      type: 'CLOSE',
      note: '不满意',
      satisfied: false,
    });
    const unknown = await sendOk(t, b.id, 'secretary-1', { type: 'CLOSE', note: '电话无人接听' });
    expect([no.outcome, unknown.outcome]).toEqual(['dissatisfied', 'unknown']);
    expect([no.state, unknown.state]).toEqual(['closed', 'closed']);
  });

  it('REJECT with a reason ends the request', async () => {
    const r = await createRequest(t);
    const rejected = await sendOk(t, r.id, 'secretary-1', {
      type: 'REJECT',
      reason: '属于私人纠纷，已建议走调解',
    });
    expect(rejected).toMatchObject({ state: 'rejected', version: 2 });
    expect(rejected.closedAt).toEqual(expect.any(String));
    const forResident = await getRequest(t, r.id, 'resident-1');
    expect(forResident.allowedEvents).toEqual(['COMMENT']);
    const [, reject] = await timeline(t, r.id, 'resident-1');
    expect(reject).toMatchObject({
      type: 'REJECT',
      from: 'submitted',
      to: 'rejected',
      payload: { reason: '属于私人纠纷，已建议走调解' },
    });
  });

  it('RETURN moves a request to another branch: its secretary sees it, the first no longer', async () => {
    const branch2 = await unitId(t, 'branch-2');
    const r = await createRequest(t);
    const returned = await sendOk(t, r.id, 'secretary-1', {
      type: 'RETURN',
      reason: '地点在咸二村',
      branchId: branch2,
    });
    expect(returned).toMatchObject({
      state: 'submitted',
      returnCount: 1,
      branch: { id: branch2, code: 'branch-2' },
      owner: { code: 'branch-2' },
      reference: r.reference,
    });
    // Bouncing between branches buys no time: the request keeps its creation time and its
    // clocks exactly as they were (compared with themselves, so the test needs no wall clock).
    expect(returned.createdAt).toBe(r.createdAt);
    const byKind = (clocks: RequestBody['clocks']) =>
      Object.fromEntries(clocks.map((c) => [c.kind, c]));
    expect(byKind(r.clocks).resolve).toEqual(expect.objectContaining({ status: 'running' }));
    expect(byKind(returned.clocks)).toEqual(byKind(r.clocks));

    expectProblem(
      await t.http.get(`/api/v1/requests/${r.id}`).set(await t.as('secretary-1')),
      404,
      'REQUEST.NOT_FOUND',
    );
    const forSecretary2 = await getRequest(t, r.id, 'secretary-2');
    expect([...forSecretary2.allowedEvents].sort()).toEqual([
      'ACCEPT',
      'COMMENT',
      'MERGE',
      'REJECT',
      'RETURN',
    ]);
    expect((await findListed(t, 'secretary-2', r.id))?.branch.code).toBe('branch-2');
    expect(await findListed(t, 'secretary-1', r.id, { state: 'submitted' })).toBeUndefined();
    expect((await getRequest(t, r.id, 'resident-1')).branch.code).toBe('branch-2');

    const [, ret] = await timeline(t, r.id, 'secretary-2');
    expect(ret.payload).toMatchObject({
      reason: '地点在咸二村',
      branchId: branch2,
      fromBranchId: await unitId(t, 'branch-1'),
    });

    const accepted = await sendOk(t, r.id, 'secretary-2', { type: 'ACCEPT' });
    expect(accepted).toMatchObject({ state: 'accepted', owner: { code: 'branch-2' } });
    expectProblem(
      await send(t, r.id, 'secretary-1', { type: 'RESOLVE', resolution: '越权处理' }),
      404,
      'REQUEST.NOT_FOUND',
    );
  });

  it.each<[Target, string]>([
    ['submitted', 'submitted'],
    ['accepted', 'accepted'],
    ['escalated', 'escalated'],
    ['assigned', 'assigned'],
    ['resolved', 'resolved'],
    ['rejectedThenReopened', 'escalated'],
  ])('WITHDRAW from %s', async (target, from) => {
    const r = await driveTo(t, target);
    expect(r.state).toBe(from);
    const withdrawn = await sendOk(t, r.id, 'resident-1', { type: 'WITHDRAW', reason: '不需要了' });
    expect(withdrawn).toMatchObject({
      state: 'withdrawn',
      onHold: false,
      extensionRequested: null,
    });
    expect(withdrawn.closedAt).toEqual(expect.any(String));
    const events = await timeline(t, r.id);
    expect(events.at(-1)).toMatchObject({ type: 'WITHDRAW', from, to: 'withdrawn' });
  });

  it('WITHDRAW without a reason is fine; a closed request cannot be withdrawn', async () => {
    const open = await createRequest(t);
    expect((await sendOk(t, open.id, 'resident-1', { type: 'WITHDRAW' })).state).toBe('withdrawn');
    const closed = await driveTo(t, 'closedAtBranch');
    const res = await send(t, closed.id, 'resident-1', { type: 'WITHDRAW' });
    expectProblem(res, 409, 'REQUEST.TRANSITION_NOT_ALLOWED');
  });

  it('REOPEN by the town supervisor turns a rejected request into an escalated one', async () => {
    const r = await driveTo(t, 'rejected');
    const forSupervisor = await getRequest(t, r.id, 'town-supervisor');
    expect([...forSupervisor.allowedEvents].sort()).toEqual(['COMMENT', 'REOPEN']);
    const reopened = await sendOk(t, r.id, 'town-supervisor', {
      type: 'REOPEN',
      reason: '驳回理由不成立',
    });
    expect(reopened).toMatchObject({
      state: 'escalated',
      reopenCount: 1,
      escalationLevel: 1,
      closedAt: null,
      owner: { code: 'xianxiang' },
    });
    // … and the dispatcher can now send it on.
    const assigned = await sendOk(t, r.id, 'dispatcher', {
      type: 'ASSIGN',
      assigneeUnitId: await unitId(t, 'dept-roads'),
    });
    expect(assigned.state).toBe('assigned');
  });

  it('REOPEN by the county supervisor works too', async () => {
    const r = await driveTo(t, 'rejected');
    const reopened = await sendOk(t, r.id, 'county-supervisor', { type: 'REOPEN', reason: '复核' });
    expect(reopened.state).toBe('escalated');
  });

  it.each(['town-supervisor', 'county-supervisor'])('ASSIGN by %s', async (supervisor) => {
    const r = await driveTo(t, 'escalated');
    const env = await unitId(t, 'dept-environment');
    const assigned = await sendOk(t, r.id, supervisor, { type: 'ASSIGN', assigneeUnitId: env });
    expect(assigned).toMatchObject({ state: 'assigned', assigneeUnit: { id: env } });
    expect((await getRequest(t, r.id, 'env-officer')).state).toBe('assigned');
    const [last] = (await timeline(t, r.id)).slice(-1);
    expect(last).toMatchObject({ type: 'ASSIGN', actorRole: 'supervisor' });
    expect(last.actor?.username).toBe(supervisor);
  });

  it('ASSIGN to a named lead cadre: only that person may resolve', async () => {
    const r = await driveTo(t, 'escalated');
    const officer = await userId(t, 'roads-officer');
    const assigned = await sendOk(t, r.id, 'dispatcher', {
      type: 'ASSIGN',
      assigneeUnitId: await unitId(t, 'dept-roads'),
      assigneeUserId: officer,
    });
    expect(assigned).toMatchObject({
      assigneeUserId: officer,
      assigneeUnit: { code: 'dept-roads' },
    });
    // A colleague in the same office sees it, but the work is not theirs.
    const colleague = await createUser(t, 'assignee', 'dept-roads');
    expect((await getRequest(t, r.id, colleague.username)).allowedEvents).toEqual(['COMMENT']);
    expectProblem(
      await send(t, r.id, colleague.username, { type: 'RESOLVE', resolution: '我来' }),
      403,
      'REQUEST.EVENT_FORBIDDEN',
    );
    expect(
      (await sendOk(t, r.id, 'roads-officer', { type: 'RESOLVE', resolution: '已修' })).state,
    ).toBe('resolved');
  });

  it('REASSIGN moves the work to another department, which now sees it instead', async () => {
    const r = await driveTo(t, 'assigned');
    const env = await unitId(t, 'dept-environment');
    const envOfficer = await userId(t, 'env-officer');
    const reassigned = await sendOk(t, r.id, 'dispatcher', {
      type: 'REASSIGN',
      assigneeUnitId: env,
      assigneeUserId: envOfficer,
      reason: '属于环境问题',
    });
    expect(reassigned).toMatchObject({
      state: 'assigned',
      assigneeUnit: { id: env, code: 'dept-environment' },
      assigneeUserId: envOfficer,
      owner: { code: 'dept-environment' },
    });
    expectProblem(
      await t.http.get(`/api/v1/requests/${r.id}`).set(await t.as('roads-officer')),
      404,
      'REQUEST.NOT_FOUND',
    );
    expect((await getRequest(t, r.id, 'env-officer')).allowedEvents).toContain('RESOLVE');
    const again = await sendOk(t, r.id, 'town-supervisor', {
      type: 'REASSIGN',
      assigneeUnitId: await unitId(t, 'dept-roads'),
    });
    expect(again).toMatchObject({ assigneeUnit: { code: 'dept-roads' }, assigneeUserId: null });
    const types = (await timeline(t, r.id)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['REASSIGN', 'REASSIGN']);
  });

  it('HOLD and RESUME by the branch secretary while accepted', async () => {
    const r = await driveTo(t, 'accepted');
    const held = await sendOk(t, r.id, 'secretary-1', { type: 'HOLD', reason: '等待村民提供照片' });
    expect(held).toMatchObject({ state: 'accepted', onHold: true, holdCount: 1 });
    expect(held.allowedEvents).toContain('RESUME');
    expect(held.allowedEvents).not.toContain('HOLD');
    const twice = await send(t, r.id, 'secretary-1', { type: 'HOLD', reason: '再挂起' });
    expectProblem(twice, 409, 'REQUEST.ALREADY_ON_HOLD');
    expect(twice.body).toMatchObject({ state: 'accepted', allowedEvents: expect.any(Array) });
    const resumed = await sendOk(t, r.id, 'secretary-1', { type: 'RESUME' });
    expect(resumed).toMatchObject({ onHold: false, holdCount: 1 });
    expectProblem(
      await send(t, r.id, 'secretary-1', { type: 'RESUME' }),
      409,
      'REQUEST.NOT_ON_HOLD',
    );
    const heldAgain = await sendOk(t, r.id, 'secretary-1', { type: 'HOLD', reason: '第二次' });
    expect(heldAgain.holdCount).toBe(2);
    // Resolving ends the hold.
    const resolved = await sendOk(t, r.id, 'secretary-1', {
      type: 'RESOLVE',
      resolution: '已处理',
    });
    expect(resolved).toMatchObject({ state: 'resolved', onHold: false });
  });

  it('a resident adding information resumes a request on hold', async () => {
    const r = await driveTo(t, 'accepted');
    await sendOk(t, r.id, 'secretary-1', { type: 'HOLD', reason: '等待村民提供照片' });
    // A comment from anyone else leaves the hold alone.
    expect((await sendOk(t, r.id, 'secretary-1', { type: 'COMMENT', text: '提醒' })).onHold).toBe(
      true,
    );
    const after = await sendOk(t, r.id, 'resident-1', { type: 'COMMENT', text: '照片已上传' });
    expect(after).toMatchObject({ state: 'accepted', onHold: false, holdCount: 1 });
    const events = await timeline(t, r.id);
    expect(events.slice(-2).map((e) => [e.type, e.actor?.username])).toEqual([
      ['COMMENT', 'resident-1'],
      ['RESUME', 'resident-1'],
    ]);
    expect(after.version).toBe(events.length);
  });

  it('holds are limited: after three, HOLD is refused', async () => {
    const r = await driveTo(t, 'accepted');
    for (let i = 1; i <= 3; i++) {
      const held = await sendOk(t, r.id, 'secretary-1', { type: 'HOLD', reason: `第${i}次` });
      expect(held.holdCount).toBe(i);
      await sendOk(t, r.id, 'secretary-1', { type: 'RESUME' });
    }
    const res = await send(t, r.id, 'secretary-1', { type: 'HOLD', reason: '第4次' });
    expectProblem(res, 409, 'REQUEST.HOLD_LIMIT_REACHED');
    expect(res.body).toMatchObject({ maxHolds: 3, detail: expect.stringContaining('3 times') });
    expect(res.body.allowedEvents).not.toContain('HOLD');
    expect((await getRequest(t, r.id)).holdCount).toBe(3);
  });

  it('HOLD and RESUME by the assignee while assigned', async () => {
    const r = await driveTo(t, 'assigned');
    const held = await sendOk(t, r.id, 'roads-officer', { type: 'HOLD', reason: '等沥青' });
    expect(held).toMatchObject({ state: 'assigned', onHold: true, holdCount: 1 });
    const resumed = await sendOk(t, r.id, 'roads-officer', { type: 'RESUME', reason: '材料到了' });
    expect(resumed.onHold).toBe(false);
    const events = await timeline(t, r.id);
    expect(events.slice(-2).map((e) => [e.type, e.from, e.to])).toEqual([
      ['HOLD', 'assigned', 'assigned'],
      ['RESUME', 'assigned', 'assigned'],
    ]);
    expect(events.at(-1)?.payload).toMatchObject({ reason: '材料到了' });
  });

  it('REQUEST_EXTENSION by the owner, DECIDE_EXTENSION by a supervisor', async () => {
    const r = await driveTo(t, 'assigned');
    const until = new Date(Date.now() + 10 * 86400_000).toISOString();
    const asked = await sendOk(t, r.id, 'roads-officer', {
      type: 'REQUEST_EXTENSION',
      until,
      reason: '需要等雨季过去',
    });
    expect(asked.extensionRequested).toEqual({ until, reason: '需要等雨季过去' });
    expect(asked.allowedEvents).not.toContain('REQUEST_EXTENSION');
    expectProblem(
      await send(t, r.id, 'roads-officer', { type: 'REQUEST_EXTENSION', until, reason: '再来' }),
      409,
      'REQUEST.EXTENSION_PENDING',
    );
    expect((await getRequest(t, r.id, 'town-supervisor')).allowedEvents).toContain(
      'DECIDE_EXTENSION',
    );
    expectProblem(
      await send(t, r.id, 'dispatcher', { type: 'DECIDE_EXTENSION', approve: true }),
      403,
      'REQUEST.EVENT_FORBIDDEN',
    );
    const decided = await sendOk(t, r.id, 'town-supervisor', {
      type: 'DECIDE_EXTENSION',
      approve: true,
      comment: '同意延期',
    });
    expect(decided).toMatchObject({ state: 'assigned', extensionRequested: null });
    expectProblem(
      await send(t, r.id, 'town-supervisor', { type: 'DECIDE_EXTENSION', approve: false }),
      409,
      'REQUEST.NO_PENDING_EXTENSION',
    );
    const events = await timeline(t, r.id);
    expect(events.slice(-2).map((e) => [e.type, e.payload])).toEqual([
      ['REQUEST_EXTENSION', { until, reason: '需要等雨季过去' }],
      ['DECIDE_EXTENSION', { approve: true, comment: '同意延期' }],
    ]);
  });

  it('an extension can be refused, and asked for again while accepted', async () => {
    const r = await driveTo(t, 'accepted');
    const until = new Date(Date.now() + 3 * 86400_000).toISOString();
    await sendOk(t, r.id, 'secretary-1', { type: 'REQUEST_EXTENSION', until, reason: '等村委会' });
    const refused = await sendOk(t, r.id, 'county-supervisor', {
      type: 'DECIDE_EXTENSION',
      approve: false,
    });
    expect(refused.extensionRequested).toBeNull();
    const again = await sendOk(t, r.id, 'secretary-1', {
      type: 'REQUEST_EXTENSION',
      until,
      reason: '再申请一次',
    });
    expect(again.extensionRequested).toEqual({ until, reason: '再申请一次' });
  });

  it('COMMENT by everyone who can see the request, in any state', async () => {
    const r = await driveTo(t, 'assigned');
    const who = [
      'resident-1',
      'secretary-1',
      'dispatcher',
      'roads-officer',
      'town-supervisor',
      'county-supervisor',
      'admin',
    ];
    let version = r.version;
    for (const user of who) {
      const after = await sendOk(t, r.id, user, { type: 'COMMENT', text: `${user} 的补充` });
      expect(after).toMatchObject({ state: 'assigned', version: version + 1 });
      version = after.version;
    }
    for (const user of ['resident-2', 'resident-3', 'secretary-2', 'env-officer']) {
      expectProblem(
        await send(t, r.id, user, { type: 'COMMENT', text: '看不到也想说' }),
        404,
        'REQUEST.NOT_FOUND',
      );
    }
    const comments = (await timeline(t, r.id)).filter((e) => e.type === 'COMMENT');
    expect(comments.map((c) => [c.actor?.username, c.from, c.to, c.payload.text])).toEqual(
      who.map((u) => [u, 'assigned', 'assigned', `${u} 的补充`]),
    );

    for (const target of ['closedAtBranch', 'rejected', 'withdrawn'] as const) {
      const done = await driveTo(t, target);
      const after = await sendOk(t, done.id, 'resident-1', { type: 'COMMENT', text: '结束后留言' });
      expect(after.state).toBe(done.state);
    }
  });

  describe('a secretary recording a request on a resident’s behalf', () => {
    it('links it to the registered resident with that phone, who can then follow it', async () => {
      const title = uniqueTitle('民情茶室：老人助餐');
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as('secretary-1'))
        .send({
          title,
          description: '独居老人中午没人做饭',
          category: 'elderly-care',
          channel: 'tea_house',
          residentName: '赵大爷',
          residentPhone: '13800000001',
        })
        .expect(201);
      const resident1 = await userId(t, 'resident-1');
      expect(res.body).toMatchObject({
        title,
        channel: 'tea_house',
        state: 'submitted',
        branch: { code: 'branch-1' },
        resident: { id: resident1, name: '赵大爷', phone: '13800000001' },
      });
      const id = res.body.id as string;
      expect((await getRequest(t, id, 'resident-1')).title).toBe(title);
      expect((await findListed(t, 'resident-1', id))?.title).toBe(title);
      expectProblem(
        await t.http.get(`/api/v1/requests/${id}`).set(await t.as('resident-2')),
        404,
        'REQUEST.NOT_FOUND',
      );
      const [create] = await timeline(t, id, 'resident-1');
      expect(create).toMatchObject({
        type: 'CREATE',
        actor: { username: 'secretary-1' },
        actorRole: 'secretary',
        payload: { channel: 'tea_house' },
      });
      // The resident can act on it like on their own submission.
      expect((await sendOk(t, id, 'resident-1', { type: 'COMMENT', text: '谢谢书记' })).state).toBe(
        'submitted',
      );
    });

    it('keeps an unregistered resident unlinked', async () => {
      const r = await createRequest(t, 'secretary-1', {
        channel: 'petition',
        residentName: '外来务工人员',
        residentPhone: '13912345678',
      });
      expect(r.resident).toEqual({ id: null, name: '外来务工人员', phone: '13912345678' });
      expect(r.channel).toBe('petition');
    });

    it.each<[string, Record<string, unknown>, string]>([
      [
        'no channel',
        { residentName: '赵大爷', residentPhone: '13800000001' },
        'REQUEST.CHANNEL_REQUIRED',
      ],
      [
        'the app channel',
        { channel: 'app', residentName: '赵大爷', residentPhone: '13800000001' },
        'REQUEST.CHANNEL_REQUIRED',
      ],
      ['no phone', { channel: 'tea_house', residentName: '赵大爷' }, 'REQUEST.RESIDENT_REQUIRED'],
      ['no name', { channel: 'visit', residentPhone: '13800000001' }, 'REQUEST.RESIDENT_REQUIRED'],
      [
        'an unknown channel',
        { channel: 'wechat', residentName: '赵', residentPhone: '13800000001' },
        'VALIDATION.FAILED',
      ],
      [
        'a malformed phone',
        { channel: 'hotline', residentName: '赵', residentPhone: 'call me' },
        'VALIDATION.FAILED',
      ],
    ])('is refused with %s', async (_what, fields, code) => {
      const before = await countRequests(t, 'secretary-1');
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as('secretary-1'))
        .send({
          title: uniqueTitle('代录失败'),
          description: '内容',
          category: 'other',
          ...fields,
        });
      expectProblem(res, 400, code);
      expect(await countRequests(t, 'secretary-1')).toBe(before);
    });

    it('is refused for another branch', async () => {
      const res = await t.http
        .post('/api/v1/requests')
        .set(await t.as('secretary-1'))
        .send({
          title: uniqueTitle('跨村代录'),
          description: '内容',
          category: 'other',
          channel: 'visit',
          residentName: '孙师傅',
          residentPhone: '13800000003',
          branchId: await unitId(t, 'branch-2'),
        });
      expectProblem(res, 400, 'REQUEST.INVALID_BRANCH');
    });
  });

  it('the timeline has type, from, to, actor, role, payload and time for every event', async () => {
    const started = Date.now();
    const r = await driveTo(t, 'closed');
    const events = await timeline(t, r.id, 'resident-1');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.map((e) => [e.type, e.from, e.to, e.actor?.username, e.actorRole])).toEqual([
      ['CREATE', null, 'submitted', 'resident-1', 'resident'],
      ['ACCEPT', 'submitted', 'accepted', 'secretary-1', 'secretary'],
      ['ESCALATE', 'accepted', 'escalated', 'secretary-1', 'secretary'],
      ['ASSIGN', 'escalated', 'assigned', 'dispatcher', 'dispatcher'],
      ['RESOLVE', 'assigned', 'resolved', 'roads-officer', 'assignee'],
      ['CONFIRM', 'resolved', 'closed', 'resident-1', 'resident'],
    ]);
    const resident1 = await userId(t, 'resident-1');
    expect(events[0].actor).toEqual({
      id: resident1,
      username: 'resident-1',
      displayName: '赵大爷',
    });
    expect(events[0].payload).toMatchObject({
      channel: 'app',
      branchId: await unitId(t, 'branch-1'),
      priority: 'normal',
    });
    expect(events[4].payload).toMatchObject({ resolution: '交通办已修补路面' });
    expect(events[5].payload).toEqual({ rating: 5 });
    const times = events.map((e) => Date.parse(e.at));
    for (const [i, at] of times.entries()) {
      expect(events[i].at).toBe(new Date(at).toISOString());
      expect(at).toBeGreaterThanOrEqual(started - 1000);
      expect(at).toBeLessThanOrEqual(Date.now() + 1000);
      if (i > 0) expect(at).toBeGreaterThanOrEqual(times[i - 1]);
    }
  });

  describe('phone masking', () => {
    const FULL = '13800000001';
    const MASKED = '138****0001';

    async function phoneAs(id: string, user: string): Promise<string | null> {
      return (await getRequest(t, id, user)).resident.phone;
    }

    it('the resident, the branch secretary and supervisors see the number; the dispatcher and admin do not', async () => {
      const r = await createRequest(t, 'resident-1');
      expect(r.resident.phone).toBe(FULL);
      expect(await phoneAs(r.id, 'resident-1')).toBe(FULL);
      expect(await phoneAs(r.id, 'secretary-1')).toBe(FULL);
      expect(await phoneAs(r.id, 'town-supervisor')).toBe(FULL);
      expect(await phoneAs(r.id, 'county-supervisor')).toBe(FULL);
      expect(await phoneAs(r.id, 'dispatcher')).toBe(MASKED);
      expect(await phoneAs(r.id, 'admin')).toBe(MASKED);
      // Other residents cannot see the request at all, so not its number either.
      for (const other of ['resident-2', 'resident-3']) {
        const res = await t.http.get(`/api/v1/requests/${r.id}`).set(await t.as(other));
        expectProblem(res, 404, 'REQUEST.NOT_FOUND');
        expect(JSON.stringify(res.body)).not.toContain('0001');
      }
      const listed = await findListed(t, 'dispatcher', r.id);
      expect(listed?.resident.phone).toBe(MASKED);
      const events = await sendOk(t, r.id, 'dispatcher', { type: 'COMMENT', text: '已知悉' });
      expect(events.resident.phone).toBe(MASKED);
      // Nor does the timeline give the number away.
      expect(JSON.stringify(await timeline(t, r.id, 'dispatcher'))).not.toContain(FULL);
    });

    it('the dispatcher while the town holds it, the assignee while it is assigned; not after', async () => {
      const r = await driveTo(t, 'escalated');
      // Escalated to the town, the town's dispatcher holds it and may call the resident.
      expect(await phoneAs(r.id, 'dispatcher')).toBe(FULL);
      const assigned = await sendOk(t, r.id, 'dispatcher', {
        type: 'ASSIGN',
        assigneeUnitId: await unitId(t, 'dept-roads'),
      });
      expect(assigned.resident.phone).toBe(MASKED);
      expect(await phoneAs(r.id, 'roads-officer')).toBe(FULL);
      const resolved = await sendOk(t, r.id, 'roads-officer', {
        type: 'RESOLVE',
        resolution: '好了',
      });
      expect(resolved.resident.phone).toBe(MASKED);
    });

    it('after a RETURN the new branch’s secretary sees the number', async () => {
      const r = await createRequest(t, 'resident-1');
      await sendOk(t, r.id, 'secretary-1', {
        type: 'RETURN',
        reason: '转咸二村',
        branchId: await unitId(t, 'branch-2'),
      });
      expect(await phoneAs(r.id, 'secretary-2')).toBe(FULL);
    });
  });
});
