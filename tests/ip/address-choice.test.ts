import { describe, expect, it } from "bun:test";
import { AddressFlag as F, chooseAddress, noPublicAddressError, settledPrivateAddresses, type AddressCandidate } from "../../src/ip/address-choice.ts";
import type { Family } from "../../src/core/family.ts";

type Case = { name: string; family: Family; candidates: AddressCandidate[]; current?: string; allowPrivate?: boolean; expected: string | null };

const STABLE = "2001:db8::1";
const OTHER = "2001:db8::2";

describe("chooseAddress", () => {
  it.each<Case>([
    { name: "publishes the only global IPv4 address", family: 4, candidates: [{ address: "192.0.2.10", flags: F.PERMANENT }], expected: "192.0.2.10" },
    { name: "skips a private IPv4 address", family: 4, candidates: [{ address: "10.0.0.2", flags: F.PERMANENT }], expected: null },
    { name: "publishes a private IPv4 address when allowed", family: 4, candidates: [{ address: "10.0.0.2" }], allowPrivate: true, expected: "10.0.0.2" },
    { name: "skips CGNAT and loopback", family: 4, candidates: [{ address: "100.64.1.1" }, { address: "127.0.0.1" }], expected: null },
    { name: "treats IPv4 flag 0x01 as SECONDARY, not temporary", family: 4, candidates: [{ address: "192.0.2.7", flags: F.SECONDARY }], expected: "192.0.2.7" },
    { name: "prefers the IPv4 primary over a secondary", family: 4, candidates: [{ address: "192.0.2.1", flags: F.SECONDARY | F.PERMANENT }, { address: "192.0.2.9", flags: F.PERMANENT }], expected: "192.0.2.9" },
    { name: "skips a deprecated IPv4 address (preferred_lft 0)", family: 4, candidates: [{ address: "192.0.2.3", flags: F.DEPRECATED, preferredSeconds: 0 }], expected: null },
    { name: "publishes a global IPv6 address", family: 6, candidates: [{ address: STABLE, flags: F.PERMANENT }], expected: STABLE },
    { name: "skips an IPv6 temporary (privacy) address", family: 6, candidates: [{ address: OTHER, flags: F.TEMPORARY, preferredSeconds: 3600, validSeconds: 7200 }], expected: null },
    { name: "prefers the stable address over a temporary one", family: 6, candidates: [{ address: OTHER, flags: F.TEMPORARY }, { address: STABLE, flags: 0x100, preferredSeconds: 100 }], expected: STABLE },
    { name: "skips a tentative address", family: 6, candidates: [{ address: STABLE, flags: F.TENTATIVE | F.PERMANENT }], expected: null },
    { name: "skips a DAD-failed address", family: 6, candidates: [{ address: STABLE, flags: F.DADFAILED | F.TENTATIVE }], expected: null },
    { name: "skips a deprecated address by flag", family: 6, candidates: [{ address: STABLE, flags: F.DEPRECATED }], expected: null },
    { name: "skips a deprecated address by preferred lifetime 0", family: 6, candidates: [{ address: STABLE, preferredSeconds: 0, validSeconds: 50 }], expected: null },
    { name: "skips an expired address", family: 6, candidates: [{ address: STABLE, preferredSeconds: null, validSeconds: 0 }], expected: null },
    { name: "skips link-local, ULA and loopback", family: 6, candidates: [{ address: "fe80::1" }, { address: "fd00::1" }, { address: "::1" }], expected: null },
    { name: "publishes a ULA when private addresses are allowed", family: 6, candidates: [{ address: "fd00::1", flags: F.PERMANENT }], allowPrivate: true, expected: "fd00::1" },
    { name: "never publishes link-local, even with private allowed", family: 6, candidates: [{ address: "fe80::1" }], allowPrivate: true, expected: null },
    { name: "prefers a permanent address over a longer-lived dynamic one", family: 6, candidates: [{ address: OTHER, preferredSeconds: null }, { address: STABLE, flags: F.PERMANENT }], expected: STABLE },
    { name: "prefers the longest preferred lifetime", family: 6, candidates: [{ address: STABLE, preferredSeconds: 600 }, { address: OTHER, preferredSeconds: 86400 }], expected: OTHER },
    { name: "prefers forever over any finite lifetime", family: 6, candidates: [{ address: OTHER, preferredSeconds: 86400 }, { address: STABLE, preferredSeconds: null }], expected: STABLE },
    { name: "keeps the current address while it stays eligible", family: 6, candidates: [{ address: STABLE, flags: F.PERMANENT }, { address: OTHER, preferredSeconds: 600 }], current: OTHER, expected: OTHER },
    { name: "moves on when the current address becomes deprecated", family: 6, candidates: [{ address: STABLE, preferredSeconds: 600 }, { address: OTHER, flags: F.DEPRECATED }], current: OTHER, expected: STABLE },
    { name: "moves on when the current address is gone", family: 4, candidates: [{ address: "192.0.2.2" }], current: "192.0.2.1", expected: "192.0.2.2" },
    { name: "breaks ties by address text, whatever the order", family: 4, candidates: [{ address: "203.0.113.9" }, { address: "198.51.100.4" }], expected: "198.51.100.4" },
    { name: "ignores addresses of the other family", family: 4, candidates: [{ address: STABLE }], expected: null },
    { name: "answers the canonical form", family: 6, candidates: [{ address: "2001:0db8:0000::0001" }], expected: "2001:db8::1" },
    { name: "keeps the current address written differently", family: 6, candidates: [{ address: "2001:db8:0::1" }, { address: "2001:db8::0" }], current: "2001:db8::1", expected: "2001:db8::1" },
    { name: "treats unknown flags (interface source) as eligible", family: 6, candidates: [{ address: STABLE }], expected: STABLE },
    { name: "has nothing for an empty interface", family: 4, candidates: [], expected: null },
  ])("$name", ({ family, candidates, current, allowPrivate, expected }) => {
    const result = chooseAddress(candidates, { family, allowPrivate: allowPrivate ?? false, ...(current ? { current } : {}) });
    expect(result.ok ? result.address : null).toBe(expected);
  });

  it("says why each candidate was skipped", () => {
    const result = chooseAddress(
      [{ address: "fe80::1" }, { address: STABLE, flags: F.TENTATIVE }, { address: OTHER, flags: F.TEMPORARY }],
      { family: 6, allowPrivate: false },
    );
    expect(result).toEqual({
      ok: false,
      skipped: [
        '"fe80::1" is a link-local address, which cannot be published',
        '"2001:db8::1" is tentative (duplicate address detection is still running)',
        '"2001:db8::2" is a temporary (privacy) address',
      ],
    });
  });
});

