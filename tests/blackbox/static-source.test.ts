import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";
import { startWorld, type TestWorld } from "./world.ts";

/**
 * dist/ddnsd with DDNS_IP_SOURCE_TYPE=static against the fake Cloudflare API: the fixed addresses are published
 * without asking any echo endpoint, ipv6_suffix records take the static address's prefix, and a bad address is one
 * configuration line.
 */
setDefaultTimeout(60_000);
let w: TestWorld;
beforeAll(async () => {
  // The echo answers other addresses: a record holding them would mean the http source was asked.
  w = await startWorld({ v4: "198.51.100.99", v6: "2001:db8:ffff::99" });
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

const STATIC = { DDNS_IP_SOURCE_TYPE: "static", DDNS_IP_STATIC_V4: "203.0.113.10", DDNS_IP_STATIC_V6: "2001:db8:4:5::10" };

describe("dist/ddnsd with the static source", () => {
  it("once: publishes the fixed addresses (and a suffixed AAAA from their prefix), exits 0 (the echo endpoint's other addresses are never published)", async () => {
    const r = await runBinary(["once"], w.env({ ...STATIC, DDNS_RECORDS: "srv.example.com,nas.example.com{ip_versions=6,ipv6_suffix=::11}" }));
    expect(r.code, r.lines.join("\n")).toBe(0);
    expect(r.lines).toContain("INFO Detected IPv4 address: 203.0.113.10 source=static");
    expect({ a: w.cf.contents("srv.example.com", "A"), aaaa: w.cf.contents("srv.example.com", "AAAA"), nas: w.cf.contents("nas.example.com", "AAAA") }).toEqual({
      a: ["203.0.113.10"], aaaa: ["2001:db8:4:5::10"], nas: ["2001:db8:4:5::11"],
    });
  });

  it("check prints the static addresses; a private one is one configuration line", async () => {
    const ok = await runBinary(["check"], w.env(STATIC));
    expect(ok.code).toBe(0);
    expect(ok.lines).toEqual(expect.arrayContaining(["DDNS_IP_SOURCE_TYPE=static", "DDNS_IP_STATIC_V4=203.0.113.10", "DDNS_IP_STATIC_V6=2001:db8:4:5::10"]));
    const bad = await runBinary(["check"], w.env({ ...STATIC, DDNS_IP_STATIC_V4: "192.168.1.10" }));
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 1,
      stderr: ['Configuration error: DDNS_IP_STATIC_V4 must be a public IPv4 address: "192.168.1.10" is a private (RFC 1918) address, which cannot be published (DDNS_ALLOW_PRIVATE_ADDRESSES=true publishes it, for a LAN-only zone).'],
    });
  });
});
