import { describe, expect, it } from "bun:test";
import { MAX_HOSTS, parseAddresses, parseHostnames } from "../../src/update-server/update-query.ts";
import type { Family } from "../../src/core/family.ts";

const q = (text: string) => new URLSearchParams(text);
const BOTH: Family[] = [4, 6];

describe("hostname", () => {
  it.each([
    { name: "one name, normalised", query: "hostname=Home.Example.COM.", expected: { ok: true, hosts: [{ raw: "Home.Example.COM.", name: "home.example.com" }] } },
    { name: "a list with spaces", query: "hostname=a.example.com,%20b.example.com", expected: { ok: true, hosts: [{ raw: "a.example.com", name: "a.example.com" }, { raw: "b.example.com", name: "b.example.com" }] } },
    { name: "IDN to punycode", query: "hostname=bücher.example", expected: { ok: true, hosts: [{ raw: "bücher.example", name: "xn--bcher-kva.example" }] } },
    { name: "single label is not a FQDN", query: "hostname=router", expected: { ok: true, hosts: [{ raw: "router", name: undefined }] } },
    { name: "invalid label", query: "hostname=bad_name!.example.com", expected: { ok: true, hosts: [{ raw: "bad_name!.example.com", name: undefined }] } },
    { name: "missing", query: "myip=203.0.113.1", expected: { ok: false, code: "notfqdn" } },
    { name: "empty", query: "hostname=,,", expected: { ok: false, code: "notfqdn" } },
    { name: "too many", query: `hostname=${Array.from({ length: MAX_HOSTS + 1 }, (_, i) => `h${i}.example.com`).join(",")}`, expected: { ok: false, code: "numhost" } },
  ])("$name", ({ query, expected }) => {
    expect(parseHostnames(q(query))).toEqual(expected as never);
  });
});

describe("addresses", () => {
  it.each([
    { name: "myip IPv4", query: "myip=203.0.113.7", caller: "198.51.100.1", families: BOTH, addresses: [{ family: 4, address: "203.0.113.7" }], fromCaller: false },
    { name: "myip v4,v6 (FRITZ!Box)", query: "myip=203.0.113.7,2001:DB8::7", caller: undefined, families: BOTH, addresses: [{ family: 4, address: "203.0.113.7" }, { family: 6, address: "2001:db8::7" }], fromCaller: false },
    { name: "myip v6 first", query: "myip=2001:db8::7,203.0.113.7", caller: undefined, families: BOTH, addresses: [{ family: 4, address: "203.0.113.7" }, { family: 6, address: "2001:db8::7" }], fromCaller: false },
    { name: "myip + myipv6", query: "myip=203.0.113.7&myipv6=2001:db8::7", caller: undefined, families: BOTH, addresses: [{ family: 4, address: "203.0.113.7" }, { family: 6, address: "2001:db8::7" }], fromCaller: false },
    { name: "myipv4 alone", query: "myipv4=203.0.113.7", caller: undefined, families: BOTH, addresses: [{ family: 4, address: "203.0.113.7" }], fromCaller: false },
    { name: "empty myip (ddclient without an address) → caller", query: "myip=", caller: "198.51.100.1", families: BOTH, addresses: [{ family: 4, address: "198.51.100.1" }], fromCaller: true },
    { name: "no myip → caller IPv6", query: "", caller: "2001:db8::abcd", families: BOTH, addresses: [{ family: 6, address: "2001:db8::abcd" }], fromCaller: true },
    { name: "same address twice is fine", query: "myip=203.0.113.7&myipv4=203.0.113.7", caller: undefined, families: BOTH, addresses: [{ family: 4, address: "203.0.113.7" }], fromCaller: false },
  ])("$name", ({ query, caller, families, addresses, fromCaller }) => {
    expect(parseAddresses(q(query), caller, { families, allowPrivate: false })).toEqual({ ok: true, addresses, ignored: [], fromCaller } as never);
  });

  it("ignores a family the endpoint does not publish", () => {
    expect(parseAddresses(q("myip=203.0.113.7,2001:db8::7"), undefined, { families: [4], allowPrivate: false })).toEqual({
      ok: true,
      addresses: [{ family: 4, address: "203.0.113.7" }],
      ignored: [{ family: 6, address: "2001:db8::7" }],
      fromCaller: false,
    });
  });

  it("publishes a private address only when allowed", () => {
    expect(parseAddresses(q("myip=192.168.1.20"), undefined, { families: BOTH, allowPrivate: true })).toMatchObject({ ok: true, addresses: [{ family: 4, address: "192.168.1.20" }] });
  });

  it.each([
    { name: "not an address", query: "myip=home", caller: undefined, families: BOTH, reason: 'myip "home" is not an IP address' },
    { name: "IPv4 shorthand", query: "myip=127.1", caller: undefined, families: BOTH, reason: 'myip "127.1" is not an IP address' },
    { name: "IPv4 in myipv6", query: "myipv6=203.0.113.7", caller: undefined, families: BOTH, reason: 'myipv6 "203.0.113.7" is not an IPv6 address' },
    { name: "two IPv4", query: "myip=203.0.113.7,203.0.113.8", caller: undefined, families: BOTH, reason: 'two IPv4 addresses were given ("203.0.113.7" and "203.0.113.8")' },
    { name: "private", query: "myip=10.1.2.3", caller: undefined, families: BOTH, reason: '"10.1.2.3" is a private (RFC 1918) address, which cannot be published' },
    { name: "CGNAT", query: "myip=100.64.0.9", caller: undefined, families: BOTH, reason: '"100.64.0.9" is a carrier-grade NAT (100.64.0.0/10) address, which cannot be published' },
    { name: "unique-local IPv6", query: "myipv6=fd00::1", caller: undefined, families: BOTH, reason: '"fd00::1" is a unique-local (fc00::/7) address, which cannot be published' },
    { name: "loopback caller", query: "", caller: "127.0.0.1", families: BOTH, reason: 'no myip was given and the caller\'s address "127.0.0.1" is a loopback address, which cannot be published' },
    { name: "unknown caller", query: "", caller: undefined, families: BOTH, reason: "no myip was given and the caller's address is unknown" },
    { name: "only a family not published", query: "myip=2001:db8::7", caller: undefined, families: [4] as Family[], reason: "the request carries only IPv6, but this endpoint publishes IPv4 only" },
    { name: "caller of a family not published", query: "", caller: "2001:db8::7", families: [4] as Family[], reason: "the request carries only IPv6 (the caller's address), but this endpoint publishes IPv4 only" },
  ])("refuses $name", ({ query, caller, families, reason }) => {
    expect(parseAddresses(q(query), caller, { families, allowPrivate: false })).toEqual({ ok: false, reason });
  });
});
