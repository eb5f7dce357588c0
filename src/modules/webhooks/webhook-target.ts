import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { ADDRESS_KIND_TEXT, classifyAddress } from '../../common/net/address-policy';
import { type AllowedHost, isAllowListed } from '../../common/net/host-allow-list';

export interface TargetPolicy {
  allowHosts: AllowedHost[];
  allowHttp: boolean;
}

/** The short, generic reasons a delivery can fail; stored for admins instead of raw errors. */
export type DeliveryFailure =
  | 'URL not allowed'
  | 'address not allowed'
  | 'not resolved'
  | 'redirect not followed'
  | 'timed out'
  | 'refused'
  | 'unreachable'
  | 'TLS failed'
  | 'connection failed'
  | `answered ${number}`;

export type Target =
  | { ok: true; url: URL; addresses: LookupAddress[] }
  | { ok: false; failure: DeliveryFailure; message: string };

export type Lookup = (hostname: string) => Promise<LookupAddress[]>;

const LOOKUP_TIMEOUT_MS = 5000;

/** Every address the system resolver gives for `hostname` (getaddrinfo, as connections use). */
export const systemLookup: Lookup = (hostname) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS);
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(addresses);
    });
  });

const refuse = (failure: DeliveryFailure, message: string): Target => ({
  ok: false,
  failure,
  message,
});

/**
 * Where a webhook may be sent: an http(s) URL whose host is allow-listed by the operator, or
 * whose every address is public. Run at registration and again before each delivery, whose
 * connection then goes to the addresses checked here and nowhere else (DNS rebinding).
 */
export async function vetTarget(
  raw: string,
  policy: TargetPolicy,
  lookup: Lookup = systemLookup,
): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('URL not allowed', 'The webhook URL is not an absolute URL');
  }
  const schemes = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) {
    return refuse(
      'URL not allowed',
      policy.allowHttp ? 'Webhook URLs must use https or http' : 'Webhook URLs must use https',
    );
  }
  if (url.username || url.password) {
    return refuse('URL not allowed', 'Webhook URLs must not carry a user name or password');
  }
  const allowListed = isAllowListed(url, policy.allowHosts);
  // WHATWG parsing has already turned 0x7f000001, 2130706433, 0177.0.0.1 and 127.1 into 127.0.0.1.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = classifyAddress(host);
  if (literal !== null) {
    const address = { address: host, family: host.includes(':') ? 6 : 4 };
    if (allowListed || literal === 'global') return { ok: true, url, addresses: [address] };
    return refuse(
      'address not allowed',
      `The webhook host ${url.hostname} is ${ADDRESS_KIND_TEXT[literal]}; webhooks may only reach public addresses`,
    );
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host);
  } catch {
    return refuse('not resolved', `The webhook host ${url.hostname} could not be resolved`);
  }
  if (addresses.length === 0) {
    return refuse('not resolved', `The webhook host ${url.hostname} could not be resolved`);
  }
  if (!allowListed) {
    for (const a of addresses) {
      const kind = classifyAddress(a.address) ?? 'reserved';
      if (kind !== 'global') {
        return refuse(
          'address not allowed',
          `The webhook host ${url.hostname} resolves to ${a.address}, ${ADDRESS_KIND_TEXT[kind]}; webhooks may only reach public addresses`,
        );
      }
    }
  }
  return { ok: true, url, addresses };
}
