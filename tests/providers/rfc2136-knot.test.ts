import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import {
  BIG_RRSET_NAME, BIG_RRSET_SIZE, digRecords, digWithTtl, KEPT_TTL, KEPT_TTL_NAME, setOne, TEST_ZONE, testKey, type TestKey,
} from "../peers/dns-fixtures.ts";
import { startKnot, type DnsPeer } from "../peers/knot-peer.ts";
import { contractPeer, countingTransport, rfc2136Provider, uniqueName } from "../peers/rfc2136-setup.ts";
import { providerContract } from "./provider-contract.ts";

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
    const result = await setOne(rfc2136Provider({ port: knot.port, key, ttl: 120 }), { name, type: "A", content: "203.0.113.46" });
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
});
