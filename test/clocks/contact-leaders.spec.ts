import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../support/env';
import { download, photoWithGps } from '../support/photos';
import {
  createRequest,
  createUser,
  expectProblem,
  getRequest,
  type RequestBody,
  send,
  sendOk,
  uniqueCode,
  unitId,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';
import { dueBy, startWorkerContext, type WorkerContext } from '../support/worker-context';

/** Seconds-long 24x7 limits, one warning at half time. */
const FAST = {
  clock: '24x7',
  accept: 'PT2S',
  dispatch: 'PT2S',
  resolve: 'PT1H',
  feedback: 'P3D',
  warnAt: [0.5],
};

interface InboxItem {
  requestId: string | null;
  kind: string;
  title: string;
}

const prefix = () =>
  Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join(
    '',
  );

/**
 * Contact leaders (包乡走村) in a town of their own: branch A has a leader (a town-level cadre
 * with a phone), branch B has none.
 */
describe('contact leaders', () => {
  let t: TestApp;
  let w: WorkerContext;
  let db: Client;
  let category: string;
  const u: Record<string, { username: string; id: string }> = {};
  const units: Record<string, string> = {};
  const codes: Record<string, string> = {};

  const patchUnit = async (id: string, body: object, user = 'admin') =>
    t.http
      .patch(`/api/v1/units/${id}`)
      .set(await t.as(user))
      .send(body);

  const leaderOf = async (id: string) =>
    (
      await t.http
        .get(`/api/v1/units/${id}`)
        .set(await t.as('admin'))
        .expect(200)
    ).body.contactLeaderId as string | null;

  async function inbox(user: string, requestId: string): Promise<InboxItem[]> {
    const res = await t.http
      .get('/api/v1/me/notifications')
      .query({ pageSize: '100' })
      .set(await t.as(user))
      .expect(200);
    return (res.body.items as InboxItem[]).filter((n) => n.requestId === requestId);
  }

  /** Runs the notification job of the request's latest step, as the worker would. */
  async function notifyLatest(r: RequestBody, topOverdue?: 'dispatch' | 'resolve') {
    const now = await getRequest(t, r.id);
    await w.notifier.notify({ requestId: r.id, seq: now.version, topOverdue });
  }

  async function fire(r: RequestBody, kind: 'accept' | 'dispatch' | 'resolve') {
    const c = await w.clock(r.id, kind);
    return w.deadlines.fire(c.id, c.generation, c.step, dueBy(c));
  }

  const textsTo = async (userId: string, requestId: string) =>
    (
      await db.query<{ kind: string }>(
        `SELECT kind FROM outbound_messages WHERE user_id = $1 AND request_id = $2 ORDER BY kind`,
        [userId, requestId],
      )
    ).rows.map((r) => r.kind);

  beforeAll(async () => {
    t = await startTestApp();
    w = await startWorkerContext();
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const admin = await t.as('admin');
    // unitId() reads the tree once per app: it is first asked once this suite's units exist.
    const county = (await db.query<{ id: string }>(`SELECT id FROM units WHERE code = 'yinzhou'`))
      .rows[0].id;
    const town = await t.http
      .post('/api/v1/units')
      .set(admin)
      .send({
        code: uniqueCode('cl-town'),
        name: '包联镇',
        type: 'town',
        parentId: county,
        refPrefix: prefix(),
      })
      .expect(201);
    units.town = town.body.id;
    codes.town = town.body.code;
    for (const b of ['a', 'b']) {
      const res = await t.http
        .post('/api/v1/units')
        .set(admin)
        .send({
          code: uniqueCode(`cl-${b}`),
          name: `包联${b}村`,
          type: 'branch',
          parentId: units.town,
        })
        .expect(201);
      units[b] = res.body.id;
      codes[b] = res.body.code;
    }
    const dept = await t.http
      .post('/api/v1/units')
      .set(admin)
      .send({
        code: uniqueCode('cl-dept'),
        name: '包联办',
        type: 'department',
        parentId: units.town,
      })
      .expect(201);
    codes.dept = dept.body.code;
    const people: [string, string, string, Record<string, unknown>?][] = [
      ['leader', 'assignee', codes.town, { phone: '13900000101' }],
      ['secretaryA', 'secretary', codes.a],
      ['secretaryB', 'secretary', codes.b],
      ['residentA', 'resident', codes.a, { phone: '13900000102' }],
      ['residentB', 'resident', codes.b],
      ['dispatcher', 'dispatcher', codes.town],
      ['deptCadre', 'assignee', codes.dept],
    ];
    for (const [key, role, unit, extra] of people) u[key] = await createUser(t, role, unit, extra);
    category = uniqueCode('cl');
    await t.http
      .post('/api/v1/categories')
      .set(admin)
      .send({ code: category, name: `包联 ${category}`, nameEn: `Leaders ${category}` })
      .expect(201);
    await t.http.put(`/api/v1/sla-policies/${category}/urgent`).set(admin).send(FAST).expect(200);
    expect((await patchUnit(units.a, { contactLeaderId: u.leader.id })).status).toBe(200);
  });

  afterAll(async () => {
    try {
      await db?.end();
      await w?.close();
    } finally {
      await stopTestApp(t);
    }
  });

  describe('naming one', () => {
    it('an admin names a town- or county-level user above the branch, or removes them', async () => {
      expect(await leaderOf(units.a)).toBe(u.leader.id);
      const county = await createUser(t, 'supervisor', 'yinzhou');
      const res = await patchUnit(units.b, { contactLeaderId: county.id });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: units.b, contactLeaderId: county.id });
      const cleared = await patchUnit(units.b, { contactLeaderId: null });
      expect(cleared.body.contactLeaderId).toBeNull();
      // Renaming the branch leaves its leader alone.
      await patchUnit(units.a, { name: '包联a村' });
      expect(await leaderOf(units.a)).toBe(u.leader.id);
    });

    it('refuses anyone who does not stand over the branch, and writes nothing', async () => {
      const inactive = await createUser(t, 'assignee', codes.town);
      await t.http
        .patch(`/api/v1/users/${inactive.id}`)
        .set(await t.as('admin'))
        .send({ active: false })
        .expect(200);
      const otherTown = await createUser(t, 'assignee', 'xianxiang');
      const cases: [string, string, RegExp][] = [
        ['an unknown user', '00000000-0000-4000-8000-000000000000', /No such user/],
        ['an inactive user', inactive.id, /not active/],
        ['a resident', u.residentA.id, /town or the county above/],
        ['the branch’s own secretary', u.secretaryA.id, /town or the county above/],
        ['another branch’s secretary', u.secretaryB.id, /town or the county above/],
        ['a department’s cadre', u.deptCadre.id, /town or the county above/],
        ['a cadre of another town', otherTown.id, /town or the county above/],
      ];
      for (const [, id, detail] of cases) {
        const res = await patchUnit(units.a, { contactLeaderId: id });
        expectProblem(res, 400, 'UNIT.INVALID_CONTACT_LEADER');
        expect(res.body.detail).toMatch(detail);
      }
      for (const id of [units.town, await unitId(t, 'yinzhou')]) {
        for (const contactLeaderId of [u.leader.id, null]) {
          const res = await patchUnit(id, { contactLeaderId });
          expectProblem(res, 400, 'UNIT.INVALID_CONTACT_LEADER');
          expect(res.body.detail).toMatch(/Only a branch/);
        }
      }
      for (const contactLeaderId of ['not-a-uuid', 42, '']) {
        expectProblem(await patchUnit(units.a, { contactLeaderId }), 400, 'VALIDATION.FAILED');
      }
      for (const user of ['county-supervisor', 'town-supervisor', 'secretary-1']) {
        expectProblem(
          await patchUnit(units.a, { contactLeaderId: null }, user),
          403,
          'AUTH.FORBIDDEN',
        );
      }
      expect(await leaderOf(units.a)).toBe(u.leader.id);
    });

    it('a leader deactivated or moved away stops leading', async () => {
      const moving = await createUser(t, 'assignee', codes.town);
      const leaving = await createUser(t, 'assignee', codes.town);
      const staying = await createUser(t, 'dispatcher', codes.town);
      const admin = await t.as('admin');
      const branches: string[] = [];
      for (const leader of [moving, leaving, staying]) {
        const b = await t.http
          .post('/api/v1/units')
          .set(admin)
          .send({ code: uniqueCode('cl-x'), name: '包联x村', type: 'branch', parentId: units.town })
          .expect(201);
        branches.push(b.body.id);
        expect((await patchUnit(b.body.id, { contactLeaderId: leader.id })).status).toBe(200);
      }
      await t.http
        .patch(`/api/v1/users/${moving.id}`)
        .set(admin)
        .send({ unitId: await unitId(t, 'xianxiang') })
        .expect(200);
      await t.http
        .patch(`/api/v1/users/${leaving.id}`)
        .set(admin)
        .send({ active: false })
        .expect(200);
      // Renamed, not moved: still the leader.
      await t.http
        .patch(`/api/v1/users/${staying.id}`)
        .set(admin)
        .send({ displayName: '改名' })
        .expect(200);
      expect(await Promise.all(branches.map(leaderOf))).toEqual([null, null, staying.id]);
    });
  });

  describe('reading', () => {
    let inA: RequestBody;
    let inB: RequestBody;

    beforeAll(async () => {
      inA = await createRequest(t, u.residentA.username, { category, priority: 'normal' });
      inB = await createRequest(t, u.residentB.username, { category, priority: 'normal' });
    });

    it('the leader reads the branch’s requests, in the list and one by one, and no others', async () => {
      const list = await t.http
        .get('/api/v1/requests')
        .query({ pageSize: '100' })
        .set(await t.as(u.leader.username))
        .expect(200);
      const ids = (list.body.items as { id: string }[]).map((r) => r.id);
      expect(ids).toContain(inA.id);
      expect(ids).not.toContain(inB.id);
      const one = await t.http
        .get(`/api/v1/requests/${inA.id}`)
        .set(await t.as(u.leader.username))
        .expect(200);
      // They read; acting is for those who hold it, and the phone stays masked.
      expect(one.body.allowedEvents).toEqual([]);
      expect(one.body.resident.phone).toBe('139****0102');
      await t.http
        .get(`/api/v1/requests/${inA.reference}/events`)
        .set(await t.as(u.leader.username))
        .expect(200);
      expectProblem(
        await t.http.get(`/api/v1/requests/${inB.id}`).set(await t.as(u.leader.username)),
        404,
        'REQUEST.NOT_FOUND',
      );
      // A words search finds it too.
      const search = await t.http
        .get('/api/v1/requests')
        .query({ q: inA.title })
        .set(await t.as(u.leader.username))
        .expect(200);
      expect((search.body.items as { id: string }[]).map((r) => r.id)).toEqual([inA.id]);
    });

    it('the leader opens the photos of the branch’s requests, and of no others', async () => {
      const withPhoto = async (resident: string) => {
        const photo = await t.http
          .post('/api/v1/attachments')
          .set(await t.as(resident))
          .attach('file', await photoWithGps(), { filename: 'p.jpg', contentType: 'image/jpeg' })
          .expect(201);
        return createRequest(t, resident, {
          category,
          priority: 'normal',
          attachmentIds: [photo.body.id],
        });
      };
      const photoA = await withPhoto(u.residentA.username);
      const photoB = await withPhoto(u.residentB.username);
      const [shown] = (await getRequest(t, photoA.id, u.leader.username)).attachments ?? [];
      for (const path of [shown.contentUrl, shown.thumbnailUrl]) {
        expect((await download(t, u.leader.username, path)).status).toBe(200);
      }
      const [other] = (await getRequest(t, photoB.id)).attachments ?? [];
      for (const path of [
        `/api/v1/attachments/${other.id}`,
        other.contentUrl,
        other.thumbnailUrl,
      ]) {
        expectProblem(
          await t.http.get(path).set(await t.as(u.leader.username)),
          404,
          'ATTACHMENT.NOT_FOUND',
        );
      }
    });

    it('the leader cannot act on them', async () => {
      for (const event of [
        { type: 'ACCEPT' },
        { type: 'COMMENT', text: '我来看看' },
        { type: 'REJECT', reason: '不归这里' },
      ]) {
        expectProblem(
          await send(t, inA.id, u.leader.username, event),
          403,
          'REQUEST.EVENT_FORBIDDEN',
        );
      }
      expectProblem(
        await send(t, inB.id, u.leader.username, { type: 'ACCEPT' }),
        404,
        'REQUEST.NOT_FOUND',
      );
      expect((await getRequest(t, inA.id)).version).toBe(inA.version);
    });

    it('without the leadership the branch is out of reach again', async () => {
      const other = await createUser(t, 'assignee', codes.town);
      expectProblem(
        await t.http.get(`/api/v1/requests/${inA.id}`).set(await t.as(other.username)),
        404,
        'REQUEST.NOT_FOUND',
      );
      await patchUnit(units.a, { contactLeaderId: other.id });
      await t.http
        .get(`/api/v1/requests/${inA.id}`)
        .set(await t.as(other.username))
        .expect(200);
      expectProblem(
        await t.http.get(`/api/v1/requests/${inA.id}`).set(await t.as(u.leader.username)),
        404,
        'REQUEST.NOT_FOUND',
      );
      await patchUnit(units.a, { contactLeaderId: u.leader.id });
      expectProblem(
        await t.http.get(`/api/v1/requests/${inA.id}`).set(await t.as(other.username)),
        404,
        'REQUEST.NOT_FOUND',
      );
    });
  });

  describe('hearing', () => {
    it('the leader hears of an escalation in their branch, not of one elsewhere', async () => {
      const inA = await createRequest(t, u.residentA.username, { category, priority: 'normal' });
      const inB = await createRequest(t, u.residentB.username, { category, priority: 'normal' });
      for (const [r, secretary] of [
        [inA, u.secretaryA],
        [inB, u.secretaryB],
      ] as const) {
        await sendOk(t, r.id, secretary.username, { type: 'ACCEPT' });
        const escalated = await sendOk(t, r.id, secretary.username, {
          type: 'ESCALATE',
          reason: '村里没有施工能力',
        });
        await notifyLatest(escalated);
        await notifyLatest(escalated);
      }
      const heard = await inbox(u.leader.username, inA.id);
      expect(heard.map((n) => n.kind)).toEqual(['branch_escalated']);
      expect(heard[0].title).toBe(`【包联提醒】${inA.reference}`);
      expect(await inbox(u.leader.username, inB.id)).toEqual([]);
      // The dispatcher, who must act, still gets the dispatcher's message.
      expect((await inbox(u.dispatcher.username, inA.id)).map((n) => n.kind)).toEqual([
        'escalated',
      ]);
      // Not urgent: no text message.
      expect(await textsTo(u.leader.id, inA.id)).toEqual([]);
    });

    it('the leader hears of each breach, by text too, up to the top of the tree', async () => {
      const r = await createRequest(t, u.residentA.username, { category, priority: 'urgent' });
      const outcomes: string[] = [];
      for (const kind of ['accept', 'accept'] as const) outcomes.push(await fire(r, kind));
      await notifyLatest(r);
      const { rows } = await db.query<{ responded_on_time: boolean | null }>(
        `SELECT responded_on_time FROM requests WHERE id = $1`,
        [r.id],
      );
      // Unanswered past the accept limit: it now counts in the response rate, as late.
      expect(rows[0].responded_on_time).toBe(false);
      for (const kind of ['dispatch', 'dispatch'] as const) outcomes.push(await fire(r, kind));
      await notifyLatest(r);
      expect(await getRequest(t, r.id)).toMatchObject({
        escalationLevel: 2,
        owner: { code: 'yinzhou' },
      });
      // At the top: the next dispatch limit escalates nowhere.
      for (const kind of ['dispatch', 'dispatch'] as const) outcomes.push(await fire(r, kind));
      await notifyLatest(r, 'dispatch');
      await notifyLatest(r, 'dispatch');
      expect(outcomes).toEqual(['warned', 'breached', 'warned', 'breached', 'warned', 'breached']);
      const kinds = (await inbox(u.leader.username, r.id)).map((n) => n.kind).sort();
      expect(kinds).toEqual(['deadline_breached', 'deadline_breached', 'top_overdue']);
      expect(await textsTo(u.leader.id, r.id)).toEqual([
        'deadline_breached',
        'deadline_breached',
        'top_overdue',
      ]);
      // Warnings go to whoever holds it, not to the leader.
      expect(kinds).not.toContain('deadline_warning');
    });
  });
});
