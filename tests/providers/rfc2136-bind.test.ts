import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { startBind } from "../peers/bind-peer.ts";
import { BIG_RRSET_NAME, BIG_RRSET_SIZE, digRecords, setOne, TEST_ZONE, testKey } from "../peers/dns-fixtures.ts";
import type { DnsPeer } from "../peers/knot-peer.ts";
import { contractPeer, countingTransport, rfc2136Provider, uniqueName } from "../peers/rfc2136-setup.ts";
import { providerContract } from "./provider-contract.ts";

providerContract("rfc2136 bind", () => contractPeer((key) => startBind({ keys: [key] }), testKey("contract-key")));

describe("rfc2136 against BIND 9", () => {
  const key = testKey("ddns-key");
  const key512 = testKey("ddns-key512", "hmac-sha512");
  const limitedKey = testKey("limited-key");
  let bind: DnsPeer;
  beforeAll(async () => {
    bind = await startBind({ keys: [key, key512], limitedKey });
  });
  afterAll(async () => {
    await bind?.stop();
  });

  it.each([
    { name: "hmac-sha256", k: key },
    { name: "hmac-sha512", k: key512 },
  ])("signs updates that BIND accepts and verifies its signed answers: $name", async ({ k }) => {
    const name = uniqueName(k.algorithm);
    const provider = rfc2136Provider({ port: bind.port, key: k });
    expect(await setOne(provider, { name, type: "AAAA", content: "2001:db8::51" })).toMatchObject({ ok: true, outcome: "created" });
    expect(await setOne(provider, { name, type: "AAAA", content: "2001:db8::52" })).toMatchObject({
      ok: true, outcome: "updated", previous: ["2001:db8::51"],
    });
    expect(await digRecords(bind.port, name, "AAAA")).toEqual(["2001:db8::52"]);
  });

  it("falls back to TCP when the UDP answer is truncated", async () => {
    const { transport, counts } = countingTransport();
    const result = await setOne(rfc2136Provider({ port: bind.port, key, transport }), { name: BIG_RRSET_NAME, type: "A", content: "203.0.113.2" });
    expect(result).toMatchObject({ ok: true, outcome: "updated" });
    if (result.ok) expect(result.previous).toHaveLength(BIG_RRSET_SIZE);
    expect(counts.tcp).toBeGreaterThanOrEqual(1);
    expect(await digRecords(bind.port, BIG_RRSET_NAME, "A")).toEqual(["203.0.113.2"]);
  });

  it("reports an update the server's policy does not grant as an auth failure that says so", async () => {
    const provider = rfc2136Provider({ port: bind.port, key: limitedKey });
    const denied = await setOne(provider, { name: uniqueName("denied"), type: "A", content: "198.51.100.30" });
    expect(denied).toMatchObject({ ok: false, kind: "auth" });
    if (!denied.ok) expect(denied.message).toContain("update policy does not allow key \"limited-key\"");
    const allowed = await setOne(provider, { name: `only.${TEST_ZONE}`, type: "A", content: "198.51.100.31" });
    expect(allowed).toMatchObject({ ok: true, outcome: "created" });
  });

  it.each([
    { name: "a wrong secret", over: { secret: "d3Jvbmcgc2VjcmV0IGZvciB0aGlzIGtleQ==" }, says: "BADSIG" },
    { name: "an unknown key name", over: { keyName: "nobody" }, says: "BADKEY" },
    { name: "a clock an hour off", over: { clockSkewMs: 3_600_000 }, says: "BADTIME" },
  ])("reports $name as an auth failure naming $says", async ({ over, says }) => {
    const name = uniqueName("auth");
    const result = await setOne(rfc2136Provider({ port: bind.port, key, ...over }), { name, type: "A", content: "198.51.100.32" });
    expect(result).toMatchObject({ ok: false, kind: "auth" });
    if (!result.ok) expect(result.message).toContain(says);
    expect(await digRecords(bind.port, name, "A")).toEqual([]);
  });

  it("plans but does not write in a dry run, and says unchanged when nothing differs", async () => {
    const name = uniqueName("dry");
    const provider = rfc2136Provider({ port: bind.port, key });
    await setOne(provider, { name, type: "A", content: "198.51.100.33" });
    expect(await setOne(provider, { name, type: "A", content: "198.51.100.34" }, true)).toMatchObject({
      ok: true, outcome: "planned", previous: ["198.51.100.33"],
    });
    expect(await setOne(provider, { name, type: "A", content: "198.51.100.33" })).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(await digRecords(bind.port, name, "A")).toEqual(["198.51.100.33"]);
  });

  it("replaces the A and AAAA sets of two names of one zone with one signed UPDATE", async () => {
    const { transport, counts } = countingTransport();
    const names = [uniqueName("multi"), uniqueName("multi")];
    const requests = names.flatMap((name) => [
      { name, type: "A" as const, content: "198.51.100.40" },
      { name, type: "AAAA" as const, content: "2001:db8::40" },
    ]);
    const results = await rfc2136Provider({ port: bind.port, key, transport }).setRecords(requests, { signal: AbortSignal.timeout(10_000), dryRun: false });
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created", "created"]);
    expect(counts.updates).toBe(1);
    for (const name of names) {
      expect(await digRecords(bind.port, name, "A")).toEqual(["198.51.100.40"]);
      expect(await digRecords(bind.port, name, "AAAA")).toEqual(["2001:db8::40"]);
    }
  });

  it("writes the names a limited key may change although the UPDATE with all of them was refused", async () => {
    const { transport, counts } = countingTransport();
    const denied = uniqueName("denied");
    const requests = [{ name: denied, type: "A" as const, content: "198.51.100.41" }, { name: `only.${TEST_ZONE}`, type: "A" as const, content: "198.51.100.42" }];
    const results = await rfc2136Provider({ port: bind.port, key: limitedKey, transport }).setRecords(requests, { signal: AbortSignal.timeout(10_000), dryRun: false });
    expect(results).toMatchObject([{ ok: false, kind: "auth" }, { ok: true, outcome: "updated" }]);
    expect(counts.updates).toBe(3); // both together, then each on its own
    expect(await digRecords(bind.port, `only.${TEST_ZONE}`, "A")).toEqual(["198.51.100.42"]);
    expect(await digRecords(bind.port, denied, "A")).toEqual([]);
  });
});
