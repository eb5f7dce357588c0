import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import { jobId, type JobPayloads } from '../../src/common/queue/jobs';
import { QueueService } from '../../src/common/queue/queue.service';
import {
  createRequest,
  createUser,
  expectProblem,
  getRequest,
  type RequestBody,
  sendOk,
  uniqueCode,
  unitId,
} from '../support/request-helpers';
import { startTestApp, type TestApp } from '../support/test-app';
import { dueBy, startWorkerContext, type WorkerContext } from '../support/worker-context';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface InboxItem {
  id: string;
  requestId: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

interface Inbox {
  items: InboxItem[];
  total: number;
  unread: number;
}

const FAST = {
  clock: '24x7',
  accept: 'PT2S',
  dispatch: 'PT2S',
  resolve: 'PT1H',
  feedback: 'P3D',
  warnAt: [0.5],
};

const SECRET = 'webhook-secret-for-tests-0123456789';

describe('notifications, webhooks and the admin endpoints of the clocks', () => {
  let t: TestApp;
  let w: WorkerContext;
  let queues: QueueService;
  let category: string;
  let server: Server;
  let baseUrl: string;
  const received: Received[] = [];
  const webhookIds: string[] = [];

  /** A job the outbox relayed to BullMQ (the relay runs after commit; this waits for it). */
  async function queuedJob<N extends keyof JobPayloads>(
    queue: 'notifications' | 'webhooks',
    id: string,
  ): Promise<Job<JobPayloads[N]>> {
    for (let i = 0; i < 40; i++) {
      await w.outbox.relayAll();
      const job = (await queues.queues[queue].getJob(id)) as Job<JobPayloads[N]> | undefined;
      if (job) return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no job ${id} in the ${queue} queue`);
  }

  /** Fires the live step of a request's accept clock and returns the notification job it queued. */
  async function fireAccept(
    r: RequestBody,
    outcome: 'warned' | 'breached',
  ): Promise<Job<JobPayloads['notification.send']>> {
    const clock = await w.clock(r.id, 'accept');
    expect(await w.deadlines.fire(clock.id, clock.generation, clock.step, dueBy(clock))).toBe(
      outcome,
    );
    const after = await getRequest(t, r.id);
    return queuedJob<'notification.send'>('notifications', jobId('notify', r.id, after.version));
  }

  async function inbox(user: string, lang?: string): Promise<Inbox> {
    const req = t.http
      .get('/api/v1/me/notifications')
      .query({ pageSize: '100' })
      .set(await t.as(user));
    if (lang) void req.set('Accept-Language', lang);
    const res = await req.expect(200);
    return res.body as Inbox;
  }

  async function about(user: string, requestId: string, lang?: string): Promise<InboxItem[]> {
    return (await inbox(user, lang)).items.filter((n) => n.requestId === requestId);
  }

  async function putPolicy(path: string, body: unknown, user = 'admin') {
    return t.http
      .put(`/api/v1/sla-policies/${path}`)
      .set(await t.as(user))
      .send(body as object);
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The receiver is on this machine: the operator's allow-list and plain http admit it.
    const receiver = { WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_ALLOW_HTTP: 'true' };
    t = await startTestApp(receiver);
    w = await startWorkerContext(receiver);
    queues = w.app.get(QueueService);
    category = uniqueCode('ntf');
    await t.http
      .post('/api/v1/categories')
      .set(await t.as('admin'))
      .send({ code: category, name: `通知测试 ${category}`, nameEn: `Notify ${category}` })
      .expect(201);
    expect((await putPolicy(`${category}/urgent`, FAST)).status).toBe(200);
  });

  afterAll(async () => {
    try {
      // Other suites share the database: leave no webhook pointing at a closed port.
      for (const id of webhookIds) {
        const res = await t.http.delete(`/api/v1/webhooks/${id}`).set(await t.as('admin'));
        expect([204, 404]).toContain(res.status);
      }
      expect(t.serverErrors).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await w?.close();
      await t?.close();
    }
  });

  describe('in-app notifications', () => {
    let r: RequestBody;
    let warning: Job<JobPayloads['notification.send']>;
    let breach: Job<JobPayloads['notification.send']>;
    /** A supervisor created by this suite: a recipient no other suite adds notifications for. */
    let supervisor: string;

    beforeAll(async () => {
      supervisor = (await createUser(t, 'supervisor', 'xianxiang')).username;
      r = await createRequest(t, 'resident-1', { category, priority: 'urgent' });
      warning = await fireAccept(r, 'warned');
      await w.notifier.notify(warning.data);
      breach = await fireAccept(r, 'breached');
      await w.notifier.notify(breach.data);
    });

    it('each step queues one job naming the step; the event says what happened', async () => {
      expect(warning.data).toEqual({ requestId: r.id, seq: 2 });
      expect(breach.data).toEqual({ requestId: r.id, seq: 3 });
      const events = (
        await t.http
          .get(`/api/v1/requests/${r.id}/events`)
          .set(await t.as('admin'))
          .expect(200)
      ).body as { type: string; payload: Record<string, unknown> }[];
      expect(events[1]).toMatchObject({
        type: 'DEADLINE_WARNING',
        payload: { clock: 'accept', fraction: 0.5 },
      });
      expect(events[2]).toMatchObject({ type: 'DEADLINE_BREACHED', payload: { clock: 'accept' } });
    });

    it('a warning goes to the current owner only (the branch secretary)', async () => {
      const forSecretary = await about('secretary-1', r.id);
      expect(forSecretary.map((n) => n.kind)).toEqual(['deadline_warning']);
      expect(forSecretary[0].title).toBe(`【即将超时】${r.reference}`);
      expect(forSecretary[0].body).toContain('50%');
      for (const user of ['dispatcher', 'town-supervisor', 'secretary-2', 'resident-1']) {
        expect((await about(user, r.id)).map((n) => n.kind)).not.toContain('deadline_warning');
      }
    });

    it('a breach goes to the new owner (the town dispatcher) and the supervisors', async () => {
      expect((await getRequest(t, r.id)).owner.code).toBe('xianxiang');
      for (const user of ['dispatcher', 'town-supervisor', 'county-supervisor', supervisor]) {
        expect((await about(user, r.id)).map((n) => n.kind)).toEqual(['deadline_breached']);
      }
      for (const user of ['secretary-1', 'secretary-2', 'roads-officer', 'resident-1']) {
        expect((await about(user, r.id)).map((n) => n.kind)).not.toContain('deadline_breached');
      }
      const [zh] = await about('dispatcher', r.id);
      expect(zh.title).toBe(`【超时升级】${r.reference}`);
      expect(zh.body).toContain('咸祥镇');
    });

    it('Accept-Language: en gives the English texts', async () => {
      const [en] = await about('dispatcher', r.id, 'en-US,en;q=0.9');
      expect(en.title).toBe(`Overdue and escalated: ${r.reference}`);
      expect(en.body).toContain('passed its accept time limit');
      const [warningEn] = await about('secretary-1', r.id, 'en');
      expect(warningEn.title).toBe(`Due soon: ${r.reference}`);
      const [zh] = await about('dispatcher', r.id, 'zh-CN');
      expect(zh.title).toBe(`【超时升级】${r.reference}`);
    });

    it('running the same job again creates no duplicates', async () => {
      const again = await createRequest(t, 'resident-1', { category, priority: 'urgent' });
      const warned = await fireAccept(again, 'warned');
      await w.notifier.notify(warned.data);
      await w.notifier.notify(warned.data);
      expect((await about('secretary-1', again.id)).map((n) => n.kind)).toEqual([
        'deadline_warning',
      ]);
      const breached = await fireAccept(again, 'breached');
      const before = (await inbox('dispatcher')).total;
      await w.notifier.notify(breached.data);
      await w.notifier.notify(breached.data);
      await Promise.all([w.notifier.notify(breached.data), w.notifier.notify(breached.data)]);
      expect((await inbox('dispatcher')).total).toBe(before + 1);
      for (const user of ['dispatcher', 'town-supervisor', 'county-supervisor', supervisor]) {
        expect((await about(user, again.id)).map((n) => n.kind)).toEqual(['deadline_breached']);
      }
    });

    it('at the top level each clock that passes its limit tells the supervisors once', async () => {
      const top = await createRequest(t, 'resident-1', { category, priority: 'urgent' });
      const fireNext = async (kind: 'accept' | 'dispatch' | 'resolve') => {
        const c = await w.clock(top.id, kind);
        return w.deadlines.fire(c.id, c.generation, c.step, dueBy(c));
      };
      const outcomes: string[] = [];
      for (const kind of ['accept', 'accept', 'dispatch', 'dispatch'] as const) {
        outcomes.push(`${kind}:${await fireNext(kind)}`);
      }
      expect(await getRequest(t, top.id)).toMatchObject({
        escalationLevel: 2,
        owner: { code: 'yinzhou' },
      });
      // Both warnings before the breaches, so that the two breaches at the top share a version.
      for (const kind of ['resolve', 'dispatch', 'dispatch', 'resolve'] as const) {
        outcomes.push(`${kind}:${await fireNext(kind)}`);
      }
      expect(outcomes).toEqual([
        'accept:warned',
        'accept:breached',
        'dispatch:warned',
        'dispatch:breached',
        'resolve:warned',
        'dispatch:warned',
        'dispatch:breached',
        'resolve:breached',
      ]);
      const after = await getRequest(t, top.id);
      // No event for a breach at the top: the last one is the dispatch warning.
      const version = 7;
      expect(after).toMatchObject({ version, escalationLevel: 2, overdue: true });

      for (const clock of ['dispatch', 'resolve']) {
        const job = await queuedJob<'notification.send'>(
          'notifications',
          jobId('notify', top.id, version, 'top', clock),
        );
        await w.notifier.notify(job.data);
        await w.notifier.notify(job.data);
      }
      for (const user of ['town-supervisor', 'county-supervisor', supervisor]) {
        const notes = (await about(user, top.id, 'en')).filter((n) => n.kind === 'top_overdue');
        expect(notes.map((n) => n.body.match(/its (\w+) time limit/)?.[1]).sort()).toEqual([
          'dispatch',
          'resolve',
        ]);
      }
      expect((await about('dispatcher', top.id)).map((n) => n.kind)).not.toContain('top_overdue');
    });

    it('marks one notification read, then all', async () => {
      // A supervisor of its own with exactly two notifications.
      const reader = (await createUser(t, 'supervisor', 'xianxiang')).username;
      const first = await createRequest(t, 'resident-1', { category, priority: 'urgent' });
      const other = await createRequest(t, 'resident-1', { category, priority: 'urgent' });
      for (const req of [first, other]) {
        await fireAccept(req, 'warned');
        await w.notifier.notify((await fireAccept(req, 'breached')).data);
      }

      const before = await inbox(reader);
      expect(before).toMatchObject({ total: 2, unread: 2 });
      const [n] = await about(reader, first.id);
      expect(n.readAt).toBeNull();

      await t.http
        .post(`/api/v1/me/notifications/${n.id}/read`)
        .set(await t.as(reader))
        .expect(204);
      const after = await inbox(reader);
      expect(after).toMatchObject({ total: 2, unread: 1 });
      expect(after.items.find((x) => x.id === n.id)?.readAt).toEqual(expect.any(String));
      const unreadOnly = await t.http
        .get('/api/v1/me/notifications')
        .query({ unread: 'true', pageSize: '100' })
        .set(await t.as(reader))
        .expect(200);
      expect((unreadOnly.body as Inbox).items.map((x) => x.requestId)).toEqual([other.id]);
      // Reading it again is fine and changes nothing.
      await t.http
        .post(`/api/v1/me/notifications/${n.id}/read`)
        .set(await t.as(reader))
        .expect(204);
      expect((await inbox(reader)).unread).toBe(1);

      // Someone else's notification, or none at all: 404.
      expectProblem(
        await t.http.post(`/api/v1/me/notifications/${n.id}/read`).set(await t.as('dispatcher')),
        404,
        'NOTIFICATION.NOT_FOUND',
      );
      expectProblem(
        await t.http.post(`/api/v1/me/notifications/${randomUUID()}/read`).set(await t.as(reader)),
        404,
        'NOTIFICATION.NOT_FOUND',
      );
      const [dispatcherNote] = await about('dispatcher', r.id);

      expect(dispatcherNote.readAt).toBeNull();

      const all = await t.http
        .post('/api/v1/me/notifications/read-all')
        .set(await t.as(reader))
        .expect(200);
      expect(all.body).toEqual({ marked: 1 });
      const done = await inbox(reader);
      expect(done).toMatchObject({ total: 2, unread: 0 });
      expect(done.items.every((x) => x.readAt !== null)).toBe(true);
      const again = await t.http
        .post('/api/v1/me/notifications/read-all')
        .set(await t.as(reader))
        .expect(200);
      expect(again.body).toEqual({ marked: 0 });
    });
  });

  describe('webhooks', () => {
    let okHook: string;
    let failHook: string;
    let r: RequestBody;

    async function createHook(path: string): Promise<string> {
      const res = await t.http
        .post('/api/v1/webhooks')
        .set(await t.as('admin'))
        .send({ unitId: await unitId(t, 'xianxiang'), url: `${baseUrl}${path}`, secret: SECRET })
        .expect(201);
      const id = (res.body as { id: string }).id;
      webhookIds.push(id);
      expect(res.body).toMatchObject({ url: `${baseUrl}${path}`, active: true });
      expect(res.body).not.toHaveProperty('secret');
      return id;
    }

    beforeAll(async () => {
      okHook = await createHook('/ok');
      failHook = await createHook('/fail');
      // resident-2 lives in branch-1, under xianxiang: the town's webhooks hear of it.
      r = await createRequest(t, 'resident-2', { category, priority: 'urgent' });
      const job = await fireAccept(r, 'warned');
      await w.notifier.notify(job.data);
    });

    const deliveryJob = (hook: string) =>
      queuedJob<'webhook.deliver'>('webhooks', jobId('webhook', hook, r.id, 2));

    it('a delivery arrives signed with HMAC-SHA256 of its timestamp and body', async () => {
      const job = await deliveryJob(okHook);
      const count = received.length;
      await w.webhooks.deliver(job.data);
      expect(received).toHaveLength(count + 1);
      const got = received[received.length - 1];
      expect(got.path).toBe('/ok');
      expect(got.headers['content-type']).toMatch(/^application\/json/);
      const timestamp = got.headers['x-closed-loop-timestamp'] as string;
      expect(timestamp).toMatch(/^\d+$/);
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`;
      expect(got.headers['x-closed-loop-signature']).toBe(expected);
      expect(got.headers['x-closed-loop-delivery']).toBe(job.data.deliveryId);
      expect(JSON.parse(got.body)).toMatchObject({
        event: 'DEADLINE_WARNING',
        requestId: r.id,
        reference: r.reference,
        clock: 'accept',
        deliveryId: job.data.deliveryId,
      });
    });

    it('a receiver answering 500 fails the delivery; the dead letter is listed for admins', async () => {
      const job = await deliveryJob(failHook);
      const error: unknown = await w.webhooks.deliver(job.data).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: 'answered 500' });
      expect(received[received.length - 1].path).toBe('/fail');

      await w.webhooks.deadLetter(job.data, 6, error);
      const res = await t.http
        .get('/api/v1/webhooks/dead-letters')
        .set(await t.as('admin'))
        .expect(200);
      const letters = res.body as { webhookId: string; deliveryId: string; attempts: number }[];
      expect(letters.filter((d) => d.deliveryId === job.data.deliveryId)).toEqual([
        expect.objectContaining({
          webhookId: failHook,
          attempts: 6,
          lastError: 'answered 500',
          payload: expect.objectContaining({ requestId: r.id }),
        }),
      ]);
      // Recording it twice keeps one.
      await w.webhooks.deadLetter(job.data, 6, error);
      const again = await t.http
        .get('/api/v1/webhooks/dead-letters')
        .set(await t.as('admin'))
        .expect(200);
      expect(
        (again.body as { deliveryId: string }[]).filter(
          (d) => d.deliveryId === job.data.deliveryId,
        ),
      ).toHaveLength(1);

      for (const user of ['dispatcher', 'town-supervisor', 'secretary-1']) {
        expectProblem(
          await t.http.get('/api/v1/webhooks/dead-letters').set(await t.as(user)),
          403,
          'AUTH.FORBIDDEN',
        );
      }
    });

    it('a removed webhook gets nothing more', async () => {
      const job = await deliveryJob(okHook);
      await t.http
        .delete(`/api/v1/webhooks/${okHook}`)
        .set(await t.as('admin'))
        .expect(204);
      const count = received.length;
      await w.webhooks.deliver(job.data);
      expect(received).toHaveLength(count);
    });
  });

  describe('SLA policies', () => {
    const path = () => `${category}/normal`;
    const valid = {
      clock: 'working',
      accept: 'P1D',
      dispatch: 'PT2H',
      resolve: 'P7D',
      feedback: 'P3D',
      warnAt: [0.8, 0.5],
    };

    it('an admin sets a policy; it is listed', async () => {
      const res = await putPolicy(path(), valid);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ...valid, warnAt: [0.5, 0.8], stored: true });
      const list = await t.http
        .get('/api/v1/sla-policies')
        .set(await t.as('dispatcher'))
        .expect(200);
      const mine = (list.body as { category: string; priority: string }[]).filter(
        (p) => p.category === category,
      );
      expect(mine.map((p) => p.priority).sort()).toEqual(['complex', 'normal', 'urgent']);
      expect(mine.find((p) => p.priority === 'normal')).toMatchObject({
        stored: true,
        resolve: 'P7D',
        warnAt: [0.5, 0.8],
      });
      expect(mine.find((p) => p.priority === 'urgent')).toMatchObject({ accept: 'PT2S' });
    });

    it.each([
      ['abc', 'SLA.INVALID_DURATION'],
      ['P', 'SLA.INVALID_DURATION'],
      ['PT0S', 'SLA.INVALID_DURATION'],
      ['2H', 'SLA.INVALID_DURATION'],
    ])('refuses the duration %p with 400', async (duration, code) => {
      expectProblem(await putPolicy(path(), { ...valid, resolve: duration }), 400, code);
    });

    it.each([
      [{ warnAt: [1.5] }],
      [{ warnAt: [0] }],
      [{ warnAt: 'half' }],
      [{ clock: 'weekly' }],
      [{ accept: 7 }],
      [{ extra: true }],
    ])('refuses %j with 400 VALIDATION.FAILED', async (change) => {
      expectProblem(await putPolicy(path(), { ...valid, ...change }), 400, 'VALIDATION.FAILED');
    });

    it('answers 404 for an unknown category or priority and 403 for non-admins', async () => {
      expectProblem(
        await putPolicy(`${uniqueCode('nope')}/normal`, valid),
        404,
        'CATEGORY.NOT_FOUND',
      );
      expectProblem(await putPolicy(`${category}/asap`, valid), 404, 'SLA.UNKNOWN_PRIORITY');
      for (const user of ['dispatcher', 'county-supervisor', 'resident-1']) {
        expectProblem(await putPolicy(path(), valid, user), 403, 'AUTH.FORBIDDEN');
      }
    });

    it('refused edits changed nothing', async () => {
      const list = await t.http
        .get('/api/v1/sla-policies')
        .set(await t.as('admin'))
        .expect(200);
      const normal = (list.body as { category: string; priority: string }[]).find(
        (p) => p.category === category && p.priority === 'normal',
      );
      expect(normal).toMatchObject({ ...valid, warnAt: [0.5, 0.8] });
    });
  });

  describe('the working calendar', () => {
    let original: Record<string, unknown>;

    // The admin's view: everyone else sees only this year's and next year's days, without the version.
    const getCalendar = async () =>
      (
        await t.http
          .get('/api/v1/calendar')
          .set(await t.as('admin'))
          .expect(200)
      ).body as Record<string, unknown>;

    beforeAll(async () => {
      original = await getCalendar();
      expect(original).toMatchObject({ timeZone: 'Asia/Shanghai' });
    });

    afterAll(async () => {
      // The database is shared: put the calendar back.
      await t.http
        .put('/api/v1/calendar')
        .set(await t.as('admin'))
        .send({
          workingHours: original.workingHours,
          weekendDays: original.weekendDays,
          holidays: original.holidays,
          makeupWorkdays: original.makeupWorkdays,
        })
        .expect(200);
    });

    it.each([
      [{ holidays: ['2026-02-30'] }],
      [{ makeupWorkdays: ['2026-13-01'] }],
      [
        {
          workingHours: [
            { start: '08:30', end: '12:00' },
            { start: '11:00', end: '17:30' },
          ],
        },
      ],
      [{ workingHours: [{ start: '17:00', end: '09:00' }] }],
      [{ workingHours: [] }],
      [{ weekendDays: [0] }],
      [{ holidayz: [] }],
    ])('refuses %j with 400 CALENDAR.INVALID and changes nothing', async (body) => {
      const res = await t.http
        .put('/api/v1/calendar')
        .set(await t.as('admin'))
        .send(body);
      expectProblem(res, 400, 'CALENDAR.INVALID');
      expect(await getCalendar()).toEqual(original);
    });

    it('only admins edit it', async () => {
      expectProblem(
        await t.http
          .put('/api/v1/calendar')
          .set(await t.as('town-supervisor'))
          .send({ holidays: [] }),
        403,
        'AUTH.FORBIDDEN',
      );
    });

    it('imports a holiday and a make-up working day (补班) from an iCalendar file', async () => {
      // A few years ahead: imports take dates within five years of today.
      const y = new Date().getUTCFullYear() + 3;
      const ics = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//closed-loop tests//CN',
        'BEGIN:VEVENT',
        `UID:national-day-${y}@test`,
        `DTSTART;VALUE=DATE:${y}1001`,
        `DTEND;VALUE=DATE:${y}1002`,
        'SUMMARY:国庆节',
        'END:VEVENT',
        'BEGIN:VEVENT',
        `UID:makeup-${y}@test`,
        `DTSTART;VALUE=DATE:${y}0929`,
        `DTEND;VALUE=DATE:${y}0930`,
        'SUMMARY:国庆节补班',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
      const res = await t.http
        .post('/api/v1/calendar/import')
        .set(await t.as('admin'))
        .set('Content-Type', 'text/calendar; charset=utf-8')
        .send(ics);
      expect(res.status).toBe(200);
      const after = await getCalendar();
      expect(after.holidays).toEqual(
        expect.arrayContaining([...(original.holidays as string[]), `${y}-10-01`]),
      );
      expect(after.makeupWorkdays).toEqual(
        expect.arrayContaining([...(original.makeupWorkdays as string[]), `${y}-09-29`]),
      );
      expect(after.holidays).not.toContain(`${y}-09-29`);
      expect(after.makeupWorkdays).not.toContain(`${y}-10-01`);
      expect(after.version).toBe((original.version as number) + 1);

      expectProblem(
        await t.http
          .post('/api/v1/calendar/import')
          .set(await t.as('admin'))
          .set('Content-Type', 'text/calendar')
          .send('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20300230\r\n'),
        400,
        'CALENDAR.INVALID',
      );
    });
  });

  it('/metrics exposes transitions and queue depths', async () => {
    const r = await createRequest(t, 'resident-3', { category, priority: 'urgent' });
    await sendOk(t, r.id, 'secretary-2', { type: 'ACCEPT' });
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^closed_loop_transitions_total\{type="ACCEPT"\} [1-9]\d*$/m);
    for (const queue of ['deadlines', 'notifications', 'webhooks']) {
      expect(res.text).toMatch(
        new RegExp(`^closed_loop_queue_jobs\\{queue="${queue}",state="delayed"\\} \\d+$`, 'm'),
      );
    }
    expect(res.text).toMatch(/^closed_loop_outbox_backlog \d+$/m);
  });
});
