import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a server of ours may connect to on someone's say-so (a webhook URL): only
 * globally reachable unicast ones. Pure: no DNS, no sockets. Ranges from the IANA IPv4 and IPv6
 * special-purpose address registries.
 */
export type AddressKind =
  | 'global'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

/** How a refusal names each kind, e.g. "127.0.0.1 is a loopback address". */
export const ADDRESS_KIND_TEXT: Record<AddressKind, string> = {
  global: 'a public address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address',
  shared: 'a carrier-grade NAT address',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'a documentation address',
  benchmarking: 'a benchmarking address',
  reserved: 'a reserved address',
};

/** An IPv6 range whose last 32 bits (or bits 16–48 for 6to4) are an IPv4 address. */
type Embeds = 'v4-last' | 'v4-6to4';

interface Range<K> {
  base: bigint;
  bits: number;
  kind: K;
}

function v4(text: string): bigint {
  return text.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

function v6(text: string): bigint {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  let words: string[] = groups(head);
  if (tail !== undefined) {
    const back = groups(tail);
    words = [...words, ...Array<string>(8 - words.length - back.length).fill('0'), ...back];
  }
  return words.reduce((n, w) => (n << 16n) | BigInt(parseInt(w, 16)), 0n);
}

const V4_RANGES: Range<AddressKind>[] = (
  [
    ['0.0.0.0', 8, 'unspecified'], // "this network"
    ['10.0.0.0', 8, 'private'],
    ['100.64.0.0', 10, 'shared'],
    ['127.0.0.0', 8, 'loopback'],
    ['169.254.0.0', 16, 'link-local'],
    ['172.16.0.0', 12, 'private'],
    ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
    ['192.0.2.0', 24, 'documentation'],
    ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast, deprecated
    ['192.168.0.0', 16, 'private'],
    ['198.18.0.0', 15, 'benchmarking'],
    ['198.51.100.0', 24, 'documentation'],
    ['203.0.113.0', 24, 'documentation'],
    ['224.0.0.0', 4, 'multicast'],
    ['255.255.255.255', 32, 'broadcast'],
    ['240.0.0.0', 4, 'reserved'],
  ] as const
).map(([base, bits, kind]) => ({ base: v4(base), bits, kind }));

/** Checked in order; an address in none of them is global only inside 2000::/3. */
const V6_RANGES: Range<AddressKind | Embeds>[] = (
  [
    ['::', 128, 'unspecified'],
    ['::1', 128, 'loopback'],
    ['::ffff:0:0', 96, 'v4-last'], // IPv4-mapped
    ['64:ff9b::', 96, 'v4-last'], // NAT64 well-known prefix
    ['64:ff9b:1::', 48, 'reserved'], // NAT64 local use
    ['100::', 64, 'reserved'], // discard-only
    ['2001:db8::', 32, 'documentation'],
    ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo among them
    ['2002::', 16, 'v4-6to4'],
    ['3fff::', 20, 'documentation'],
    ['5f00::', 16, 'reserved'], // SRv6 SIDs
    ['fc00::', 7, 'unique-local'],
    ['fe80::', 10, 'link-local'],
    ['fec0::', 10, 'reserved'], // site-local, deprecated
    ['ff00::', 8, 'multicast'],
  ] as const
).map(([base, bits, kind]) => ({ base: v6(base), bits, kind }));

const GLOBAL_UNICAST_V6: Range<'global'> = { base: v6('2000::'), bits: 3, kind: 'global' };

function within(value: bigint, width: number, r: Range<unknown>): boolean {
  const shift = BigInt(width - r.bits);
  return value >> shift === r.base >> shift;
}

function classifyV4(value: bigint): AddressKind {
  return V4_RANGES.find((r) => within(value, 32, r))?.kind ?? 'global';
}

/** `[::1]` (a URL's hostname) and `fe80::1%eth0` (a zone) are taken as the plain address. */
function bare(address: string): string {
  const unbracketed =
    address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  return unbracketed.split('%')[0];
}

/** The kind of an IP address, or null when `address` is not an IP address (a host name). */
export function classifyAddress(address: string): AddressKind | null {
  const text = bare(address);
  if (isIPv4(text)) return classifyV4(v4(text));
  if (!isIPv6(text)) return null;
  // A trailing dotted quad (::ffff:127.0.0.1) is the last two words.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const value = dotted ? (v6(`${dotted[1]}0:0`) & ~0xffffffffn) | v4(dotted[2]) : v6(text);
  const range = V6_RANGES.find((r) => within(value, 128, r));
  if (range?.kind === 'v4-last') return classifyV4(value & 0xffffffffn);
  if (range?.kind === 'v4-6to4') return classifyV4((value >> 80n) & 0xffffffffn);
  if (range) return range.kind;
  return within(value, 128, GLOBAL_UNICAST_V6) ? 'global' : 'reserved';
}

/** Whether a server of ours may connect to `address` for a stranger. */
export function isGlobalAddress(address: string): boolean {
  return classifyAddress(address) === 'global';
}
