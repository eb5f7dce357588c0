import { createHmac, randomUUID } from 'node:crypto';
import { ALL_EVENT_TYPES, type RequestEventType, type RequestState } from '../../workflows';
import { testEnv } from '../support/env';
import {
  countRequests,
  createOtherTown,
  createRequest,
  createUser,
  driveTo,
  expectProblem,
  getRequest,
  listAll,
  mapLimit,
  send,
  snapshot,
  uniqueAddress,
  uniqueCode,
  unitId,
  userId,
  validEvent,
  type RequestBody,
} from '../support/request-helpers';
import {
  DEMO_PASSWORD,
  startTestApp,
  stopTestApp,
  type TestApp,
  USER_PASSWORD,
} from '../support/test-app';

/** Everyone the matrix tries; the request under test always belongs to resident-1 in branch-1. */
const USERS = [
  'admin',
  'county-supervisor',
  'town-supervisor',
  'dispatcher',
  'secretary-1',
  'secretary-2',
  'roads-officer',
  'env-officer',
  'resident-1',
  'resident-2',
  'resident-3',
] as const;
type User = (typeof USERS)[number];

const STATES: RequestState[] = [
  'submitted',
  'accepted',
  'escalated',
  'assigned',
  'resolved',
  'closed',
  'rejected',
  'withdrawn',
];

/** What the one who holds an accepted or assigned request may do with it. */
const AT_WORK: RequestEventType[] = [
  'RESOLVE',
  'HOLD',
  'REQUEST_EXTENSION',
  'PROPOSE_PLAN',
  'WITHDRAW',
  'COMMENT',
];

/**
 * The oracle, written from DESIGN sections 2 and 3 rather than from the policy code. The fixtures
 * are never on hold and have no pending extension or plan; `assigned`, `resolved` and `closed`
 * went through dept-roads.
 */
const ACCEPTS: Record<RequestState, RequestEventType[]> = {
  submitted: ['ACCEPT', 'REJECT', 'RETURN', 'WITHDRAW', 'MERGE', 'COMMENT'],
  accepted: ['ESCALATE', 'MERGE', ...AT_WORK],
  escalated: ['ASSIGN', 'WITHDRAW', 'COMMENT'],
  assigned: ['REASSIGN', ...AT_WORK],
  resolved: ['CONFIRM', 'DISPUTE', 'CLOSE', 'WITHDRAW', 'COMMENT'],
  closed: ['COMMENT'],
  rejected: ['REOPEN', 'COMMENT'],
  withdrawn: ['COMMENT'],
};

/**
 * Events accepted and assigned take, but that a rule of these fixtures' context refuses (nothing
 * on hold, nothing pending): the answer names the rule.
 */
const RULE_REFUSALS: Partial<Record<RequestEventType, string>> = {
  RESUME: 'REQUEST.NOT_ON_HOLD',
  DECIDE_EXTENSION: 'REQUEST.NO_PENDING_EXTENSION',
  DECIDE_PLAN: 'REQUEST.NO_PENDING_PLAN',
  MILESTONE_DONE: 'REQUEST.NO_PLAN_RUNNING',
};

const SUPERVISORS: User[] = ['county-supervisor', 'town-supervisor'];
const ROLE_MAY: Partial<Record<RequestEventType, User[]>> = {
  ACCEPT: ['secretary-1'],
  REJECT: ['secretary-1'],
  RETURN: ['secretary-1'],
  ESCALATE: ['secretary-1'],
  CLOSE: ['secretary-1'],
  ASSIGN: ['dispatcher', ...SUPERVISORS],
  REASSIGN: ['dispatcher', ...SUPERVISORS],
  RESOLVE: ['secretary-1', 'roads-officer'],
  HOLD: ['secretary-1', 'roads-officer'],
  RESUME: ['secretary-1', 'roads-officer'],
  REQUEST_EXTENSION: ['secretary-1', 'roads-officer'],
  DECIDE_EXTENSION: SUPERVISORS,
  PROPOSE_PLAN: ['secretary-1', 'roads-officer'],
  DECIDE_PLAN: SUPERVISORS,
  MILESTONE_DONE: ['secretary-1', 'roads-officer'],
  REOPEN: SUPERVISORS,
  CONFIRM: ['resident-1'],
  DISPUTE: ['resident-1'],
  WITHDRAW: ['resident-1'],
  MERGE: ['secretary-1'],
};
const OWNER_EVENTS: RequestEventType[] = [
  'RESOLVE',
  'HOLD',
  'RESUME',
  'REQUEST_EXTENSION',
  'PROPOSE_PLAN',
  'MILESTONE_DONE',
];
const OWNER: Partial<Record<RequestState, User>> = {
  accepted: 'secretary-1',
  assigned: 'roads-officer',
};

