import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

// Private, loopback, link-local (cloud metadata lives at 169.254.169.254), CGNAT, multicast,
// reserved and documentation ranges: never fetched unless private addresses are allowed.
const BLOCKED = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  BLOCKED.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
  ["fec0::", 10],
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215): whatever it translates to is inside
  // Tunnels that carry an IPv4 address a relay would forward to: 6to4 (RFC 3056) and Teredo
  // (RFC 4380). Both are deprecated on the public internet, so the whole prefix is refused.
  ["2002::", 16],
  ["2001::", 32],
  ["2001:2::", 48], // 6to4, Teredo, benchmarking
] as const)
  BLOCKED.addSubnet(net, bits, "ipv6");

/** True for addresses that are not on the public internet. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return BLOCKED.check(ip, "ipv4");
  if (family !== 6) return true;
  // IPv4-mapped, -compatible, -translated and NAT64 forms carry an IPv4 address: judge that
  // one. URLs always write them in hex (http://[::ffff:127.0.0.1]/ is [::ffff:7f00:1]).
  const embedded = embeddedIpv4(ip);
  if (embedded) return isPrivateAddress(embedded);
  return BLOCKED.check(ip.toLowerCase(), "ipv6");
}

/**
 * The IPv4 address inside ::a.b.c.d, ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d (dotted or
 * hex) and an ISATAP interface id (…:0:5efe:a.b.c.d, …:200:5efe:a.b.c.d, RFC 5214), else null.
 * 6to4 and Teredo carry one too, but their whole prefixes are refused (BLOCKED above).
 */
function embeddedIpv4(ip: string): string | null {
  const w = ipv6Words(ip);
  if (!w) return null;
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  const ipv4In =
    (zero(0, 5) && (w[5] === 0 || w[5] === 0xffff)) || // compatible, mapped
    (zero(0, 4) && w[4] === 0xffff && w[5] === 0) || // translated
    (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) || // NAT64 well-known prefix
    ((w[4] === 0 || w[4] === 0x200) && w[5] === 0x5efe); // ISATAP
  if (!ipv4In) return null;
  const [hi, lo] = [w[6] as number, w[7] as number];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The eight 16-bit words of an IPv6 address (isIP already said it is one). */
function ipv6Words(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const words = (part: string | undefined) => (part ? part.split(":").map((h) => Number.parseInt(h, 16)) : []);
  const front = words(head);
  const back = words(tail);
  const all = tail === undefined ? front : [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return all.length === 8 && all.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? all : null;
}

export class AddressRefusedError extends Error {
  readonly code = "ADDRESS_REFUSED";
  constructor(host: string, ip: string) {
    super(`refused to fetch ${host}: ${ip} is a private, loopback or link-local address (allow with --allow-private)`);
    this.name = "AddressRefusedError";
  }
}

/** Strips the brackets of an IPv6 URL host. */
export function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** A `lookup` for http(s).request that refuses private addresses: it checks the address actually connected to. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(new AddressRefusedError(hostname, refused.address));
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }));
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/** Resolves a host and throws AddressRefusedError when any of its addresses is private (for the browser's requests). */
export async function checkHost(hostname: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = bareHost(hostname);
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw new AddressRefusedError(host, host);
    return;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, a) => (err ? reject(err) : resolve(a))),
  );
  const refused = addresses.find((a) => isPrivateAddress(a.address));
  if (refused) throw new AddressRefusedError(host, refused.address);
}
