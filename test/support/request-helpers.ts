import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { RequestEventType, RequestState } from '../../workflows';
import type { RequestDto, TimelineEntryDto } from '../../src/modules/requests/dto/request.dto';
import { type TestApp, USER_PASSWORD } from './test-app';

export type RequestBody = RequestDto;
export type TimelineEntry = TimelineEntryDto;
export type EventBody = { type: string } & Record<string, unknown>;

/** A title no other test (or suite) uses, so rows are easy to tell apart in a shared database. */
export function uniqueTitle(prefix = 'test'): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

/** Six capital letters: a town's reference prefix no other test uses. */
export function uniquePrefix(): string {
  return Array.from(randomUUID().replace(/-/g, '').slice(0, 6), (c) =>
    String.fromCharCode(65 + (parseInt(c, 16) % 26)),
  ).join('');
}

/** A code (units, categories, usernames) no other test uses. */
export function uniqueCode(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * A client address of its own (X-Forwarded-For, trusted from loopback), from the benchmarking
 * range 198.18.0.0/15, so a test's failed sign-ins count against no one else's.
 */
export function uniqueAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `198.${18 + (a & 1)}.${b}.${c}`;
}

/** A GET as `user` whose body is kept as the bytes sent (an exported CSV or XLSX file). */
export async function download(t: TestApp, path: string, user: string): Promise<Response> {
  return t.http
    .get(`/api/v1${path}`)
    .set(await t.as(user))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** Asserts an RFC 9457 problem document with the given status and stable code. */
export function expectProblem(res: Response, status: number, code: string): void {
  const seen = { status: res.status, code: (res.body as { code?: unknown }).code };
  expect(seen).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, title: expect.any(String) });
}

const unitCache = new WeakMap<TestApp, Promise<Record<string, string>>>();
const userCache = new WeakMap<TestApp, Map<string, string>>();

/** Unit ids by code, looked up once per app through GET /api/v1/units. */
export async function unitIds(t: TestApp): Promise<Record<string, string>> {
  let cached = unitCache.get(t);
  if (!cached) {
    cached = (async () => {
      const res = await t.http
        .get('/api/v1/units')
        .set(await t.as('admin'))
        .expect(200);
      const units = res.body as { id: string; code: string }[];
      return Object.fromEntries(units.map((u) => [u.code, u.id]));
    })();
    unitCache.set(t, cached);
  }
  return cached;
}

export async function unitId(t: TestApp, code: string): Promise<string> {
  const ids = await unitIds(t);
  const id = ids[code];
  if (!id) throw new Error(`no unit ${code}`);
  return id;
}

/** A user's id, through the admin's GET /api/v1/users. */
export async function userId(t: TestApp, username: string): Promise<string> {
  let cache = userCache.get(t);
  if (!cache) {
    cache = new Map();
    userCache.set(t, cache);
  }
  const cached = cache.get(username);
  if (cached) return cached;
  const res = await t.http
    .get('/api/v1/users')
    .set(await t.as('admin'))
    .expect(200);
  for (const u of res.body as { id: string; username: string }[]) cache.set(u.username, u.id);
  const id = cache.get(username);
  if (!id) throw new Error(`no user ${username}`);
  return id;
}

/** Creates a user through the admin API (password USER_PASSWORD) and returns its username and id. */
export async function createUser(
  t: TestApp,
  role: string,
  unitCode: string,
  extra: Record<string, unknown> = {},
): Promise<{ username: string; id: string }> {
  const username = uniqueCode(role);
  const res = await t.http
    .post('/api/v1/users')
    .set(await t.as('admin'))
    .send({
      username,
      displayName: username,
      password: USER_PASSWORD,
      role,
      unitId: await unitId(t, unitCode),
      ...extra,
    });
  if (res.status !== 201)
    throw new Error(`create user → ${res.status} ${JSON.stringify(res.body)}`);
  return { username, id: (res.body as { id: string }).id };
}