function sees(user: User, state: RequestState): boolean {
  if (['secretary-2', 'env-officer', 'resident-2', 'resident-3'].includes(user)) return false;
  if (user === 'roads-officer') return ['assigned', 'resolved', 'closed'].includes(state);
  return true;
}

type Expected = { status: number; code: string } | 'allowed';

function expected(user: User, state: RequestState, type: RequestEventType): Expected {
  if (!sees(user, state)) return { status: 404, code: 'REQUEST.NOT_FOUND' };
  if (type === 'COMMENT') return 'allowed';
  // Only a merged duplicate's feedback link rates a closed request.
  const closedConfirm = type === 'CONFIRM' && state === 'closed';
  if (closedConfirm || !(ROLE_MAY[type] ?? []).includes(user)) {
    return { status: 403, code: 'REQUEST.EVENT_FORBIDDEN' };
  }
  if (!ACCEPTS[state].includes(type)) {
    const working = state === 'accepted' || state === 'assigned';
    const code = (working && RULE_REFUSALS[type]) || 'REQUEST.TRANSITION_NOT_ALLOWED';
    return { status: 409, code };
  }
  if (OWNER_EVENTS.includes(type) && OWNER[state] !== user) {
    return { status: 403, code: 'REQUEST.NOT_OWNER' };
  }
  return 'allowed';
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** An HS256 JWT made by hand, to forge expired and wrongly signed tokens. */
function jwt(claims: Record<string, unknown>, secret: string, alg = 'HS256'): string {
  const head = base64url(JSON.stringify({ alg, typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  if (alg === 'none') return `${head}.${body}.`;
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${base64url(signature)}`;
}

describe('authorization and scope', () => {
  let t: TestApp;
  const fixtures = {} as Record<RequestState, RequestBody>;

  beforeAll(async () => {
    t = await startTestApp();
    // Log everyone in first, so the matrix below only measures the requests it sends.
    await Promise.all(USERS.map((u) => t.token(u)));
    const driven = await Promise.all(STATES.map((state) => driveTo(t, state)));
    STATES.forEach((state, i) => (fixtures[state] = driven[i]));
  });

  afterAll(() => stopTestApp(t));

  describe.each(STATES)('a request in state %s', (state) => {
    it('answers every refused event of every role with 403, 404 or 409, and writes nothing', async () => {
      const r = fixtures[state];
      expect(r.state).toBe(state);
      const before = await snapshot(t, r.id);
      const cases = USERS.flatMap((user) =>
        ALL_EVENT_TYPES.map((type) => ({ user, type, want: expected(user, state, type) })),
      ).filter((c) => c.want !== 'allowed');
      const outcomes = await mapLimit(cases, 8, async ({ user, type }) => {
        const res = await send(t, r.id, user, await validEvent(t, type));
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        return {
          user,
          type,
          want: { status: res.status, code: (res.body as { code: string }).code },
        };
      });
      expect(outcomes).toEqual(cases);
      expect(await snapshot(t, r.id)).toEqual(before);
    });

    it('offers each caller exactly the events it may send (allowedEvents)', async () => {
      const r = fixtures[state];
      const visible = USERS.filter((u) => sees(u, state));
      const seen = await Promise.all(
        visible.map(async (user) => ({
          user,
          allowed: [...(await getRequest(t, r.id, user)).allowedEvents].sort(),
        })),
      );
      expect(seen).toEqual(
        visible.map((user) => ({
          user,
          allowed: ALL_EVENT_TYPES.filter((type) => expected(user, state, type) === 'allowed')
            .slice()
            .sort(),
        })),
      );
    });
  });

  describe('out-of-scope reads answer 404, never 403', () => {
    async function expectHidden(id: string, user: string) {
      const [one, events] = await Promise.all([
        t.http.get(`/api/v1/requests/${id}`).set(await t.as(user)),
        t.http.get(`/api/v1/requests/${id}/events`).set(await t.as(user)),
      ]);
      expectProblem(one, 404, 'REQUEST.NOT_FOUND');
      expectProblem(events, 404, 'REQUEST.NOT_FOUND');
    }

    it('secretary-2 cannot read a branch-1 request; secretary-1 can', async () => {
      const r = fixtures.submitted;
      await expectHidden(r.id, 'secretary-2');
      expect((await getRequest(t, r.id, 'secretary-1')).id).toBe(r.id);
    });

    it('resident-3 and resident-2 cannot read resident-1’s request', async () => {
      await expectHidden(fixtures.accepted.id, 'resident-3');
      await expectHidden(fixtures.accepted.id, 'resident-2');
      expect((await getRequest(t, fixtures.accepted.id, 'resident-1')).id).toBe(
        fixtures.accepted.id,
      );
    });

    it('roads-officer cannot read a request before it is assigned to dept-roads', async () => {
      await expectHidden(fixtures.escalated.id, 'roads-officer');
      expect((await getRequest(t, fixtures.assigned.id, 'roads-officer')).id).toBe(
        fixtures.assigned.id,
      );
    });

    it('env-officer cannot read a request assigned to dept-roads', async () => {
      await expectHidden(fixtures.assigned.id, 'env-officer');
      await expectHidden(fixtures.closed.id, 'env-officer');
    });

    it('an unknown id answers the same 404 as a hidden one', async () => {
      await expectHidden(randomUUID(), 'secretary-2');
    });
  });

  describe('another town', () => {
    let other: RequestBody;
    let prefix: string;
    let otherTown: string;
    let otherBranch: string;
    let otherResident: string;

    beforeAll(async () => {
      const town = await createOtherTown(t, '13700000009');
      ({ prefix, townId: otherTown, branchId: otherBranch, resident: otherResident } = town);
      other = await createRequest(t, otherResident);
    });

    it('numbers its requests with its own prefix', () => {
      expect(other.reference).toMatch(new RegExp(`^${prefix}-\\d{4}-000001$`));
    });

    it('is invisible to xianxiang’s dispatcher, supervisor and secretaries; visible to the county', async () => {
      for (const user of ['dispatcher', 'town-supervisor', 'secretary-1', 'roads-officer']) {
        expectProblem(
          await t.http.get(`/api/v1/requests/${other.id}`).set(await t.as(user)),
          404,
          'REQUEST.NOT_FOUND',
        );
      }
      expectProblem(
        await send(t, other.id, 'dispatcher', { type: 'COMMENT', text: '越界' }),
        404,
        'REQUEST.NOT_FOUND',
      );
      expect((await getRequest(t, other.id, 'county-supervisor')).resident.phone).toBe(
        '13700000009',
      );
      expect((await getRequest(t, other.id, 'admin')).id).toBe(other.id);
      const ids = async (user: string) => (await listAll(t, user)).items.map((i) => i.id);
      expect(await ids('dispatcher')).not.toContain(other.id);
      expect(await ids('town-supervisor')).not.toContain(other.id);
      expect(await ids('county-supervisor')).toContain(other.id);
    });

    it('RETURN to a branch of another town answers 400 REQUEST.INVALID_BRANCH, pointing to the dispatcher', async () => {
      const r = await createRequest(t);
      const before = await snapshot(t, r.id);
      const res = await send(t, r.id, 'secretary-1', {
        type: 'RETURN',
        reason: '属于外镇',
        branchId: otherBranch,
      });
      expectProblem(res, 400, 'REQUEST.INVALID_BRANCH');
      expect(res.body.detail).toMatch(/same town.*ESCALATE.*dispatcher/);
      expect(await snapshot(t, r.id)).toEqual(before);
      // Within the town it still works.
      const moved = await send(t, r.id, 'secretary-1', {
        type: 'RETURN',
        reason: '属于咸二村',
        branchId: await unitId(t, 'branch-2'),
      });
      expect(moved.status).toBe(200);
    });

    it('a resident submits only to branches of their own town, answered like an unknown branch', async () => {
      const before = await countRequests(t, 'resident-1');
      const body = { title: '跨镇提交', description: '外镇的路', category: 'roads' };
      const create = async (branchId: string) =>
        t.http
          .post('/api/v1/requests')
          .set(await t.as('resident-1'))
          .send({ ...body, branchId });
      const foreign = await create(otherBranch);
      const unknown = await create(randomUUID());
      expectProblem(foreign, 400, 'REQUEST.INVALID_BRANCH');
      expectProblem(unknown, 400, 'REQUEST.INVALID_BRANCH');
      expect(foreign.body.detail).toBe(unknown.body.detail);
      expect(await countRequests(t, 'resident-1')).toBe(before);
      expect((await create(await unitId(t, 'branch-2'))).status).toBe(201);
      expectProblem(
        await t.http
          .post('/api/v1/requests')
          .set(await t.as(otherResident))
          .send({ ...body, branchId: await unitId(t, 'branch-1') }),
        400,
        'REQUEST.INVALID_BRANCH',
      );
    });

    it('supervision of a unit outside the caller’s subtree answers 404 UNIT.NOT_FOUND, like an unknown one', async () => {
      for (const path of ['overdue', 'stats', 'ranking']) {
        for (const unit of [otherTown, otherBranch, await unitId(t, 'yinzhou'), randomUUID()]) {
          const res = await t.http
            .get(`/api/v1/supervision/${path}?unitId=${unit}`)
            .set(await t.as('town-supervisor'));
          expectProblem(res, 404, 'UNIT.NOT_FOUND');
        }
        const county = await t.http
          .get(`/api/v1/supervision/${path}?unitId=${otherTown}`)
          .set(await t.as('county-supervisor'));
        expect(county.status).toBe(200);
      }
    });

    it('GET /units shows admins the tree, supervisors their subtree and everyone else their town', async () => {
      const all = (
        await t.http
          .get('/api/v1/units')
          .set(await t.as('admin'))
          .expect(200)
      ).body as { id: string; code: string; parentId: string | null }[];
      const under = (root: string): string[] => {
        const codes: string[] = [];
        const walk = (id: string) => {
          const unit = all.find((u) => u.id === id);
          if (!unit) return;
          codes.push(unit.code);
          all.filter((u) => u.parentId === id).forEach((u) => walk(u.id));
        };
        walk(root);
        return codes.sort();
      };
      const xianxiang = under(await unitId(t, 'xianxiang'));
      const views: [string, string[]][] = [
        ['admin', all.map((u) => u.code).sort()],
        ['county-supervisor', under(await unitId(t, 'yinzhou'))],
        ['town-supervisor', xianxiang],
        ['dispatcher', xianxiang],
        ['secretary-1', xianxiang],
        ['roads-officer', xianxiang],
        ['resident-1', xianxiang],
        [otherResident, under(otherTown)],
      ];
      for (const [user, expected] of views) {
        const res = await t.http
          .get('/api/v1/units')
          .set(await t.as(user))
          .expect(200);
        expect([user, (res.body as { code: string }[]).map((u) => u.code).sort()]).toEqual([
          user,
          expected,
        ]);
      }
      expect(under(otherTown)).toHaveLength(2);
      expect(xianxiang).not.toContain('yinzhou');

      for (const user of ['resident-1', 'dispatcher', 'town-supervisor']) {
        for (const id of [otherBranch, await unitId(t, 'yinzhou')]) {
          expectProblem(
            await t.http.get(`/api/v1/units/${id}`).set(await t.as(user)),
            404,
            'UNIT.NOT_FOUND',
          );
        }
        const none = await t.http
          .get(`/api/v1/units?parentId=${otherTown}`)
          .set(await t.as(user))
          .expect(200);
        expect(none.body).toEqual([]);
      }
      const own = await t.http
        .get(`/api/v1/units/${await unitId(t, 'branch-2')}`)
        .set(await t.as('resident-1'))
        .expect(200);
      expect(own.body.code).toBe('branch-2');
      await t.http
        .get(`/api/v1/units/${otherBranch}`)
        .set(await t.as('county-supervisor'))
        .expect(200);
    });
  });

  describe('GET /api/v1/requests only lists rows in the caller’s scope', () => {
    it.each(USERS)('%s', async (user) => {
      const { items, total } = await listAll(t, user);
      expect(items).toHaveLength(total);
      const ids = new Set(items.map((i) => i.id));
      // Every fixture is listed exactly when it can be read.
      expect(STATES.filter((s) => ids.has(fixtures[s].id))).toEqual(
        STATES.filter((s) => sees(user, s)),
      );
      const me = await userId(t, user);
      const roads = await unitId(t, 'dept-roads');
      const env = await unitId(t, 'dept-environment');
      const inScope = (r: RequestBody): boolean => {
        switch (user) {
          case 'admin':
          case 'county-supervisor':
            return true;
          case 'town-supervisor':
          case 'dispatcher':
            return r.reference.startsWith('XX-');
          case 'secretary-1':
            return r.branch.code === 'branch-1';
          case 'secretary-2':
            return r.branch.code === 'branch-2';
          case 'roads-officer':
            return r.assigneeUnit?.id === roads || r.assigneeUserId === me;
          case 'env-officer':
            return r.assigneeUnit?.id === env || r.assigneeUserId === me;
          default:
            return r.resident.id === me;
        }
      };
      expect(items.filter((r) => !inScope(r)).map((r) => r.reference)).toEqual([]);
    });

    it('filters by state and branch within the scope', async () => {
      const branch1 = await unitId(t, 'branch-1');
      const { items } = await listAll(t, 'dispatcher', {
        state: 'assigned,resolved',
        branchId: branch1,
      });
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((i) => ['assigned', 'resolved'].includes(i.state))).toBe(true);
      expect(items.every((i) => i.branch.id === branch1)).toBe(true);
      const other = await listAll(t, 'secretary-2', { branchId: branch1 });
      expect(other).toEqual({ items: [], total: 0 });
    });

    it('paginates', async () => {
      const res = await t.http
        .get('/api/v1/requests')
        .query({ page: 2, pageSize: 3 })
        .set(await t.as('admin'))
        .expect(200);
      expect(res.body).toMatchObject({ page: 2, pageSize: 3 });
      expect(res.body.items).toHaveLength(3);
      expect(res.body.total).toBeGreaterThanOrEqual(8);
    });
  });

  describe('admin-only endpoints', () => {
    const NON_ADMINS = USERS.filter((u) => u !== 'admin');

    async function endpoints() {
      const branch3 = await unitId(t, 'branch-3');
      const town = await unitId(t, 'xianxiang');
      const someone = await userId(t, 'resident-6');
      const categories = await t.http
        .get('/api/v1/categories')
        .set(await t.as('admin'))
        .expect(200);
      const other = (categories.body as { id: string; code: string }[]).find(
        (c) => c.code === 'other',
      );
      return [
        {
          method: 'post' as const,
          url: '/api/v1/units',
          body: { code: uniqueCode('nope'), name: 'x', type: 'branch', parentId: town },
        },
        { method: 'patch' as const, url: `/api/v1/units/${branch3}`, body: { name: '南头社区' } },
        { method: 'delete' as const, url: `/api/v1/units/${town}`, body: {} },
        { method: 'get' as const, url: '/api/v1/users', body: {} },
        { method: 'get' as const, url: `/api/v1/users/${someone}`, body: {} },
        {
          method: 'post' as const,
          url: '/api/v1/users',
          body: {
            username: uniqueCode('nope'),
            displayName: 'x',
            password: USER_PASSWORD,
            role: 'resident',
            unitId: branch3,
          },
        },
        { method: 'patch' as const, url: `/api/v1/users/${someone}`, body: { active: false } },
        {
          method: 'post' as const,
          url: '/api/v1/categories',
          body: { code: uniqueCode('nope'), name: 'x', nameEn: 'x' },
        },
        {
          method: 'patch' as const,
          url: `/api/v1/categories/${other?.id}`,
          body: { active: false },
        },
      ];
    }

    it('refuse every other role with 403 AUTH.FORBIDDEN', async () => {
      const all = await endpoints();
      const cases = NON_ADMINS.flatMap((user) => all.map((e) => ({ user, ...e })));
      const results = await mapLimit(cases, 8, async ({ user, method, url, body }) => {
        const res = await t.http[method](url)
          .set(await t.as(user))
          .send(body);
        return `${user} ${method} ${url} → ${res.status} ${res.body.code}`;
      });
      expect(results).toEqual(
        cases.map(({ user, method, url }) => `${user} ${method} ${url} → 403 AUTH.FORBIDDEN`),
      );
      // Nothing slipped through: resident-6 is still active, "other" still offered.
      expect(
        (
          await t.http
            .post('/api/v1/auth/login')
            .send({ username: 'resident-6', password: DEMO_PASSWORD })
        ).status,
      ).toBe(200);
      const codes = (await t.http.get('/api/v1/categories').set(await t.as('resident-1'))).body.map(
        (c: { code: string }) => c.code,
      );
      expect(codes).toContain('other');
    });

    it('refuse a caller without a token with 401', async () => {
      for (const { method, url, body } of await endpoints()) {
        expectProblem(await t.http[method](url).send(body), 401, 'AUTH.UNAUTHENTICATED');
      }
    });

    it('only residents and secretaries submit requests', async () => {
      for (const user of ['admin', 'dispatcher', 'town-supervisor', 'roads-officer']) {
        const res = await t.http
          .post('/api/v1/requests')
          .set(await t.as(user))
          .send({ title: 'x', description: 'y', category: 'other' });
        expectProblem(res, 403, 'AUTH.FORBIDDEN');
      }
    });
  });

  describe('tokens', () => {
    const SECRET = testEnv().JWT_SECRET as string;
    const now = () => Math.floor(Date.now() / 1000);

    it('every protected endpoint needs one', async () => {
      const r = fixtures.submitted;
      const calls = [
        t.http.get('/api/v1/requests'),
        t.http.get(`/api/v1/requests/${r.id}`),
        t.http.get(`/api/v1/requests/${r.id}/events`),
        t.http.post(`/api/v1/requests/${r.id}/events`).send({ type: 'ACCEPT' }),
        t.http.post('/api/v1/requests').send({ title: 'x', description: 'y', category: 'other' }),
        t.http.get('/api/v1/units'),
        t.http.get('/api/v1/categories'),
      ];
      for (const res of await Promise.all(calls)) expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
      expect((await snapshot(t, r.id)).version).toBe(1);
    });

    it.each<[string, () => Promise<string>, string]>([
      [
        'a non-bearer scheme',
        () => Promise.resolve(`Basic ${base64url('admin:demo1234')}`),
        'AUTH.UNAUTHENTICATED',
      ],
      ['an empty bearer', () => Promise.resolve('Bearer '), 'AUTH.UNAUTHENTICATED'],
      ['garbage', () => Promise.resolve('Bearer not.a.token'), 'AUTH.INVALID_TOKEN'],
      [
        'an expired token',
        async () =>
          `Bearer ${jwt({ sub: await userId(t, 'admin'), role: 'admin', iat: now() - 7200, exp: now() - 60 }, SECRET)}`,
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token signed with another secret',
        async () =>
          `Bearer ${jwt({ sub: await userId(t, 'admin'), iat: now(), exp: now() + 3600 }, 'another-secret-of-16+chars')}`,
        'AUTH.INVALID_TOKEN',
      ],
      [
        'an unsigned token',
        async () =>
          `Bearer ${jwt({ sub: await userId(t, 'admin'), iat: now(), exp: now() + 3600 }, '', 'none')}`,
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a valid signature for a user that does not exist',
        () =>
          Promise.resolve(
            `Bearer ${jwt({ sub: randomUUID(), iat: now(), exp: now() + 3600 }, SECRET)}`,
          ),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a tampered payload',
        async () => {
          const [head, , sig] = (await t.token('resident-1')).split('.');
          const body = base64url(
            JSON.stringify({ sub: await userId(t, 'admin'), iat: now(), exp: now() + 3600 }),
          );
          return `Bearer ${head}.${body}.${sig}`;
        },
        'AUTH.INVALID_TOKEN',
      ],
    ])('refuses %s with 401', async (_what, header, code) => {
      const res = await t.http.get('/api/v1/requests').set('Authorization', await header());
      expectProblem(res, 401, code);
    });

    it('a hand-made token with the right secret and a live user works (the forgery above is what fails)', async () => {
      const token = jwt({ sub: await userId(t, 'admin'), iat: now(), exp: now() + 3600 }, SECRET);
      await t.http.get('/api/v1/requests').set('Authorization', `Bearer ${token}`).expect(200);
    });

    it('wrong passwords and unknown users cannot log in', async () => {
      for (const body of [
        { username: 'admin', password: 'wrong-password' },
        { username: uniqueCode('nobody'), password: DEMO_PASSWORD },
      ]) {
        expectProblem(
          await t.http
            .post('/api/v1/auth/login')
            .set('X-Forwarded-For', uniqueAddress())
            .send(body),
          401,
          'AUTH.INVALID_CREDENTIALS',
        );
      }
      const ok = await t.http
        .post('/api/v1/auth/login')
        .send({ username: 'Secretary-1', password: DEMO_PASSWORD })
        .expect(200);
      expect(ok.body).toMatchObject({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        user: { username: 'secretary-1', role: 'secretary' },
      });
      expect(ok.body.user).not.toHaveProperty('passwordHash');
    });
  });

  it('a fresh user of the right role and unit gets the same powers as the demo one', async () => {
    const secretary = await createUser(t, 'secretary', 'branch-1');
    const r = await createRequest(t, 'resident-2');
    const accepted = await send(t, r.id, secretary.username, { type: 'ACCEPT' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe('accepted');
  });
});
