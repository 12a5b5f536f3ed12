import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { spaceship } from "../../src/providers/spaceship/descriptor.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeSpaceship, type FakeSpaceship, type FakeSpaceshipOptions } from "../fakes/spaceship/fake-spaceship.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Spaceship: the contract suite and the black-box runs against its fake, its save-then-delete writes, pages and faults. */
const KEY = "JdIS8QYFMZpVKupJtdc3";
const SECRET = "F3brvQluT4s8aDB7PeFBH6qKHfH2xTKTneCjZbq3z2w7";
const WRONG = "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function ssProvider(apiUrl: string, secret = SECRET, key = KEY): DnsProvider {
  const parsed = spaceship.parse({ DDNS_PROVIDER_API_KEY: key, DDNS_PROVIDER_API_TOKEN: secret, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return spaceship.create(parsed.settings, deps());
}
const start = (o: Partial<FakeSpaceshipOptions> = {}) => startFakeSpaceship({ keys: { [`${KEY}:${SECRET}`]: "write" }, zones: ["example.com"], ...o });

providerContract("spaceship", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: ssProvider(fake.url),
    badAuthProvider: ssProvider(fake.url, WRONG),
    unreachableProvider: ssProvider(`http://127.0.0.1:${await freePort()}/api/v1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, SECRET, WRONG],
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
  id: "spaceship",
  canRead: spaceship.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "spaceship", DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, SECRET, WRONG],
      read: async (name, type) => fake.read(name, type),
      // One change is one save (PUT), and for a changed address also the DELETE of the old one: the runs count saves.
      writes: async () => fake.writes("PUT"),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("spaceship against its fake", () => {
  let fake: FakeSpaceship;
  const zones = ["example.com", "lab.example.com", ...Array.from({ length: 120 }, (_, i) => `other-${String(i).padStart(3, "0")}.example.net`)];
  beforeAll(async () => {
    fake = await start({ keys: { [`${KEY}:${SECRET}`]: "write", [`${KEY}:reader`]: "read", [`${KEY}:dns-only`]: "dns-only" }, zones });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/dns/records/example.com" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, Spaceship answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/dns/records/example.com", retryAfter: 30, message: "Too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, Spaceship's request limit is spent (HTTP 429: "Too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/dns/records/example.com" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, Spaceship answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/dns/records/example.com" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Spaceship's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/dns/records/example.com" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, Spaceship at "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/dns\/records\/example\.com\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(ssProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a save whose answer never came, and finds the record on the next round", async () => {
    fake.fault({ kind: "hang", method: "PUT", path: "/dns/records/example.com", afterApply: true });
    const provider = ssProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it.each([
    { name: "a key without dnsrecords:write", secret: "reader", message: `while writing the record set, Spaceship refused the PUT (HTTP 403: "The API key has no permission dnsrecords:write."); the API key in DDNS_PROVIDER_API_KEY needs the permissions domains:read, dnsrecords:read and dnsrecords:write` },
    { name: "a key without domains:read", secret: "dns-only", message: `while looking up the zone, Spaceship refused the GET (HTTP 403: "The API key has no permission domains:read."); the API key in DDNS_PROVIDER_API_KEY needs the permissions domains:read, dnsrecords:read and dnsrecords:write` },
  ])("names the permission $name lacks", async ({ secret, message }) => {
    expect(await one(ssProvider(fake.url, secret), a("scoped.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind: "auth", message });
  });

  it.each([
    { name: "auto: a new record gets 3600", request: a("auto.example.com", "203.0.113.50"), path: "/dns/records/example.com", body: { force: true, items: [{ type: "A", name: "auto", address: "203.0.113.50", ttl: 3600 }] } },
    { name: "a TTL the operator set", request: a("set.example.com", "203.0.113.51", { ttl: 600 }), path: "/dns/records/example.com", body: { force: true, items: [{ type: "A", name: "set", address: "203.0.113.51", ttl: 600 }] } },
    { name: "the apex of a second domain", request: a("lab.example.com", "203.0.113.52"), path: "/dns/records/lab.example.com", body: { force: true, items: [{ type: "A", name: "@", address: "203.0.113.52", ttl: 3600 }] } },
    { name: "a name below the second domain", request: { name: "nas.lab.example.com", type: "AAAA", content: "2001:db8::53" } as RecordRequest, path: "/dns/records/lab.example.com", body: { force: true, items: [{ type: "AAAA", name: "nas", address: "2001:db8::53", ttl: 3600 }] } },
  ])("saves a new record with one PUT — $name", async ({ request, path, body }) => {
    const before = writes().length;
    expect(await one(ssProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([{ method: "PUT", path, body }]);
  });

  it("changes an address by saving the new one, then deleting the old one, keeping the TTL; nothing when it is right", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 1200, records: [{ value: "192.0.2.1" }] });
    const before = writes().length;
    expect(await one(ssProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().slice(before).map((w) => ({ method: w.method, body: JSON.parse(w.body) }))).toEqual([
      { method: "PUT", body: { force: true, items: [{ type: "A", name: "kept", address: "203.0.113.60", ttl: 1200 }] } },
      { method: "DELETE", body: [{ type: "A", name: "kept", address: "192.0.2.1" }] },
    ]);
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 1200, records: [{ value: "203.0.113.60" }] });
    const after = fake.writes();
    expect(await one(ssProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(after);
  });

  it("says it could not confirm a change whose old address could not be removed, and removes it on the next round", async () => {
    fake.edit("half.example.com", "A", ["192.0.2.30"]);
    fake.fault({ kind: "status", status: 500, method: "DELETE", path: "/dns/records/example.com", message: "Internal error", times: 1 });
    const provider = ssProvider(fake.url);
    expect(await one(provider, a("half.example.com", "203.0.113.30"))).toMatchObject({
      ok: false, kind: "transient", unconfirmed: true, message: `while writing the record set, the new address was saved, but removing the old one failed: Spaceship failed (HTTP 500: "Internal error")`,
    });
    expect(fake.read("half.example.com", "A")).toEqual(["192.0.2.30", "203.0.113.30"]);
    expect(await one(provider, a("half.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.read("half.example.com", "A")).toEqual(["203.0.113.30"]);
  });

  it("writes the records of one domain together: one PUT and one DELETE", async () => {
    fake.edit("multi-a.example.com", "A", ["192.0.2.8"]);
    fake.edit("multi-b.example.com", "A", ["192.0.2.9"]);
    const before = writes().length;
    const results = await set(ssProvider(fake.url), [a("multi-a.example.com", "203.0.113.70"), a("multi-b.example.com", "203.0.113.71"), a("multi-c.example.com", "203.0.113.72")]);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "updated", "created"]);
    expect(writes().slice(before).map((w) => `${w.method} ${JSON.parse(w.body).items?.length ?? JSON.parse(w.body).length}`)).toEqual(["PUT 3", "DELETE 2"]);
  });

  it("reads every page of the domain list (100 a page) and of a long record list (500 a page)", async () => {
    for (let i = 0; i < 520; i++) fake.store.put({ zone: "other-119.example.net", name: `h${i}.other-119.example.net`, type: "A", ttl: 300, records: [{ value: "192.0.2.10" }] });
    fake.edit("h519.other-119.example.net", "A", ["203.0.113.90"]);
    const before = fake.requests.length;
    expect(await one(ssProvider(fake.url), a("h519.other-119.example.net", "203.0.113.90"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}${r.query}`)).toEqual([
      "GET /domains?take=100&skip=0",
      "GET /domains?take=100&skip=100",
      "GET /dns/records/other-119.example.net?take=500&skip=0",
      "GET /dns/records/other-119.example.net?take=500&skip=500",
    ]);
  });

  it("turns Spaceship's field errors into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 400, method: "PUT", path: "/dns/records/example.com", message: "TTL must be between 60 and 3600" });
    const r = await one(ssProvider(fake.url), a("bad.example.com", "203.0.113.61"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: `while writing the record set, Spaceship refused the records (HTTP 400: "Validation failed" (body: "TTL must be between 60 and 3600")); check DDNS_RECORD_TTL (60…3600 at Spaceship)` });
  });

  it("says what to do for a name no domain of the key holds", async () => {
    expect(await one(ssProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no Spaceship zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to the Spaceship account the API key belongs to, with Spaceship's name servers`,
    });
  });
});
