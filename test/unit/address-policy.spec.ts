import {
  type AddressKind,
  classifyAddress,
  isGlobalAddress,
} from '../../src/common/net/address-policy';

/** [address, kind]: every special-purpose range at its edges, and public neighbours. */
const ADDRESSES: [string, AddressKind][] = [
  // IPv4
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['1.1.1.1', 'global'],
  ['8.8.8.8', 'global'],
  ['9.255.255.255', 'global'],
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['11.0.0.0', 'global'],
  ['100.63.255.255', 'global'],
  ['100.64.0.0', 'shared'],
  ['100.100.100.200', 'shared'], // a cloud's metadata service
  ['100.127.255.255', 'shared'],
  ['100.128.0.0', 'global'],
  ['114.114.114.114', 'global'],
  ['126.255.255.255', 'global'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['128.0.0.0', 'global'],
  ['169.253.255.255', 'global'],
  ['169.254.0.0', 'link-local'],
  ['169.254.169.254', 'link-local'], // cloud metadata
  ['169.255.0.0', 'global'],
  ['172.15.255.255', 'global'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', 'global'],
  ['192.0.0.8', 'reserved'],
  ['192.0.1.255', 'global'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', 'reserved'],
  ['192.167.255.255', 'global'],
  ['192.168.0.0', 'private'],
  ['192.168.255.255', 'private'],
  ['192.169.0.0', 'global'],
  ['198.17.255.255', 'global'],
  ['198.18.0.0', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.20.0.0', 'global'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['223.5.5.5', 'global'],
  ['223.255.255.255', 'global'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  // IPv6
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:0', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::2', 'reserved'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:7F00:0001', 'loopback'],
  ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['::ffff:8.8.8.8', 'global'],
  ['::127.0.0.1', 'reserved'], // IPv4-compatible, deprecated
  ['::ffff:0:127.0.0.1', 'reserved'], // IPv4-translated
  ['64:ff9b::127.0.0.1', 'loopback'], // NAT64
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::a00:1', 'private'],
  ['64:ff9b::c0a8:101', 'private'],
  ['64:ff9b::808:808', 'global'],
  ['64:ff9b:1::1', 'reserved'],
  ['100::1', 'reserved'],
  ['2001::1', 'reserved'], // Teredo
  ['2001:1ff:ffff::1', 'reserved'],
  ['2001:200::1', 'global'],
  ['2001:db8::1', 'documentation'],
  ['2001:4860:4860::8888', 'global'],
  ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
  ['2002:a00:1::1', 'private'],
  ['2002:c0a8:101::1', 'private'],
  ['2002:808:808::1', 'global'],
  ['2400:3200::1', 'global'],
  ['2606:4700:4700::1111', 'global'],
  ['3fff::1', 'documentation'],
  ['3fff:fff::1', 'documentation'],
  ['3fff:1000::1', 'global'],
  ['1fff:ffff::1', 'reserved'],
  ['4000::1', 'reserved'],
  ['5f00::1', 'reserved'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456:789a::1', 'unique-local'],
  ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'reserved'],
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'multicast'],
];

/** [URL, kind of its parsed hostname]: numeric spellings WHATWG URL parsing normalises. */
const URLS: [string, AddressKind][] = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://017700000001/', 'loopback'],
  ['http://0177.0.0.1/', 'loopback'],
  ['http://0x7f.0x0.0x0.0x1/', 'loopback'],
  ['http://127.1/', 'loopback'],
  ['http://127.0.1/', 'loopback'],
  ['http://127.0.0.1./', 'loopback'],
  ['http://%31%32%37.0.0.1/', 'loopback'],
  ['http://１２７.０.０.１/', 'loopback'], // full-width digits
  ['http://0/', 'unspecified'],
  ['http://[::]/', 'unspecified'],
  ['http://[::1]:8080/', 'loopback'],
  ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ['http://[0:0:0:0:0:ffff:7f00:1]/', 'loopback'],
  ['http://[64:ff9b::127.0.0.1]/', 'loopback'],
  ['http://[2002:7f00:1::]/', 'loopback'],
  ['http://169.254.169.254/latest/meta-data/', 'link-local'],
  ['http://0xa9.0xfe.0xa9.0xfe/', 'link-local'],
  ['http://2852039166/', 'link-local'],
  ['http://[fd00:ec2::254]/', 'unique-local'],
  ['http://[fe80::1]/', 'link-local'],
  ['http://3232235777/', 'private'],
  ['http://10.1/', 'private'],
  ['http://100.100.100.200/', 'shared'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://255.255.255.255/', 'broadcast'],
  ['https://8.8.8.8/hook', 'global'],
  ['https://[2400:3200::1]/hook', 'global'],
];

describe('address policy', () => {
  it.each(ADDRESSES)('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
    expect(isGlobalAddress(address)).toBe(kind === 'global');
  });

  it.each(URLS)('the host of %s is %s', (url, kind) => {
    expect(classifyAddress(new URL(url).hostname)).toBe(kind);
  });

  it.each(['example.org', 'localhost', '127.0.0.1.nip.io', '', '1.2.3', '256.0.0.1', '::g', '[]'])(
    '%j is not an IP address',
    (host) => {
      expect(classifyAddress(host)).toBeNull();
      expect(isGlobalAddress(host)).toBe(false);
    },
  );
});
