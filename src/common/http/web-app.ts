import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * Paths the API owns (and the app's own hashed files, which are either there or missing); the
 * fallback never answers for them, even for a browser asking for HTML.
 */
const API_PREFIXES = ['/api', '/docs', '/docs-json', '/health', '/metrics', '/admin', '/assets'];

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
 * browser's navigation, Accept: text/html) and matches no file get index.html (the app's router takes it from there); anything else falls through to
 * the API, which answers problem+json.
 */
export function serveWebApp(app: NestExpressApplication, dir = WEB_DIST_DIR): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.useStaticAssets(dir, {
    index: false,
    redirect: false,
    setHeaders: (res, path) => {
      res.setHeader(
        'Cache-Control',
        path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const wantsPage = req.path === '/' || (req.headers.accept ?? '').includes('text/html');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || ownedByApi(req.path) || !wantsPage) {
      return next();
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
