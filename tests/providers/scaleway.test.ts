import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { scaleway } from "../../src/providers/scaleway/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeScaleway, type FakeScaleway, type FakeScalewayOptions } from "../fakes/scaleway/fake-scaleway.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Scaleway Domains and DNS: the contract suite and the black-box runs against its fake, its PATCHes and faults. */
const KEY = "0a1b2c3d-0000-4000-8000-0123456789ab";
const WRONG = "ffffffff-0000-4000-8000-ffffffffffff";
let run = 0;

function swProvider(apiUrl: string, key = KEY): DnsProvider {
  const parsed = scaleway.parse({ DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return scaleway.create(parsed.settings, deps());
}
const start = (o: Partial<FakeScalewayOptions> = {}) => startFakeScaleway({ keys: { [KEY]: "write" }, zones: ["example.com"], maxPerPage: 2, ...o });

providerContract("scaleway", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: swProvider(fake.url),
    badAuthProvider: swProvider(fake.url, WRONG),
    unreachableProvider: swProvider(`http://127.0.0.1:${await freePort()}/domain/v2beta1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "set",
    readTxt: async (name) => fake.read(name, "TXT"),
    comments: "set",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "scaleway",
  canRead: scaleway.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "scaleway", DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("scaleway against its fake", () => {
  let fake: FakeScaleway;
  beforeAll(async () => {
    fake = await start({ keys: { [KEY]: "write", "scw-reader": "read" }, zones: ["example.com", "lab.example.com", "c.example"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const patches = () => fake.requests.filter((r) => r.method === "PATCH");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/dns-zones/*/records", method: "GET" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, Scaleway answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/dns-zones/*/records", method: "GET", retryAfter: 15, message: "too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, Scaleway's request limit is spent (HTTP 429 "too_many_requests": "too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/dns-zones/*/records", method: "GET" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, Scaleway answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/dns-zones/*/records", method: "GET" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Scaleway's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/dns-zones/*/records", method: "GET" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, Scaleway at "http:\/\/127\.0\.0\.1:\d+\/domain\/v2beta1\/dns-zones\/example\.com\/records\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(swProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(15_000);
    expect(fake.writes()).toBe(before);
  });

  it("adds new sets and replaces existing ones, all of a zone in one PATCH, keeping an existing set's TTL and comment", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 900, records: [{ value: "192.0.2.1", comment: "by hand" }] });
    const results = await set(swProvider(fake.url), [a("kept.example.com", "203.0.113.10"), a("new.example.com", "203.0.113.11", { comment: "ddnsd" }), a("example.com", "203.0.113.12", { ttl: 300 })]);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "created", "created"]);
    expect(patches().length).toBe(1);
    expect(JSON.parse(patches().at(-1)!.body)).toEqual({
      changes: [
        { set: { id_fields: { name: "kept", type: "A" }, records: [{ data: "203.0.113.10", name: "kept", priority: 0, ttl: 900, type: "A", comment: "by hand" }] } },
        { add: { records: [{ data: "203.0.113.11", name: "new", priority: 0, ttl: 3600, type: "A", comment: "ddnsd" }] } },
        { add: { records: [{ data: "203.0.113.12", name: "", priority: 0, ttl: 300, type: "A" }] } },
      ],
      return_all_records: false,
      disallow_new_zone_creation: true,
    });
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 900, records: [{ value: "203.0.113.10", comment: "by hand" }] });
  });

  it("reads the apex among the type's records (every page, two a page here), and writes nothing when all is right", async () => {
    const before = fake.writes();
    const from = fake.requests.length;
    expect(await one(swProvider(fake.url), a("example.com", "203.0.113.12", { ttl: 300 }))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
    expect(fake.requests.slice(from).filter((r) => r.path === "/dns-zones/example.com/records").map((r) => r.query)).toEqual(["?type=A&page=1&page_size=100", "?type=A&page=2&page_size=100"]);
  });

  it("retries set by set when Scaleway refuses the whole PATCH", async () => {
    const from = patches().length;
    const results = await set(swProvider(fake.url), [a("s1.example.com", "203.0.113.20", { ttl: 30 }), a("s2.example.com", "203.0.113.21")]);
    expect(results[0]).toMatchObject({ ok: false, kind: "config", message: `while writing the record set, Scaleway refused the records (HTTP 400 "invalid_arguments": "invalid argument(s)" ("ttl: the TTL must be at least 60")); check DDNS_RECORD_TTL` });
    expect(results[1]).toMatchObject({ ok: true, outcome: "created" });
    expect(patches().length - from).toBe(3);
  });

  it("names the permission a key lacks", async () => {
    expect(await one(swProvider(fake.url, "scw-reader"), a("scoped.example.com", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "auth",
      message: `while writing the record set, Scaleway refused the PATCH (HTTP 403 "permissions_denied": "insufficient permissions" ("write: dns_zone")); the API key in DDNS_PROVIDER_API_TOKEN needs an IAM policy with DomainsDNSFullAccess on the project of the zone`,
    });
  });

  it("follows the zone list's pages and puts names into subdomain zones", async () => {
    expect(await one(swProvider(fake.url), a("nas.lab.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    expect(patches().at(-1)!.path).toBe("/dns-zones/lab.example.com/records");
    expect(await one(swProvider(fake.url), a("home.c.example", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.filter((r) => r.path === "/dns-zones").slice(-2).map((r) => r.query)).toEqual(["?page=1&page_size=100", "?page=2&page_size=100"]);
  });

  it("says what to do for a name no zone holds", async () => {
    expect(await one(swProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no Scaleway zone holds "home.example.org" (tried "home.example.org", "example.org"); add the DNS zone in the Scaleway console (Domains and DNS) of the project the API key may use`,
    });
  });

  it("says it could not confirm a PATCH whose answer was lost, and finds the set on the next round", async () => {
    fake.fault({ kind: "reset", method: "PATCH", path: "/dns-zones/*/records", afterApply: true });
    const provider = swProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });
});
