import type { NextFunction, Request, Response } from 'express';
import { domainError } from '../errors/domain-error';

/** The deepest nesting of objects and arrays a JSON body may have; the API's own bodies use 3. */
export const MAX_JSON_DEPTH = 32;

/**
 * The bidirectional controls that make text display in another order than it is stored (a title
 * that reads harmlessly in a list, "Trojan Source").
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** With the u flag a surrogate code point only matches when it is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * NUL (PostgreSQL text cannot hold it), bidi controls and unpaired surrogates are refused, never
 * stripped: what is stored is exactly what was sent, and the caller is told which field to fix.
 */
function refuseCharacters(text: string, field: string): void {
  const refuse = (what: string) =>
    domainError('HTTP.INVALID_CHARACTERS', `${field} contains ${what}`, { field });
  if (text.includes('\u0000')) throw refuse('a NUL character (U+0000)');
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) {
    const code = bidi[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw refuse(`a bidirectional control character (U+${code})`);
  }
  if (LONE_SURROGATE.test(text)) {
    throw refuse('an unpaired UTF-16 surrogate (not valid Unicode text)');
  }
}

/**
 * Checks every key and string in a parsed body or query with an explicit stack, so a deeply
 * nested document cannot exhaust the call stack while it is being refused.
 */
function scan(root: unknown, name: string): void {
  const stack: { value: unknown; field: string; depth: number }[] = [
    { value: root, field: name, depth: 0 },
  ];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, field, depth } = next;
    if (typeof value === 'string') {
      refuseCharacters(value, field);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw domainError(
        'HTTP.JSON_TOO_DEEP',
        `The body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        stack.push({ value: item, field: `${field}[${i}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      refuseCharacters(key, `a key of ${field}`);
      stack.push({ value: item, field: `${field}.${key}`, depth: depth + 1 });
    }
  }
}

/**
 * One check of everything a caller sends as text, before any route, pipe or validation sees it:
 * the decoded path, every query parameter and the parsed body (JSON or text). Answers 400
 * HTTP.INVALID_CHARACTERS or HTTP.JSON_TOO_DEEP.
 */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  try {
    let path: string | undefined;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      // A malformed escape is left to the router, which answers it with a 400 of its own.
    }
    if (path !== undefined) refuseCharacters(path, 'the path');
    scan(req.query, 'query');
    scan(req.body, 'body');
    next();
  } catch (e) {
    next(e);
  }
}
