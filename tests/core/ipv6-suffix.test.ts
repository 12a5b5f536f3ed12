import { describe, expect, it } from "bun:test";
import { applyIpv6Suffix, macInterfaceId, parseIpv6Suffix } from "../../src/core/ipv6-suffix.ts";

const DETECTED = "2001:db8:1:2:3:4:5:6";

describe("IPv6 suffixes: the record's AAAA from the detected prefix", () => {
  it.each([
    { name: "an interface identifier after a /64", suffix: "::11:22ff:fe33:4455", prefixLength: 64, expected: "2001:db8:1:2:11:22ff:fe33:4455" },
    { name: "a short identifier", suffix: "::1234", prefixLength: 64, expected: "2001:db8:1:2::1234" },
    { name: "upper case is read and written canonically", suffix: "::ABCD:EF01", prefixLength: 64, expected: "2001:db8:1:2::abcd:ef01" },
    { name: "a MAC: modified EUI-64, U/L bit flipped (aa → a8), ff:fe inserted", suffix: "mac(aa:bb:cc:dd:ee:ff)", prefixLength: 64, expected: "2001:db8:1:2:a8bb:ccff:fedd:eeff" },
    { name: "a MAC whose U/L bit is clear gets it set (00 → 02)", suffix: "mac(00:11:22:33:44:55)", prefixLength: 64, expected: "2001:db8:1:2:211:22ff:fe33:4455" },
    { name: "a MAC with dashes and upper case", suffix: "MAC(02-00-5E-10-00-01)", prefixLength: 64, expected: "2001:db8:1:2:0:5eff:fe10:1" },
    { name: "a /56 takes the subnet byte from the suffix", suffix: "::1:0:0:0:1", prefixLength: 56, expected: "2001:db8:1:1::1" },
    { name: "a /60 keeps the first nibble of the subnet byte", suffix: "::a:0:0:0:5", prefixLength: 60, expected: "2001:db8:1:a::5" },
    { name: "a prefix length inside a byte (/63) keeps the detected bits above it", suffix: "::1:0:0:0:7", prefixLength: 63, expected: "2001:db8:1:3::7" },
    { name: "a /48 replaces the whole subnet id", suffix: "::42:0:0:0:1", prefixLength: 48, expected: "2001:db8:1:42::1" },
    { name: "a /127 sets only the last bit", suffix: "::1", prefixLength: 127, expected: "2001:db8:1:2:3:4:5:7" },
    { name: "the zero suffix gives the subnet's first address", suffix: "::", prefixLength: 64, expected: "2001:db8:1:2::" },
    { name: "a /128 with the zero suffix is the detected address", suffix: "::", prefixLength: 128, expected: DETECTED },
  ])("$name", ({ suffix, prefixLength, expected }) => {
    const parsed = parseIpv6Suffix(suffix, prefixLength);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(applyIpv6Suffix(DETECTED, parsed.value)).toBe(expected);
  });

  it.each([
    { name: "a suffix with bits inside the /64", suffix: "2001:db8::1", prefixLength: 64, reason: '"2001:db8::1" sets bit 3, inside the 64-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=64): write only the last 64 bits, e.g. ::11:22ff:fe33:4455' },
    { name: "a suffix one bit into the prefix", suffix: "::1:0:0:0:0", prefixLength: 64, reason: '"::1:0:0:0:0" sets bit 64, inside the 64-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=64): write only the last 64 bits, e.g. ::11:22ff:fe33:4455' },
    { name: "a MAC with a prefix longer than 64", suffix: "mac(aa:bb:cc:dd:ee:ff)", prefixLength: 80, reason: '"mac(aa:bb:cc:dd:ee:ff)" is the interface identifier ::a8bb:ccff:fedd:eeff, which sets bit 65, inside the 80-bit prefix taken from the detected address (DDNS_IPV6_PREFIX_LENGTH=80): write only the last 48 bits, e.g. ::11:22ff:fe33:4455' },
    { name: "any bit with a /128", suffix: "::5", prefixLength: 128, reason: '"::5" sets bits although DDNS_IPV6_PREFIX_LENGTH=128 takes the whole address from the detected one: set a shorter prefix length, usually 64' },
    { name: "a MAC of five octets", suffix: "mac(aa:bb:cc:dd:ee)", prefixLength: 64, reason: '"mac(aa:bb:cc:dd:ee)" is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits' },
    { name: "a MAC with a non-hex digit", suffix: "mac(aa:bb:cc:dd:ee:fg)", prefixLength: 64, reason: '"mac(aa:bb:cc:dd:ee:fg)" is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits' },
    { name: "a MAC with mixed separators", suffix: "mac(aa:bb-cc:dd:ee:ff)", prefixLength: 64, reason: '"mac(aa:bb-cc:dd:ee:ff)" is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits' },
    { name: "an empty MAC", suffix: "mac()", prefixLength: 64, reason: '"mac()" is not a MAC address: write mac(aa:bb:cc:dd:ee:ff), six pairs of hex digits' },
    { name: "a bare hex number", suffix: "1234", prefixLength: 64, reason: '"1234" is neither an interface identifier such as ::11:22ff:fe33:4455 nor mac(aa:bb:cc:dd:ee:ff)' },
    { name: "an IPv4 address", suffix: "0.0.0.5", prefixLength: 64, reason: '"0.0.0.5" is neither an interface identifier such as ::11:22ff:fe33:4455 nor mac(aa:bb:cc:dd:ee:ff)' },
    { name: "a zone index", suffix: "::1%eth0", prefixLength: 64, reason: '"::1%eth0" is neither an interface identifier such as ::11:22ff:fe33:4455 nor mac(aa:bb:cc:dd:ee:ff)' },
  ])("refuses $name", ({ suffix, prefixLength, reason }) => {
    expect(parseIpv6Suffix(suffix, prefixLength)).toEqual({ ok: false, reason });
  });

  it("gives RFC 4291 appendix A's example: 34-56-78-9A-BC-DE → 3656:78ff:fe9a:bcde", () => {
    expect(macInterfaceId("34-56-78-9A-BC-DE")).toBe("::3656:78ff:fe9a:bcde");
  });
});
