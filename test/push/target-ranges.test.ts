import { describe, expect, it } from 'vitest';
import { createTargetPolicy, refusedRangeOf } from '../../main/push/target-policy';

/** One address in each special-purpose range (IANA's IPv4 and IPv6 registries) and what it is called. */
const special: [string, string][] = [
  ['0.1.2.3', 'unspecified'],
  ['10.9.8.7', 'private'],
  ['100.64.0.1', 'shared'],
  ['127.0.0.1', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.31.255.255', 'private'],
  ['192.0.0.9', 'IETF protocol assignment'],
  ['192.0.2.10', 'documentation'],
  ['192.31.196.1', 'AS112'],
  ['192.52.193.1', 'AMT'],
  ['192.88.99.1', '6to4 relay'],
  ['192.168.1.1', 'private'],
  ['192.175.48.1', 'AS112'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.254', 'benchmarking'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.200', 'documentation'],
  ['224.0.0.251', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::a9fe:a9fe', 'IPv4-compatible'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['64:ff9b::7f00:1', 'NAT64'],
  ['64:ff9b:1::1', 'NAT64'],
  ['100::1', 'discard-only'],
  ['100:0:0:1::1', 'dummy prefix'],
  ['2001::1', 'IETF protocol assignment'],
  ['2001:2::1', 'IETF protocol assignment'],
  ['2001:db8::1', 'documentation'],
  ['2002:7f00:1::', '6to4'],
  ['2620:4f:8000::1', 'AS112'],
  ['3fff::1', 'documentation'],
  ['5f00::1', 'segment routing'],
  ['fd00::1', 'private'],
  ['fe80::1', 'link-local'],
  ['ff02::1', 'multicast'],
];

const publicAddresses = ['1.1.1.1', '8.8.8.8', '93.184.215.14', '198.20.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '::ffff:8.8.8.8'];

describe('webhook target ranges', () => {
  it.each(special)('refuses %s (%s)', (ip, label) => {
    expect(refusedRangeOf(ip)).toContain(label);
    const check = createTargetPolicy([]).checkUrl(`http://${ip.includes(':') ? `[${ip}]` : ip}/hook`);
    expect(check.ok).toBe(false);
  });

  it('lets public addresses through, and an allowlisted special one', () => {
    for (const ip of publicAddresses) expect(refusedRangeOf(ip), ip).toBeUndefined();
    expect(createTargetPolicy(['198.18.0.0/15']).checkUrl('http://198.18.0.5/hook').ok).toBe(true);
  });
});
