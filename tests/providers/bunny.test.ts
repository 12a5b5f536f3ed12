import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { bunny } from "../../src/providers/bunny/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeBunny, type FakeBunny, type FakeBunnyOptions } from "../fakes/bunny/fake-bunny.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** bunny.net DNS: the contract suite and the black-box runs against its fake, its records by id, comments and faults. */
const KEY = "7b2c9a4e-1f3d-4c5b-8a6e-0123456789ab-aaaa-bbbb";
const WRONG = "00000000-0000-0000-0000-000000000000-zzzz-zzzz";
let run = 0;

function bnProvider(apiUrl: string, key = KEY): DnsProvider {
  const parsed = bunny.parse({ DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return bunny.create(parsed.settings, deps());
}
const start = (o: Partial<FakeBunnyOptions> = {}) => startFakeBunny({ keys: [KEY], zones: ["example.com"], ...o });

providerContract("bunny", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: bnProvider(fake.url),
    badAuthProvider: bnProvider(fake.url, WRONG),
    unreachableProvider: bnProvider(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    comments: "record",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "bunny",
  canRead: bunny.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "bunny", DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
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

describe("bunny against its fake", () => {
  let fake: FakeBunny;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/dnszone/*" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, bunny.net answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/dnszone/*", retryAfter: 20, message: "Too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, bunny.net's request limit is spent (HTTP 429 "error": "Too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/dnszone/*" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, bunny.net answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/dnszone/*" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, bunny.net's DNS zone is not in the documented shape/) },
    },
    {
      name: "a redirect of the zone list to another origin",
      rule: { kind: "redirect", path: "/dnszone" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/bunny\.net at "http:\/\/127\.0\.0\.1:\d+\/dnszone\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(bnProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a create whose answer never came, and finds the record on the next round", async () => {
    fake.fault({ kind: "hang", method: "PUT", path: "/dnszone/*/records", afterApply: true });
    const provider = bnProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });

  it.each([
    { name: "auto: a new record gets 300", request: a("auto.example.com", "203.0.113.50"), path: "/dnszone/100/records", body: { Type: 0, Name: "auto", Value: "203.0.113.50", Ttl: 300 } },
    { name: "a TTL and a comment the operator set", request: a("set.example.com", "203.0.113.51", { ttl: 60, comment: "ddnsd" }), path: "/dnszone/100/records", body: { Type: 0, Name: "set", Value: "203.0.113.51", Ttl: 60, Comment: "ddnsd" } },
    { name: "the apex of a second zone", request: a("lab.example.com", "203.0.113.52"), path: "/dnszone/101/records", body: { Type: 0, Name: "", Value: "203.0.113.52", Ttl: 300 } },
    { name: "an AAAA record below the second zone", request: { name: "nas.lab.example.com", type: "AAAA", content: "2001:db8::53" } as RecordRequest, path: "/dnszone/101/records", body: { Type: 1, Name: "nas", Value: "2001:db8::53", Ttl: 300 } },
  ])("creates a record with one PUT — $name", async ({ request, path, body }) => {
    const before = writes().length;
    expect(await one(bnProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([{ method: "PUT", path, body }]);
  });

  it("changes an address by id with one POST, keeping the TTL and the comment set by hand; nothing when it is right", async () => {
    const kept = fake.store.add({ zone: "example.com", name: "kept.example.com", type: "A", content: "192.0.2.1", ttl: 1200, extra: { comment: "router" } });
    const before = writes().length;
    expect(await one(bnProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([
      { method: "POST", path: `/dnszone/100/records/${kept.id}`, body: { Id: Number(kept.id), Type: 0, Name: "kept", Value: "203.0.113.60", Ttl: 1200, Comment: "router" } },
    ]);
    const after = fake.writes();
    expect(await one(bnProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(after);
  });

  it("sends the comment ddnsd writes along with an address change, and never writes for the comment alone", async () => {
    const held = fake.store.add({ zone: "example.com", name: "tagged.example.com", type: "A", content: "192.0.2.61", ttl: 300, extra: { comment: "by hand" } });
    expect(await one(bnProvider(fake.url), a("tagged.example.com", "203.0.113.61", { comment: "managed by ddnsd" }))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.store.byId(held.id)).toMatchObject({ content: "203.0.113.61", extra: { comment: "managed by ddnsd" } });
    fake.store.update(held.id, { extra: { comment: "edited again" } });
    const before = fake.writes();
    expect(await one(bnProvider(fake.url), a("tagged.example.com", "203.0.113.61", { comment: "managed by ddnsd" }))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
  });

  it("keeps one of duplicate records and deletes the others", async () => {
    fake.store.add({ zone: "example.com", name: "dup.example.com", type: "A", content: "192.0.2.7", ttl: 300, extra: {} });
    fake.store.add({ zone: "example.com", name: "dup.example.com", type: "A", content: "203.0.113.70", ttl: 300, extra: {} });
    expect(await one(bnProvider(fake.url), a("dup.example.com", "203.0.113.70"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.70"]);
  });

  it("reads again and creates the record when its id went stale (404 on the POST)", async () => {
    const provider = bnProvider(fake.url);
    fake.edit("stale.example.com", "A", ["192.0.2.8"]);
    expect(await one(provider, a("stale.example.com", "203.0.113.80"))).toMatchObject({ ok: true, outcome: "updated" });
    fake.edit("stale.example.com", "A", []);
    const before = fake.requests.length;
    expect(await one(provider, a("stale.example.com", "203.0.113.81"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.read("stale.example.com", "A")).toEqual(["203.0.113.81"]);
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\d{4}$/, "{id}")} ${r.status}`)).toEqual(["POST /dnszone/100/records/{id} 404", "GET /dnszone/100 200", "PUT /dnszone/100/records 201"]);
  });

  it("turns bunny.net's field errors into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 400, method: "PUT", path: "/dnszone/100/records", message: "The TTL must be at least 15 seconds" });
    expect(await one(bnProvider(fake.url), a("bad.example.com", "203.0.113.62"))).toMatchObject({ ok: false, kind: "config", message: `while creating the record, bunny.net refused the record (HTTP 400 "validation_error": "The TTL must be at least 15 seconds"); check DDNS_RECORD_TTL and DDNS_RECORD_COMMENT` });
  });

  it("says what to do for a name no zone of the account holds", async () => {
    expect(await one(bnProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no bunny.net zone holds "home.example.org" (tried "home.example.org", "example.org"); add the zone under DNS in the bunny.net account the API key belongs to`,
    });
  });
});