/** Creates a request as `user` (a resident by default) and returns it. */
export async function createRequest(
  t: TestApp,
  user = 'resident-1',
  fields: Record<string, unknown> = {},
): Promise<RequestBody> {
  const res = await t.http
    .post('/api/v1/requests')
    .set(await t.as(user))
    .send({
      title: uniqueTitle('路面坑洼'),
      description: '村口主路有一个大坑，电动车容易摔倒。',
      category: 'roads',
      ...fields,
    });
  if (res.status !== 201) {
    throw new Error(`create request as ${user} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as RequestBody;
}

export async function send(
  t: TestApp,
  id: string,
  user: string,
  event: EventBody,
  headers: Record<string, string> = {},
): Promise<Response> {
  return t.http
    .post(`/api/v1/requests/${id}/events`)
    .set({ ...(await t.as(user)), ...headers })
    .send(event);
}

/** Sends an event that must succeed and returns the request after it. */
export async function sendOk(
  t: TestApp,
  id: string,
  user: string,
  event: EventBody,
): Promise<RequestBody> {
  const res = await send(t, id, user, event);
  if (res.status !== 200) {
    throw new Error(`${event.type} as ${user} → ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as RequestBody;
}

export async function getRequest(t: TestApp, id: string, user = 'admin'): Promise<RequestBody> {
  const res = await t.http
    .get(`/api/v1/requests/${id}`)
    .set(await t.as(user))
    .expect(200);
  return res.body as RequestBody;
}

export async function timeline(t: TestApp, id: string, user = 'admin'): Promise<TimelineEntry[]> {
  const res = await t.http
    .get(`/api/v1/requests/${id}/events`)
    .set(await t.as(user))
    .expect(200);
  return res.body as TimelineEntry[];
}

/** Version and timeline of a request, to prove a refused command wrote nothing. */
export async function snapshot(t: TestApp, id: string) {
  const [request, events] = await Promise.all([getRequest(t, id), timeline(t, id)]);
  return {
    state: request.state,
    version: request.version,
    updatedAt: request.updatedAt,
    branch: request.branch.id,
    events: events.map((e) => `${e.seq}:${e.type}`),
  };
}

/** Every state a request can be driven to, some of them by two routes. */
export type Target = RequestState | 'resolvedAtBranch' | 'closedAtBranch' | 'rejectedThenReopened';

/**
 * Creates a request from resident-1 in branch-1 and drives it to `target` with the demo accounts.
 * The escalated path goes through the dispatcher to dept-roads (no named assignee); `withdrawn`
 * and `rejected` are reached straight from `submitted`.
 */
export async function driveTo(
  t: TestApp,
  target: Target,
  fields: Record<string, unknown> = {},
): Promise<RequestBody> {
  let r = await createRequest(t, 'resident-1', fields);
  const step = async (user: string, event: EventBody) => {
    r = await sendOk(t, r.id, user, event);
  };
  if (target === 'submitted') return r;
  if (target === 'rejected' || target === 'rejectedThenReopened') {
    await step('secretary-1', { type: 'REJECT', reason: '不属于本村事务' });
    if (target === 'rejectedThenReopened') {
      await step('town-supervisor', { type: 'REOPEN', reason: '驳回理由不充分' });
    }
    return r;
  }
  if (target === 'withdrawn') {
    await step('resident-1', { type: 'WITHDRAW', reason: '已自行解决' });
    return r;
  }
  await step('secretary-1', { type: 'ACCEPT' });
  if (target === 'accepted') return r;
  if (target === 'resolvedAtBranch' || target === 'closedAtBranch') {
    await step('secretary-1', { type: 'RESOLVE', resolution: '已由村里修好' });
    if (target === 'closedAtBranch') await step('resident-1', { type: 'CONFIRM', rating: 4 });
    return r;
  }
  await step('secretary-1', { type: 'ESCALATE', reason: '村里没有施工能力' });
  if (target === 'escalated') return r;
  await step('dispatcher', { type: 'ASSIGN', assigneeUnitId: await unitId(t, 'dept-roads') });
  if (target === 'assigned') return r;
  await step('roads-officer', { type: 'RESOLVE', resolution: '交通办已修补路面' });
  if (target === 'resolved') return r;
  if (target === 'closed') {
    await step('resident-1', { type: 'CONFIRM', rating: 5 });
    return r;
  }
  throw new Error(`cannot drive to ${String(target)}`);
}

/** A well-formed body for each event type, so only role, scope and state decide the answer. */
export async function validEvent(t: TestApp, type: RequestEventType): Promise<EventBody> {
  switch (type) {
    case 'ACCEPT':
      return { type };
    case 'REJECT':
    case 'ESCALATE':
    case 'HOLD':
    case 'REOPEN':
      return { type, reason: `${type} 的理由` };
    case 'RETURN':
      return { type, reason: '属于咸二村', branchId: await unitId(t, 'branch-2') };
    case 'ASSIGN':
    case 'REASSIGN':
      return { type, assigneeUnitId: await unitId(t, 'dept-roads') };
    case 'RESOLVE':
      return { type, resolution: '已处理' };
    case 'RESUME':
    case 'WITHDRAW':
      return { type };
    case 'REQUEST_EXTENSION':
      return { type, until: new Date(Date.now() + 7 * 86400_000).toISOString(), reason: '等材料' };
    case 'DECIDE_EXTENSION':
      return { type, approve: true };
    case 'CONFIRM':
      return { type, rating: 5 };
    case 'DISPUTE':
      return { type, comment: '没有修好' };
    case 'CLOSE':
      return { type, note: '电话回访：满意', satisfied: true };
    case 'COMMENT':
      return { type, text: '补充说明' };
    case 'PROPOSE_PLAN':
      return {
        type,
        milestones: [{ name: '竣工', due: new Date(Date.now() + 30 * 86400_000).toISOString() }],
        reason: '工程项目',
      };
    case 'DECIDE_PLAN':
      return { type, approve: true };
    case 'MILESTONE_DONE':
      return { type, milestone: 1, note: '已完成' };
    case 'DEADLINE_WARNING':
    case 'DEADLINE_BREACHED':
      return { type, clock: 'resolve' };
    case 'FEEDBACK_TIMEOUT':
      return { type };
    case 'MERGE':
      return { type, intoRequestId: randomUUID() };
  }
}

/** Every item of GET /api/v1/requests for a user, through all pages. */
/** A user's GET /api/v1/requests, page by page (100 a page, newest first), to the last. */
async function* listPages(
  t: TestApp,
  user: string,
  query: Record<string, string>,
): AsyncGenerator<{ items: RequestBody[]; total: number }> {
  for (let page = 1; ; page++) {
    const res = await t.http
      .get('/api/v1/requests')
      .query({ ...query, page: String(page), pageSize: '100' })
      .set(await t.as(user))
      .expect(200);
    const body = res.body as { items: RequestBody[]; total: number };
    yield body;
    if (body.items.length < 100) return;
  }
}

export async function listAll(
  t: TestApp,
  user: string,
  query: Record<string, string> = {},
): Promise<{ items: RequestBody[]; total: number }> {
  const items: RequestBody[] = [];
  let total = 0;
  for await (const page of listPages(t, user, query)) {
    items.push(...page.items);
    total = page.total;
  }
  return { items, total };
}

/** Runs `work` over `inputs` with at most `limit` in flight. */
export async function mapLimit<I, O>(
  inputs: I[],
  limit: number,
  work: (input: I) => Promise<O>,
): Promise<O[]> {
  const results: O[] = new Array<O>(inputs.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await work(inputs[i]);
    }
  });
  await Promise.all(runners);
  return results;
}

