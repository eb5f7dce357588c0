import { createHmac } from 'node:crypto';
import {
  MessageChannel,
  type OutgoingMessage,
} from '../../src/modules/notifications/message-channel';
import { DatabaseService } from '../../src/database/database.service';
import { QueueService } from '../../src/common/queue/queue.service';
import { jobId } from '../../src/common/queue/jobs';
import {
  createRequest,
  expectProblem,
  getRequest,
  sendOk,
  timeline,
  uniqueCode,
  unitId,
  type RequestBody,
} from '../support/request-helpers';
import { startTestApp, stopTestApp, type TestApp } from '../support/test-app';
import { deliverSteps, sendMessagesOf, toldAbout } from '../support/deliveries';
import { startWorkerContext, type WorkerContext } from '../support/worker-context';

/**
 * Every step tells the people it concerns, and nobody else: in the inbox, by text message to
 * residents with a phone, and as a webhook event to subscribed units. The notifier runs here by
 * hand, one step at a time, exactly as the worker's job would.
 */
describe('a message for every step', () => {
  let t: TestApp;
  let w: WorkerContext;
  const sent: OutgoingMessage[] = [];
  let hookId: string;

  const db = () => t.app.get(DatabaseService).manager();

  const deliver = (r: { id: string }) => deliverSteps(t, w, r);
  const sendMessages = (r: { id: string }) => sendMessagesOf(t, w, r);
  const told = (r: { id: string }) => toldAbout(t, r);

  /** Text messages about a request: `phone kind`, in the order they were sent. */
  const texted = (r: RequestBody) =>
    sent.filter((m) => m.reference === r.reference).map((m) => `${m.phone} ${m.kind}`);

  /** Active users of a unit with a role, or supervisors over it: the audiences that grow. */
  async function usernames(sql: string, params: unknown[]): Promise<string[]> {
    return (await db().query<{ username: string }[]>(sql, params)).map((x) => x.username);
  }
  const supervisorsOverBranch1 = () =>
    usernames(
      `SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id, units b
        WHERE b.code = 'branch-1' AND u.role = 'supervisor' AND u.active AND b.path LIKE n.path || '%'`,
      [],
    );
  /** Other suites add users too: a unit's people of a role as they are now. */
  const membersOf = (unit: string, role: string) =>
    usernames(
      `SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id
        WHERE n.code = $1 AND u.role = $2 AND u.active`,
      [unit, role],
    );
  const branch1Secretaries = () => membersOf('branch-1', 'secretary');
  const townDeskOf = () =>
    usernames(
      `SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id
        WHERE n.code = 'xianxiang' AND u.role IN ('dispatcher', 'supervisor') AND u.active`,
      [],
    );

  const tokenOf = (url: string) => /\/f\/([A-Za-z0-9_-]+)$/.exec(url)?.[1] ?? '';

  async function residentLink(r: RequestBody): Promise<string> {
    const rows = await db().query<{ feedback_url: string | null }[]>(
      `SELECT feedback_url FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.request_id = $1 AND u.username = 'resident-1' AND n.kind = 'resolved'
        ORDER BY n.created_at DESC LIMIT 1`,
      [r.id],
    );
    return tokenOf(rows[0]?.feedback_url ?? '');
  }

  beforeAll(async () => {
    // The receiver is never called here: only the queued deliveries are checked.
    const env = {
      PUBLIC_BASE_URL: 'https://town.example',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_HTTP: 'true',
    };
    t = await startTestApp(env);
    w = await startWorkerContext(env);
    jest.spyOn(w.app.get(MessageChannel), 'send').mockImplementation((m) => {
      sent.push(m);
      return Promise.resolve();
    });
    const hook = await t.http
      .post('/api/v1/webhooks')
      .set(await t.as('admin'))
      .send({
        unitId: await unitId(t, 'xianxiang'),
        url: 'http://127.0.0.1:9/hook',
        secret: 'messages-spec-secret-0123456789',
      })
      .expect(201);
    hookId = (hook.body as { id: string }).id;
  });

  afterAll(async () => {
    await t?.http
      .delete(`/api/v1/webhooks/${hookId}`)
      .set(await t.as('admin'))
      .expect(204);
    await w?.close();
    await stopTestApp(t);
  });

  describe('the short loop of a resident with an account', () => {
    let r: RequestBody;
    let supervisors: string[];
    let secretaries: string[];

    beforeAll(async () => {
      supervisors = await supervisorsOverBranch1();
      secretaries = await branch1Secretaries();
      r = await createRequest(t, 'resident-1');
      await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, r.id, 'secretary-1', { type: 'HOLD', reason: '等村民代表会议' });
      await sendOk(t, r.id, 'secretary-1', { type: 'RESUME' });
      await sendOk(t, r.id, 'secretary-1', { type: 'COMMENT', text: '已联系施工队' });
      await sendOk(t, r.id, 'secretary-1', {
        type: 'COMMENT',
        text: '内部：预算待批',
        internal: true,
      });
      await sendOk(t, r.id, 'resident-1', { type: 'COMMENT', text: '谢谢，盼早日修好' });
      await sendOk(t, r.id, 'secretary-1', {
        type: 'REQUEST_EXTENSION',
        until: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        reason: '需要等材料',
      });
      await sendOk(t, r.id, 'town-supervisor', { type: 'DECIDE_EXTENSION', approve: true });
      await sendOk(t, r.id, 'secretary-1', { type: 'RESOLVE', resolution: '已填平路面' });
      await deliver(r);
    });

    it('tells each person what concerns them, and nobody else anything', async () => {
      expect(await told(r)).toEqual(
        [
          ...secretaries.map((u) => `${u} created`),
          'resident-1 accepted',
          'resident-1 held',
          'resident-1 resumed',
          'resident-1 comment',
          ...secretaries.map((u) => `${u} comment`),
          ...supervisors.map((u) => `${u} extension_requested`),
          ...secretaries.map((u) => `${u} extension_decided`),
          'resident-1 resolved',
        ].sort(),
      );
    });

    it('texts the resident at their phone for every step told to them', () => {
      expect(texted(r)).toEqual(
        ['accepted', 'held', 'resumed', 'comment', 'resolved'].map((k) => `13800000001 ${k}`),
      );
    });

    it('never tells a resident of an internal note, nor shows it to them', async () => {
      const mine = await timeline(t, r.id, 'resident-1');
      expect(mine.filter((e) => e.type === 'COMMENT').map((e) => e.payload.text)).toEqual([
        '已联系施工队',
        '谢谢，盼早日修好',
      ]);
      const staff = await timeline(t, r.id, 'secretary-1');
      expect(staff.filter((e) => e.type === 'COMMENT')).toHaveLength(3);
      const bodies = sent.filter((m) => m.reference === r.reference).map((m) => m.text);
      expect(bodies.join('\n')).not.toContain('预算待批');
    });

    it('refuses an internal note from a resident', async () => {
      expectProblem(
        await t.http
          .post(`/api/v1/requests/${r.id}/events`)
          .set(await t.as('resident-1'))
          .send({ type: 'COMMENT', text: '悄悄话', internal: true }),
        400,
        'VALIDATION.FAILED',
      );
    });

    it('gives the resident the feedback link in the inbox and in the text message', async () => {
      const inbox = await t.http
        .get('/api/v1/me/notifications')
        .query({ pageSize: '100' })
        .set(await t.as('resident-1'))
        .expect(200);
      const resolved = (
        inbox.body as { items: { requestId: string; kind: string; feedbackUrl: string | null }[] }
      ).items.find((n) => n.requestId === r.id && n.kind === 'resolved');
      expect(resolved?.feedbackUrl).toMatch(/^https:\/\/town\.example\/f\/[A-Za-z0-9_-]{54}$/);
      const text = sent.find((m) => m.reference === r.reference && m.kind === 'resolved');
      expect(text?.text).toContain(resolved?.feedbackUrl);
      // Staff notices carry no link.
      const others = await db().query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM notifications WHERE request_id = $1 AND feedback_url IS NOT NULL`,
        [r.id],
      );
      expect(others[0].n).toBe(1);
    });

    it('sends a webhook event for every step to the subscribed town', async () => {
      await w.outbox.relayAll();
      const queue = w.app.get(QueueService).queues.webhooks;
      const { version } = await getRequest(t, r.id);
      for (let seq = 1; seq <= version; seq++) {
        const job = await queue.getJob(jobId('webhook', hookId, r.id, seq));
        expect(job?.data.body).toMatchObject({ requestId: r.id, seq, reference: r.reference });
        expect(JSON.stringify(job?.data.body)).not.toContain('预算待批');
      }
    });

    it('a retried job repeats nothing: no second notice, no second text message', async () => {
      const before = { told: await told(r), texts: texted(r).length };
      await deliver(r);
      await Promise.all([deliver(r), deliver(r)]);
      expect(await told(r)).toEqual(before.told);
      expect(texted(r)).toHaveLength(before.texts);
    });
  });

  describe('the one-tap feedback link', () => {
    let r: RequestBody;
    let token: string;

    beforeAll(async () => {
      r = await createRequest(t, 'resident-1');
      await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, r.id, 'secretary-1', { type: 'RESOLVE', resolution: '路灯已更换' });
      await deliver(r);
      token = await residentLink(r);
    });

    it('shows the title, the resolution and who resolved it, to anyone holding the link', async () => {
      const res = await t.http.get(`/api/v1/feedback/${token}`).expect(200);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.body).toEqual({
        reference: r.reference,
        title: r.title,
        resolution: '路灯已更换',
        mergedInto: null,
        resolvedByUnit: '咸一村',
        resolvedByPerson: '张书记',
        resolvedAt: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/1380000|resident/);
    });

    it('refuses a tampered link, a made-up one and a link of another kind', async () => {
      const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
      for (const bad of [flipped, token.slice(0, 53), 'x'.repeat(54), 'not-a-token']) {
        expectProblem(await t.http.get(`/api/v1/feedback/${bad}`), 404, 'FEEDBACK.LINK_INVALID');
        expectProblem(
          await t.http.post(`/api/v1/feedback/${bad}`).send({ rating: 5 }),
          404,
          'FEEDBACK.LINK_INVALID',
        );
      }
      // A signature made with another key (a token of this shape signed elsewhere).
      const claims = Buffer.from(token, 'base64url').subarray(0, 24);
      const forged = Buffer.concat([
        claims,
        createHmac('sha256', 'another-secret').update(claims).digest().subarray(0, 16),
      ]).toString('base64url');
      expectProblem(await t.http.get(`/api/v1/feedback/${forged}`), 404, 'FEEDBACK.LINK_INVALID');
    });

    it('refuses an empty answer, a rating out of range and unknown fields, changing nothing', async () => {
      for (const body of [
        {},
        { rating: 0 },
        { rating: 6 },
        { rating: 4.5 },
        { comment: '   ' },
        { rating: 5, extra: 1 },
      ]) {
        expectProblem(
          await t.http.post(`/api/v1/feedback/${token}`).send(body),
          400,
          'VALIDATION.FAILED',
        );
      }
      expect((await getRequest(t, r.id)).state).toBe('resolved');
    });

    it('confirms with a rating as the resident, then answers 410 when used again', async () => {
      const res = await t.http
        .post(`/api/v1/feedback/${token}`)
        .send({ rating: 5, comment: '很满意' })
        .expect(200);
      expect(res.body).toEqual({ outcome: 'confirmed', reference: r.reference });
      const after = await getRequest(t, r.id);
      expect(after).toMatchObject({ state: 'closed', outcome: 'satisfied', rating: 5 });
      const last = (await timeline(t, r.id, 'resident-1')).at(-1);
      expect(last).toMatchObject({
        type: 'CONFIRM',
        actorRole: 'resident',
        actor: { username: 'resident-1' },
        payload: { rating: 5, comment: '很满意', via: 'feedback_link' },
      });
      expectProblem(
        await t.http.post(`/api/v1/feedback/${token}`).send({ rating: 1 }),
        410,
        'FEEDBACK.LINK_USED',
      );
      expectProblem(await t.http.get(`/api/v1/feedback/${token}`), 410, 'FEEDBACK.LINK_USED');
      await deliver(r);
      expect(await told(r)).toContain('secretary-1 confirmed');
    });
  });

  describe('a request recorded at a tea house for a resident with only a phone', () => {
    let r: RequestBody;
    const phone = `139${String(Date.now()).slice(-8)}`;
    let townDesk: string[];
    let roads: string[];
    let others: string[];

    beforeAll(async () => {
      townDesk = await townDeskOf();
      roads = await membersOf('dept-roads', 'assignee');
      // The other secretaries of the branch hear of it; the one who recorded it does not.
      others = (await branch1Secretaries()).filter((u) => u !== 'secretary-1');
      r = await createRequest(t, 'secretary-1', {
        channel: 'tea_house',
        residentName: '王大爷',
        residentPhone: phone,
      });
      await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, r.id, 'secretary-1', { type: 'ESCALATE', reason: '需要镇里协调' });
      await sendOk(t, r.id, 'dispatcher', {
        type: 'ASSIGN',
        assigneeUnitId: await unitId(t, 'dept-roads'),
      });
      await sendOk(t, r.id, 'roads-officer', { type: 'RESOLVE', resolution: '已修复' });
      await deliver(r);
    });

    it('texts the resident at each step, beginning with the reference number', () => {
      expect(texted(r)).toEqual(
        ['recorded_for_you', 'accepted', 'dispatched', 'resolved'].map((k) => `${phone} ${k}`),
      );
      const first = sent.find((m) => m.reference === r.reference);
      expect(first?.text).toContain(r.reference);
      expect(first?.userId).toBeNull();
    });

    it('tells the town desk of the escalation, the department of its work, the branch of the result', async () => {
      expect(await told(r)).toEqual(
        [
          ...others.map((u) => `${u} created`),
          ...townDesk.map((u) => `${u} escalated`),
          ...roads.map((u) => `${u} assigned`),
          ...others.map((u) => `${u} resolved`),
          'secretary-1 resolved',
        ].sort(),
      );
    });

    it('a dispute through the text message link goes back to whoever resolved it', async () => {
      const body =
        sent.find((m) => m.reference === r.reference && m.kind === 'resolved')?.text ?? '';
      const first = tokenOf(/https:\/\/\S+/.exec(body)?.[0] ?? '');
      expect(first).toHaveLength(54);
      await t.http
        .post(`/api/v1/feedback/${first}`)
        .send({ comment: '只修了一半' })
        .expect(200, { outcome: 'disputed', reference: r.reference });
      expect(await getRequest(t, r.id)).toMatchObject({ state: 'assigned' });
      const dispute = (await timeline(t, r.id)).at(-1);
      expect(dispute).toMatchObject({ type: 'DISPUTE', actor: null, actorRole: 'resident' });
      await deliver(r);
      expect(await told(r)).toContain('roads-officer disputed');

      // Resolved again: the first link is superseded, the new one works.
      await sendOk(t, r.id, 'roads-officer', { type: 'RESOLVE', resolution: '整段重铺' });
      await deliver(r);
      expectProblem(await t.http.get(`/api/v1/feedback/${first}`), 410, 'FEEDBACK.LINK_SUPERSEDED');
      const texts = sent.filter((m) => m.reference === r.reference && m.kind === 'resolved');
      expect(texts).toHaveLength(2);
      const second = tokenOf(/https:\/\/\S+/.exec(texts[1].text)?.[0] ?? '');
      expect(second).not.toBe(first);
      const view = await t.http.get(`/api/v1/feedback/${second}`).expect(200);
      expect(view.body).toMatchObject({ resolution: '整段重铺', resolvedByUnit: '交通办' });

      await sendOk(t, r.id, 'secretary-1', { type: 'CLOSE', note: '回访满意', satisfied: true });
      await deliver(r);
      expect(await told(r)).toContain('roads-officer closed');
      expectProblem(await t.http.get(`/api/v1/feedback/${second}`), 410, 'FEEDBACK.LINK_USED');
    });
  });

  describe('expiry, and a step whose notices fail half-way', () => {
    it('a link stops working when the feedback window closes', async () => {
      const category = uniqueCode('fb');
      await t.http
        .post('/api/v1/categories')
        .set(await t.as('admin'))
        .send({ code: category, name: `反馈 ${category}`, nameEn: `Feedback ${category}` })
        .expect(201);
      await t.http
        .put(`/api/v1/sla-policies/${category}/normal`)
        .set(await t.as('admin'))
        .send({
          clock: '24x7',
          accept: 'PT1H',
          dispatch: 'PT1H',
          resolve: 'PT2H',
          feedback: 'PT1S',
          warnAt: [0.5],
        })
        .expect(200);
      const r = await createRequest(t, 'resident-1', { category });
      await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
      await sendOk(t, r.id, 'secretary-1', { type: 'RESOLVE', resolution: '已处理' });
      await deliver(r);
      const token = await residentLink(r);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expectProblem(await t.http.get(`/api/v1/feedback/${token}`), 410, 'FEEDBACK.LINK_EXPIRED');
      expectProblem(
        await t.http.post(`/api/v1/feedback/${token}`).send({ rating: 5 }),
        410,
        'FEEDBACK.LINK_EXPIRED',
      );
      expect((await getRequest(t, r.id)).state).toBe('resolved');
    });

    it('nothing leaves when a notification job fails; run again, each message goes once', async () => {
      const r = await createRequest(t, 'resident-1');
      await sendOk(t, r.id, 'secretary-1', { type: 'ACCEPT' });
      const { version } = await getRequest(t, r.id);
      // The last thing the job writes fails: what it wrote before must not survive either.
      const spy = jest.spyOn(w.webhooks, 'enqueueFor').mockRejectedValueOnce(new Error('boom'));
      await expect(w.notifier.notify({ requestId: r.id, seq: version })).rejects.toThrow('boom');
      spy.mockRestore();
      expect(await told(r)).toEqual([]);
      await sendMessages(r);
      expect(texted(r)).toEqual([]);

      await deliver(r);
      await deliver(r);
      expect(texted(r)).toEqual(['13800000001 accepted']);
      expect(await told(r)).toEqual(
        ['resident-1 accepted', ...(await branch1Secretaries()).map((u) => `${u} created`)].sort(),
      );
    });
  });
});
