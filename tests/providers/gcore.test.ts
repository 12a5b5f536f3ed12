import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { gcore } from "../../src/providers/gcore/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeGcore, type FakeGcore, type FakeGcoreOptions } from "../fakes/gcore/fake-gcore.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Gcore DNS: the contract suite and the black-box runs against its fake, its create/replace split, zone pages and faults. */
const TOKEN = "1234$abcdef0123456789abcdef0123456789";
const WRONG = "9999$zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
let run = 0;

function gcProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = gcore.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return gcore.create(parsed.settings, deps());
}
const start = (o: Partial<FakeGcoreOptions> = {}) => startFakeGcore({ tokens: { [TOKEN]: "write" }, zones: ["example.com"], ...o });

providerContract("gcore", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: gcProvider(fake.url),
    badAuthProvider: gcProvider(fake.url, WRONG),
    unreachableProvider: gcProvider(`http://127.0.0.1:${await freePort()}/dns/v2`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [TOKEN, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "set",
    readTxt: async (name) => fake.read(name, "TXT"),
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "gcore",
  canRead: gcore.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "gcore", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [TOKEN, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("gcore against its fake", () => {
  let fake: FakeGcore;
  const zones = ["example.com", "lab.example.com", ...Array.from({ length: 110 }, (_, i) => `other-${String(i).padStart(3, "0")}.example.net`)];
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: "write", reader: "read" }, zones });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/zones/*/*/A" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, Gcore answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/zones/*/*/A", retryAfter: 30, message: "too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, Gcore's request limit is spent (HTTP 429: "too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/zones/*/*/A" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, Gcore answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/zones/*/*/A" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Gcore's record set is not in the documented shape/) },
    },
    {
      name: "a redirect of the zone list to another origin",
      rule: { kind: "redirect", path: "/zones" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while looking up the zone, Gcore at "http:\/\/127\.0\.0\.1:\d+\/dns\/v2\/zones\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(gcProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a write whose answer never came, and finds the set on the next round", async () => {
    fake.fault({ kind: "hang", method: "POST", path: "/zones/*/*/A", afterApply: true });
    const provider = gcProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("names what a read-only token lacks", async () => {
    expect(await one(gcProvider(fake.url, "reader"), a("scoped.example.com", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while writing the record set, Gcore refused the POST (HTTP 403: "permission denied"); the token in DDNS_PROVIDER_API_TOKEN must belong to a user whose role may change the zone's DNS records`,
    });
  });

  it.each([
    { name: "auto: a new set gets 3600", request: a("auto.example.com", "203.0.113.50"), path: "/zones/example.com/auto.example.com/A", body: { ttl: 3600, resource_records: [{ content: ["203.0.113.50"] }] } },
    { name: "a TTL the operator set", request: a("set.example.com", "203.0.113.51", { ttl: 60 }), path: "/zones/example.com/set.example.com/A", body: { ttl: 60, resource_records: [{ content: ["203.0.113.51"] }] } },
    { name: "the apex of a second zone", request: a("lab.example.com", "203.0.113.52"), path: "/zones/lab.example.com/lab.example.com/A", body: { ttl: 3600, resource_records: [{ content: ["203.0.113.52"] }] } },
    { name: "an AAAA set below the second zone", request: { name: "nas.lab.example.com", type: "AAAA", content: "2001:db8::53" } as RecordRequest, path: "/zones/lab.example.com/nas.lab.example.com/AAAA", body: { ttl: 3600, resource_records: [{ content: ["2001:db8::53"] }] } },
  ])("creates a set with one POST — $name", async ({ request, path, body }) => {
    const before = writes().length;
    expect(await one(gcProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([{ method: "POST", path, body }]);
  });

  it("replaces the records of an existing set with one PUT, keeping its TTL; nothing when it is right", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 120, records: [{ value: "192.0.2.1" }, { value: "192.0.2.2" }] });
    const before = writes().length;
    expect(await one(gcProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2"] });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([
      { method: "PUT", path: "/zones/example.com/kept.example.com/A", body: { ttl: 120, resource_records: [{ content: ["203.0.113.60"] }] } },
    ]);
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 120, records: [{ value: "203.0.113.60" }] });
    const after = fake.writes();
    expect(await one(gcProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(after);
  });

  it("reads every page of the zone list (100 a page) to find a zone on the second", async () => {
    const before = fake.requests.length;
    expect(await one(gcProvider(fake.url), a("www.other-109.example.net", "203.0.113.90"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(before, before + 2).map((r) => `${r.method} ${r.path}${r.query}`)).toEqual(["GET /zones?limit=100&offset=0", "GET /zones?limit=100&offset=100"]);
  });

  it("turns Gcore's refusal of a body into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 400, method: "POST", path: "/zones/*/bad.example.com/A", message: "ttl is out of range" });
    expect(await one(gcProvider(fake.url), a("bad.example.com", "203.0.113.61"))).toMatchObject({ ok: false, kind: "config", message: `while writing the record set, Gcore refused the record set (HTTP 400: "ttl is out of range"); check DDNS_RECORD_TTL` });
  });

  it("says a set created meanwhile is a passing conflict, and the next round replaces it", async () => {
    fake.fault({ kind: "status", status: 409, method: "POST", path: "/zones/*/raced.example.com/A", message: "rrset already exists" });
    const provider = gcProvider(fake.url);
    expect(await one(provider, a("raced.example.com", "203.0.113.62"))).toMatchObject({ ok: false, kind: "transient", message: `while writing the record set, Gcore refused to create the record set (HTTP 409: "rrset already exists"): it was created meanwhile, by hand or by another tool` });
    fake.edit("raced.example.com", "A", ["192.0.2.62"]);
    expect(await one(provider, a("raced.example.com", "203.0.113.62"))).toMatchObject({ ok: true, outcome: "updated" });
  });

  it("says what to do for a name no zone of the token holds", async () => {
    expect(await one(gcProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no Gcore zone holds "home.example.org" (tried "home.example.org", "example.org"); add the zone to the Gcore account the token belongs to`,
    });
  });
});
