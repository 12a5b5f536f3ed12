import ipaddr from "ipaddr.js";

/**
 * IPv4 addresses carried inside an IPv6 address, for the kinds of embedding ipaddr.js knows the ranges of:
 * - 6to4 (2002::/16, RFC 3056): bits 16–47 are the site's IPv4 address, which must be a public one;
 * - Teredo (2001::/32, RFC 4380): bits 32–63 are the Teredo server's IPv4 address and bits 96–127 the client's
 *   public (NAT-mapped) IPv4 address with every bit inverted; both are public on a working Teredo address;
 * - NAT64 (64:ff9b::/96, RFC 6052): the low 32 bits are the IPv4 host a translator stands in for;
 * - IPv4-compatible (::a.b.c.d, ::/96, deprecated by RFC 4291): the low 32 bits.
 * (IPv4-mapped ::ffff:a.b.c.d and the other translation ranges are refused as a whole by address-rules.ts.)
 */
export type EmbeddingKind = "6to4" | "teredo" | "nat64" | "ipv4Compatible";

export interface Embedded {
  kind: EmbeddingKind;
  /** The embedded addresses with what each is (`server`, `client`, or the kind itself). */
  addresses: Array<{ role: string; address: ipaddr.IPv4 }>;
}

const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

const NAT64 = ipaddr.parseCIDR("64:ff9b::/96") as [ipaddr.IPv6, number];

/** True for ::a.b.c.d: the first 96 bits zero, and not `::` or `::1` (which have ranges of their own). */
function isIpv4Compatible(a: ipaddr.IPv6): boolean {
  const p = a.parts;
  return p.slice(0, 6).every((x) => x === 0) && !(p[6] === 0 && (p[7] === 0 || p[7] === 1));
}

export function embeddedIpv4(a: ipaddr.IPv6, range: string): Embedded | undefined {
  const p = a.parts as [number, number, number, number, number, number, number, number];
  if (range === "6to4") return { kind: "6to4", addresses: [{ role: "6to4", address: v4(p[1], p[2]) }] };
  if (range === "teredo") {
    return { kind: "teredo", addresses: [{ role: "server", address: v4(p[2], p[3]) }, { role: "client", address: v4(p[6] ^ 0xffff, p[7] ^ 0xffff) }] };
  }
  if (a.match(NAT64)) return { kind: "nat64", addresses: [{ role: "nat64", address: v4(p[6], p[7]) }] };
  if (isIpv4Compatible(a)) return { kind: "ipv4Compatible", addresses: [{ role: "ipv4Compatible", address: v4(p[6], p[7]) }] };
  return undefined;
}
