import { describe, expect, it } from "bun:test";
import { canonicalClient, clientKey, fromCloudflareEdge, fromHeader, fromSocketPeer } from "../../src/update-server/client-address.ts";

const req = (headers: Record<string, string>) => new Request("http://x/nic/update", { headers });

describe("the caller's address", () => {
  it.each([
    { name: "IPv4", text: "198.51.100.7", expected: "198.51.100.7" },
    { name: "IPv4-mapped from a dual-stack listener", text: "::ffff:198.51.100.7", expected: "198.51.100.7" },
    { name: "IPv6 in long form", text: "2001:0db8:0000:0000:0000:0000:0000:0001", expected: "2001:db8::1" },
    { name: "zone index", text: "fe80::1%eth0", expected: undefined },
    { name: "garbage", text: "example.com", expected: undefined },
    { name: "empty", text: "", expected: undefined },
  ])("canonical form: $name", ({ text, expected }) => {
    expect(canonicalClient(text)).toBe(expected);
  });

  it.each([
    { name: "IPv4 is its own key", address: "198.51.100.7", key: "198.51.100.7" },
    { name: "IPv6 counts per /64", address: "2001:db8:1:2:aaaa:bbbb:cccc:dddd", key: "2001:db8:1:2::/64" },
    { name: "another address of the same /64 shares the key", address: "2001:db8:1:2::9", key: "2001:db8:1:2::/64" },
    { name: "unknown callers share one key", address: undefined, key: "unknown" },
  ])("lockout key: $name", ({ address, key }) => {
    expect(clientKey(address)).toBe(key);
  });

  it.each([
    { name: "socket peer from the serve adapter", get: () => fromSocketPeer(req({ "X-Forwarded-For": "203.0.113.9" }), { remoteAddress: "::ffff:192.0.2.1" }), expected: "192.0.2.1" },
    { name: "no peer known", get: () => fromSocketPeer(req({}), undefined), expected: undefined },
    { name: "trusted header: the last entry (added by the proxy)", get: () => fromHeader("x-forwarded-for")(req({ "X-Forwarded-For": "203.0.113.66, 198.51.100.20" }), {}), expected: "198.51.100.20" },
    { name: "trusted header missing", get: () => fromHeader("x-real-ip")(req({}), {}), expected: undefined },
    { name: "Workers: CF-Connecting-IP", get: () => fromCloudflareEdge(req({ "CF-Connecting-IP": "2001:db8::5" }), {}), expected: "2001:db8::5" },
  ])("$name", ({ get, expected }) => {
    expect(get()).toBe(expected);
  });
});
