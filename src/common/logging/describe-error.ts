type ErrorFields = Error & {
  code?: unknown;
  severity?: unknown;
  driverError?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
};

const DB_IDENTIFIERS = ['table', 'column', 'constraint'] as const;

/**
 * An error as a log line that carries no personal data: its class, its code (SQLSTATE, errno),
 * the database identifiers it names, and its message with quoted parts and long digit runs
 * blanked. Database errors quote the offending value (`invalid input syntax for type uuid: "…"`)
 * and JSON.parse quotes its input, so a raw message can hold a title or a phone number; a
 * database error's message is left out altogether and its query parameters are never read.
 */
export function describeError(error: unknown, withStack = false): string {
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const e = error as ErrorFields;
  const db = (e.driverError instanceof Error ? e.driverError : e) as ErrorFields;
  const isDatabase =
    e.driverError !== undefined || (typeof db.severity === 'string' && typeof db.code === 'string');
  const code = typeof db.code === 'string' || typeof db.code === 'number' ? ` ${db.code}` : '';
  const where = DB_IDENTIFIERS.filter((k) => typeof db[k] === 'string').map(
    (k) => `${k} ${String(db[k])}`,
  );
  let line = `${e.name}${code}`;
  if (!isDatabase) line += `: ${blank(e.message)}`;
  else if (where.length > 0) line += ` (${where.join(', ')})`;
  if (!withStack || !e.stack) return line;
  const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l));
  return [line, ...frames.slice(0, 15)].join('\n');
}

function blank(message: string): string {
  return message
    .replace(/"[^"]*"|'[^']*'|“[^”]*”|‘[^’]*’|`[^`]*`/g, '"…"')
    .replace(/\d[\d -]{5,}\d/g, '…')
    .slice(0, 300);
}
