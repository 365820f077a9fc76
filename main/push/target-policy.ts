import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Why a webhook target is refused, worded for the client that registered it. */
export type TargetCheck = { ok: true } | { ok: false; reason: string };

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

/**
 * Every range of IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and their
 * updates), plus multicast: none is a public web server a webhook should reach. Some of them are
 * routable (AS112, AMT), but none serves webhooks, and those that embed an IPv4 address (NAT64,
 * 6to4, Teredo, the deprecated IPv4-compatible ::a.b.c.d) would let a gateway reach a private one.
 */
const refusedRanges: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignment'],
  ['192.0.2.0', 24, 'ipv4', 'documentation (TEST-NET-1)'],
  ['192.31.196.0', 24, 'ipv4', 'AS112'],
  ['192.52.193.0', 24, 'ipv4', 'AMT'],
  ['192.88.99.0', 24, 'ipv4', '6to4 relay anycast'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['192.175.48.0', 24, 'ipv4', 'AS112 direct delegation'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation (TEST-NET-2)'],
  ['203.0.113.0', 24, 'ipv4', 'documentation (TEST-NET-3)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 128, 'ipv6', 'unspecified'],
  // ::a.b.c.d, the deprecated IPv4-compatible form: an old stack sends it to the IPv4 host.
  ['::', 96, 'ipv6', 'IPv4-compatible'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['64:ff9b:1::', 48, 'ipv6', 'local-use NAT64'],
  ['100::', 64, 'ipv6', 'discard-only'],
  ['100:0:0:1::', 64, 'ipv6', 'dummy prefix'],
  ['2001::', 23, 'ipv6', 'IETF protocol assignment (Teredo, benchmarking, ORCHID, ...)'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['2002::', 16, 'ipv6', '6to4'],
  ['2620:4f:8000::', 48, 'ipv6', 'AS112 direct delegation'],
  ['3fff::', 20, 'ipv6', 'documentation'],
  ['5f00::', 16, 'ipv6', 'segment routing (SRv6) SID'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const refused = refusedRanges.map(([net, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, label };
});

/** `::ffff:a.b.c.d` and its hex form `::ffff:7f00:1` reach the IPv4 host: judge them as IPv4. */
function unmapped(ip: string): string {
  const lower = ip.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return ip;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return isIP(ip) === 4 ? 'ipv4' : 'ipv6';
}

/** Label of the refused range that holds `ip`, if any. */
export function refusedRangeOf(ip: string): string | undefined {
  const address = unmapped(ip);
  const family = familyOf(address);
  return refused.find((r) => r.family === family && r.list.check(address, family))?.label;
}

function bareHost(hostname: string): string {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

const defaultResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/**
 * Which webhook targets push delivery may reach. Loopback, private, link-local, unspecified
 * (and a few more internal) addresses are refused, because a client could otherwise make this
 * host call services that only trust their own network. `allowlist` entries (host names, IPs,
 * CIDRs) are let through anyway. Every address a name resolves to is checked, not just one.
 */
export function createTargetPolicy(allowlist: readonly string[], resolve: Resolve = defaultResolve) {
  const allowedNames = new Set<string>();
  const allowedAddresses = new BlockList();
  for (const raw of allowlist) {
    const entry = bareHost(raw.trim());
    const [net, prefix, ...rest] = entry.split('/');
    if (prefix !== undefined) {
      const bits = Number(prefix);
      const family = isIP(net!);
      if (!family || rest.length || !/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
        throw new Error(`pushAllowlist entry "${raw}" is not a valid CIDR range.`);
      }
      allowedAddresses.addSubnet(net!, bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (isIP(entry)) {
      allowedAddresses.addAddress(entry, familyOf(entry));
    } else if (entry) {
      allowedNames.add(entry);
    }
  }

  function checkAddress(ip: string): TargetCheck {
    const address = unmapped(ip);
    if (allowedAddresses.check(address, familyOf(address)) || allowedAddresses.check(ip, familyOf(ip))) return { ok: true };
    const range = refusedRangeOf(ip);
    if (!range) return { ok: true };
    return { ok: false, reason: `it points at ${ip}, a ${range} address; push targets must be public unless the host's pushAllowlist names them` };
  }

  /** The URL's syntax and, for an IP literal, its address; a name is checked by `resolveHost`. */
  function checkUrl(raw: string): TargetCheck & { url?: URL } {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'it is not an absolute URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, reason: `its scheme is ${url.protocol.slice(0, -1)}; only http and https are allowed` };
    }
    const host = bareHost(url.hostname);
    if (allowedNames.has(host) || !isIP(host)) return { ok: true, url };
    const check = checkAddress(host);
    return check.ok ? { ok: true, url } : check;
  }

  /** Resolves a host name and checks every address; allowlisted names and IP literals pass through. */
  async function resolveHost(hostname: string): Promise<{ ok: true; addresses: LookupAddress[] } | { ok: false; reason: string }> {
    const host = bareHost(hostname);
    if (isIP(host)) {
      const check = checkAddress(host);
      return check.ok ? { ok: true, addresses: [{ address: host, family: isIP(host) }] } : check;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await resolve(host);
    } catch (err) {
      return { ok: false, reason: `its host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
    if (addresses.length === 0) return { ok: false, reason: `its host ${host} resolves to no address` };
    if (allowedNames.has(host)) return { ok: true, addresses };
    for (const a of addresses) {
      const check = checkAddress(a.address);
      if (!check.ok) return { ok: false, reason: `its host ${host} ${check.reason.replace(/^it /, '')}` };
    }
    return { ok: true, addresses };
  }

  return { checkUrl, checkAddress, resolveHost };
}

export type TargetPolicy = ReturnType<typeof createTargetPolicy>;
