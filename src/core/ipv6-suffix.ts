import ipaddr from "ipaddr.js";
import { quote } from "./quote.ts";

/**
 * Per-record IPv6 suffixes (`ipv6_suffix` in a record's braces): the record's AAAA is the detected address's first
 * `prefixLength` bits (DDNS_IPV6_PREFIX_LENGTH, default 64) followed by the suffix's remaining bits, so that one
 * detected prefix serves every host of the LAN. A suffix is written as an IPv6 address holding only the interface
 * identifier (`::11:22ff:fe33:4455`) or as `mac(aa:bb:cc:dd:ee:ff)`, the modified EUI-64 of RFC 4291 appendix A.
 */
export interface Ipv6Suffix {
  /** As written, for `ddnsd check` and messages. */
  text: string;
  /** The suffix as a canonical IPv6 address (its first `prefixLength` bits are zero). */
  identifier: string;
  prefixLength: number;
}

export const DEFAULT_IPV6_PREFIX_LENGTH = 64;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;

/** The modified EUI-64 interface identifier of a 48-bit MAC: the U/L bit flipped, `ff:fe` inserted in the middle. */
export function macInterfaceId(mac: string): string | undefined {
  const t = mac.trim();
  if (!MAC.test(t)) return undefined;
  const b = t.split(/[:-]/).map((h) => Number.parseInt(h, 16));
  const bytes = [...new Array<number>(8).fill(0), b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  return ipaddr.fromByteArray(bytes).toString();
}

/** The number of leading bits of `bytes` that must be zero and are not, or undefined when none is set. */
function firstSetBit(bytes: number[], within: number): number | undefined {
  for (let bit = 0; bit < within; bit++) {
    if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) return bit;
  }
  return undefined;
}

/**
 * Reads one `ipv6_suffix` value against the prefix length. The reason completes the sentence "ipv6_suffix …" and
 * says what to write instead.
 */
export function parseIpv6Suffix(text: string, prefixLength: number): Parsed<Ipv6Suffix> {
  const t = text.trim();
  const quoted = quote(t, 60);
  const mac = /^mac\((.*)\)$/i.exec(t);
  let identifier: string;
  if (mac) {
    const id = macInterfaceId(mac[1]!);
    if (id === undefined) return { ok: false, reason: `${quoted} is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits` };
    identifier = id;
  } else if (t.includes(":") && !t.includes("%") && ipaddr.IPv6.isValid(t)) {
    identifier = ipaddr.IPv6.parse(t).toString();
  } else {
    return { ok: false, reason: `${quoted} is neither an interface identifier such as ::11:22ff:fe33:4455 nor mac(aa:bb:cc:dd:ee:ff)` };
  }
  const set = firstSetBit(ipaddr.IPv6.parse(identifier).toByteArray(), prefixLength);
  if (set !== undefined) {
    const what = mac ? `${quoted} is the interface identifier ${identifier}, which` : quoted;
    if (prefixLength === 128) return { ok: false, reason: `${what} sets bits although DDNS_IPV6_PREFIX_LENGTH=128 takes the whole address from the detected one: set a shorter prefix length, usually 64` };
    return {
      ok: false,
      reason: `${what} sets bit ${set + 1}, inside the ${prefixLength}-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=${prefixLength}): write only the last ${128 - prefixLength} bits, e.g. ::11:22ff:fe33:4455`,
    };
  }
  return { ok: true, value: { text: t, identifier, prefixLength } };
}

/** The detected address's first `prefixLength` bits followed by the suffix's remaining bits, canonical (RFC 5952). */
export function applyIpv6Suffix(address: string, suffix: Ipv6Suffix): string {
  const base = ipaddr.IPv6.parse(address).toByteArray();
  const tail = ipaddr.IPv6.parse(suffix.identifier).toByteArray();
  const out = base.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, suffix.prefixLength - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    return (byte & mask) | (tail[i]! & ~mask & 0xff);
  });
  return ipaddr.fromByteArray(out).toString();
}
