import { describe, expect, it } from "bun:test";
import { checkPublishable } from "../../src/core/address-rules.ts";

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

describe("IPv6 addresses that wrap an IPv4 address are judged by it too", () => {
  it.each([
    { name: "6to4 on a private address", text: "2002:0a00:0001::1", ok: false, privateOk: true,
      reason: '"2002:0a00:0001::1" is a 6to4 address built on 10.0.0.1, a private (RFC 1918) address: it cannot be published' },
    { name: "6to4 on a carrier-grade NAT address", text: "2002:6440:1::1", ok: false, privateOk: true,
      reason: '"2002:6440:1::1" is a 6to4 address built on 100.64.0.1, a carrier-grade NAT (100.64.0.0/10) address: it cannot be published' },
    { name: "6to4 on loopback", text: "2002:7f00:1::1", ok: false, privateOk: false,
      reason: '"2002:7f00:1::1" is a 6to4 address built on 127.0.0.1, a loopback address: it cannot be published' },
    { name: "6to4 on a public address", text: "2002:cb00:7107::1", ok: true, privateOk: true, address: "2002:cb00:7107::1" },
    { name: "Teredo with public server and client", text: "2001:0:4136:e378:8000:63bf:3fff:fdd2", ok: true, privateOk: true, address: "2001:0:4136:e378:8000:63bf:3fff:fdd2" },
    { name: "Teredo whose client is private", text: "2001:0:4136:e378:8000:63bf:f5ff:fffe", ok: false, privateOk: true,
      reason: '"2001:0:4136:e378:8000:63bf:f5ff:fffe" is a Teredo address whose client address 10.0.0.1 is a private (RFC 1918) address: it cannot be published' },
    { name: "Teredo whose server is private", text: "2001:0:c0a8:101:8000:63bf:3fff:fdd2", ok: false, privateOk: true,
      reason: '"2001:0:c0a8:101:8000:63bf:3fff:fdd2" is a Teredo address whose server address 192.168.1.1 is a private (RFC 1918) address: it cannot be published' },
    { name: "NAT64 well-known prefix, private", text: "64:ff9b::a00:1", ok: false, privateOk: false,
      reason: '"64:ff9b::a00:1" is a NAT64 address (64:ff9b::/96) standing for 10.0.0.1: it belongs to a translator, not to this host, and cannot be published' },
    { name: "NAT64 well-known prefix, public", text: "64:ff9b::203.0.113.5", ok: false, privateOk: false,
      reason: '"64:ff9b::203.0.113.5" is a NAT64 address (64:ff9b::/96) standing for 203.0.113.5: it belongs to a translator, not to this host, and cannot be published' },
    { name: "IPv4-compatible (deprecated)", text: "::a00:1", ok: false, privateOk: false,
      reason: '"::a00:1" is a deprecated IPv4-compatible address (::/96) embedding 10.0.0.1, which cannot be published' },
    { name: "IPv4-compatible with a public address", text: "::cb00:7105", ok: false, privateOk: false,
      reason: '"::cb00:7105" is a deprecated IPv4-compatible address (::/96) embedding 203.0.113.5, which cannot be published' },
    { name: "IPv4-mapped, as before", text: "::ffff:10.0.0.1", ok: false, privateOk: false,
      reason: '"::ffff:10.0.0.1" is an IPv4-mapped IPv6 address, which cannot be published' },
  ])("$name: $text", ({ text, ok, privateOk, address, reason }) => {
    expect(checkPublishable(text, 6, { allowPrivate: false })).toEqual(ok ? { ok: true, address: address! } : { ok: false, reason: reason! });
    expect(checkPublishable(text, 6, { allowPrivate: true }).ok).toBe(privateOk);
  });
});
