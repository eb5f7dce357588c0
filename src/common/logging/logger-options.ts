import type { Options } from 'pino-http';
import { describeError } from './describe-error';

interface SerializedRequest {
  id: unknown;
  method: string;
  url: string;
  remoteAddress?: string;
}

/**
 * `/api/v1/requests?q=…&page=2` → `/api/v1/requests?q&page`: query values are search words,
 * phone numbers or a Bull Board token, so a logged URL keeps the path and the names only.
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = [...new URLSearchParams(url.slice(at + 1)).keys()];
  return `${url.slice(0, at)}${names.length > 0 ? `?${[...new Set(names)].join('&')}` : ''}`;
}

/**
 * The pino options of the API and the worker. Request lines hold the method, the path and the
 * status, never a body, a query value or a header (a referrer can carry a query); an error is
 * its class, code and blanked message (see describeError), never its properties (a database
 * error holds the query's parameters).
 */
export function pinoOptions(level: string): Options {
  return {
    level,
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(String(req.url ?? '')),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: { raw?: unknown }) => ({ error: describeError(err.raw ?? err, true) }),
    },
  };
}
