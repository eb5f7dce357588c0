import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { DEMO_USERNAMES } from '../../src/database/demo-data';
import { testEnv } from './env';

export const DEMO_PASSWORD = 'demo1234';
/** The password of users the tests create through the API, where the password policy applies. */
export const USER_PASSWORD = 'closed-loop-test-passphrase';

/** The password `token()` signs a user in with: demo accounts have the demo one. */
export const passwordOf = (username: string) =>
  DEMO_USERNAMES.includes(username) ? DEMO_PASSWORD : USER_PASSWORD;

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  /** Every 5xx the app answered; each suite asserts it stays empty. */
  serverErrors: string[];
  token(username: string): Promise<string>;
  as(username: string): Promise<{ Authorization: string }>;
  close(): Promise<void>;
}

/**
 * The real application (real Postgres, real Redis, real migrations) on an ephemeral port;
 * `env` overrides configuration variables (METRICS_TOKEN, API_DOCS, …).
 */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const serverErrors: string[] = [];
  const app = await createApp(loadConfig({ ...testEnv(), ...env }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      if (res.statusCode >= 500)
        serverErrors.push(`${req.method} ${req.originalUrl} → ${res.statusCode}`);
    });
    next();
  });
  await app.init();
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const res = await http
      .post('/api/v1/auth/login')
      .send({ username, password: passwordOf(username) });
    if (res.status !== 200)
      throw new Error(`login ${username} → ${res.status} ${JSON.stringify(res.body)}`);
    const accessToken = (res.body as { accessToken: string }).accessToken;
    tokens.set(username, accessToken);
    return accessToken;
  };
  return {
    app,
    http,
    serverErrors,
    token,
    as: async (username) => ({ Authorization: `Bearer ${await token(username)}` }),
    close: () => app.close(),
  };
}

/** Ends a suite's app, having checked that no call of the suite answered 5xx. */
export async function stopTestApp(t: TestApp | undefined): Promise<void> {
  if (!t) return;
  try {
    expect(t.serverErrors).toEqual([]);
  } finally {
    await t.close();
  }
}
