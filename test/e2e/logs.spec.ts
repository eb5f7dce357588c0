import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { apiClient } from '../support/api-client';
import { TEST_DATABASE_URL } from '../support/env';
import { freePort, type Proc, startBuilt, waitFor } from '../support/processes';

/**
 * The built API and worker at LOG_LEVEL=debug through a whole loop — a resident's request and
 * one recorded on a resident's behalf, comments, holds, reasons, resolutions, deadline
 * notifications, the SMS channel, failing webhook deliveries — and not one of their log lines
 * holds a phone number or a word the people typed.
 */
describe('logs (built API and worker at debug level)', () => {
  const tag = randomUUID().slice(0, 8);
  const residentPhone = `139${String(randomInt(10_000_000, 99_999_999))}`;
  /** resident-1's phone: the SMS channel's recipient of the feedback timeout. */
  const smsPhone = '13800000001';
  const typed = {
    title: `日志检查标题${tag}`,
    description: `日志检查描述${tag}：井盖松动`,
    comment: `日志检查留言${tag}`,
    holdReason: `日志检查挂起原因${tag}`,
    resolution: `日志检查办结情况${tag}`,
    otherTitle: `日志检查代录标题${tag}`,
    otherDescription: `日志检查代录描述${tag}`,
    residentName: `日志检查居民${tag}`,
    otherResolution: `日志检查代录办结${tag}`,
    closeNote: `日志检查回访记录${tag}`,
  };
  const client = apiClient();
  let api: Proc;
  let worker: Proc;
  let base: string;
  let db: Client;
  let receiver: Server;
  let webhookId: string | undefined;

  const call = (method: string, path: string, user?: string, body?: unknown) =>
    client.call(base, method, path, user, body);

  async function event(id: string, user: string, body: Record<string, unknown>) {
    const res = await call('POST', `/requests/${id}/events`, user, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 200, code: undefined });
    return res.body;
  }

  async function category(code: string, policy: Record<string, unknown>) {
    const created = await call('POST', '/categories', 'admin', { code, name: code, nameEn: code });
    expect(created.status).toBe(201);
    const put = await call('PUT', `/sla-policies/${code}/normal`, 'admin', {
      clock: '24x7',
      accept: 'PT120S',
      dispatch: 'PT120S',
      resolve: 'PT120S',
      feedback: 'PT120S',
      warnAt: [],
      ...policy,
    });
    expect(put.status).toBe(200);
  }

  const state = async (id: string) =>
    (await call('GET', `/requests/${id}`, 'admin')).body.state as string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = {
      LOG_LEVEL: 'debug',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '50',
    };
    api = startBuilt('main', { ...env, PORT: String(port) });
    await waitFor(
      'the API to answer /health',
      async () => (await fetch(`${base}/health`)).status === 200,
      30_000,
    );
    worker = startBuilt('worker', {
      ...env,
      WORKER_METRICS_PORT: String(await freePort()),
      RECONCILE_INTERVAL_MS: '1000',
    });
  });

  afterAll(async () => {
    // Other suites share the database: leave no webhook pointing at a closed port.
    if (webhookId && api?.child.exitCode === null) {
      await call('DELETE', `/webhooks/${webhookId}`, 'admin');
    }
    await worker?.stop('SIGTERM');
    await api?.stop('SIGTERM');
    await db?.end();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    expect(client.statuses.filter((s) => s >= 500)).toEqual([]);
  });

  // Waits for real clocks, retries and a feedback window: slow on a loaded machine.
  it('hold no phone number and none of the texts people typed, through a whole loop', async () => {
    const slow = `logs-slow-${tag}`;
    const fast = `logs-fast-${tag}`;
    await category(slow, { feedback: 'PT2S' });
    await category(fast, { accept: 'PT2S', warnAt: [0.5] });
    const xianxiang = (await call('GET', '/units', 'admin')).body as unknown as {
      id: string;
      code: string;
    }[];
    const hook = await call('POST', '/webhooks', 'admin', {
      unitId: xianxiang.find((u) => u.code === 'xianxiang')?.id,
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fail`,
      secret: `secret-${randomUUID()}`,
    });
    expect(hook.status).toBe(201);
    webhookId = hook.body.id as string;

    // A resident's request: comment, accept, hold, resolve; the feedback window closes it.
    const mine = await call('POST', '/requests', 'resident-1', {
      title: typed.title,
      description: typed.description,
      category: slow,
    });
    expect(mine.status).toBe(201);
    const a = mine.body.id as string;
    await event(a, 'resident-1', { type: 'COMMENT', text: typed.comment });
    await event(a, 'secretary-1', { type: 'ACCEPT' });
    await event(a, 'secretary-1', { type: 'HOLD', reason: typed.holdReason });
    await event(a, 'secretary-1', { type: 'RESUME' });
    await event(a, 'secretary-1', { type: 'RESOLVE', resolution: typed.resolution });

    // One recorded at a tea house: its accept clock warns and breaches, the town assigns it.
    const recorded = await call('POST', '/requests', 'secretary-1', {
      title: typed.otherTitle,
      description: typed.otherDescription,
      category: fast,
      channel: 'tea_house',
      residentName: typed.residentName,
      residentPhone,
    });
    expect(recorded.status).toBe(201);
    const b = recorded.body.id as string;

    // Searches and mistakes carry the same words in query strings and broken bodies.
    await call('GET', `/requests?q=${encodeURIComponent(typed.title)}`, 'secretary-1');
    await call('GET', `/requests?category=${residentPhone}`, 'secretary-1');
    const broken = await fetch(`${base}/api/v1/requests`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await client.token(base, 'resident-1')}`,
      },
      body: `{"title":"${typed.title}","residentPhone":"${residentPhone}"`,
    });
    expect(broken.status).toBe(400);

    await waitFor(
      'the tea-house request to escalate',
      async () => (await state(b)) === 'escalated',
      30_000,
    );
    const units = (await call('GET', '/units?type=department', 'dispatcher')).body as unknown as {
      id: string;
      code: string;
    }[];
    await event(b, 'dispatcher', {
      type: 'ASSIGN',
      assigneeUnitId: units.find((u) => u.code === 'dept-roads')?.id,
    });
    await event(b, 'roads-officer', { type: 'RESOLVE', resolution: typed.otherResolution });
    await event(b, 'secretary-1', { type: 'CLOSE', note: typed.closeNote, satisfied: true });

    await waitFor('the feedback timeout', async () => (await state(a)) === 'closed', 30_000);
    await waitFor(
      'a webhook delivery to fail every attempt',
      async () =>
        ((
          await db.query(
            `SELECT 1 FROM webhook_dead_letters WHERE webhook_id = $1 AND payload->>'requestId' = $2`,
            [webhookId, a],
          )
        ).rowCount ?? 0) > 0,
      30_000,
    );
    expect((await call('DELETE', `/webhooks/${webhookId}`, 'admin')).status).toBe(204);
    webhookId = undefined;
    // The worker shares the suite's database: overdue clocks of earlier suites fire first and
    // their messages may queue ahead of this resident's.
    await waitFor(
      'the text message to the resident in the worker log',
      () => Promise.resolve(worker.output().includes('at 138****0001')),
      60_000,
      500,
    );
    await worker.stop('SIGTERM');
    await api.stop('SIGTERM');

    const apiLog = api.output();
    const workerLog = worker.output();
    // The paths this test relies on did log: requests, the SMS channel, failed jobs.
    expect(apiLog).toContain('"url":"/api/v1/requests?q"');
    expect(workerLog).toContain(`at 138****0001`);
    expect(workerLog).toMatch(
      /webhook\.deliver \S+ failed \(attempt 2\/2\): WebhookDeliveryError: answered 500/,
    );
    for (const [name, log] of [
      ['API', apiLog],
      ['worker', workerLog],
    ]) {
      for (const secret of [...Object.values(typed), residentPhone, smsPhone]) {
        expect({ log: name, leaks: log.includes(secret) ? secret : null }).toEqual({
          log: name,
          leaks: null,
        });
      }
    }
  }, 180_000);
});
