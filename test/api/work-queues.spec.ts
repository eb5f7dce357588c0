import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../support/env';
import {
  createRequest,
  createUser,
  driveTo,
  expectProblem,
  getRequest,
  send,
  sendOk,
  uniqueCode,
  unitId,
  userId,
  type RequestBody,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';

interface Page {
  items: RequestBody[];
  total: number;
}

interface Member {
  id: string;
  username: string;
  displayName: string;
  role: string;
  phone: string | null;
}

/** A word no other request has: every test narrows its lists to its own requests with it. */
const tag = () => `q${randomUUID().replace(/-/g, '').slice(0, 10)}`;

/** Six capital letters: a town's reference prefix no other test uses. */
const prefix = () =>
  Array.from(randomUUID().replace(/-/g, '').slice(0, 6), (c) =>
    String.fromCharCode(65 + (parseInt(c, 16) % 26)),
  ).join('');

const EXTENSION_UNTIL = '2099-01-01T09:00:00+08:00';

describe('work queues', () => {
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await stopTestApp(t);
  });

  async function list(user: string, query: Record<string, string>): Promise<Page> {
    const res = await t.http
      .get('/api/v1/requests')
      .query({ pageSize: '100', ...query })
      .set(await t.as(user));
    expect(res.status).toBe(200);
    return res.body as Page;
  }

  const ids = (page: Page) => page.items.map((r) => r.id);

  /** A second town of its own: a branch, its secretary, a dispatcher and a supervisor. */
  async function otherTown() {
    const admin = await t.as('admin');
    const town = (
      await t.http
        .post('/api/v1/units')
        .set(admin)
        .send({
          code: uniqueCode('town'),
          name: '测试镇',
          type: 'town',
          parentId: await unitId(t, 'yinzhou'),
          refPrefix: prefix(),
        })
        .expect(201)
    ).body as { id: string; code: string };
    const branch = (
      await t.http
        .post('/api/v1/units')
        .set(admin)
        .send({ code: uniqueCode('branch'), name: '测试村', type: 'branch', parentId: town.id })
        .expect(201)
    ).body as { id: string; code: string };
    const dept = (
      await t.http
        .post('/api/v1/units')
        .set(admin)
        .send({ code: uniqueCode('dept'), name: '测试办', type: 'department', parentId: town.id })
        .expect(201)
    ).body as { id: string; code: string };
    // By id: the helpers' unit codes were read before this town existed.
    const staff = async (role: string, unit: string) => {
      const username = uniqueCode(role);
      const res = await t.http
        .post('/api/v1/users')
        .set(admin)
        .send({ username, displayName: username, password: USER_PASSWORD, role, unitId: unit })
        .expect(201);
      return { username, id: (res.body as { id: string }).id };
    };
    const secretary = await staff('secretary', branch.id);
    const supervisor = await staff('supervisor', town.id);
    const dispatcher = await staff('dispatcher', town.id);
    return { town, branch, dept, secretary, supervisor, dispatcher };
  }

  /** A request a secretary records on a resident's behalf, accepted. */
  async function acceptedBy(secretary: string, title: string): Promise<RequestBody> {
    const r = await createRequest(t, secretary, {
      title,
      channel: 'visit',
      residentName: '测试居民',
      residentPhone: '13900000000',
    });
    return sendOk(t, r.id, secretary, { type: 'ACCEPT' });
  }

  describe('search (q)', () => {
    it('finds a two-character Chinese word inside a title, and words anywhere in the texts', async () => {
      const word = tag();
      const streetLight = await createRequest(t, 'resident-1', {
        title: `小区路灯不亮 ${word}`,
        description: '晚上出门很不方便',
        location: '咸一村东门',
      });
      const other = await createRequest(t, 'resident-1', { title: `垃圾清运 ${word}` });

      expect(ids(await list('resident-1', { q: `路灯 ${word}` }))).toEqual([streetLight.id]);
      expect(ids(await list('secretary-1', { q: `${word} 东门` }))).toEqual([streetLight.id]);
      expect(ids(await list('dispatcher', { q: `不方便 ${word}` }))).toEqual([streetLight.id]);
      expect(ids(await list('town-supervisor', { q: word }))).toEqual([other.id, streetLight.id]);
      // Upper case and full-width letters find the lower-case word.
      expect((await list('admin', { q: word.toUpperCase() })).total).toBe(2);
      const fullWidth = [...word]
        .map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0).toUpperCase())
        .join('');
      expect((await list('admin', { q: fullWidth })).total).toBe(2);
      // The common word alone: found among the town's, newest first.
      const common = await list('dispatcher', { q: '路灯', pageSize: '5' });
      expect(common.items[0].id).toBe(streetLight.id);
      expect(
        common.items.every((r) => `${r.title} ${r.description} ${r.location}`.includes('路灯')),
      ).toBe(true);
    });

    it('stays within the caller’s scope', async () => {
      const word = tag();
      const mine = await createRequest(t, 'resident-1', { title: `路灯 ${word}` });
      const town = await otherTown();
      const theirs = await acceptedBy(town.secretary.username, `路灯 ${word}`);

      expect(ids(await list('secretary-2', { q: word }))).toEqual([]);
      expect(ids(await list('resident-2', { q: word }))).toEqual([]);
      expect(ids(await list('dispatcher', { q: word }))).toEqual([mine.id]);
      expect(ids(await list('town-supervisor', { q: word }))).toEqual([mine.id]);
      expect(ids(await list(town.dispatcher.username, { q: word }))).toEqual([theirs.id]);
      expect(ids(await list(town.secretary.username, { q: `路灯 ${word}` }))).toEqual([theirs.id]);
      expect(ids(await list('county-supervisor', { q: word })).sort()).toEqual(
        [mine.id, theirs.id].sort(),
      );
    });

    it('pages through what it finds, and counts past the last page', async () => {
      const word = tag();
      const first = await createRequest(t, 'resident-1', { title: `翻页 ${word}` });
      const second = await createRequest(t, 'resident-1', { title: `翻页 ${word}` });
      for (const user of ['dispatcher', 'resident-1']) {
        const one = await list(user, { q: word, pageSize: '1' });
        expect({ ids: ids(one), total: one.total }).toEqual({ ids: [second.id], total: 2 });
        const two = await list(user, { q: word, pageSize: '1', page: '2' });
        expect({ ids: ids(two), total: two.total }).toEqual({ ids: [first.id], total: 2 });
        const past = await list(user, { q: word, pageSize: '1', page: '5' });
        expect({ ids: ids(past), total: past.total }).toEqual({ ids: [], total: 2 });
      }
    });

    it('follows a request returned to another branch', async () => {
      const word = tag();
      const r = await createRequest(t, 'resident-1', { title: `退回 ${word}` });
      await sendOk(t, r.id, 'secretary-1', {
        type: 'RETURN',
        reason: '属于咸二村',
        branchId: await unitId(t, 'branch-2'),
      });
      expect(ids(await list('secretary-1', { q: word }))).toEqual([]);
      expect(ids(await list('secretary-2', { q: word }))).toEqual([r.id]);
      expect(ids(await list('secretary-2', { q: `退回 ${word}`, state: 'submitted' }))).toEqual([
        r.id,
      ]);
    });

    it('takes % _ and \\ as plain characters', async () => {
      const word = tag();
      const percent = await createRequest(t, 'resident-1', { title: `满意度100%满 ${word}` });
      // Holds every pair of characters of each query below, but not the query itself.
      const decoy = await createRequest(t, 'resident-1', {
        title: `0%x %满 axb a_ _b c\\ \\d cxd ${word}`,
      });
      const underscore = await createRequest(t, 'resident-1', { title: `编号a_b ${word}` });
      const backslash = await createRequest(t, 'resident-1', { title: `路径c\\d ${word}` });

      expect(ids(await list('resident-1', { q: `0%满 ${word}` }))).toEqual([percent.id]);
      expect(ids(await list('resident-1', { q: `a_b ${word}` }))).toEqual([underscore.id]);
      expect(ids(await list('resident-1', { q: `c\\d ${word}` }))).toEqual([backslash.id]);
      expect(ids(await list('resident-1', { q: `%% ${word}` }))).toEqual([]);
      expect(ids(await list('resident-1', { q: `__ ${word}` }))).toEqual([]);
      expect((await list('resident-1', { q: word })).items.map((r) => r.id)).toContain(decoy.id);
    });

    it('a whole reference number finds that request, in any case, within scope only', async () => {
      const r = await createRequest(t, 'resident-1', { title: `编号查询 ${tag()}` });
      expect(r.reference).toMatch(/^XX-\d{4}-\d{6}$/);
      expect(ids(await list('secretary-1', { q: r.reference }))).toEqual([r.id]);
      expect(ids(await list('dispatcher', { q: ` ${r.reference.toLowerCase()} ` }))).toEqual([
        r.id,
      ]);
      expect(ids(await list('secretary-2', { q: r.reference }))).toEqual([]);
      // Part of a number is searched as text.
      const tail = r.reference.slice(3);
      expect(ids(await list('secretary-1', { q: tail }))).toContain(r.id);
    });

    it('the bigram index serves the search', async () => {
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL enable_seqscan = off');
        const { rows } = await db.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT request_id FROM request_search
            WHERE search_town_grams(town_id, doc)
                  @> search_town_grams((SELECT id FROM units WHERE code = 'xianxiang'),
                                       search_normal('路灯'))`,
        );
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('request_search_grams_idx');
      } finally {
        await db.query('ROLLBACK');
      }
    });
  });

  describe('sort and next due time', () => {
    it('orders by the next due time, requests without one last both ways', async () => {
      const word = tag();
      const title = `排序 ${word}`;
      const normal = await createRequest(t, 'resident-1', { title });
      const urgent = await createRequest(t, 'resident-1', { title, priority: 'urgent' });
      const rejected = await createRequest(t, 'resident-1', { title });
      await sendOk(t, rejected.id, 'secretary-1', { type: 'REJECT', reason: '不属于本村' });
      const held = await createRequest(t, 'resident-1', { title });
      await sendOk(t, held.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, held.id, 'secretary-1', { type: 'HOLD', reason: '等待材料' });
      const accepted = await createRequest(t, 'resident-1', { title });
      await sendOk(t, accepted.id, 'secretary-1', { type: 'ACCEPT' });

      const q = { q: word };
      expect(ids(await list('secretary-1', { ...q, sort: 'dueAt' }))).toEqual([
        urgent.id,
        normal.id,
        accepted.id,
        held.id,
        rejected.id,
      ]);
      expect(ids(await list('secretary-1', { ...q, sort: '-dueAt' }))).toEqual([
        accepted.id,
        normal.id,
        urgent.id,
        held.id,
        rejected.id,
      ]);
      const all = [normal.id, urgent.id, rejected.id, held.id, accepted.id];
      expect(ids(await list('secretary-1', { ...q, sort: 'createdAt' }))).toEqual(all);
      expect(ids(await list('secretary-1', q))).toEqual([...all].reverse());
      expect(ids(await list('secretary-1', { ...q, sort: '-createdAt' }))).toEqual(
        [...all].reverse(),
      );
      // A secretary's queue: what waits on the branch, soonest due first.
      expect(
        ids(await list('secretary-1', { ...q, state: 'submitted,accepted', sort: 'dueAt' })),
      ).toEqual([urgent.id, normal.id, accepted.id, held.id]);

      const byId = new Map((await list('secretary-1', q)).items.map((r) => [r.id, r]));
      const dueOf = (id: string, kind: string) =>
        byId.get(id)?.clocks.find((c) => c.kind === kind && c.status === 'running')?.dueAt;
      expect(byId.get(urgent.id)).toMatchObject({
        nextDueKind: 'accept',
        nextDueAt: dueOf(urgent.id, 'accept'),
      });
      expect(byId.get(accepted.id)).toMatchObject({
        nextDueKind: 'resolve',
        nextDueAt: dueOf(accepted.id, 'resolve'),
      });
      expect(byId.get(held.id)).toMatchObject({ nextDueKind: null, nextDueAt: null });
      expect(byId.get(rejected.id)).toMatchObject({ nextDueKind: null, nextDueAt: null });
      // The column the queue sorts by holds what the request shows.
      const { rows } = await db.query<{ id: string; next_due_at: Date | null }>(
        `SELECT id, next_due_at FROM requests WHERE id = ANY($1)`,
        [all],
      );
      for (const row of rows) {
        expect(row.next_due_at?.toISOString() ?? null).toBe(byId.get(row.id)?.nextDueAt);
      }
    });

    it('an escalated request is due on its dispatch clock', async () => {
      const r = await driveTo(t, 'escalated', { title: `升级 ${tag()}` });
      expect(r.nextDueKind).toBe('dispatch');
      const fetched = await getRequest(t, r.id, 'dispatcher');
      expect(fetched.nextDueAt).toBe(
        fetched.clocks.find((c) => c.kind === 'dispatch' && c.status === 'running')?.dueAt,
      );
    });

    it('a clock written outside a command (a deadline firing) moves the column by trigger', async () => {
      const r = await createRequest(t, 'resident-1', { title: `触发器 ${tag()}` });
      const resolveDue = r.clocks.find((c) => c.kind === 'resolve')?.dueAt;
      expect(r.nextDueKind).toBe('accept');
      await db.query(
        `UPDATE request_clocks SET status = 'breached', breached_at = now(), stopped_at = now(),
                next_fire_at = NULL, next_action = NULL, generation = generation + 1
          WHERE request_id = $1 AND kind = 'accept'`,
        [r.id],
      );
      const after = await getRequest(t, r.id, 'secretary-1');
      expect(after).toMatchObject({ nextDueKind: 'resolve', nextDueAt: resolveDue });
      const { rows } = await db.query<{ next_due_at: Date }>(
        `SELECT next_due_at FROM requests WHERE id = $1`,
        [r.id],
      );
      expect(rows[0].next_due_at.toISOString()).toBe(resolveDue);
      await db.query(
        `UPDATE request_clocks SET status = 'stopped', stopped_at = now(), next_fire_at = NULL,
                next_action = NULL, generation = generation + 1
          WHERE request_id = $1 AND kind = 'resolve'`,
        [r.id],
      );
      const none = await db.query<{ next_due_at: Date | null }>(
        `SELECT next_due_at FROM requests WHERE id = $1`,
        [r.id],
      );
      expect(none.rows[0].next_due_at).toBeNull();
    });
  });

  describe('filters', () => {
    it('priority, onHold, assigneeUserId and escalationLevel', async () => {
      const word = tag();
      const title = `筛选 ${word}`;
      const urgent = await createRequest(t, 'resident-1', { title, priority: 'urgent' });
      const held = await createRequest(t, 'resident-1', { title });
      await sendOk(t, held.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, held.id, 'secretary-1', { type: 'HOLD', reason: '等待材料' });
      const escalated = await driveTo(t, 'escalated', { title });
      const assigned = await driveTo(t, 'escalated', { title });
      const officer = await userId(t, 'roads-officer');
      await sendOk(t, assigned.id, 'dispatcher', {
        type: 'ASSIGN',
        assigneeUnitId: await unitId(t, 'dept-roads'),
        assigneeUserId: officer,
      });

      const q = { q: word };
      expect(ids(await list('town-supervisor', { ...q, priority: 'urgent' }))).toEqual([urgent.id]);
      expect(ids(await list('town-supervisor', { ...q, onHold: 'true' }))).toEqual([held.id]);
      expect(ids(await list('town-supervisor', { ...q, onHold: 'false' }))).not.toContain(held.id);
      const mine = await list('town-supervisor', { ...q, assigneeUserId: officer });
      expect(ids(mine)).toEqual([assigned.id]);
      expect(mine.items[0]).toMatchObject({
        assigneeUser: { id: officer, displayName: '交通办陈主任' },
        assigneeUnit: { id: await unitId(t, 'dept-roads'), name: '交通办' },
        owner: { id: await unitId(t, 'dept-roads') },
      });
      expect(ids(await list('roads-officer', { ...q, assigneeUserId: officer }))).toEqual([
        assigned.id,
      ]);
      expect(ids(await list('town-supervisor', { ...q, escalationLevel: '1' })).sort()).toEqual(
        [escalated.id, assigned.id].sort(),
      );
      expect(ids(await list('town-supervisor', { ...q, escalationLevel: '0' })).sort()).toEqual(
        [urgent.id, held.id].sort(),
      );
      // A dispatcher's escalated queue.
      const queue = await list('dispatcher', { ...q, state: 'escalated', sort: 'dueAt' });
      expect(ids(queue)).toEqual([escalated.id]);
      expect(queue.items[0]).toMatchObject({ nextDueKind: 'dispatch', assigneeUser: null });
    });
  });

  describe('what waits on a supervisor: pending extensions', () => {
    it('lists exactly the pending extensions of the supervisor’s subtree, approvable from the list', async () => {
      const word = tag();
      const here = await acceptedBy('secretary-1', `延期 ${word}`);
      await sendOk(t, here.id, 'secretary-1', {
        type: 'REQUEST_EXTENSION',
        until: EXTENSION_UNTIL,
        reason: '需要等待材料',
      });
      const notAsked = await acceptedBy('secretary-1', `延期 ${word}`);
      const town = await otherTown();
      const there = await acceptedBy(town.secretary.username, `延期 ${word}`);
      await sendOk(t, there.id, town.secretary.username, {
        type: 'REQUEST_EXTENSION',
        until: EXTENSION_UNTIL,
        reason: '施工队排期',
      });

      // The new town holds only this test's requests: its list is exact.
      const theirs = await list(town.supervisor.username, { extensionPending: 'true' });
      expect(ids(theirs)).toEqual([there.id]);
      expect(theirs.items[0].extensionRequested).toEqual({
        until: EXTENSION_UNTIL,
        reason: '施工队排期',
      });
      expect(theirs.items[0].allowedEvents).toContain('DECIDE_EXTENSION');
      // The demo town's list: every item pending and in the town, this one among them.
      const ours = await list('town-supervisor', { extensionPending: 'true' });
      expect(ids(ours)).toContain(here.id);
      expect(ids(ours)).not.toContain(there.id);
      expect(ids(ours)).not.toContain(notAsked.id);
      for (const r of ours.items) {
        expect(r.extensionRequested).not.toBeNull();
        expect(r.branch.id).not.toBe(town.branch.id);
      }
      expect(
        ids(await list('county-supervisor', { q: word, extensionPending: 'true' })).sort(),
      ).toEqual([here.id, there.id].sort());
      expect(ids(await list('county-supervisor', { q: word, extensionPending: 'false' }))).toEqual([
        notAsked.id,
      ]);
      expect(ids(await list(town.supervisor.username, { extensionPending: 'false' }))).toEqual([]);

      // Approved from the list, it leaves the list.
      await sendOk(t, there.id, town.supervisor.username, {
        type: 'DECIDE_EXTENSION',
        approve: true,
      });
      expect(ids(await list(town.supervisor.username, { extensionPending: 'true' }))).toEqual([]);
      expect(ids(await list(town.supervisor.username, { extensionPending: 'false' }))).toEqual([
        there.id,
      ]);
    });
  });

  describe('a request by its reference number', () => {
    it('GET, the timeline and commands take the reference as well as the id', async () => {
      const r = await createRequest(t, 'resident-1', { title: `编号 ${tag()}` });
      const res = await t.http
        .get(`/api/v1/requests/${r.reference}`)
        .set(await t.as('secretary-1'))
        .expect(200);
      expect(res.body).toMatchObject({ id: r.id, reference: r.reference });
      const lower = await t.http
        .get(`/api/v1/requests/${r.reference.toLowerCase()}`)
        .set(await t.as('dispatcher'))
        .expect(200);
      expect(lower.body.id).toBe(r.id);
      const events = await t.http
        .get(`/api/v1/requests/${r.reference}/events`)
        .set(await t.as('secretary-1'))
        .expect(200);
      expect(events.body).toHaveLength(1);
      const accepted = await send(t, r.reference, 'secretary-1', { type: 'ACCEPT' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ id: r.id, state: 'accepted' });
    });

    it('outside the caller’s scope, or unknown, it answers 404', async () => {
      const r = await createRequest(t, 'resident-1', { title: `编号 ${tag()}` });
      for (const user of ['secretary-2', 'resident-2', 'roads-officer']) {
        expectProblem(
          await t.http.get(`/api/v1/requests/${r.reference}`).set(await t.as(user)),
          404,
          'REQUEST.NOT_FOUND',
        );
        expectProblem(
          await t.http.get(`/api/v1/requests/${r.reference}/events`).set(await t.as(user)),
          404,
          'REQUEST.NOT_FOUND',
        );
      }
      expectProblem(
        await send(t, r.reference, 'secretary-2', { type: 'COMMENT', text: '看看' }),
        404,
        'REQUEST.NOT_FOUND',
      );
      expectProblem(
        await t.http.get('/api/v1/requests/XX-1999-999999').set(await t.as('admin')),
        404,
        'REQUEST.NOT_FOUND',
      );
      expectProblem(
        await send(t, 'XX-1999-999999', 'admin', { type: 'COMMENT', text: '看看' }),
        404,
        'REQUEST.NOT_FOUND',
      );
    });

    it.each(['XX-2026-42', 'XX_2026_000042', 'X-2026-000042', 'XX-2026-000042-1', '路灯'])(
      '%s is neither an id nor a reference: 400',
      async (id) => {
        const res = await t.http
          .get(`/api/v1/requests/${encodeURIComponent(id)}`)
          .set(await t.as('admin'));
        expectProblem(res, 400, 'HTTP.BAD_REQUEST');
      },
    );
  });

  describe('members of a unit', () => {
    async function members(user: string, unit: string) {
      return t.http.get(`/api/v1/units/${unit}/members`).set(await t.as(user));
    }

    it('lists the active staff, with phones in full for supervisors and admins only', async () => {
      const dept = await unitId(t, 'dept-roads');
      const withPhone = await createUser(t, 'assignee', 'dept-roads', { phone: '13912345678' });
      const gone = await createUser(t, 'assignee', 'dept-roads');
      await t.http
        .patch(`/api/v1/users/${gone.id}`)
        .set(await t.as('admin'))
        .send({ active: false })
        .expect(200);

      const asDispatcher = await members('dispatcher', dept);
      expect(asDispatcher.status).toBe(200);
      const seen = asDispatcher.body as Member[];
      expect(seen.map((m) => m.username)).toEqual(
        expect.arrayContaining(['roads-officer', withPhone.username]),
      );
      expect(seen.map((m) => m.username)).not.toContain(gone.username);
      expect(seen.find((m) => m.username === withPhone.username)).toEqual({
        id: withPhone.id,
        username: withPhone.username,
        displayName: withPhone.username,
        role: 'assignee',
        phone: '139****5678',
      });
      for (const boss of ['town-supervisor', 'county-supervisor', 'admin']) {
        const res = await members(boss, dept);
        expect(res.status).toBe(200);
        expect((res.body as Member[]).find((m) => m.id === withPhone.id)?.phone).toBe(
          '13912345678',
        );
      }
    });

    it('leaves residents out', async () => {
      const res = await members('dispatcher', await unitId(t, 'branch-1'));
      expect(res.status).toBe(200);
      const names = (res.body as Member[]).map((m) => m.username);
      expect(names).toContain('secretary-1');
      expect(names).not.toContain('resident-1');
      expect((res.body as Member[]).every((m) => m.role !== 'resident')).toBe(true);
    });

    it('a unit outside the caller’s view answers 404, other roles 403', async () => {
      const town = await otherTown();
      expectProblem(await members('dispatcher', town.dept.id), 404, 'UNIT.NOT_FOUND');
      expectProblem(await members('town-supervisor', town.dept.id), 404, 'UNIT.NOT_FOUND');
      expectProblem(
        await members('town-supervisor', await unitId(t, 'yinzhou')),
        404,
        'UNIT.NOT_FOUND',
      );
      expectProblem(
        await members(town.dispatcher.username, await unitId(t, 'dept-roads')),
        404,
        'UNIT.NOT_FOUND',
      );
      expect((await members('county-supervisor', town.dept.id)).status).toBe(200);
      expect((await members(town.supervisor.username, town.branch.id)).body).toEqual([
        expect.objectContaining({ id: town.secretary.id, role: 'secretary' }),
      ]);
      expectProblem(await members('admin', randomUUID()), 404, 'UNIT.NOT_FOUND');
      expectProblem(await members('admin', 'dept-roads'), 400, 'HTTP.BAD_REQUEST');
      const dept = await unitId(t, 'dept-roads');
      for (const user of ['secretary-1', 'roads-officer', 'resident-1']) {
        expectProblem(await members(user, dept), 403, 'AUTH.FORBIDDEN');
      }
    });
  });

  describe('bad queue parameters answer 400, never 500', () => {
    it.each([
      { q: 'a' },
      { q: '路' },
      { q: ' 路 ' },
      { q: '路 灯' },
      { q: '' },
      { q: 'é' },
      { q: 'e\u0301' },
      { q: '路'.repeat(101) },
      { q: ['路灯', '不亮'] },
      { sort: 'due' },
      { sort: '' },
      { sort: 'dueAt,createdAt' },
      { priority: 'high' },
      { priority: ['urgent', 'normal'] },
      { onHold: 'yes' },
      { onHold: '1' },
      { extensionPending: 'TRUE' },
      { extensionPending: '' },
      { assigneeUserId: 'roads-officer' },
      { escalationLevel: '-1' },
      { escalationLevel: '11' },
      { escalationLevel: '1.5' },
      { escalationLevel: 'x' },
      { escalationLevel: '1e1' },
    ])('GET /requests?%o', async (query) => {
      const res = await t.http
        .get('/api/v1/requests')
        .query(query)
        .set(await t.as('admin'));
      expectProblem(res, 400, 'VALIDATION.FAILED');
      const field = Object.keys(query)[0];
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
        field,
      ]);
    });

    it('a hundred characters and a word of two are enough', async () => {
      const res = await t.http
        .get('/api/v1/requests')
        .query({ q: `${'路'.repeat(97)} 灯a` })
        .set(await t.as('admin'));
      expect(res.status).toBe(200);
      expect((await list('admin', { q: '路 灯a' })).total).toBeGreaterThanOrEqual(0);
    });
  });
});
