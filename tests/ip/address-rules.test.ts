import { describe, expect, it } from "bun:test";
import { checkPublishable } from "../../src/ip/address-rules.ts";

describe("which addresses may be published", () => {
  it.each([
    { text: "8.8.8.8", family: 4, ok: true, address: "8.8.8.8" },
    { text: "203.0.113.7", family: 4, ok: true, address: "203.0.113.7" },
    { text: "198.51.100.1", family: 4, ok: true, address: "198.51.100.1" },
    { text: "192.0.2.1", family: 4, ok: true, address: "192.0.2.1" },
    { text: "2606:4700:4700::1111", family: 6, ok: true, address: "2606:4700:4700::1111" },
    { text: "2001:DB8:0:0::1", family: 6, ok: true, address: "2001:db8::1" },
    { text: "10.0.0.1", family: 4, ok: false, reason: '"10.0.0.1" is a private (RFC 1918) address, which cannot be published' },
    { text: "172.16.5.4", family: 4, ok: false, reason: '"172.16.5.4" is a private (RFC 1918) address, which cannot be published' },
    { text: "192.168.1.1", family: 4, ok: false, reason: '"192.168.1.1" is a private (RFC 1918) address, which cannot be published' },
    { text: "100.64.0.1", family: 4, ok: false, reason: '"100.64.0.1" is a carrier-grade NAT (100.64.0.0/10) address, which cannot be published' },
    { text: "127.0.0.1", family: 4, ok: false, reason: '"127.0.0.1" is a loopback address, which cannot be published' },
    { text: "169.254.1.1", family: 4, ok: false, reason: '"169.254.1.1" is a link-local address, which cannot be published' },
    { text: "224.0.0.1", family: 4, ok: false, reason: '"224.0.0.1" is a multicast address, which cannot be published' },
    { text: "0.0.0.0", family: 4, ok: false, reason: '"0.0.0.0" is the unspecified address, which cannot be published' },
    { text: "255.255.255.255", family: 4, ok: false, reason: '"255.255.255.255" is the broadcast address, which cannot be published' },
    { text: "240.0.0.1", family: 4, ok: false, reason: '"240.0.0.1" is a reserved address (reserved), which cannot be published' },
    { text: "fd12:3456::1", family: 6, ok: false, reason: '"fd12:3456::1" is a unique-local (fc00::/7) address, which cannot be published' },
    { text: "fe80::1", family: 6, ok: false, reason: '"fe80::1" is a link-local address, which cannot be published' },
    { text: "::1", family: 6, ok: false, reason: '"::1" is a loopback address, which cannot be published' },
    { text: "::", family: 6, ok: false, reason: '"::" is the unspecified address, which cannot be published' },
    { text: "ff02::1", family: 6, ok: false, reason: '"ff02::1" is a multicast address, which cannot be published' },
    { text: "::ffff:8.8.8.8", family: 6, ok: false, reason: '"::ffff:8.8.8.8" is an IPv4-mapped IPv6 address, which cannot be published' },
    { text: "8.8.8.8", family: 6, ok: false, reason: '"8.8.8.8" is an IPv4 address, not IPv6' },
    { text: "2001:db8::1", family: 4, ok: false, reason: '"2001:db8::1" is an IPv6 address, not IPv4' },
    { text: "127.1", family: 4, ok: false, reason: '"127.1" is not an IP address' },
    { text: "0x7f.0.0.1", family: 4, ok: false, reason: '"0x7f.0.0.1" is not an IP address' },
    { text: "fe80::1%eth0", family: 6, ok: false, reason: '"fe80::1%eth0" is not an IP address' },
    { text: "<html>", family: 4, ok: false, reason: '"<html>" is not an IP address' },
  ] as const)("$text as IPv$family", ({ text, family, ...expected }) => {
    expect(checkPublishable(text, family, { allowPrivate: false })).toEqual(expected as never);
  });

  it.each([
    { text: "10.0.0.1", family: 4, ok: true },
    { text: "100.64.0.1", family: 4, ok: true },
    { text: "fd00::1", family: 6, ok: true },
    { text: "127.0.0.1", family: 4, ok: false },
    { text: "fe80::1", family: 6, ok: false },
  ] as const)("with private addresses allowed: $text", ({ text, family, ok }) => {
    expect(checkPublishable(text, family, { allowPrivate: true }).ok).toBe(ok);
  });
});
