import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers on every answer. Its default Content-Security-Policy already fits the pages
 * served here (Swagger UI at /docs, Bull Board at /admin/queues, later a web app at /): scripts
 * only from this origin, inline styles and https fonts allowed. `upgrade-insecure-requests` is
 * left out because the API is also run over plain HTTP (up.sh, docker compose), where it would
 * make browsers fetch those pages' scripts over https and fail.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
}

/**
 * Every answer of the API may carry personal data (names, phones, exports, even an error's
 * detail), so none is kept by a browser or a shared cache.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