describe("the no-public-address error", () => {
  it.each([
    { name: "IPv4 on eth0", family: 4 as Family, ifname: "eth0", text: "no public IPv4 address on eth0" },
    { name: "IPv6 on ppp0", family: 6 as Family, ifname: "ppp0", text: "no public IPv6 address on ppp0" },
  ])("reads '$text' ($name)", ({ family, ifname, text }) => {
    expect(noPublicAddressError(family, ifname)).toBe(text);
  });
});

describe("settledPrivateAddresses (the behind-NAT hint)", () => {
  it.each<{ name: string; family: Family; candidates: AddressCandidate[]; expected: string[] }>([
    { name: "lists private and CGNAT IPv4, sorted", family: 4, candidates: [{ address: "100.64.0.9" }, { address: "10.0.0.2" }], expected: ["10.0.0.2", "100.64.0.9"] },
    { name: "leaves out public, loopback and link-local", family: 4, candidates: [{ address: "192.0.2.1" }, { address: "127.0.0.1" }, { address: "169.254.1.1" }], expected: [] },
    { name: "lists a ULA but not link-local or a tentative one", family: 6, candidates: [{ address: "fd00::1" }, { address: "fe80::1" }, { address: "fd00::2", flags: F.TENTATIVE }], expected: ["fd00::1"] },
  ])("$name", ({ family, candidates, expected }) => {
    expect(settledPrivateAddresses(candidates, family)).toEqual(expected);
  });
});
