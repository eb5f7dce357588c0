import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { BULL_BOARD_PATH } from '../auth/bull-board';

/**
 * Paths the API answers itself; everything else is the web app's. Of /admin only the queue board
 * is the API's: the app's admin screens (/admin/units…) must reload like any other screen.
 */
const API_PREFIXES = ['/api', '/docs', '/docs-json', '/health', '/metrics', BULL_BOARD_PATH];

const ownedByApi = (path: string): boolean =>
  API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/** The repository root: the nearest folder above this file with a package.json (src/ or dist/src/). */
export function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const WEB_DIR = join(repositoryRoot(__dirname), 'web');
export const WEB_DIST_DIR = join(WEB_DIR, 'dist');

/**
 * Serves the built mobile web app (web/dist) at `/`, same origin as the API so it needs no CORS.
 * Hashed files under /assets/ never change and are cached for a year; index.html is revalidated
 * on every load so a new build reaches phones at once. `/` and a GET that asks for HTML (a
 * browser's navigation, Accept: text/html) and matches no file get index.html, and the app's
 * router takes it from there; any other miss outside the API's paths is a problem+json 404.
 */
export function serveWebApp(app: NestExpressApplication, dir = WEB_DIST_DIR): void {
  const index = join(dir, 'index.html');
  // An API built without the web app (web/dist missing) serves only the API.
  if (!existsSync(index)) return;
  app.useStaticAssets(dir, {
    index: false,
    redirect: false,
    setHeaders: (res: Response, path: string) => {
      res.setHeader(
        'Cache-Control',
        path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (ownedByApi(req.path)) return next();
    const page =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !req.path.startsWith('/assets/') &&
      (req.path === '/' || (req.headers.accept ?? '').includes('text/html'));
    if (page) {
      res.setHeader('Cache-Control', 'no-cache');
      return res.sendFile(index);
    }
    // No route of the API lies here: answer as the API answers an unknown route.
    res
      .status(404)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'urn:closed-loop:problem:http.not_found',
          title: 'Not Found',
          status: 404,
          code: 'HTTP.NOT_FOUND',
          detail: `Cannot ${req.method} ${req.path}`,
          instance: req.originalUrl,
        }),
      );
  });
}
