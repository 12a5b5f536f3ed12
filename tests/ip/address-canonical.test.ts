import { describe, expect, it } from "bun:test";
import { canonicalOf, parseAddress } from "../../src/core/address-rules.ts";
import { canonicalAddress, sameAddress } from "../../src/providers/kit/record-plan.ts";

describe("canonicalOf: an address's canonical spelling, by parseAddress's strict rules, without a range lookup", () => {
  it.each([
    { name: "a plain dotted quad", text: "203.0.113.7", canonical: "203.0.113.7" },
    { name: "the highest octets", text: "255.255.255.255", canonical: "255.255.255.255" },
    { name: "zeros", text: "0.0.0.0", canonical: "0.0.0.0" },
    { name: "surrounding blanks", text: " 192.0.2.1\n", canonical: "192.0.2.1" },
    { name: "an octet above 255", text: "192.0.2.256", canonical: undefined },
    { name: "a leading zero (octal in some parsers)", text: "192.0.2.010", canonical: undefined },
    { name: "three parts", text: "192.0.2", canonical: undefined },
    { name: "five parts", text: "192.0.2.1.5", canonical: undefined },
    { name: "a hexadecimal part", text: "0x7f.0.0.1", canonical: undefined },
    { name: "IPv6 in a long spelling", text: "2001:0db8:0:0::1", canonical: "2001:db8::1" },
    { name: "IPv4-mapped IPv6", text: "::ffff:192.0.2.1", canonical: "::ffff:c000:201" },
    { name: "an IPv6 zone index", text: "fe80::1%eth0", canonical: undefined },
    { name: "text that is no address", text: "example.com", canonical: undefined },
  ])("reads $name as parseAddress does", ({ text, canonical }) => {
    expect({ canonicalOf: canonicalOf(text), parseAddress: parseAddress(text)?.address }).toEqual({ canonicalOf: canonical, parseAddress: canonical });
  });

  it.each([
    { name: "two spellings of one IPv6 address", a: "2001:db8::1", b: "2001:0db8:0:0::1", same: true },
    { name: "the same IPv4 address with a blank", a: "192.0.2.1", b: " 192.0.2.1", same: true },
    { name: "two IPv4 addresses", a: "192.0.2.1", b: "192.0.2.10", same: false },
    { name: "an address and text", a: "192.0.2.1", b: "foo", same: false },
    { name: "equal text that is no address", a: " foo", b: "foo ", same: true },
  ])("sameAddress compares $name", ({ a, b, same }) => {
    expect(sameAddress(a, b)).toBe(same);
  });

  it("canonicalAddress spells IPv6 canonically and leaves other text trimmed", () => {
    expect([canonicalAddress("2001:0DB8::0001"), canonicalAddress(" 192.0.2.1 "), canonicalAddress(" text ")]).toEqual(["2001:db8::1", "192.0.2.1", "text"]);
  });
});
