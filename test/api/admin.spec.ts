import { randomUUID } from 'node:crypto';
import {
  createRequest,
  expectProblem,
  uniqueCode,
  uniqueTitle,
  uniqueAddress,
  unitId,
  userId,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp, USER_PASSWORD } from '../support/test-app';

const ALL_USERS = [
  'admin',
  'county-supervisor',
  'town-supervisor',
  'dispatcher',
  'secretary-1',
  'secretary-2',
  'secretary-3',
  'roads-officer',
  'env-officer',
  'resident-1',
  'resident-2',
  'resident-3',
  'resident-4',
  'resident-5',
  'resident-6',
];

const DEMO_UNITS = [
  'yinzhou',
  'xianxiang',
  'branch-1',
  'branch-2',
  'branch-3',
  'dept-roads',
  'dept-environment',
  'dept-civil',
];

const DEMO_CATEGORIES = [
  'roads',
  'sewage',
  'sanitation',
  'parking',
  'elderly-care',
  'childcare',
  'utilities',
  'dispute',
  'other',
];

/** 2 to 6 capital letters, unique enough for one run. */
function uniquePrefix(): string {
  return Array.from({ length: 6 }, () =>
    String.fromCharCode(65 + Math.floor(Math.random() * 26)),
  ).join('');
}

