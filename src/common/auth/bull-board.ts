import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import type { ErrorCode } from '../errors/error-catalogue';
import { QueueService } from '../queue/queue.service';
import { AccessTokens } from './access-tokens';
import { bearerToken } from './auth.guard';

export const BULL_BOARD_PATH = '/admin/queues';
export const BULL_BOARD_SESSION_PATH = `${BULL_BOARD_PATH}/session`;
export const BULL_BOARD_COOKIE = 'closed_loop_board';

function cookieToken(req: Request): string | undefined {
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${BULL_BOARD_COOKIE}=`));
  return cookie?.slice(BULL_BOARD_COOKIE.length + 1) || undefined;
}

function problem(res: Response, status: number, code: ErrorCode, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: code, status, code, detail }));
}

const SIGN_IN_SCRIPT_PATH = `${BULL_BOARD_SESSION_PATH}/sign-in.js`;

/**
 * A sign-in page for browsers: it gets an access token and trades it for the board's cookie. Its
 * script is a file of its own, as the Content-Security-Policy allows no inline script.
 */
const SIGN_IN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Queues: sign in</title></head>
<body><form id="f"><h1>Queues</h1>
<p><label>Admin username <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button>Sign in</button> <output id="o"></output></p></form>
<script src="${SIGN_IN_SCRIPT_PATH}"></script></body></html>`;

const SIGN_IN_SCRIPT = `document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const json = { 'content-type': 'application/json' };
  const login = await fetch('/api/v1/auth/login', { method: 'POST', headers: json,
    body: JSON.stringify({ username: form.get('username'), password: form.get('password') }) });
  const body = await login.json();
  if (!login.ok) return (document.getElementById('o').textContent = body.detail);
  const session = await fetch('${BULL_BOARD_SESSION_PATH}', { method: 'POST', headers: json,
    body: JSON.stringify({ token: body.accessToken }) });
  if (!session.ok) return (document.getElementById('o').textContent = (await session.json()).detail);
  location.href = '${BULL_BOARD_PATH}';
});
`;

/**
 * Bull Board for admins, at /admin/queues. A browser cannot send a bearer header, so an admin
 * trades an access token (bearer header or JSON `{token}`) for an HTTP-only, SameSite=Strict
 * cookie scoped to the board at `POST /admin/queues/session`; GET there shows a sign-in page.
 * A token is never read from the URL, where logs and browser history would keep it. The board is
 * read-only unless QUEUE_DASHBOARD_WRITES is true.
 */
export function mountBullBoard(app: INestApplication): void {
  const queues = app.get(QueueService);
  const tokens = app.get(AccessTokens);
  const config = app.get<AppConfig>(APP_CONFIG);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(queues.queues).map(
      (q) => new BullMQAdapter(q, { readOnlyMode: !config.queueDashboardWrites }),
    ),
    serverAdapter: adapter,
  });

  /** The admin behind a token, or a problem answered and undefined. */
  const admin = async (res: Response, token: string | undefined) => {
    if (!token) {
      problem(res, 401, 'AUTH.UNAUTHENTICATED', `Sign in at ${BULL_BOARD_SESSION_PATH}`);
      return undefined;
    }
    try {
      const session = await tokens.authenticate(token);
      if (session.actor.role === 'admin') return session;
      problem(res, 403, 'AUTH.FORBIDDEN', 'Bull Board is for admins');
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      problem(res, e.status, e.code, e.message);
    }
    return undefined;
  };

  const session = async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.originalUrl === SIGN_IN_SCRIPT_PATH) {
      res.type('application/javascript').send(SIGN_IN_SCRIPT);
      return;
    }
    if (req.path !== '/') return next();
    if (req.method === 'GET') {
      res.set('Cache-Control', 'no-store').type('html').send(SIGN_IN_PAGE);
      return;
    }
    if (req.method !== 'POST') {
      return problem(res, 405, 'HTTP.METHOD_NOT_ALLOWED', 'Use GET or POST');
    }
    const body = req.body as { token?: unknown } | undefined;
    const token = bearerToken(req) ?? (typeof body?.token === 'string' ? body.token : undefined);
    const signedIn = await admin(res, token);
    if (!signedIn) return;
    res.cookie(BULL_BOARD_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: BULL_BOARD_PATH,
      maxAge: Math.max(0, signedIn.expiresAt - Date.now()),
    });
    res.status(204).end();
  };

  const adminOnly = async (req: Request, res: Response, next: NextFunction) => {
    if (!(await admin(res, bearerToken(req) ?? cookieToken(req)))) return;
    if (!config.queueDashboardWrites && !['GET', 'HEAD'].includes(req.method)) {
      return problem(
        res,
        405,
        'HTTP.METHOD_NOT_ALLOWED',
        'Bull Board is read-only here (QUEUE_DASHBOARD_WRITES=false)',
      );
    }
    next();
  };

  app.use(BULL_BOARD_SESSION_PATH, (req: Request, res: Response, next: NextFunction) => {
    session(req, res, next).catch(next);
  });
  app.use(
    BULL_BOARD_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      adminOnly(req, res, next).catch(next);
    },
    adapter.getRouter(),
  );
}