/** How many requests a user's GET /api/v1/requests counts (one row fetched, not all). */
export async function countRequests(
  t: TestApp,
  user: string,
  query: Record<string, string> = {},
): Promise<number> {
  const res = await t.http
    .get('/api/v1/requests')
    .query({ ...query, pageSize: '1' })
    .set(await t.as(user))
    .expect(200);
  return (res.body as { total: number }).total;
}

/** The row for `id` in a user's GET /api/v1/requests, paging (newest first) until it is found. */
export async function findListed(
  t: TestApp,
  user: string,
  id: string,
  query: Record<string, string> = {},
): Promise<RequestBody | undefined> {
  for await (const page of listPages(t, user, query)) {
    const found = page.items.find((i) => i.id === id);
    if (found) return found;
  }
  return undefined;
}

/** Five capital letters: a reference prefix no other town of the run has. */
export function uniqueRefPrefix(): string {
  return Array.from({ length: 5 }, () =>
    String.fromCharCode(65 + Math.floor(Math.random() * 26)),
  ).join('');
}

/**
 * A town of its own under the county (with a new reference prefix), one branch of it and a
 * resident there (password USER_PASSWORD): for what another town may not see.
 */
export async function createOtherTown(
  t: TestApp,
  phone: string,
): Promise<{ townId: string; branchId: string; resident: string; prefix: string }> {
  const admin = await t.as('admin');
  const prefix = uniqueRefPrefix();
  const town = await t.http
    .post('/api/v1/units')
    .set(admin)
    .send({
      code: uniqueCode('town'),
      name: '另一个镇',
      type: 'town',
      parentId: await unitId(t, 'yinzhou'),
      refPrefix: prefix,
    })
    .expect(201);
  const branch = await t.http
    .post('/api/v1/units')
    .set(admin)
    .send({ code: uniqueCode('branch'), name: '外镇村', type: 'branch', parentId: town.body.id })
    .expect(201);
  const resident = uniqueCode('resident');
  await t.http
    .post('/api/v1/users')
    .set(admin)
    .send({
      username: resident,
      displayName: '外镇居民',
      password: USER_PASSWORD,
      role: 'resident',
      unitId: branch.body.id,
      phone,
    })
    .expect(201);
  return { townId: town.body.id as string, branchId: branch.body.id as string, resident, prefix };
}
