import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import {
  BIG_RRSET_NAME, BIG_RRSET_SIZE, digRecords, digWithTtl, KEPT_TTL, KEPT_TTL_NAME, setOne, TEST_ZONE, testKey, type TestKey,
} from "../peers/dns-fixtures.ts";
import { startKnot, type DnsPeer } from "../peers/knot-peer.ts";
import { contractPeer, countingTransport, rfc2136Provider, uniqueName } from "../peers/rfc2136-setup.ts";
import { providerContract } from "./provider-contract.ts";
import { runBinary } from "../blackbox/harness.ts";
import { startIpEcho } from "../fakes/ip-echo.ts";

providerContract("rfc2136 knot", () => contractPeer((key) => startKnot([key]), testKey("contract-key")));

const ALGORITHMS: TestKey["algorithm"][] = ["hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512"];

describe("rfc2136 against Knot DNS", () => {
  const keys = ALGORITHMS.map((algorithm) => testKey(`key-${algorithm}`, algorithm));
  const key = keys[2] as TestKey;
  const limitedKey = testKey("limited-key");
  let knot: DnsPeer;
  beforeAll(async () => {
    knot = await startKnot(keys, { limitedKey });
  });
  afterAll(async () => {
    await knot?.stop();
  });

  it.each(keys.map((k) => ({ name: k.algorithm, k })))("signs updates that Knot accepts: $name", async ({ k }) => {
    const name = uniqueName(k.algorithm);
    const result = await setOne(rfc2136Provider({ port: knot.port, key: k }), { name, type: "A", content: "192.0.2.77" });
    expect(result).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(await digRecords(knot.port, name, "A")).toEqual(["192.0.2.77"]);
  });

  it("finds the zone from the SOA for a name several labels deep", async () => {
    const name = `deep.er.${uniqueName("walk")}`;
    const result = await setOne(rfc2136Provider({ port: knot.port, key }), { name, type: "AAAA", content: "2001:db8::7" });
    expect(result).toMatchObject({ ok: true, outcome: "created" });
    expect(await digRecords(knot.port, name, "AAAA")).toEqual(["2001:db8::7"]);
  });

  it("keeps an existing record's TTL when the TTL is auto, and uses 300 for new records", async () => {
    const provider = rfc2136Provider({ port: knot.port, key });
    expect(await setOne(provider, { name: KEPT_TTL_NAME, type: "A", content: "203.0.113.44" })).toMatchObject({
      ok: true, outcome: "updated", previous: ["192.0.2.1"],
    });
    expect(await digWithTtl(knot.port, KEPT_TTL_NAME, "A")).toEqual([{ ttl: KEPT_TTL, data: "203.0.113.44" }]);
    const fresh = uniqueName("fresh");
    await setOne(provider, { name: fresh, type: "A", content: "203.0.113.45" });
    expect(await digWithTtl(knot.port, fresh, "A")).toEqual([{ ttl: 300, data: "203.0.113.45" }]);
  });

  it("writes a configured TTL and rewrites a record whose TTL differs", async () => {
    const name = uniqueName("ttl");
    await setOne(rfc2136Provider({ port: knot.port, key }), { name, type: "A", content: "203.0.113.46" });
    const result = await setOne(rfc2136Provider({ port: knot.port, key }), { name, type: "A", content: "203.0.113.46", ttl: 120 });
    expect(result).toMatchObject({ ok: true, outcome: "updated" });
    expect(await digWithTtl(knot.port, name, "A")).toEqual([{ ttl: 120, data: "203.0.113.46" }]);
  });

  it("falls back to TCP when the UDP answer is truncated, then replaces the whole RRset", async () => {
    const { transport, counts } = countingTransport();
    const result = await setOne(rfc2136Provider({ port: knot.port, key, transport }), { name: BIG_RRSET_NAME, type: "A", content: "203.0.113.1" });
    expect(result).toMatchObject({ ok: true, outcome: "updated" });
    if (result.ok) expect(result.previous).toHaveLength(BIG_RRSET_SIZE);
    expect(counts.tcp).toBeGreaterThanOrEqual(1);
    expect(await digRecords(knot.port, BIG_RRSET_NAME, "A")).toEqual(["203.0.113.1"]);
  });

  it("uses a configured zone without looking for the SOA", async () => {
    const { transport, counts } = countingTransport();
    const name = uniqueName("fixed");
    const provider = rfc2136Provider({ port: knot.port, key, zone: `${TEST_ZONE}.`, transport });
    expect(await setOne(provider, { name, type: "A", content: "198.51.100.9" })).toMatchObject({ ok: true, outcome: "created" });
    expect(counts).toMatchObject({ udp: 2, updates: 1 }); // the read and the update, no SOA query
    expect(await digRecords(knot.port, name, "A")).toEqual(["198.51.100.9"]);
  });

  it("plans but does not write in a dry run", async () => {
    const name = uniqueName("dry");
    const before = await knot.updates();
    const result = await setOne(rfc2136Provider({ port: knot.port, key }), { name, type: "A", content: "198.51.100.10" }, true);
    expect(result).toMatchObject({ ok: true, outcome: "planned", previous: [] });
    expect(await knot.updates()).toBe(before);
    expect(await digRecords(knot.port, name, "A")).toEqual([]);
  });

  it.each([
    { name: "an unknown key name", keyName: "no-such-key", secret: undefined, says: "BADKEY" },
    { name: "a wrong secret", keyName: undefined, secret: "d3Jvbmcgc2VjcmV0IGZvciB0aGlzIGtleQ==", says: "BADSIG" },
  ])("reports $name as an auth failure naming $says", async ({ keyName, secret, says }) => {
    const provider = rfc2136Provider({ port: knot.port, key, keyName, secret });
    const result = await setOne(provider, { name: uniqueName("auth"), type: "A", content: "198.51.100.11" });
    expect(result).toMatchObject({ ok: false, kind: "auth" });
    if (!result.ok) {
      expect(result.message).toContain(says);
      expect(result.message).not.toContain(key.secret);
    }
  });

  it("reports an update the acl does not allow as an auth failure that points at the acl", async () => {
    const provider = rfc2136Provider({ port: knot.port, key: limitedKey });
    const denied = await setOne(provider, { name: uniqueName("denied"), type: "A", content: "198.51.100.13" });
    expect(denied).toMatchObject({ ok: false, kind: "auth" });
    if (!denied.ok) expect(denied.message).toContain("acl or update policy lets this key change this name");
    const allowed = await setOne(provider, { name: `only.${TEST_ZONE}`, type: "A", content: "198.51.100.14" });
    expect(allowed).toMatchObject({ ok: true, outcome: "created" });
  });

  it("reports a name outside every zone of the server as a configuration problem", async () => {
    const result = await setOne(rfc2136Provider({ port: knot.port, key }), { name: "host.elsewhere.invalid", type: "A", content: "198.51.100.12" });
    expect(result).toMatchObject({ ok: false, kind: "config" });
    if (!result.ok) expect(result.message).toContain("not authoritative for any zone");
  });

  it("replaces the A and AAAA sets of two names of one zone with one signed UPDATE", async () => {
    const { transport, counts } = countingTransport();
    const names = [uniqueName("multi"), uniqueName("multi")];
    const requests = names.flatMap((name) => [
      { name, type: "A" as const, content: "198.51.100.40" },
      { name, type: "AAAA" as const, content: "2001:db8::40" },
    ]);
    const results = await rfc2136Provider({ port: knot.port, key, transport }).setRecords(requests, { signal: AbortSignal.timeout(10_000), dryRun: false });
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created", "created"]);
    expect(counts.updates).toBe(1);
    for (const name of names) {
      expect(await digRecords(knot.port, name, "A")).toEqual(["198.51.100.40"]);
      expect(await digRecords(knot.port, name, "AAAA")).toEqual(["2001:db8::40"]);
    }
  });

  it("writes the names a limited key may change although the UPDATE with all of them was refused", async () => {
    const { transport, counts } = countingTransport();
    const denied = uniqueName("denied");
    const requests = [{ name: denied, type: "A" as const, content: "198.51.100.41" }, { name: `only.${TEST_ZONE}`, type: "A" as const, content: "198.51.100.42" }];
    const results = await rfc2136Provider({ port: knot.port, key: limitedKey, transport }).setRecords(requests, { signal: AbortSignal.timeout(10_000), dryRun: false });
    expect(results).toMatchObject([{ ok: false, kind: "auth" }, { ok: true, outcome: "updated" }]);
    expect(counts.updates).toBe(3); // both together, then each on its own
    expect(await digRecords(knot.port, `only.${TEST_ZONE}`, "A")).toEqual(["198.51.100.42"]);
    expect(await digRecords(knot.port, denied, "A")).toEqual([]);
  });

  it("dist/ddnsd once: four records of one zone in one UPDATE, with DDNS_RECORD_TTL", async () => {
    const ip = startIpEcho({ v4: "198.51.100.45", v6: "2001:db8::45" });
    try {
      const names = [uniqueName("bb"), uniqueName("bb")];
      const before = await knot.updates();
      const { code, lines } = await runBinary(["once"], {
        DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: key.secret, DDNS_RFC2136_SERVER: `127.0.0.1:${knot.port}`,
        DDNS_RFC2136_TSIG_KEY_NAME: key.name, DDNS_RFC2136_TSIG_ALGORITHM: key.algorithm,
        DDNS_RECORDS: names.join(","), DDNS_IP_VERSIONS: "4,6", DDNS_RECORD_TTL: "120",
        DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`, DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`, DDNS_HTTP_ADDR: "off",
      });
      expect({ code, lines: lines.filter((l) => /WARN|ERROR/.test(l)) }).toEqual({ code: 0, lines: [] });
      expect(await knot.updates()).toBe(before + 1);
      for (const name of names) {
        expect(await digWithTtl(knot.port, name, "A")).toEqual([{ ttl: 120, data: "198.51.100.45" }]);
        expect(await digWithTtl(knot.port, name, "AAAA")).toEqual([{ ttl: 120, data: "2001:db8::45" }]);
      }
    } finally {
      await ip.stop();
    }
  });
});
