import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";
import { startWorld, type TestWorld } from "./world.ts";

setDefaultTimeout(60_000);
let w: TestWorld;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

describe("dist/ddnsd once", () => {
  it("--dry-run reads, logs the planned writes, writes nothing, and exits 2 because nothing is confirmed", async () => {
    const r = await runBinary(["once", "--dry-run"], w.env({ DDNS_RECORDS: "dry.example.com" }));
    expect(r.code).toBe(2);
    expect(r.lines).toContain("INFO Dry run: would set A record dry.example.com to 203.0.113.7 (now nothing)");
    expect(r.lines).toContain("INFO Dry run: would set AAAA record dry.example.com to 2001:db8::7 (now nothing)");
    expect(w.cf.records({ name: "dry.example.com" })).toEqual([]);
  });

  it("exits 0 once every record is confirmed, and again without writing on a second pass", async () => {
    const first = await runBinary(["once"], w.env({ DDNS_RECORDS: "once.example.com" }));
    expect(first.code).toBe(0);
    expect(first.lines).toContain("INFO All 2 record(s) are confirmed up to date");
    const writes = w.cf.writes();
    const second = await runBinary(["once"], w.env({ DDNS_RECORDS: "once.example.com" }));
    expect(second.code).toBe(0);
    expect(w.cf.writes()).toBe(writes);
  });

  it.each([
    { name: "ttl.example.com", env: { DDNS_RECORD_TTL: "120" }, want: { ttl: 120, proxied: false } },
    { name: "proxied.example.com", env: { DDNS_RECORD_PROXIED: "true" }, want: { ttl: 1, proxied: true } },
  ])("writes the target's DDNS_RECORD_TTL and DDNS_RECORD_PROXIED on the records it creates: $name", async ({ name, env, want }) => {
    const r = await runBinary(["once"], w.env({ DDNS_RECORDS: name, DDNS_IP_VERSIONS: "4", ...env }));
    expect(r.code).toBe(0);
    expect(w.cf.records({ name }).map(({ type, ttl, proxied }) => ({ type, ttl, proxied }))).toEqual([{ type: "A", ...want }]);
  });

  it("exits 2 when the provider refuses the token", async () => {
    const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "once.example.com", DDNS_PROVIDER_API_TOKEN: "wrong-token-123" }));
    expect(r.code).toBe(2);
    expect(r.lines.some((l) => l.startsWith("ERROR Could not update 2 records (once.example.com A, once.example.com AAAA): ") && l.includes("kind=auth"))).toBe(true);
  });

  it("exits 2 when a family asked for in DDNS_IP_VERSIONS cannot be detected", async () => {
    w.ip.set({ v6: "" });
    try {
      const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "once.example.com", DDNS_IP_VERSIONS: "4,6" }));
      expect(r.code).toBe(2);
      expect(r.lines.some((l) => l.startsWith("WARN Could not detect the IPv6 address"))).toBe(true);
      expect(r.lines).toContain("WARN Not every record could be confirmed: once.example.com AAAA pending");
    } finally {
      w.ip.set({ v6: "2001:db8::7" });
    }
  });

  it("exits 0 without IPv6 when DDNS_IP_VERSIONS is left at its default, and says why once", async () => {
    w.ip.set({ v6: "" });
    try {
      const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "once.example.com" }));
      expect(r.code).toBe(0);
      expect(r.lines.filter((l) => l.startsWith("WARN"))).toEqual([
        `WARN No IPv6 address detected: no endpoint gave a usable IPv6 address ("${w.cf.origin}/v6": answered HTTP 503); the AAAA records are left alone and readiness does not wait for them until one is detected. ` +
          "DDNS_IP_VERSIONS is not set: set it to 4 to stop looking for IPv6, or to 4,6 to require it. Reminder in 1h.",
      ]);
      expect(r.lines).toContain("INFO All 1 record(s) are confirmed up to date; 1 AAAA record(s) left alone: no IPv6 address was detected");
    } finally {
      w.ip.set({ v6: "2001:db8::7" });
    }
  });

  it("retries a transient failure within the pass and exits 0", async () => {
    w.cf.faults.add({ kind: "status", status: 502, times: 1, method: "GET" });
    const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "retry.example.com", DDNS_IP_VERSIONS: "4" }));
    expect(r.code).toBe(0);
    expect(w.cf.contents("retry.example.com", "A")).toEqual(["203.0.113.7"]);
  });

  it("a zone the token cannot see is a failure that says what to fix", async () => {
    const r = await runBinary(["once"], w.env({ DDNS_RECORDS: "home.other-zone.org", DDNS_IP_VERSIONS: "4" }));
    expect(r.code).toBe(2);
    expect(r.lines.some((l) => l.includes("home.other-zone.org") && l.includes("kind=config"))).toBe(true);
  });
});
