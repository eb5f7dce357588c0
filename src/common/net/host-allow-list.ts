/**
 * The operator's list of hosts that outbound calls may reach although their addresses are
 * internal (WEBHOOK_ALLOW_HOSTS): `host` (any port) or `host:port`, comma-separated; IPv6 as
 * `[::1]` or `[::1]:8080`. Hosts are compared as a URL spells them (WHATWG parsing: lower case,
 * punycode, `127.1` is `127.0.0.1`), so an entry matches however a URL writes the same host.
 */
export interface AllowedHost {
  host: string;
  /** Undefined: every port. */
  port?: number;
}

const ENTRY = /^(\[[0-9a-fA-F:.]+\]|[^\s:/?#@[\]]+)(?::(\d{1,5}))?$/;

/** The parsed list, or the entries that are not `host` or `host:port`. */
export function parseAllowList(raw: string): { hosts: AllowedHost[]; invalid: string[] } {
  const hosts: AllowedHost[] = [];
  const invalid: string[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const m = ENTRY.exec(entry);
    const port = m?.[2] === undefined ? undefined : Number(m[2]);
    const host = m ? canonicalHost(m[1]) : null;
    if (!host || (port !== undefined && (port < 1 || port > 65535))) invalid.push(entry);
    else hosts.push({ host, port });
  }
  return { hosts, invalid };
}

/** A host as WHATWG URL parsing writes it, without a trailing dot; null if it is not a host. */
export function canonicalHost(host: string): string | null {
  try {
    const hostname = new URL(`http://${host}/`).hostname;
    return hostname.replace(/\.$/, '') || null;
  } catch {
    return null;
  }
}

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

export function isAllowListed(url: URL, hosts: AllowedHost[]): boolean {
  const host = url.hostname.replace(/\.$/, '');
  const port = url.port ? Number(url.port) : DEFAULT_PORT[url.protocol];
  return hosts.some((h) => h.host === host && (h.port === undefined || h.port === port));
}
