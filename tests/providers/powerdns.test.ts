import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { digRecords, digWithTtl, setOne } from "../peers/dns-fixtures.ts";
import { startPowerDns, type PowerDnsPeer } from "../peers/pdns-peer.ts";
import { pdnsApi, powerDnsContractPeer, powerDnsProvider } from "../peers/powerdns-setup.ts";
import { providerContract } from "./provider-contract.ts";
import { runBinary } from "../blackbox/harness.ts";
import { startIpEcho } from "../fakes/ip-echo.ts";

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
    const fixed = await setOne(powerDnsProvider(pdns), { name: "kept.example.test", type: "A", content: "203.0.113.70", ttl: 120 });
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
    { name: "a name in no zone", over: {}, record: "host.nowhere.test", says: 'no PowerDNS zone holds "host.nowhere.test" (tried "host.nowhere.test", "nowhere.test"); create the zone on PowerDNS server "localhost"' },
    { name: "an unknown server id", over: { serverId: "nope" }, record: "x.example.test", says: 'the PowerDNS API does not know server id "nope" (HTTP 404: "Not Found"); check DDNS_POWERDNS_SERVER_ID' },
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

  it("replaces the A and AAAA sets of two names of one zone with one PATCH, the comment stored with each set", async () => {
    const before = await pdns.patches();
    const requests = ["multi-1", "multi-2"].flatMap((label) => [
      { name: `${label}.example.test`, type: "A" as const, content: "203.0.113.81", comment: "kept by ddnsd" },
      { name: `${label}.example.test`, type: "AAAA" as const, content: "2001:db8::81", comment: "kept by ddnsd" },
    ]);
    const results = await powerDnsProvider(pdns).setRecords(requests, { signal: AbortSignal.timeout(10_000), dryRun: false });
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created", "created"]);
    expect(await pdns.patches()).toBe(before + 1);
    for (const label of ["multi-1", "multi-2"]) {
      expect(await digRecords(pdns.dnsPort, `${label}.example.test`, "A")).toEqual(["203.0.113.81"]);
      expect(await digRecords(pdns.dnsPort, `${label}.example.test`, "AAAA")).toEqual(["2001:db8::81"]);
    }
    const zone = (await (await pdnsApi(pdns, "GET", "/zones/example.test.?rrset_name=multi-2.example.test.&rrset_type=AAAA")).json()) as { rrsets: Array<{ name: string; comments: Array<{ content: string }> }> };
    expect(zone.rrsets.find((r) => r.name === "multi-2.example.test.")?.comments.map((c) => c.content)).toEqual(["kept by ddnsd"]);
  });

  it("ignores disabled records when it compares, and does not report them as held", async () => {
    const rrset = { name: "parked.example.test.", type: "A", ttl: 300, changetype: "REPLACE", records: [{ content: "203.0.113.82", disabled: false }, { content: "192.0.2.82", disabled: true }] };
    expect((await pdnsApi(pdns, "PATCH", "/zones/example.test.", { rrsets: [rrset] })).status).toBe(204);
    const result = await setOne(powerDnsProvider(pdns), { name: "parked.example.test", type: "A", content: "203.0.113.82" });
    expect(result).toMatchObject({ ok: true, outcome: "unchanged", previous: ["203.0.113.82"] });
  });

  it("finds the zone again when the one it knew was deleted (the name now falls in the parent zone)", async () => {
    await pdns.createZone("moved.example.test");
    const provider = powerDnsProvider(pdns);
    expect(await setOne(provider, { name: "a.moved.example.test", type: "A", content: "203.0.113.83" })).toMatchObject({ ok: true, outcome: "created" });
    expect((await pdnsApi(pdns, "DELETE", "/zones/moved.example.test.")).status).toBe(204);
    expect(await setOne(provider, { name: "a.moved.example.test", type: "A", content: "203.0.113.84" })).toMatchObject({ ok: true, outcome: "created" });
    expect(await digRecords(pdns.dnsPort, "a.moved.example.test", "A")).toEqual(["203.0.113.84"]);
    const parent = (await (await pdnsApi(pdns, "GET", "/zones/example.test.")).json()) as { rrsets: { name: string }[] };
    expect(parent.rrsets.map((r) => r.name)).toContain("a.moved.example.test.");
  });

  it("dist/ddnsd once: four records of one zone in one PATCH, with DDNS_RECORD_TTL", async () => {
    const ip = startIpEcho({ v4: "203.0.113.85", v6: "2001:db8::85" });
    try {
      const before = await pdns.patches();
      const { code, lines } = await runBinary(["once"], {
        DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_TOKEN: pdns.apiKey, DDNS_PROVIDER_API_URL: pdns.apiUrl,
        DDNS_RECORDS: "bb-1.example.test,bb-2.example.test", DDNS_IP_VERSIONS: "4,6", DDNS_RECORD_TTL: "120",
        DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`, DDNS_IP_SOURCE_URLS_V6: `${ip.url}/v6`, DDNS_HTTP_ADDR: "off",
      });
      expect({ code, lines: lines.filter((l) => /WARN|ERROR/.test(l)) }).toEqual({ code: 0, lines: [] });
      expect(await pdns.patches()).toBe(before + 1);
      for (const name of ["bb-1.example.test", "bb-2.example.test"]) {
        expect(await digWithTtl(pdns.dnsPort, name, "A")).toEqual([{ ttl: 120, data: "203.0.113.85" }]);
        expect(await digWithTtl(pdns.dnsPort, name, "AAAA")).toEqual([{ ttl: 120, data: "2001:db8::85" }]);
      }
    } finally {
      await ip.stop();
    }
  });
});
