/**
 * Keeps webhooks off internal hosts: a destination's addresses (resolved at start and again at each connection, so a
 * name re-pointed later is caught too) must not be private, loopback, link-local, unique-local, shared, multicast or
 * reserved, nor an IPv4-mapped form of one, unless WEBHOOK_ALLOW_PRIVATE allows the host or the address.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { RedressError } from '../core/errors.ts';
import type { WebhookDestination } from './config.ts';

const INTERNAL_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const INTERNAL_V6 = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const;

// No ::ffff:0:0/96 rule: BlockList matches IPv4 addresses against it too. Mapped addresses are judged by mappedV4.
const internal = new BlockList();
for (const [a, bits] of INTERNAL_V4) internal.addSubnet(a, bits, 'ipv4');
for (const [a, bits] of INTERNAL_V6) internal.addSubnet(a, bits, 'ipv6');

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:xxxx:yyyy) stands for, if it is one. */
function mappedV4(address: string): string | undefined {
  const m = /^::ffff:(?:(\d{1,3}(?:\.\d{1,3}){3})|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Which destinations WEBHOOK_ALLOW_PRIVATE lets through: host names, addresses and CIDR blocks. */
export class AddressPolicy {
  private readonly hosts = new Set<string>();
  private readonly allowed = new BlockList();
  constructor(entries: readonly string[] = []) {
    for (const e of entries) {
      const [a, bits] = e.split('/');
      const family = isIP(a);
      if (!family) this.hosts.add(a.toLowerCase());
      else if (bits !== undefined) this.allowed.addSubnet(a, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      else this.allowed.addAddress(a, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Why `address` (reached as `host`) is refused, or undefined when it may be used. */
  refusal(host: string, address: string): string | undefined {
    if (this.hosts.has(host.toLowerCase())) return undefined;
    // A mapped address is judged by the IPv4 address it reaches.
    const v4 = isIP(address) === 6 ? mappedV4(address) : undefined;
    const a = v4 ?? address;
    const family = isIP(a) === 4 ? 'ipv4' : 'ipv6';
    if (!isIP(a)) return `${address} is not an IP address`;
    if (!internal.check(a, family) || this.allowed.check(a, family)) return undefined;
    return `${host} resolves to ${address}, a private, loopback, link-local or reserved address (allow it in WEBHOOK_ALLOW_PRIVATE)`;
  }

  /** A dns.lookup for http.request that fails the connection when any resolved address is refused. */
  lookup(host: string): typeof dnsLookup {
    const guarded = (hostname: string, options: object, callback: (...a: unknown[]) => void) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err);
        const refused = addresses.map((x) => this.refusal(host, x.address)).find(Boolean);
        if (refused) return callback(Object.assign(new Error(refused), { code: 'WEBHOOK_REFUSED' }));
        const all = (options as { all?: boolean }).all;
        if (all) return callback(null, addresses);
        return callback(null, addresses[0].address, addresses[0].family);
      });
    };
    return guarded as unknown as typeof dnsLookup;
  }

  /** Why `url` may not be called, after resolving its host, or undefined when it may. */
  async check(url: string): Promise<string | undefined> {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${url}: only http(s) URLs are accepted`;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return this.refusal(host, host);
    let addresses: LookupAddress[];
    try {
      addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (err, a) => (err ? reject(err) : resolve(a))),
      );
    } catch {
      // A name that does not resolve now is not refused (a CRM's DNS may be down at our start); each send checks again.
      return undefined;
    }
    return addresses.map((x) => this.refusal(host, x.address)).find(Boolean);
  }
}

/**
 * Checks every destination at start: throws CONFIG_INVALID listing each refused one (a private address not
 * allowed), so a webhook cannot quietly point at an internal host.
 */
export async function checkDestinations(list: readonly WebhookDestination[], policy: AddressPolicy): Promise<void> {
  const problems = (
    await Promise.all(
      list.map(async (d) => ((p) => (p ? `WEBHOOKS: ${d.url} refused: ${p}` : undefined))(await policy.check(d.url))),
    )
  ).filter((p): p is string => !!p);
  if (problems.length)
    throw new RedressError('CONFIG_INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      details: problems,
    });
}
