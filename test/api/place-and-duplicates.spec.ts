import { randomUUID } from 'node:crypto';
import { distanceMetres, wgs84ToGcj02 } from '../../src/common/geo/coordinates';
import { DatabaseService } from '../../src/database/database.service';
import {
  MessageChannel,
  type OutgoingMessage,
} from '../../src/modules/notifications/message-channel';
import {
  createRequest,
  driveTo,
  expectProblem,
  getRequest,
  listAll,
  send,
  sendOk,
  snapshot,
  timeline,
  uniqueCode,
  uniqueTitle,
  unitId,
  type RequestBody,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';
import { deliverSteps, sendMessagesOf, toldAbout } from '../support/deliveries';
import { startWorkerContext, type WorkerContext } from '../support/worker-context';

/**
 * Issue 10 points 2, 3, 4 and 7 through the API: a place on the map, duplicates and MERGE, a
 * request solved on the spot, and the towns' own intake doors. The demo town 咸祥镇 has an area
 * of 10 km around 29.715 N, 121.74 E (WGS-84); the sea is a few kilometres east and south.
 */
const CENTRE = { latitude: 29.715, longitude: 121.74 };
/** A point `north` and `east` metres from the centre, in WGS-84. */
function offset(north: number, east: number, from = CENTRE) {
  const dLat = north / 111_320;
  const dLng = east / (111_320 * Math.cos((from.latitude * Math.PI) / 180));
  return { latitude: from.latitude + dLat, longitude: from.longitude + dLng };
}
const wgs = (p: { latitude: number; longitude: number }) => ({ ...p, coordinateSystem: 'wgs84' });
/** Capital letters for a town's reference prefix no other test uses. */
const randomLetters = (n: number) =>
  [...randomUUID().replace(/-/g, '')]
    .slice(0, n)
    .map((c) => String.fromCharCode(65 + (parseInt(c, 16) % 26)))
    .join('');
/**
 * Each test its own corner of the town, 3 km from the next, so their points (at most 2 km from
 * it) never come within a test's radius of another's, and all stay inside the town's area.
 */
let corner = 0;
const nextCorner = () => {
  const k = corner++ % 20;
  return offset(-6000 + (k % 5) * 3000, -4500 + Math.floor(k / 5) * 3000);
};

describe('place, duplicates, on-the-spot resolution and intake doors', () => {
  let t: TestApp;
  let w: WorkerContext;
  const sent: OutgoingMessage[] = [];
  const db = () => t.app.get(DatabaseService).manager();

  const deliver = (r: { id: string }) => deliverSteps(t, w, r);
  const sendMessages = (r: { id: string }) => sendMessagesOf(t, w, r);
  /** In-app notices about a request to residents: `username kind`, sorted. */
  const told = (r: { id: string }) => toldAbout(t, r, 'resident');

  const texted = (r: RequestBody) =>
    sent.filter((m) => m.reference === r.reference).map((m) => `${m.phone} ${m.kind}`);

  const tokenIn = (text: string) => /\/f\/([A-Za-z0-9_-]{54})/.exec(text)?.[1] ?? '';

  async function requestRows(title: string): Promise<number> {
    const [row] = await db().query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM requests WHERE title = $1`,
      [title],
    );
    return row.n;
  }

  const submit = async (user: string, body: object) =>
    t.http
      .post('/api/v1/requests')
      .set(await t.as(user))
      .send(body);

  async function asAdmin(method: 'post' | 'patch', path: string, body: object) {
    return t.http[method](`/api/v1${path}`)
      .set(await t.as('admin'))
      .send(body);
  }

  /**
   * A town of its own (no area) with a branch and a secretary there, who records requests for
   * residents: `record(fields)` answers the raw response.
   */
  async function anotherTown(name: string) {
    const town = await asAdmin('post', '/units', {
      code: uniqueCode('place-town'),
      name,
      type: 'town',
      parentId: await unitId(t, 'yinzhou'),
      refPrefix: `P${randomLetters(4)}`,
    });
    expect(town.status).toBe(201);
    const branch = await asAdmin('post', '/units', {
      code: uniqueCode('place-branch'),
      name: `${name}一村`,
      type: 'branch',
      parentId: town.body.id,
    });
    const secretary = uniqueCode('place-secretary');
    await asAdmin('post', '/users', {
      username: secretary,
      displayName: secretary,
      password: USER_PASSWORD,
      role: 'secretary',
      unitId: branch.body.id,
    });
    const record = async (fields: Record<string, unknown> = {}) =>
      submit(secretary, {
        title: uniqueTitle(name),
        description: '描述',
        category: 'roads',
        channel: 'visit',
        residentName: '王五',
        residentPhone: '13900000002',
        ...fields,
      });
    return { town: town.body as { id: string; area: unknown }, secretary, record };
  }

  beforeAll(async () => {
    const env = { PUBLIC_BASE_URL: 'https://town.example' };
    t = await startTestApp(env);
    w = await startWorkerContext(env);
    jest.spyOn(w.app.get(MessageChannel), 'send').mockImplementation((m) => {
      sent.push(m);
      return Promise.resolve();
    });
  });

  afterAll(async () => {
    try {
      await w?.close();
    } finally {
      await stopTestApp(t);
    }
  });

  describe('a place on the map', () => {
    it('stores a GCJ-02 point from a phone as WGS-84 and says what it was given in', async () => {
      const truth = nextCorner();
      const gcj = wgs84ToGcj02(truth);
      const r = await createRequest(t, 'resident-1', {
        location: '咸一村村口',
        point: { ...gcj, coordinateSystem: 'gcj02' },
      });
      expect(r.location).toBe('咸一村村口');
      expect(r.point?.givenAs).toBe('gcj02');
      const stored = { latitude: r.point?.latitude ?? 0, longitude: r.point?.longitude ?? 0 };
      expect(distanceMetres(stored, truth)).toBeLessThan(0.01);
      // Unconverted, the phone's point would be hundreds of metres off.
      expect(distanceMetres(gcj, truth)).toBeGreaterThan(100);
      expect((await getRequest(t, r.id, 'secretary-1')).point).toEqual(r.point);
    });

    it('keeps a WGS-84 point as given', async () => {
      const p = nextCorner();
      const r = await createRequest(t, 'resident-1', { point: wgs(p) });
      expect(r.point).toEqual({ ...p, givenAs: 'wgs84' });
      const none = await createRequest(t, 'resident-1');
      expect(none.point).toBeNull();
    });

    it.each<[string, unknown, string[]]>([
      [
        'a latitude beyond 90',
        { latitude: 91, longitude: 121.74, coordinateSystem: 'wgs84' },
        ['point.latitude'],
      ],
      [
        'a longitude beyond 180',
        { latitude: 29.7, longitude: -181, coordinateSystem: 'wgs84' },
        ['point.longitude'],
      ],
      [
        'coordinates as text',
        { latitude: '29.7', longitude: '121.7', coordinateSystem: 'wgs84' },
        ['point.latitude', 'point.longitude'],
      ],
      ['no coordinate system', { latitude: 29.7, longitude: 121.74 }, ['point.coordinateSystem']],
      [
        'Baidu’s own system',
        { latitude: 29.7, longitude: 121.74, coordinateSystem: 'bd09' },
        ['point.coordinateSystem'],
      ],
      [
        'an extra field',
        { latitude: 29.7, longitude: 121.74, coordinateSystem: 'wgs84', altitude: 3 },
        ['point.altitude'],
      ],
      ['a list', [29.7, 121.74], ['point']],
    ])('refuses %s with 400 naming the field, writing nothing', async (_what, point, fields) => {
      const title = uniqueTitle('坐标');
      const res = await submit('resident-1', {
        title,
        description: '描述',
        category: 'roads',
        point,
      });
      expectProblem(res, 400, 'VALIDATION.FAILED');
      const named = (res.body.errors as { field: string }[]).map((e) => e.field);
      for (const f of fields) expect(named).toContain(f);
      expect(await requestRows(title)).toBe(0);
    });

    it.each([
      ['a point in the sea, 55 km east of the town', { latitude: 29.75, longitude: 122.3 }],
      ['0, 0 from a phone without a position fix', { latitude: 0, longitude: 0 }],
      ['Beijing', { latitude: 39.9087, longitude: 116.3975 }],
    ])('refuses %s with 422 REQUEST.POINT_OUTSIDE_AREA, writing nothing', async (_what, p) => {
      const title = uniqueTitle('海上');
      for (const coordinateSystem of ['wgs84', 'gcj02']) {
        const res = await submit('resident-1', {
          title,
          description: '描述',
          category: 'roads',
          point: { ...p, coordinateSystem },
        });
        expectProblem(res, 422, 'REQUEST.POINT_OUTSIDE_AREA');
        expect(res.body.field).toBe('point');
      }
      expect(await requestRows(title)).toBe(0);
    });

    it('lets an admin set, change and remove a town’s area, and only a town’s', async () => {
      const townId = await unitId(t, 'xianxiang');
      const branchId = await unitId(t, 'branch-1');
      const area = { ...wgs(CENTRE), radiusM: 10_000 };
      const setArea = (id: string, body: object, user = 'admin') =>
        t.as(user).then((h) => t.http.patch(`/api/v1/units/${id}`).set(h).send(body));
      expectProblem(await setArea(branchId, { area }), 400, 'UNIT.AREA_NOT_ALLOWED');
      expectProblem(
        await setArea(townId, { area: { ...area, radiusM: 50 } }),
        400,
        'VALIDATION.FAILED',
      );
      expectProblem(
        await setArea(townId, { area: { ...area, latitude: 95 } }),
        400,
        'VALIDATION.FAILED',
      );
      expectProblem(await setArea(townId, { area }, 'town-supervisor'), 403, 'AUTH.FORBIDDEN');
      const same = await setArea(townId, { area });
      expect(same.status).toBe(200);
      expect(same.body.area).toEqual({
        latitude: CENTRE.latitude,
        longitude: CENTRE.longitude,
        radiusM: 10_000,
      });
      // Given in GCJ-02, the centre is stored converted.
      const gcj = await setArea(townId, {
        area: { ...wgs84ToGcj02(CENTRE), coordinateSystem: 'gcj02', radiusM: 10_000 },
      });
      expect(distanceMetres(gcj.body.area, CENTRE)).toBeLessThan(0.01);
      expect((await setArea(townId, { area })).status).toBe(200);
    });

    it('accepts any plausible point in a town without an area', async () => {
      const { town, record: recordFor } = await anotherTown('无边界镇');
      expect(town.area).toBeNull();
      const record = (point: object) => recordFor({ point });
      expect((await record(wgs({ latitude: 45.75, longitude: 126.63 }))).status).toBe(201);
      // Outside China a GCJ-02 point is the WGS-84 point: not shifted.
      const london = await record({
        latitude: 51.5007,
        longitude: -0.1246,
        coordinateSystem: 'gcj02',
      });
      expect(london.status).toBe(201);
      expect(london.body.point).toEqual({
        latitude: 51.5007,
        longitude: -0.1246,
        givenAs: 'gcj02',
      });
      expectProblem(
        await record(wgs({ latitude: 0, longitude: 0 })),
        422,
        'REQUEST.POINT_OUTSIDE_AREA',
      );
    });

    describe('near=lat,lng&radius=', () => {
      const ids: Record<string, string> = {};
      let centre: { latitude: number; longitude: number };

      beforeAll(async () => {
        centre = nextCorner();
        for (const [name, user, north] of [
          ['at 40 m', 'resident-1', 40],
          ['at 300 m', 'resident-1', 300],
          ['at 2 km', 'resident-1', 2000],
          ['branch-2 at 60 m', 'resident-3', -60],
        ] as const) {
          const r = await createRequest(t, user, { point: wgs(offset(north, 0, centre)) });
          ids[name] = r.id;
        }
      });

      const near = async (user: string, query: Record<string, string>) =>
        (await listAll(t, user, query)).items.map((r) => r.id);

      it('finds the requests within the radius, in the caller’s scope', async () => {
        const at = `${centre.latitude},${centre.longitude}`;
        const within100 = await near('secretary-1', { near: at, radius: '100' });
        expect(within100).toContain(ids['at 40 m']);
        expect(within100).not.toContain(ids['at 300 m']);
        expect(within100).not.toContain(ids['branch-2 at 60 m']);
        const within500 = await near('dispatcher', { near: at, radius: '500' });
        expect(within500).toEqual(
          expect.arrayContaining([ids['at 40 m'], ids['at 300 m'], ids['branch-2 at 60 m']]),
        );
        expect(within500).not.toContain(ids['at 2 km']);
        // The default radius is 500 m; resident-3 sees only their own.
        expect(await near('dispatcher', { near: at })).toEqual(within500);
        expect(await near('resident-3', { near: at, radius: '5000' })).toEqual([
          ids['branch-2 at 60 m'],
        ]);
      });

      it('takes the centre in GCJ-02 too', async () => {
        const gcj = wgs84ToGcj02(centre);
        const found = await near('dispatcher', {
          near: `${gcj.latitude.toFixed(9)},${gcj.longitude.toFixed(9)}`,
          nearSystem: 'gcj02',
          radius: '100',
        });
        expect(found).toContain(ids['at 40 m']);
        expect(found).toContain(ids['branch-2 at 60 m']);
        expect(found).not.toContain(ids['at 300 m']);
      });

      it.each([
        ['near=abc', { near: 'abc' }, 'near'],
        ['near out of range', { near: '95,121' }, 'near'],
        ['one coordinate', { near: '29.7' }, 'near'],
        ['radius 0', { near: '29.7,121.7', radius: '0' }, 'radius'],
        ['radius 20 km', { near: '29.7,121.7', radius: '20000' }, 'radius'],
        ['radius without near', { radius: '100' }, 'radius'],
        ['nearSystem without near', { nearSystem: 'gcj02' }, 'nearSystem'],
        ['nearSystem bd09', { near: '29.7,121.7', nearSystem: 'bd09' }, 'nearSystem'],
      ])('refuses %s with 400 naming it', async (_what, query, field) => {
        const res = await t.http
          .get('/api/v1/requests')
          .query(query)
          .set(await t.as('dispatcher'));
        expectProblem(res, 400, 'VALIDATION.FAILED');
        expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      });

      it('is answered from the GiST index', async () => {
        // The test table is small enough to read whole; forbid that to see the index is usable.
        const plan = await t.app.get(DatabaseService).transaction(async () => {
          await db().query('SET LOCAL enable_seqscan = off');
          return db().query<{ 'QUERY PLAN': unknown }[]>(
            `EXPLAIN (FORMAT JSON) SELECT id FROM requests r
              WHERE r.latitude IS NOT NULL
                AND earth_box(request_earth($1, $2), 100) @> request_earth(r.latitude, r.longitude)`,
            [centre.latitude, centre.longitude],
          );
        });
        expect(JSON.stringify(plan[0]['QUERY PLAN'])).toContain('requests_point_idx');
      });
    });
  });

  describe('duplicates', () => {
    /** An original of resident-1 and a second report 40 m away from resident-2, both roads. */
    async function pair(fields: Record<string, unknown> = {}) {
      const spot = nextCorner();
      const original = await createRequest(t, 'resident-1', { point: wgs(spot), ...fields });
      const duplicate = await createRequest(t, 'resident-2', {
        point: wgs(offset(40, 0, spot)),
        ...fields,
      });
      return { spot, original, duplicate };
    }

    it('shows staff an open request of the same category within 100 m, never residents', async () => {
      const { spot, original, duplicate } = await pair();
      const farther = await createRequest(t, 'resident-1', { point: wgs(offset(0, 150, spot)) });
      const other = await createRequest(t, 'resident-1', {
        category: 'sewage',
        point: wgs(offset(10, 0, spot)),
      });
      const seen = await getRequest(t, duplicate.id, 'secretary-1');
      const found = seen.possibleDuplicates ?? [];
      expect(found.map((d) => d.id)).toContain(original.id);
      expect(found.map((d) => d.id)).not.toContain(farther.id);
      expect(found.map((d) => d.id)).not.toContain(other.id);
      const entry = found.find((d) => d.id === original.id);
      expect(entry).toMatchObject({
        reference: original.reference,
        state: 'submitted',
        reasons: ['nearby'],
        branch: { code: 'branch-1' },
      });
      expect(entry?.distanceM).toBeGreaterThanOrEqual(39);
      expect(entry?.distanceM).toBeLessThanOrEqual(41);
      for (const user of ['dispatcher', 'town-supervisor']) {
        const d = await getRequest(t, duplicate.id, user);
        expect(d.possibleDuplicates?.map((x) => x.id)).toContain(original.id);
      }
      const resident = await getRequest(t, duplicate.id, 'resident-2');
      expect(resident).not.toHaveProperty('possibleDuplicates');
      expect(resident).not.toHaveProperty('mergedDuplicates');
      // Lists never carry them.
      const listed = (
        await listAll(t, 'secretary-1', {
          near: `${spot.latitude},${spot.longitude}`,
          radius: '100',
        })
      ).items;
      expect(listed.find((r) => r.id === duplicate.id)).not.toHaveProperty('possibleDuplicates');
    });

    it('finds a near-identical title in the same branch without a point', async () => {
      const tag = randomUUID().slice(0, 6);
      const original = await createRequest(t, 'resident-1', {
        title: `东村小学门口路灯不亮${tag}`,
      });
      const again = await createRequest(t, 'resident-2', { title: `东村小学门口的路灯不亮${tag}` });
      const unlike = await createRequest(t, 'resident-2', { title: `村委会门前垃圾桶满了${tag}` });
      const found = (await getRequest(t, again.id, 'secretary-1')).possibleDuplicates ?? [];
      const entry = found.find((d) => d.id === original.id);
      expect(entry?.reasons).toEqual(['similarTitle']);
      expect(entry?.distanceM).toBeNull();
      expect(entry?.titleSimilarity).toBeGreaterThanOrEqual(0.6);
      expect(found.map((d) => d.id)).not.toContain(unlike.id);
    });

    it('shows only what the caller’s scope reaches', async () => {
      const spot = nextCorner();
      const mine = await createRequest(t, 'resident-1', { point: wgs(spot) });
      const theirs = await createRequest(t, 'resident-3', { point: wgs(offset(20, 0, spot)) });
      const bySecretary2 = await getRequest(t, theirs.id, 'secretary-2');
      expect(bySecretary2.possibleDuplicates?.map((d) => d.id)).not.toContain(mine.id);
      const byDispatcher = await getRequest(t, theirs.id, 'dispatcher');
      expect(byDispatcher.possibleDuplicates?.map((d) => d.id)).toContain(mine.id);
    });

    it('a secretary merges a duplicate (by reference number): it closes as `duplicate`', async () => {
      const { original, duplicate } = await pair();
      const merged = await sendOk(t, duplicate.id, 'secretary-1', {
        type: 'MERGE',
        intoRequestId: original.reference.toLowerCase(),
        note: '同一处坑洼',
      });
      expect(merged).toMatchObject({
        state: 'closed',
        outcome: 'duplicate',
        mergedInto: { id: original.id, reference: original.reference },
        allowedEvents: ['COMMENT'],
      });
      expect(merged.clocks.every((c) => c.status === 'stopped')).toBe(true);
      expect((await timeline(t, duplicate.id)).at(-1)).toMatchObject({
        type: 'MERGE',
        from: 'submitted',
        to: 'closed',
        payload: {
          intoRequestId: original.id,
          intoReference: original.reference,
          note: '同一处坑洼',
        },
      });
      const o = await getRequest(t, original.id, 'secretary-1');
      expect(o.mergedDuplicates).toEqual([{ id: duplicate.id, reference: duplicate.reference }]);
      expect(o.state).toBe('submitted');
      // The duplicate's resident sees where their request went.
      expect((await getRequest(t, duplicate.id, 'resident-2')).mergedInto?.reference).toBe(
        original.reference,
      );
      // Merged, it is no longer a possible duplicate of anything.
      expect(
        (await getRequest(t, original.id, 'secretary-1')).possibleDuplicates?.map((d) => d.id),
      ).not.toContain(duplicate.id);
    });

    it('refuses a merge into itself, a cycle, a closed or resolved original, and one out of scope', async () => {
      const { original, duplicate } = await pair();
      const refused = async (
        into: string,
        status: number,
        code: string,
        user = 'secretary-1',
        id = duplicate.id,
      ) => {
        const before = await snapshot(t, id);
        expectProblem(
          await send(t, id, user, { type: 'MERGE', intoRequestId: into }),
          status,
          code,
        );
        expect(await snapshot(t, id)).toEqual(before);
      };
      await refused(duplicate.id, 400, 'REQUEST.MERGE_INTO_ITSELF');
      await refused(duplicate.reference, 400, 'REQUEST.MERGE_INTO_ITSELF');
      await refused(randomUUID(), 404, 'REQUEST.NOT_FOUND');
      await refused('XX-2026-999999', 404, 'REQUEST.NOT_FOUND');
      const closed = await driveTo(t, 'closedAtBranch');
      await refused(closed.id, 409, 'REQUEST.MERGE_TARGET_NOT_OPEN');
      const resolved = await driveTo(t, 'resolvedAtBranch');
      await refused(resolved.id, 409, 'REQUEST.MERGE_TARGET_NOT_OPEN');
      const withdrawn = await driveTo(t, 'withdrawn');
      await refused(withdrawn.id, 409, 'REQUEST.MERGE_TARGET_NOT_OPEN');
      // Another branch of the same town is outside a secretary's scope: 404, as if it did not exist.
      const branch2 = await createRequest(t, 'resident-3');
      await refused(branch2.id, 404, 'REQUEST.NOT_FOUND');
      // Roles that may not merge, and a secretary who does not see the duplicate.
      await refused(original.id, 403, 'REQUEST.EVENT_FORBIDDEN', 'resident-2');
      await refused(original.id, 403, 'REQUEST.EVENT_FORBIDDEN', 'dispatcher');
      await refused(original.id, 403, 'REQUEST.EVENT_FORBIDDEN', 'town-supervisor');
      await refused(original.id, 404, 'REQUEST.NOT_FOUND', 'secretary-2');
      // Once merged, merging the original back into it is a cycle.
      await sendOk(t, duplicate.id, 'secretary-1', { type: 'MERGE', intoRequestId: original.id });
      await refused(duplicate.id, 409, 'REQUEST.MERGE_CYCLE', 'secretary-1', original.id);
      // A merged duplicate takes no second merge.
      await refused(original.id, 409, 'REQUEST.TRANSITION_NOT_ALLOWED');
    });

    it('refuses a merge into another town’s request with 404', async () => {
      const { secretary: username, record } = await anotherTown('别的镇');
      const elsewhere = await record();
      expect(elsewhere.status).toBe(201);
      const mine = await createRequest(t, 'resident-1');
      for (const into of [elsewhere.body.id as string, elsewhere.body.reference as string]) {
        expectProblem(
          await send(t, mine.id, 'secretary-1', { type: 'MERGE', intoRequestId: into }),
          404,
          'REQUEST.NOT_FOUND',
        );
      }
      // And the other town's secretary cannot merge theirs into ours.
      expectProblem(
        await send(t, elsewhere.body.id, username, { type: 'MERGE', intoRequestId: mine.id }),
        404,
        'REQUEST.NOT_FOUND',
      );
      expect((await getRequest(t, mine.id)).state).toBe('submitted');
    });

    it('lets only one of two crossing merges through', async () => {
      const { original, duplicate } = await pair();
      const results = await Promise.all([
        send(t, duplicate.id, 'secretary-1', { type: 'MERGE', intoRequestId: original.id }),
        send(t, original.id, 'secretary-1', { type: 'MERGE', intoRequestId: duplicate.id }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      expect(['REQUEST.MERGE_CYCLE', 'REQUEST.MERGE_TARGET_NOT_OPEN']).toContain(loser?.body.code);
      const states = [await getRequest(t, original.id), await getRequest(t, duplicate.id)];
      expect(states.map((s) => s.state).sort()).toEqual(['closed', 'submitted']);
    });

    it('the duplicate’s resident follows the original and rates its result through their own link', async () => {
      const { original, duplicate } = await pair();
      await sendOk(t, duplicate.id, 'secretary-1', {
        type: 'MERGE',
        intoRequestId: original.id,
      });
      await deliver(duplicate);
      expect(await told(duplicate)).toEqual(['resident-2 merged']);
      expect(texted(duplicate)).toEqual(['13800000002 merged']);
      const mergedText = sent.find(
        (m) => m.reference === duplicate.reference && m.kind === 'merged',
      );
      expect(mergedText?.text).toContain(original.reference);

      await sendOk(t, original.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, original.id, 'secretary-1', { type: 'RESOLVE', resolution: '已填平坑洼' });
      await deliver(original);
      await sendMessages(duplicate);
      // Told about their own request: its reference, their inbox, their phone, a link of their own.
      expect(await told(duplicate)).toEqual(['resident-2 merged', 'resident-2 resolved']);
      expect(texted(duplicate)).toEqual(['13800000002 merged', '13800000002 resolved']);
      const text = sent.find((m) => m.reference === duplicate.reference && m.kind === 'resolved');
      expect(text?.text).toContain('已填平坑洼');
      expect(text?.text).toContain(original.reference);
      const token = tokenIn(text?.text ?? '');
      const ownLink = sent.find((m) => m.reference === original.reference && m.kind === 'resolved');
      expect(token).toHaveLength(54);
      expect(tokenIn(ownLink?.text ?? '')).not.toBe(token);
      const [inbox] = await db().query<{ feedback_url: string }[]>(
        `SELECT n.feedback_url FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.request_id = $1 AND n.kind = 'resolved' AND u.username = 'resident-2'`,
        [duplicate.id],
      );
      expect(inbox.feedback_url).toBe(`https://town.example/f/${token}`);

      const view = await t.http.get(`/api/v1/feedback/${token}`).expect(200);
      expect(view.body).toMatchObject({
        reference: duplicate.reference,
        resolution: '已填平坑洼',
        mergedInto: original.reference,
      });
      // A comment alone would dispute the original's work, which is its own resident's to do.
      expectProblem(
        await t.http.post(`/api/v1/feedback/${token}`).send({ comment: '没修好' }),
        400,
        'VALIDATION.FAILED',
      );
      const answer = await t.http
        .post(`/api/v1/feedback/${token}`)
        .send({ rating: 2, comment: '只填了一半' })
        .expect(200);
      expect(answer.body).toEqual({ outcome: 'confirmed', reference: duplicate.reference });
      expect(await getRequest(t, duplicate.id)).toMatchObject({
        state: 'closed',
        outcome: 'duplicate',
        rating: 2,
      });
      expect((await timeline(t, duplicate.id)).at(-1)).toMatchObject({
        type: 'CONFIRM',
        from: 'closed',
        to: 'closed',
        payload: { rating: 2, comment: '只填了一半', via: 'feedback_link' },
      });
      expectProblem(
        await t.http.post(`/api/v1/feedback/${token}`).send({ rating: 5 }),
        410,
        'FEEDBACK.LINK_USED',
      );
      // The original waits for its own resident, who rates it as always.
      expect((await getRequest(t, original.id)).state).toBe('resolved');
      const own = tokenIn(ownLink?.text ?? '');
      await t.http.post(`/api/v1/feedback/${own}`).send({ rating: 5 }).expect(200);
      expect(await getRequest(t, original.id)).toMatchObject({ state: 'closed', rating: 5 });
      // A signed-in follower cannot rate the closed duplicate outside the link.
      expectProblem(
        await send(t, duplicate.id, 'resident-2', { type: 'CONFIRM', rating: 5 }),
        403,
        'REQUEST.EVENT_FORBIDDEN',
      );
    });

    it('tells the followers when the original is withdrawn', async () => {
      const { original, duplicate } = await pair();
      await sendOk(t, duplicate.id, 'secretary-1', { type: 'MERGE', intoRequestId: original.id });
      await sendOk(t, original.id, 'resident-1', { type: 'WITHDRAW', reason: '我自己修好了' });
      await deliver(original);
      expect(await told(duplicate)).toEqual(['resident-2 original_withdrawn']);
    });
  });

  describe('solved on the spot (现场解决)', () => {
    const onSpot = (fields: Record<string, unknown> = {}) => ({
      title: uniqueTitle('现场解决'),
      description: '集市流动服务点：路灯不亮，当场联系电工处理。',
      category: 'roads',
      channel: 'mobile_service_point',
      residentName: '赵大爷',
      residentPhone: '13800000001',
      resolvedOnSpot: { resolution: '电工已当场更换灯泡' },
      ...fields,
    });

    async function statsOfBranch1() {
      const res = await t.http
        .get('/api/v1/supervision/stats')
        .query({ unitId: await unitId(t, 'xianxiang'), groupBy: 'unit' })
        .set(await t.as('town-supervisor'))
        .expect(200);
      return (
        res.body.rows as {
          unit: { code: string };
          resolvedOnSpot: number;
          received: number;
          resolvedOnTime: number;
        }[]
      ).find((r) => r.unit.code === 'branch-1');
    }

    it('records, accepts and resolves in one command; the resident hears once, with the link', async () => {
      const before = await statsOfBranch1();
      const res = await submit('secretary-1', onSpot());
      expect(res.status).toBe(201);
      const r = res.body as RequestBody;
      expect(r).toMatchObject({
        state: 'resolved',
        resolvedOnSpot: true,
        resolution: '电工已当场更换灯泡',
        channel: 'mobile_service_point',
        version: 3,
      });
      expect(r.clocks.find((c) => c.kind === 'feedback')?.status).toBe('running');
      expect(
        r.clocks.filter((c) => c.kind !== 'feedback').every((c) => c.status === 'stopped'),
      ).toBe(true);
      const steps = await timeline(t, r.id);
      expect(steps.map((s) => `${s.type} ${s.from ?? ''}→${s.to}`)).toEqual([
        'CREATE →submitted',
        'ACCEPT submitted→accepted',
        'RESOLVE accepted→resolved',
      ]);
      expect(
        steps.every((s) => s.payload.onSpot === true && s.actor?.username === 'secretary-1'),
      ).toBe(true);
      await deliver(r);
      // resident-1 has this phone: one notice, the resolution with the link, and one text.
      expect(await told(r)).toEqual(['resident-1 resolved']);
      expect(texted(r)).toEqual(['13800000001 resolved']);
      const token = tokenIn(sent.find((m) => m.reference === r.reference)?.text ?? '');
      await t.http.post(`/api/v1/feedback/${token}`).send({ rating: 5 }).expect(200);
      expect(await getRequest(t, r.id)).toMatchObject({ state: 'closed', outcome: 'satisfied' });
      const after = await statsOfBranch1();
      expect((after?.resolvedOnSpot ?? 0) - (before?.resolvedOnSpot ?? 0)).toBe(1);
      expect((after?.received ?? 0) - (before?.received ?? 0)).toBe(1);
      expect((after?.resolvedOnTime ?? 0) - (before?.resolvedOnTime ?? 0)).toBe(1);
    });

    it('replays the same Idempotency-Key as the first request, resolved, not a second one', async () => {
      const body = onSpot();
      const key = `on-spot-${randomUUID()}`;
      const post = async () =>
        t.http
          .post('/api/v1/requests')
          .set({ ...(await t.as('secretary-1')), 'Idempotency-Key': key })
          .send(body);
      const first = await post();
      const again = await post();
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toMatchObject({ id: first.body.id, state: 'resolved', version: 3 });
      expect(await requestRows(body.title)).toBe(1);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a blank resolution', { resolvedOnSpot: { resolution: '  ' } }, 'resolvedOnSpot.resolution'],
      ['no resolution', { resolvedOnSpot: {} }, 'resolvedOnSpot.resolution'],
      [
        'a resolution of 2001 characters',
        { resolvedOnSpot: { resolution: '修'.repeat(2001) } },
        'resolvedOnSpot.resolution',
      ],
      [
        'an unknown field',
        { resolvedOnSpot: { resolution: '好了', photo: 'x.jpg' } },
        'resolvedOnSpot.photo',
      ],
      ['a string', { resolvedOnSpot: '好了' }, 'resolvedOnSpot'],
    ])('refuses %s with 400 naming it, writing nothing', async (_what, fields, field) => {
      const body = onSpot(fields);
      const res = await submit('secretary-1', body);
      expectProblem(res, 400, 'VALIDATION.FAILED');
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await requestRows(body.title)).toBe(0);
    });

    it('is for staff: a resident is refused with 403 and nothing is written', async () => {
      const title = uniqueTitle('居民现场');
      const res = await submit('resident-1', {
        title,
        description: '描述',
        category: 'roads',
        resolvedOnSpot: { resolution: '好了' },
      });
      expectProblem(res, 403, 'REQUEST.EVENT_FORBIDDEN');
      expect(await requestRows(title)).toBe(0);
      for (const user of ['dispatcher', 'town-supervisor']) {
        expectProblem(await submit(user, onSpot()), 403, 'AUTH.FORBIDDEN');
      }
    });

    it('refuses a point outside the town before anything is recorded', async () => {
      const body = onSpot({ point: wgs({ latitude: 29.75, longitude: 122.3 }) });
      const res = await submit('secretary-1', body);
      expectProblem(res, 422, 'REQUEST.POINT_OUTSIDE_AREA');
      expect(await requestRows(body.title)).toBe(0);
    });
  });

  describe('the towns’ own intake doors', () => {
    const DOORS = [
      'mobile_service_point',
      'villagers_talk',
      'reception_day',
      'grid_member',
      'inspection',
    ];

    async function byChannel(): Promise<Record<string, number>> {
      const res = await t.http
        .get('/api/v1/supervision/stats')
        .query({ unitId: await unitId(t, 'xianxiang'), groupBy: 'channel' })
        .set(await t.as('town-supervisor'))
        .expect(200);
      return Object.fromEntries(
        (res.body.rows as { key: string; received: number }[]).map((r) => [r.key, r.received]),
      );
    }

    it('records a request from each door and counts it under that door', async () => {
      const before = await byChannel();
      for (const [i, channel] of DOORS.entries()) {
        for (let n = 0; n <= i; n++) {
          const r = await createRequest(t, 'secretary-1', {
            channel,
            residentName: '钱阿姨',
            residentPhone: '13800000002',
          });
          expect(r.channel).toBe(channel);
        }
      }
      const after = await byChannel();
      expect(DOORS.map((c) => after[c] - (before[c] ?? 0))).toEqual([1, 2, 3, 4, 5]);
      expect(after.tea_house).toBe(before.tea_house);
    });

    it('refuses an unknown door, and a resident naming one', async () => {
      const body = {
        title: uniqueTitle('渠道'),
        description: '描述',
        category: 'roads',
        residentName: '钱阿姨',
        residentPhone: '13800000002',
      };
      const post = async (user: string, fields: object) => submit(user, { ...body, ...fields });
      expectProblem(await post('secretary-1', { channel: 'market' }), 400, 'VALIDATION.FAILED');
      expectProblem(
        await post('resident-1', {
          channel: 'inspection',
          residentName: undefined,
          residentPhone: undefined,
        }),
        400,
        'REQUEST.INVALID_CHANNEL',
      );
      expect(await requestRows(body.title)).toBe(0);
    });
  });
});
