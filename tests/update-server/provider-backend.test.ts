import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { createProviderBackend } from "../../src/update-server/provider-backend.ts";
import { combineOutcomes, type HostUpdate, type RecordOutcome } from "../../src/update-server/types.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { cloudflare } from "../../src/providers/cloudflare/descriptor.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";

/** The Worker's backend: the Cloudflare provider as the source of truth, the isolate's memory as a short cut. */
const TOKEN = "cf-backend-token-4455";
let cf: FakeCloudflare;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
});
afterAll(() => cf.stop());
beforeEach(() => {
  for (const r of cf.records()) cf.remove(r.id);
  cf.faults.clear();
  cf.clearRequests();
});

function setup(token = TOKEN) {
  let now = 1_700_000_000_000;
  const log = createMemoryLogger("debug", [token]);
  const provider = cloudflare.create({ token, apiUrl: cf.url }, { fetch, log, now: () => now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
  const backend = createProviderBackend({ provider, records: ["home.example.com", "home.example.org"], families: [4, 6], verifyMs: 60_000, now: () => now, log });
  const update = (host: string, ...addresses: string[]): HostUpdate => ({ host, addresses: addresses.map((address) => ({ family: address.includes(":") ? 6 : 4, address })) });
  const apply = (...updates: HostUpdate[]) => backend.apply(updates, AbortSignal.timeout(5000));
  return { backend, update, apply, log, advance: (ms: number) => void (now += ms) };
}

describe("provider backend", () => {
  it("good, then nochg from memory without a request, then nochg from the provider once memory is stale", async () => {
    const t = setup();
    const u = t.update("home.example.com", "203.0.113.7", "2001:db8::7");
    expect(t.backend.confirmed(u)).toBe(false);
    expect(await t.apply(u)).toEqual(["good"]);
    expect([cf.contents("home.example.com", "A"), cf.contents("home.example.com", "AAAA")]).toEqual([["203.0.113.7"], ["2001:db8::7"]]);
    expect(t.backend.confirmed(u)).toBe(true);
    t.advance(60_000);
    expect(t.backend.confirmed(u)).toBe(false);
    const writes = cf.writes();
    expect(await t.apply(u)).toEqual(["nochg"]);
    expect(cf.writes()).toBe(writes);
  });

  it("repairs a record edited by hand: the provider is the source of truth", async () => {
    const t = setup();
    cf.seed({ name: "home.example.com", type: "A", content: "198.51.100.99" });
    expect(await t.apply(t.update("home.example.com", "203.0.113.7"))).toEqual(["good"]);
    expect(cf.contents("home.example.com", "A")).toEqual(["203.0.113.7"]);
  });

  it.each([
    { name: "no such zone at the provider", token: TOKEN, host: "home.example.org", fault: undefined, expected: "dnserr" },
    { name: "the token is refused", token: "wrong-token-0000", host: "home.example.com", fault: undefined, expected: "dnserr" },
    { name: "the API fails", token: TOKEN, host: "home.example.com", fault: { kind: "status" as const, status: 503, times: 20 }, expected: "911" },
    { name: "the API rate limits", token: TOKEN, host: "home.example.com", fault: { kind: "rate-limit" as const, times: 20 }, expected: "911" },
  ])("$name → $expected", async ({ token, host, fault, expected }) => {
    if (fault) cf.faults.add(fault);
    const t = setup(token);
    const u = t.update(host, "203.0.113.7");
    expect(await t.apply(u)).toEqual([expected]);
    expect(t.backend.confirmed(u)).toBe(false);
    expect(t.log.lines.join("\n")).not.toContain(token);
  });

  it("answers each host for itself", async () => {
    const t = setup();
    cf.seed({ name: "home.example.com", type: "A", content: "203.0.113.7" });
    expect(await t.apply(t.update("home.example.com", "203.0.113.7"), t.update("home.example.org", "203.0.113.7"))).toEqual(["nochg", "dnserr"]);
  });
});

describe("combineOutcomes", () => {
  it.each([
    { name: "all unchanged", records: ["unchanged", "unchanged"], expected: "nochg" },
    { name: "one changed", records: ["unchanged", "changed"], expected: "good" },
    { name: "a transient failure wins over a change", records: ["changed", "transient"], expected: "911" },
    { name: "a refusal wins over everything", records: ["transient", "refused", "changed"], expected: "dnserr" },
  ])("$name → $expected", ({ records, expected }) => {
    expect(combineOutcomes([...records] as RecordOutcome[])).toBe(expected as never);
  });
});
