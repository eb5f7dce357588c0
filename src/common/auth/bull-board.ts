import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { QueueService } from '../queue/queue.service';
import { ActorLookup, issuedBy, type TokenClaims } from './auth.guard';

export const BULL_BOARD_PATH = '/admin/queues';
const COOKIE = 'closed_loop_board';

function tokenOf(req: Request): string | undefined {
  const [scheme, bearer] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() === 'bearer' && bearer) return bearer;
  if (typeof req.query.token === 'string') return req.query.token;
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE}=`));
  return cookie?.slice(COOKIE.length + 1);
}

/**
 * Bull Board for admins. A browser cannot send a bearer header, so the first visit may carry the
 * token as `?token=`; it is then kept in an HTTP-only cookie scoped to the board.
 */
export function mountBullBoard(app: INestApplication): void {
  const queues = app.get(QueueService);
  const jwt = app.get(JwtService);
  const actors = app.get(ActorLookup);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(queues.queues).map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter: adapter,
  });

  const adminOnly = async (req: Request, res: Response, next: NextFunction) => {
    const problem = (status: number, code: string, detail: string) =>
      res
        .status(status)
        .type('application/problem+json')
        .send(JSON.stringify({ type: 'about:blank', title: code, status, code, detail }));
    const token = tokenOf(req);
    if (!token)
      return problem(401, 'AUTH.UNAUTHENTICATED', 'Sign in as an admin: ?token=<accessToken>');
    try {
      const claims = await jwt.verifyAsync<TokenClaims & object>(token);
      const actor = await actors.findActor(claims.sub, issuedBy(claims));
      if (!actor) return problem(401, 'AUTH.INVALID_TOKEN', 'The account no longer exists');
      if (actor.role !== 'admin') return problem(403, 'AUTH.FORBIDDEN', 'Bull Board is for admins');
    } catch {
      return problem(401, 'AUTH.INVALID_TOKEN', 'The token is invalid or has expired');
    }
    if (typeof req.query.token === 'string') {
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: BULL_BOARD_PATH });
    }
    next();
  };
  app.use(BULL_BOARD_PATH, adminOnly, adapter.getRouter());
}