describe('administration', () => {
  let t: TestApp;
  let admin: { Authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as('admin');
  });

  afterAll(() => stopTestApp(t));

  async function createUnit(body: Record<string, unknown>) {
    return t.http.post('/api/v1/units').set(admin).send(body);
  }

  async function newTown() {
    const res = await createUnit({
      code: uniqueCode('town'),
      name: '新镇',
      type: 'town',
      parentId: await unitId(t, 'yinzhou'),
      refPrefix: uniquePrefix(),
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string; refPrefix: string };
  }

  describe('units', () => {
    it('a town, a branch and a department form a tree under the county', async () => {
      const town = await newTown();
      expect(town).toMatchObject({ type: 'town', parentId: await unitId(t, 'yinzhou') });
      const branch = await createUnit({
        code: uniqueCode('branch'),
        name: '新村',
        type: 'branch',
        parentId: town.id,
      });
      expect(branch.status).toBe(201);
      expect(branch.body).toMatchObject({ type: 'branch', parentId: town.id, refPrefix: null });
      const dept = await createUnit({
        code: uniqueCode('dept'),
        name: '新部门',
        type: 'department',
        parentId: town.id,
      });
      expect(dept.status).toBe(201);

      const children = await t.http
        .get('/api/v1/units')
        .query({ parentId: town.id })
        .set(admin)
        .expect(200);
      expect(children.body.map((u: { id: string }) => u.id).sort()).toEqual(
        [branch.body.id, dept.body.id].sort(),
      );
      const one = await t.http.get(`/api/v1/units/${branch.body.id}`).set(admin).expect(200);
      expect(one.body).toEqual(branch.body);
      const branches = await t.http
        .get('/api/v1/units')
        .query({ type: 'branch' })
        .set(admin)
        .expect(200);
      expect(branches.body.every((u: { type: string }) => u.type === 'branch')).toBe(true);
      expect(branches.body.map((u: { id: string }) => u.id)).toContain(branch.body.id);
    });

    it('a new county is a root', async () => {
      const res = await createUnit({ code: uniqueCode('county'), name: '新区', type: 'county' });
      expect(res.status).toBe(201);
      expect(res.body.parentId).toBeNull();
    });

    it.each<[string, () => Promise<Record<string, unknown>>, string]>([
      [
        'a branch under the county',
        async () => ({ type: 'branch', parentId: await unitId(t, 'yinzhou') }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a branch under a branch',
        async () => ({ type: 'branch', parentId: await unitId(t, 'branch-1') }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a department under a department',
        async () => ({ type: 'department', parentId: await unitId(t, 'dept-roads') }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a branch without a parent',
        () => Promise.resolve({ type: 'branch' }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a branch under a parent that does not exist',
        () => Promise.resolve({ type: 'branch', parentId: randomUUID() }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a county under a county',
        async () => ({ type: 'county', parentId: await unitId(t, 'yinzhou') }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a town under a town',
        async () => ({ type: 'town', parentId: await unitId(t, 'xianxiang'), refPrefix: 'QQQ' }),
        'UNIT.INVALID_PARENT',
      ],
      [
        'a town without a refPrefix',
        async () => ({ type: 'town', parentId: await unitId(t, 'yinzhou') }),
        'UNIT.REF_PREFIX_REQUIRED',
      ],
      [
        'a branch with a refPrefix',
        async () => ({ type: 'branch', parentId: await unitId(t, 'xianxiang'), refPrefix: 'QQ' }),
        'UNIT.REF_PREFIX_NOT_ALLOWED',
      ],
      [
        'a lower-case refPrefix',
        async () => ({ type: 'town', parentId: await unitId(t, 'yinzhou'), refPrefix: 'xx' }),
        'VALIDATION.FAILED',
      ],
      [
        'an unknown type',
        async () => ({ type: 'village', parentId: await unitId(t, 'xianxiang') }),
        'VALIDATION.FAILED',
      ],
      [
        'a code with capitals',
        async () => ({ type: 'branch', parentId: await unitId(t, 'xianxiang'), code: 'Branch-X' }),
        'VALIDATION.FAILED',
      ],
      [
        'an unknown field',
        async () => ({ type: 'branch', parentId: await unitId(t, 'xianxiang'), path: '/x/' }),
        'VALIDATION.FAILED',
      ],
    ])('%s is refused with 400', async (_what, body, code) => {
      const fields = await body();
      const unitCode = typeof fields.code === 'string' ? fields.code : uniqueCode('bad');
      const res = await createUnit({ code: unitCode, name: '不该存在', ...fields });
      expectProblem(res, 400, code);
      const all = await t.http.get('/api/v1/units').set(admin).expect(200);
      expect(all.body.map((u: { code: string }) => u.code)).not.toContain(unitCode);
    });

    it('a duplicate code or refPrefix answers 409', async () => {
      const town = await newTown();
      const dupCode = await createUnit({
        code: 'branch-1',
        name: '重复',
        type: 'branch',
        parentId: town.id,
      });
      expectProblem(dupCode, 409, 'UNIT.DUPLICATE');
      const dupPrefix = await createUnit({
        code: uniqueCode('town'),
        name: '重复前缀',
        type: 'town',
        parentId: await unitId(t, 'yinzhou'),
        refPrefix: 'XX',
      });
      expectProblem(dupPrefix, 409, 'UNIT.DUPLICATE');
      const other = await newTown();
      const patch = await t.http
        .patch(`/api/v1/units/${other.id}`)
        .set(admin)
        .send({ refPrefix: town.refPrefix });
      expectProblem(patch, 409, 'UNIT.DUPLICATE');
    });

    it('PATCH renames a unit and changes a town’s prefix; a branch has no prefix', async () => {
      const town = await newTown();
      const renamed = await t.http
        .patch(`/api/v1/units/${town.id}`)
        .set(admin)
        .send({ name: '改名镇' })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: '改名镇', refPrefix: town.refPrefix });
      const prefix = uniquePrefix();
      const reprefixed = await t.http
        .patch(`/api/v1/units/${town.id}`)
        .set(admin)
        .send({ refPrefix: prefix })
        .expect(200);
      expect(reprefixed.body).toMatchObject({ name: '改名镇', refPrefix: prefix });
      expectProblem(
        await t.http
          .patch(`/api/v1/units/${await unitId(t, 'branch-3')}`)
          .set(admin)
          .send({ refPrefix: 'ABC' }),
        400,
        'UNIT.REF_PREFIX_NOT_ALLOWED',
      );
      expectProblem(
        await t.http.patch(`/api/v1/units/${randomUUID()}`).set(admin).send({ name: 'x' }),
        404,
        'UNIT.NOT_FOUND',
      );
      expectProblem(
        await t.http.patch(`/api/v1/units/${town.id}`).set(admin).send({ type: 'county' }),
        400,
        'VALIDATION.FAILED',
      );
    });

    it('a unit in use (children, users or requests) cannot be deleted; an unused one can', async () => {
      for (const code of ['xianxiang', 'branch-1', 'dept-roads', 'yinzhou']) {
        expectProblem(
          await t.http.delete(`/api/v1/units/${await unitId(t, code)}`).set(admin),
          409,
          'UNIT.IN_USE',
        );
      }
      // A department with no users, whose only tie is a request dispatched to it.
      const town = await unitId(t, 'xianxiang');
      const dept = await createUnit({
        code: uniqueCode('dept'),
        name: '临时部门',
        type: 'department',
        parentId: town,
      });
      const r = await createRequest(t);
      for (const [user, event] of [
        ['secretary-1', { type: 'ACCEPT' }],
        ['secretary-1', { type: 'ESCALATE', reason: '上报' }],
        ['dispatcher', { type: 'ASSIGN', assigneeUnitId: dept.body.id }],
      ] as const) {
        await t.http
          .post(`/api/v1/requests/${r.id}/events`)
          .set(await t.as(user))
          .send(event)
          .expect(200);
      }
      expectProblem(
        await t.http.delete(`/api/v1/units/${dept.body.id}`).set(admin),
        409,
        'UNIT.IN_USE',
      );

      const leaf = await createUnit({
        code: uniqueCode('branch'),
        name: '空村',
        type: 'branch',
        parentId: town,
      });
      await t.http.delete(`/api/v1/units/${leaf.body.id}`).set(admin).expect(204);
      expectProblem(
        await t.http.get(`/api/v1/units/${leaf.body.id}`).set(admin),
        404,
        'UNIT.NOT_FOUND',
      );
      expectProblem(
        await t.http.delete(`/api/v1/units/${leaf.body.id}`).set(admin),
        404,
        'UNIT.NOT_FOUND',
      );
    });
  });

  describe('users', () => {
    async function createUser(body: Record<string, unknown>) {
      return t.http
        .post('/api/v1/users')
        .set(admin)
        .send({
          username: uniqueCode('user'),
          displayName: '新用户',
          password: USER_PASSWORD,
          ...body,
        });
    }

    it.each<[string, string]>([
      ['resident', 'branch-2'],
      ['secretary', 'branch-3'],
      ['dispatcher', 'xianxiang'],
      ['assignee', 'dept-civil'],
      ['assignee', 'branch-1'],
      ['supervisor', 'xianxiang'],
      ['supervisor', 'yinzhou'],
      ['admin', 'dept-roads'],
    ])('a %s may belong to %s', async (role, unit) => {
      const res = await createUser({ role, unitId: await unitId(t, unit), phone: '13900000000' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        role,
        unitId: await unitId(t, unit),
        active: true,
        phone: '13900000000',
      });
      expect(res.body).not.toHaveProperty('passwordHash');
      expect(JSON.stringify(res.body)).not.toContain('argon2');
    });

    it('a new user logs in with the password the admin set', async () => {
      const res = await createUser({ role: 'assignee', unitId: await unitId(t, 'dept-civil') });
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ username: res.body.username, password: USER_PASSWORD })
        .expect(200);
      expect(login.body.user).toMatchObject({ id: res.body.id, role: 'assignee' });
      // The new assignee's unit is dept-civil: nothing has been dispatched there by this test.
      const mine = await t.http
        .get('/api/v1/requests')
        .set('Authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);
      expect(
        mine.body.items.every(
          (r: { assigneeUnit: { code: string } | null }) => r.assigneeUnit?.code === 'dept-civil',
        ),
      ).toBe(true);
    });

    it.each<[string, string]>([
      ['resident', 'dept-roads'],
      ['resident', 'xianxiang'],
      ['secretary', 'xianxiang'],
      ['secretary', 'dept-roads'],
      ['dispatcher', 'branch-1'],
      ['dispatcher', 'yinzhou'],
      ['assignee', 'yinzhou'],
      ['supervisor', 'branch-1'],
      ['supervisor', 'dept-roads'],
    ])('a %s may not belong to %s (400)', async (role, unit) => {
      const res = await createUser({ role, unitId: await unitId(t, unit) });
      expectProblem(res, 400, 'USER.INVALID_UNIT');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown unit', { role: 'resident', unitId: randomUUID() }, 'USER.INVALID_UNIT'],
      ['an unknown role', { role: 'mayor' }, 'VALIDATION.FAILED'],
      ['a short password', { role: 'resident', password: 'short' }, 'USER.WEAK_PASSWORD'],
      ['an empty password', { role: 'resident', password: '' }, 'VALIDATION.FAILED'],
      ['a username with spaces', { role: 'resident', username: 'a b' }, 'VALIDATION.FAILED'],
      ['a username in capitals', { role: 'resident', username: 'Resident-9' }, 'VALIDATION.FAILED'],
      ['a malformed phone', { role: 'resident', phone: 'none' }, 'VALIDATION.FAILED'],
      ['an unknown field', { role: 'resident', active: false }, 'VALIDATION.FAILED'],
    ])('%s is refused with 400', async (_what, body, code) => {
      const res = await createUser({ unitId: await unitId(t, 'branch-1'), ...body });
      expectProblem(res, 400, code);
    });

    it('a duplicate username answers 409', async () => {
      const res = await createUser({
        username: 'secretary-1',
        role: 'secretary',
        unitId: await unitId(t, 'branch-1'),
      });
      expectProblem(res, 409, 'USER.DUPLICATE');
    });

    it('lists users by role and unit', async () => {
      const all = await t.http.get('/api/v1/users').set(admin).expect(200);
      const names = all.body.map((u: { username: string }) => u.username);
      expect(names).toEqual(expect.arrayContaining(ALL_USERS));
      const secretaries = await t.http
        .get('/api/v1/users')
        .query({ role: 'secretary', unitId: await unitId(t, 'branch-2') })
        .set(admin)
        .expect(200);
      expect(secretaries.body.map((u: { username: string }) => u.username)).toContain(
        'secretary-2',
      );
      expect(
        secretaries.body.every((u: { role: string; unitId: string }) => u.role === 'secretary'),
      ).toBe(true);
      expectProblem(
        await t.http.get('/api/v1/users').query({ role: 'king' }).set(admin),
        400,
        'VALIDATION.FAILED',
      );
      const one = await t.http
        .get(`/api/v1/users/${await userId(t, 'dispatcher')}`)
        .set(admin)
        .expect(200);
      expect(one.body).toMatchObject({ username: 'dispatcher', role: 'dispatcher' });
    });

    it('a deactivated user cannot log in, and their old token stops working at once', async () => {
      const created = await createUser({ role: 'secretary', unitId: await unitId(t, 'branch-2') });
      const username = created.body.username as string;
      const id = created.body.id as string;
      const token = await t.token(username);
      await t.http.get('/api/v1/requests').set('Authorization', `Bearer ${token}`).expect(200);

      const off = await t.http.patch(`/api/v1/users/${id}`).set(admin).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ active: false, displayName: '新用户' });

      expectProblem(
        await t.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', uniqueAddress())
          .send({ username, password: USER_PASSWORD }),
        401,
        'AUTH.INVALID_CREDENTIALS',
      );
      expectProblem(
        await t.http.get('/api/v1/requests').set('Authorization', `Bearer ${token}`),
        401,
        'AUTH.INVALID_TOKEN',
      );

      await t.http.patch(`/api/v1/users/${id}`).set(admin).send({ active: true }).expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ username, password: USER_PASSWORD })
        .expect(200);
    });

    it('PATCH changes the password and the phone; unknown users answer 404', async () => {
      const created = await createUser({ role: 'resident', unitId: await unitId(t, 'branch-3') });
      const username = created.body.username as string;
      const patched = await t.http
        .patch(`/api/v1/users/${created.body.id}`)
        .set(admin)
        .send({ password: 'a-new-password', phone: '13511112222' })
        .expect(200);
      expect(patched.body).toMatchObject({ phone: '13511112222', active: true });
      expectProblem(
        await t.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', uniqueAddress())
          .send({ username, password: USER_PASSWORD }),
        401,
        'AUTH.INVALID_CREDENTIALS',
      );
      await t.http
        .post('/api/v1/auth/login')
        .send({ username, password: 'a-new-password' })
        .expect(200);
      expectProblem(
        await t.http.patch(`/api/v1/users/${randomUUID()}`).set(admin).send({ active: false }),
        404,
        'USER.NOT_FOUND',
      );
      expectProblem(
        await t.http.patch(`/api/v1/users/${created.body.id}`).set(admin).send({ role: 'mayor' }),
        400,
        'VALIDATION.FAILED',
      );
      expectProblem(
        await t.http
          .patch(`/api/v1/users/${created.body.id}`)
          .set(admin)
          .send({ role: 'dispatcher' }),
        400,
        'USER.INVALID_UNIT',
      );
    });
  });

  describe('categories', () => {
    it('create, duplicate (409), deactivate, and an inactive category is refused for new requests', async () => {
      const code = uniqueCode('cat');
      const created = await t.http
        .post('/api/v1/categories')
        .set(admin)
        .send({ code, name: '路灯', nameEn: 'Street lights' })
        .expect(201);
      expect(created.body).toMatchObject({
        code,
        name: '路灯',
        nameEn: 'Street lights',
        active: true,
      });

      expectProblem(
        await t.http
          .post('/api/v1/categories')
          .set(admin)
          .send({ code, name: '重复', nameEn: 'Dup' }),
        409,
        'CATEGORY.DUPLICATE',
      );

      const usable = await createRequest(t, 'resident-1', { category: code });
      expect(usable.category.code).toBe(code);

      const off = await t.http
        .patch(`/api/v1/categories/${created.body.id}`)
        .set(admin)
        .send({ active: false })
        .expect(200);
      expect(off.body).toMatchObject({ code, active: false, name: '路灯' });

      const listed = await t.http
        .get('/api/v1/categories')
        .set(await t.as('resident-1'))
        .expect(200);
      expect(listed.body.map((c: { code: string }) => c.code)).not.toContain(code);
      const withInactive = await t.http
        .get('/api/v1/categories')
        .query({ all: 'true' })
        .set(admin)
        .expect(200);
      expect(withInactive.body.map((c: { code: string }) => c.code)).toContain(code);

      const title = uniqueTitle('停用分类');
      const refused = await t.http
        .post('/api/v1/requests')
        .set(await t.as('resident-1'))
        .send({ title, description: '路灯坏了', category: code });
      expectProblem(refused, 400, 'REQUEST.INVALID_CATEGORY');

      // Requests made before keep showing their category.
      const old = await t.http
        .get(`/api/v1/requests/${usable.id}`)
        .set(await t.as('resident-1'))
        .expect(200);
      expect(old.body.category).toMatchObject({ code, name: '路灯' });

      await t.http
        .patch(`/api/v1/categories/${created.body.id}`)
        .set(admin)
        .send({ active: true, name: '路灯照明' })
        .expect(200);
      const again = await createRequest(t, 'resident-1', { category: code });
      expect(again.category).toMatchObject({ code, name: '路灯照明' });
    });

    it.each<[string, Record<string, unknown>]>([
      ['a code with capitals', { code: 'Lights', name: 'x', nameEn: 'x' }],
      ['no nameEn', { code: uniqueCode('cat'), name: 'x' }],
      ['an empty name', { code: uniqueCode('cat'), name: '', nameEn: 'x' }],
      ['an unknown field', { code: uniqueCode('cat'), name: 'x', nameEn: 'x', active: false }],
    ])('%s is refused with 400', async (_what, body) => {
      expectProblem(
        await t.http.post('/api/v1/categories').set(admin).send(body),
        400,
        'VALIDATION.FAILED',
      );
    });

    it('PATCH of an unknown category answers 404', async () => {
      expectProblem(
        await t.http.patch(`/api/v1/categories/${randomUUID()}`).set(admin).send({ name: 'x' }),
        404,
        'CATEGORY.NOT_FOUND',
      );
    });
  });

  describe('reading units and categories', () => {
    // One account of each role; the county is above everyone's view but the admin's and its supervisor's.
    it.each([
      ['admin', true],
      ['county-supervisor', true],
      ['town-supervisor', false],
      ['dispatcher', false],
      ['secretary-2', false],
      ['roads-officer', false],
      ['resident-5', false],
    ])('%s reads GET /units and GET /categories', async (user, seesCounty) => {
      const headers = await t.as(user);
      const [units, categories] = await Promise.all([
        t.http.get('/api/v1/units').set(headers),
        t.http.get('/api/v1/categories').set(headers),
      ]);
      expect([units.status, categories.status]).toEqual([200, 200]);
      const codes = (units.body as { code: string }[]).map((u) => u.code);
      expect(codes).toEqual(
        expect.arrayContaining(DEMO_UNITS.filter((c) => seesCounty || c !== 'yinzhou')),
      );
      expect(codes.includes('yinzhou')).toBe(seesCounty);
      expect(categories.body.map((c: { code: string }) => c.code)).toEqual(
        expect.arrayContaining(DEMO_CATEGORIES),
      );
      const town = codes.indexOf('xianxiang');
      const branch = codes.indexOf('branch-1');
      // Parents come before their children.
      if (seesCounty) expect(codes.indexOf('yinzhou')).toBeLessThan(town);
      expect(town).toBeLessThan(branch);
    });
  });

  describe('operations', () => {
    it('/health answers 200 with Postgres and Redis up, without a token', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.body.checks).toMatchObject({
        postgres: { status: 'up' },
        redis: { status: 'up' },
      });
      // Without a worker running the API is still healthy, only degraded.
      expect(['ok', 'degraded']).toContain(res.body.status);
    });

    it('/docs-json describes the API', async () => {
      const res = await t.http.get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/login',
          '/api/v1/requests',
          '/api/v1/requests/{id}',
          '/api/v1/requests/{id}/events',
          '/api/v1/units',
          '/api/v1/units/{id}',
          '/api/v1/users',
          '/api/v1/users/{id}',
          '/api/v1/categories',
          '/api/v1/categories/{id}',
          '/health',
        ]),
      );
      expect(Object.keys(res.body.paths['/api/v1/requests'])).toEqual(
        expect.arrayContaining(['get', 'post']),
      );
      expect(res.body.components.securitySchemes).toHaveProperty('bearer');
    });

    it('every response carries a request id, and a sensible one sent by the caller is kept', async () => {
      const mine = await t.http.get('/health').set('X-Request-Id', 'trace-abc.123').expect(200);
      expect(mine.headers['x-request-id']).toBe('trace-abc.123');
      const generated = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces');
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
