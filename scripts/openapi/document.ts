import { join } from 'node:path';
import { WEB_DIR } from '../../src/common/http/web-app';

/** The committed copy of the served OpenAPI document, from which web/ generates its client. */
export const WEB_OPENAPI_JSON = join(WEB_DIR, 'src', 'api', 'openapi.json');

/** Objects with their keys sorted at every depth (arrays keep their order), so diffs stay small. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export const documentText = (document: unknown): string =>
  `${JSON.stringify(sortKeys(document), null, 2)}\n`;
