import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { digRecords, digWithTtl, setOne } from "../peers/dns-fixtures.ts";
import { startPowerDns, type PowerDnsPeer } from "../peers/pdns-peer.ts";
import { pdnsApi, powerDnsContractPeer, powerDnsProvider } from "../peers/powerdns-setup.ts";
import { providerContract } from "./provider-contract.ts";

providerContract("powerdns", () => powerDnsContractPeer("contract.test"));

describe("powerdns against a real pdns_server", () => {
  let pdns: PowerDnsPeer;
  beforeAll(async () => {
    pdns = await startPowerDns();
    await pdns.createZone("example.test");
    await pdns.createZone("sub.example.test");
  });
  afterAll(async () => {
    await pdns?.stop();
  });

  it("puts a record into the zone with the longest matching name", async () => {
    const result = await setOne(powerDnsProvider(pdns), { name: "h.sub.example.test", type: "AAAA", content: "2001:db8::99" });
    expect(result).toMatchObject({ ok: true, outcome: "created", previous: [] });
    const zone = (await (await pdnsApi(pdns, "GET", "/zones/sub.example.test.")).json()) as { rrsets: { name: string }[] };
    expect(zone.rrsets.map((r) => r.name)).toContain("h.sub.example.test.");
    expect(await digRecords(pdns.dnsPort, "h.sub.example.test", "AAAA")).toEqual(["2001:db8::99"]);
  });

  it("keeps an existing rrset's TTL when the TTL is auto, and writes a configured one", async () => {
    const rrset = { name: "kept.example.test.", type: "A", ttl: 3600, changetype: "REPLACE", records: [{ content: "192.0.2.1", disabled: false }] };
    expect((await pdnsApi(pdns, "PATCH", "/zones/example.test.", { rrsets: [rrset] })).status).toBe(204);
    const auto = await setOne(powerDnsProvider(pdns), { name: "kept.example.test", type: "A", content: "203.0.113.70" });
    expect(auto).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(await digWithTtl(pdns.dnsPort, "kept.example.test", "A")).toEqual([{ ttl: 3600, data: "203.0.113.70" }]);
    const fixed = await setOne(powerDnsProvider({ ...pdns, ttl: 120 }), { name: "kept.example.test", type: "A", content: "203.0.113.70" });
    expect(fixed).toMatchObject({ ok: true, outcome: "updated" });
    expect(await digWithTtl(pdns.dnsPort, "kept.example.test", "A")).toEqual([{ ttl: 120, data: "203.0.113.70" }]);
  });

  it("accepts an API URL that already ends in /api/v1", async () => {
    const provider = powerDnsProvider({ ...pdns, apiUrl: `${pdns.apiUrl}/api/v1/` });
    expect(await setOne(provider, { name: "v1.example.test", type: "A", content: "203.0.113.71" })).toMatchObject({ ok: true, outcome: "created" });
  });

  it("plans but does not write in a dry run", async () => {
    const before = await pdns.patches();
    const result = await setOne(powerDnsProvider(pdns), { name: "dry.example.test", type: "A", content: "203.0.113.72" }, true);
    expect(result).toMatchObject({ ok: true, outcome: "planned", previous: [] });
    expect(await pdns.patches()).toBe(before);
    expect(await digRecords(pdns.dnsPort, "dry.example.test", "A")).toEqual([]);
  });

  it("quotes the server's error text when it rejects the change (HTTP 422)", async () => {
    const cname = { name: "alias.example.test.", type: "CNAME", ttl: 300, changetype: "REPLACE", records: [{ content: "kept.example.test.", disabled: false }] };
    expect((await pdnsApi(pdns, "PATCH", "/zones/example.test.", { rrsets: [cname] })).status).toBe(204);
    const result = await setOne(powerDnsProvider(pdns), { name: "alias.example.test", type: "A", content: "203.0.113.73" });
    expect(result).toMatchObject({ ok: false, kind: "config" });
    if (!result.ok) expect(result.message).toMatch(/HTTP 422: ".*alias\.example\.test.*"/);
  });

  it.each([
    { name: "a name in no zone", over: {}, record: "host.nowhere.test", says: "no zone on PowerDNS server \"localhost\" holds" },
    { name: "an unknown server id", over: { serverId: "nope" }, record: "x.example.test", says: "HTTP 404" },
  ])("reports $name as a configuration problem", async ({ over, record, says }) => {
    const result = await setOne(powerDnsProvider({ ...pdns, ...over }), { name: record, type: "A", content: "203.0.113.74" });
    expect(result).toMatchObject({ ok: false, kind: "config" });
    if (!result.ok) expect(result.message).toContain(says);
  });

  it("never puts the API key in a message", async () => {
    const result = await setOne(powerDnsProvider({ ...pdns, apiKey: "secret-key-value" }), { name: "x.example.test", type: "A", content: "203.0.113.75" });
    expect(result).toMatchObject({ ok: false, kind: "auth" });
    if (!result.ok) expect(result.message).not.toContain("secret-key-value");
  });
});
