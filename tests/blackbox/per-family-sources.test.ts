import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";
import { startWorld, type TestWorld } from "./world.ts";

/**
 * dist/ddnsd with a source per family (DDNS_IP_SOURCE_TYPE_V4 / _V6) against the fake Cloudflare API: IPv4 from the
 * http echo, IPv6 from the static source — each record gets its own family's source, and `check` shows both.
 */
setDefaultTimeout(60_000);
let w: TestWorld;
beforeAll(async () => {
  // The echo's IPv6 answer differs from the static one: an AAAA holding it would mean the http source was asked.
  w = await startWorld({ v4: "198.51.100.7", v6: "2001:db8:ffff::99" });
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

const MIXED = { DDNS_IP_SOURCE_TYPE: "http", DDNS_IP_SOURCE_TYPE_V6: "static", DDNS_IP_STATIC_V6: "2001:db8:4:5::10" };

describe("dist/ddnsd with per-family IP sources", () => {
  it("once: the A record from the http echo and the AAAA record from the static address, exits 0", async () => {
    const r = await runBinary(["once"], w.env({ ...MIXED, DDNS_RECORDS: "srv.example.com" }));
    expect(r.code, r.lines.join("\n")).toBe(0);
    expect(r.lines).toContain("INFO Detected IPv6 address: 2001:db8:4:5::10 source=static");
    expect({ a: w.cf.contents("srv.example.com", "A"), aaaa: w.cf.contents("srv.example.com", "AAAA") }).toEqual({
      a: ["198.51.100.7"], aaaa: ["2001:db8:4:5::10"],
    });
  });

  it("check prints each family's source; push mixed with another type is one configuration line", async () => {
    const ok = await runBinary(["check"], w.env(MIXED));
    expect(ok.code).toBe(0);
    expect(ok.lines).toEqual(expect.arrayContaining(["DDNS_IP_SOURCE_TYPE=http", "DDNS_IP_SOURCE_TYPE_V4=http", "DDNS_IP_SOURCE_TYPE_V6=static", "DDNS_IP_STATIC_V6=2001:db8:4:5::10"]));
    const bad = await runBinary(["check"], w.env({ DDNS_IP_SOURCE_TYPE: "push", DDNS_IP_SOURCE_TYPE_V4: "http" }));
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 1,
      stderr: ["Configuration error: DDNS_IP_SOURCE_TYPE_V4=http cannot be combined with DDNS_IP_SOURCE_TYPE=push: push takes both families from the update endpoint; set both to push, or neither."],
    });
  });
});
