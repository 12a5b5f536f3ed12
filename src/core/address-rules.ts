import ipaddr from "ipaddr.js";
import { embeddedIpv4 } from "./embedded-ipv4.ts";
import type { Family } from "./family.ts";

/**
 * The pure rule for which addresses may be published, shared by every source (see CONTRACT "Which addresses are
 * published"). Parsing and range tables come from ipaddr.js; the allow-lists below are ours.
 */

// Ranges ipaddr.js reports that still serve on the public internet.
const PUBLIC_V4 = new Set(["unicast", "as112", "amt"]);
const PUBLIC_V6 = new Set(["unicast", "6to4", "teredo", "amt", "as112v6"]);
// Allowed only with DDNS_ALLOW_PRIVATE_ADDRESSES=true (split-horizon or LAN-only zones).
const PRIVATE_V4 = new Set(["private", "carrierGradeNat"]);
const PRIVATE_V6 = new Set(["uniqueLocal"]);
// Documentation ranges count as public so that tests and examples can use them (RFC 5737, RFC 3849).
const DOCUMENTATION: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [
  ipaddr.parseCIDR("192.0.2.0/24"),
  ipaddr.parseCIDR("198.51.100.0/24"),
  ipaddr.parseCIDR("203.0.113.0/24"),
  ipaddr.parseCIDR("2001:db8::/32"),
];

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const PLAIN_QUAD = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);

export type ParsedAddress = { family: Family; address: string; range: string };

/**
 * Parses one textual address strictly: dotted-quad IPv4 only (no `0x7f.1` or `127.1` shorthands) and IPv6 without
 * a zone index. Returns the canonical form (RFC 5952 for IPv6) or `undefined`.
 */
export function parseAddress(text: string): ParsedAddress | undefined {
  const t = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) {
    const a = ipaddr.IPv4.parse(t);
    return { family: 4, address: a.toString(), range: rangeOf(a) };
  }
  if (t.includes(":") && !t.includes("%") && ipaddr.IPv6.isValid(t)) {
    const a = ipaddr.IPv6.parse(t);
    return { family: 6, address: a.toString(), range: rangeOf(a) };
  }
  return undefined;
}

/**
 * The canonical spelling of one textual address, by the same strict rules as `parseAddress`, without its range:
 * comparing two addresses needs no range, and looking one up (ipaddr.js walks its special-range tables, building
 * objects as it goes) made most of a 1000-record round's planning garbage (docs/memory.md).
 */
export function canonicalOf(text: string): string | undefined {
  const t = text.trim();
  // A dotted quad of 0–255 without leading zeros is its own canonical form: no parse (ipaddr.js builds a match array
  // per format it tries, an octet array and an object per address).
  if (PLAIN_QUAD.test(t)) return t;
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t).toString();
  if (t.includes(":") && !t.includes("%") && ipaddr.IPv6.isValid(t)) return ipaddr.IPv6.parse(t).toString();
  return undefined;
}

function rangeOf(a: ipaddr.IPv4 | ipaddr.IPv6): string {
  for (const [net, bits] of DOCUMENTATION) {
    if (a.kind() === net.kind() && a.match(net, bits)) return "documentation";
  }
  return a.range();
}

export type Verdict = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Whether `text` is an address of `family` that may be published. The reason, when not, is a short phrase
 * for operator messages, e.g. `"10.0.0.1" is a private address`.
 */
function allowed(range: string, family: Family, options: { allowPrivate: boolean }): boolean {
  if (range === "documentation" || (family === 4 ? PUBLIC_V4 : PUBLIC_V6).has(range)) return true;
  return options.allowPrivate && (family === 4 ? PRIVATE_V4 : PRIVATE_V6).has(range);
}

/**
 * An IPv6 address that wraps an IPv4 one is judged by that one too: a 6to4 or Teredo address built on a private
 * IPv4 address is no more reachable than the private address. NAT64 and IPv4-compatible addresses are never this
 * host's own. Returns the reason to refuse, or undefined.
 */
function refuseEmbedded(quoted: string, a: ipaddr.IPv6, range: string, options: { allowPrivate: boolean }): string | undefined {
  const embedded = embeddedIpv4(a, range);
  if (!embedded) return undefined;
  const first = embedded.addresses[0]!.address.toString();
  if (embedded.kind === "nat64") return `${quoted} is a NAT64 address (64:ff9b::/96) standing for ${first}: it belongs to a translator, not to this host, and cannot be published`;
  if (embedded.kind === "ipv4Compatible") return `${quoted} is a deprecated IPv4-compatible address (::/96) embedding ${first}, which cannot be published`;
  for (const { role, address } of embedded.addresses) {
    const v4Range = rangeOf(address);
    if (allowed(v4Range, 4, options)) continue;
    const what = embedded.kind === "6to4" ? `a 6to4 address built on ${address},` : `a Teredo address whose ${role} address ${address} is`;
    return `${quoted} is ${what} ${describeRange(v4Range)}: it cannot be published`;
  }
  return undefined;
}

export function checkPublishable(text: string, family: Family, options: { allowPrivate: boolean }): Verdict {
  const parsed = parseAddress(text);
  const quoted = JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
  if (!parsed) return { ok: false, reason: `${quoted} is not an IP address` };
  if (parsed.family !== family) return { ok: false, reason: `${quoted} is an IPv${parsed.family} address, not IPv${family}` };
  if (family === 6) {
    const refused = refuseEmbedded(quoted, ipaddr.IPv6.parse(parsed.address), parsed.range, options);
    if (refused !== undefined) return { ok: false, reason: refused };
  }
  if (allowed(parsed.range, family, options)) return { ok: true, address: parsed.address };
  return { ok: false, reason: `${quoted} is ${describeRange(parsed.range)}, which cannot be published` };
}

const RANGE_WORDS: Record<string, string> = {
  private: "a private (RFC 1918) address",
  carrierGradeNat: "a carrier-grade NAT (100.64.0.0/10) address",
  loopback: "a loopback address",
  linkLocal: "a link-local address",
  uniqueLocal: "a unique-local (fc00::/7) address",
  multicast: "a multicast address",
  unspecified: "the unspecified address",
  broadcast: "the broadcast address",
  ipv4Mapped: "an IPv4-mapped IPv6 address",
};

const describeRange = (range: string) => RANGE_WORDS[range] ?? `a reserved address (${range})`;
