import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { transip } from "../../src/providers/transip/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { startFakeTransip, type FakeTransip } from "../fakes/transip/fake-transip.ts";
import { deps } from "./test-requests.ts";

/**
 * DDNS_OWNER_ID on TransIP, whose entries have no ids: the owner TXT names an entry by name|expire|type|content, so
 * every address change moves it to the new entry. Two daemons share one name over several rounds without flapping.
 */
const LOGIN = "ddnsdowner";
const KEY = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = KEY.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
function tpProvider(apiUrl: string): DnsProvider {
  const parsed = transip.parse({ DDNS_PROVIDER_API_TOKEN: PEM, DDNS_TRANSIP_LOGIN: LOGIN, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return transip.create(parsed.settings, deps());
}
const as = (ownerId: string, content: string, name = "home.example.com"): RecordRequest => ({ name, type: "A", content, ownerId });
const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await p.setRecords([request], { signal: AbortSignal.timeout(5_000), dryRun: false }))[0]!;

describe("transip with DDNS_OWNER_ID", () => {
  let fake: FakeTransip;
  beforeAll(async () => {
    fake = await startFakeTransip({ accounts: { [LOGIN]: { publicKey: KEY.publicKey } }, zones: ["example.com"] });
  });
  afterAll(() => fake.stop());
  const writes = () => fake.requests.filter((r) => r.method !== "GET" && r.path !== "/auth").length;

  it("names the entry by name, TTL, type and address in its owner TXT, and moves it when the address changes", async () => {
    const provider = tpProvider(fake.url);
    expect(await one(provider, { ...as("solo", "203.0.113.1"), name: "solo.example.com" })).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.read("_ddnsd-a.solo.example.com", "TXT")).toEqual(["heritage=ddnsd,owner=solo,record=solo|3600|A|203.0.113.1"]);
    // A new daemon (nothing cached) reads the name: the entry is its own, changed in place, and the TXT follows it.
    expect(await one(tpProvider(fake.url), { ...as("solo", "203.0.113.2"), name: "solo.example.com" })).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.1"] });
    expect(fake.read("solo.example.com", "A")).toEqual(["203.0.113.2"]);
    expect(fake.read("_ddnsd-a.solo.example.com", "TXT")).toEqual(["heritage=ddnsd,owner=solo,record=solo|3600|A|203.0.113.2"]);
  });

  it("never PATCHes (TransIP names a PATCH's entry by name, type and TTL, which another daemon's entry may share): adds the new entry, then removes its own old one", async () => {
    const name = "shared.example.com";
    const a = tpProvider(fake.url);
    expect(await one(a, as("a", "203.0.113.70", name))).toMatchObject({ ok: true, outcome: "created" });
    expect(await one(tpProvider(fake.url), as("b", "198.51.100.70", name))).toMatchObject({ ok: true, outcome: "created" });
    const from = fake.requests.length;
    expect(await one(a, as("a", "203.0.113.71", name))).toMatchObject({ ok: true, outcome: "updated", previous: ["203.0.113.70"] });
    const sent = fake.requests.slice(from).filter((r) => r.method !== "GET" && r.path !== "/auth").map((r) => `${r.method} ${JSON.parse(r.body).dnsEntry.type} ${JSON.parse(r.body).dnsEntry.content}`);
    expect(sent).toEqual(["POST A 203.0.113.71", "DELETE A 203.0.113.70", "POST TXT heritage=ddnsd,owner=a,record=shared|3600|A|203.0.113.71", "DELETE TXT heritage=ddnsd,owner=a,record=shared|3600|A|203.0.113.70"]);
    expect(fake.read(name, "A").sort()).toEqual(["198.51.100.70", "203.0.113.71"]);
  });

  it.each([
    { name: "each daemon in turn changes its address", host: "turns", rounds: [["a", "203.0.113.10"], ["b", "198.51.100.10"], ["a", "203.0.113.11"], ["b", "198.51.100.11"], ["a", "203.0.113.12"], ["b", "198.51.100.12"]] },
    { name: "one daemon changes its address several times while the other's stays", host: "steady", rounds: [["b", "198.51.100.20"], ["a", "203.0.113.20"], ["a", "203.0.113.21"], ["a", "203.0.113.22"], ["b", "198.51.100.21"]] },
  ])("two daemons share one name beside a hand-made entry without flapping: $name", async ({ host, rounds }) => {
    const name = `${host}.example.com`;
    const texts = () => fake.read(`_ddnsd-a.${name}`, "TXT").sort();
    fake.edit(name, "A", ["192.0.2.50"]);
    const daemons: Record<string, { provider: DnsProvider; address?: string }> = { a: { provider: tpProvider(fake.url) }, b: { provider: tpProvider(fake.url) } };
    for (const [owner, address] of rounds as ReadonlyArray<readonly [string, string]>) {
      const daemon = daemons[owner]!;
      const other = daemons[owner === "a" ? "b" : "a"]!;
      expect(await one(daemon.provider, as(owner, address, name))).toMatchObject({ ok: true, outcome: daemon.address ? "updated" : "created" });
      daemon.address = address;
      const expected = ["192.0.2.50", daemons.a!.address, daemons.b!.address].filter((x): x is string => x !== undefined).sort();
      expect(fake.read(name, "A").sort()).toEqual(expected);
      expect(texts()).toEqual(Object.entries(daemons).filter(([, d]) => d.address).map(([o, d]) => `heritage=ddnsd,owner=${o},record=${host}|3600|A|${d.address}`).sort());
      // The round after: neither daemon writes anything, from memory or (a fresh daemon) from a read.
      const before = writes();
      for (const [o, d] of Object.entries(daemons)) if (d.address) expect(await one(d.provider, as(o, d.address, name))).toMatchObject({ ok: true, outcome: "unchanged" });
      if (other.address) expect(await one(tpProvider(fake.url), as(owner === "a" ? "b" : "a", other.address, name))).toMatchObject({ ok: true, outcome: "unchanged", notOwned: expect.arrayContaining(["192.0.2.50", address]) });
      expect(writes()).toBe(before);
    }
  });
});
