import { createHash, timingSafeEqual } from 'node:crypto';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && LOOPBACK.test(address);

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who may scrape /metrics (the API's and the worker's): with METRICS_TOKEN set, whoever sends it
 * as a bearer token (401 otherwise); without one, only callers on this machine (404 for anyone
 * else, as if there were nothing there). `client` is the caller's address after trusted proxies.
 */
export function metricsAccess(
  token: string | null,
  client: string | undefined,
  authorization: string | undefined,
): 'allowed' | 'unauthorized' | 'hidden' {
  if (token === null) return isLoopback(client) ? 'allowed' : 'hidden';
  const [scheme, sent] = (authorization ?? '').split(' ');
  // Digests have one length, so the comparison takes the same time whatever was sent.
  return scheme?.toLowerCase() === 'bearer' && sent && timingSafeEqual(digest(sent), digest(token))
    ? 'allowed'
    : 'unauthorized';
}
