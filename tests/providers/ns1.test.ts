import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { ns1 } from "../../src/providers/ns1/descriptor.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeNs1, type FakeNs1, type FakeNs1Options } from "../fakes/ns1/fake-ns1.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** NS1: the contract suite and the black-box runs against its fake, its create/update split, TTLs and faults. */
const KEY = "qACMD09OJXBxT7XOuRs8";
const WRONG = "ZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function nsProvider(apiUrl: string, key = KEY): DnsProvider {
  const parsed = ns1.parse({ DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return ns1.create(parsed.settings, deps());
}
const start = (o: Partial<FakeNs1Options> = {}) => startFakeNs1({ keys: { [KEY]: "manage" }, zones: ["example.com"], ...o });

providerContract("ns1", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: nsProvider(fake.url),
    badAuthProvider: nsProvider(fake.url, WRONG),
    unreachableProvider: nsProvider(`http://127.0.0.1:${await freePort()}/v1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG],
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
  id: "ns1",
  canRead: ns1.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "ns1", DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
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

describe("ns1 against its fake", () => {
  let fake: FakeNs1;
  beforeAll(async () => {
    fake = await start({ keys: { [KEY]: "manage", viewer: "view" }, zones: ["example.com", "lab.example.com"], zoneTtl: 1800 });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/zones/*/*/A" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, NS1 answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with X-Ratelimit-Period and no Retry-After",
      rule: { kind: "rate-limit", path: "/zones/*/*/A", retryAfter: null, message: "rate limit exceeded", headers: { "X-Ratelimit-Period": "12" } } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, NS1's request limit for this key is spent (HTTP 429: "rate limit exceeded")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/zones/*/*/A" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, NS1 answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/zones/*/*/A" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, NS1's record is not in the documented shape/) },
    },
    {
      name: "a redirect of the zone list to another origin",
      rule: { kind: "redirect", path: "/zones" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while looking up the zone, NS1 at "http:\/\/127\.0\.0\.1:\d+\/v1\/zones" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(nsProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(12_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a write whose answer never came, and finds the record on the next round", async () => {
    fake.fault({ kind: "hang", method: "PUT", path: "/zones/*/*/A", afterApply: true });
    const provider = nsProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("names the permission a view-only key lacks", async () => {
    expect(await one(nsProvider(fake.url, "viewer"), a("scoped.example.com", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while writing the record set, NS1 refused the PUT (HTTP 403: "insufficient permissions"); the API key in DDNS_PROVIDER_API_TOKEN needs the DNS permissions "View zones" and "Manage zones" for this zone`,
    });
  });

  it.each([
    { name: "auto: a new record gets the zone's default TTL", request: a("auto.example.com", "203.0.113.50"), path: "/zones/example.com/auto.example.com/A", body: { zone: "example.com", domain: "auto.example.com", type: "A", answers: [{ answer: ["203.0.113.50"] }], ttl: 1800 } },
    { name: "a TTL the operator set", request: a("set.example.com", "203.0.113.51", { ttl: 600 }), path: "/zones/example.com/set.example.com/A", body: { zone: "example.com", domain: "set.example.com", type: "A", answers: [{ answer: ["203.0.113.51"] }], ttl: 600 } },
    { name: "the apex of a second zone", request: a("lab.example.com", "203.0.113.52"), path: "/zones/lab.example.com/lab.example.com/A", body: { zone: "lab.example.com", domain: "lab.example.com", type: "A", answers: [{ answer: ["203.0.113.52"] }], ttl: 1800 } },
    { name: "an AAAA record below the second zone", request: { name: "nas.lab.example.com", type: "AAAA", content: "2001:db8::53" } as RecordRequest, path: "/zones/lab.example.com/nas.lab.example.com/AAAA", body: { zone: "lab.example.com", domain: "nas.lab.example.com", type: "AAAA", answers: [{ answer: ["2001:db8::53"] }], ttl: 1800 } },
  ])("creates a record with one PUT — $name", async ({ request, path, body }) => {
    const before = writes().length;
    expect(await one(nsProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([{ method: "PUT", path, body }]);
  });

  it("changes the answers of an existing record with one POST, keeping its TTL; nothing when it is right", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 120, records: [{ value: "192.0.2.1" }, { value: "192.0.2.2" }] });
    const before = writes().length;
    expect(await one(nsProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2"] });
    expect(writes().slice(before).map((w) => ({ method: w.method, path: w.path, body: JSON.parse(w.body) }))).toEqual([
      { method: "POST", path: "/zones/example.com/kept.example.com/A", body: { answers: [{ answer: ["203.0.113.60"] }], ttl: 120 } },
    ]);
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 120, records: [{ value: "203.0.113.60" }] });
    const after = fake.writes();
    expect(await one(nsProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(after);
  });

  it("turns NS1's refusal of a body into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 400, method: "PUT", path: "/zones/*/bad.example.com/A", message: "invalid: ttl out of range" });
    expect(await one(nsProvider(fake.url), a("bad.example.com", "203.0.113.61"))).toMatchObject({ ok: false, kind: "config", message: `while writing the record set, NS1 refused the record (HTTP 400: "invalid: ttl out of range"); check DDNS_RECORD_TTL` });
  });

  it("says a record created meanwhile is a passing conflict, and the next round updates it", async () => {
    fake.fault({ kind: "status", status: 400, method: "PUT", path: "/zones/*/raced.example.com/A", message: "record already exists" });
    const provider = nsProvider(fake.url);
    expect(await one(provider, a("raced.example.com", "203.0.113.62"))).toMatchObject({ ok: false, kind: "transient", message: `while writing the record set, NS1 refused to create the record (HTTP 400: "record already exists"): it was created meanwhile, by hand or by another tool` });
    fake.edit("raced.example.com", "A", ["192.0.2.62"]);
    expect(await one(provider, a("raced.example.com", "203.0.113.62"))).toMatchObject({ ok: true, outcome: "updated" });
  });

  it("says what to do for a name no zone of the key holds", async () => {
    expect(await one(nsProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no NS1 zone holds "home.example.org" (tried "home.example.org", "example.org"); add the zone to the NS1 account the API key belongs to (or give the key access to it)`,
    });
  });

  it("finds the zone again when it went away between lookup and write (404 zone not found)", async () => {
    fake.fault({ kind: "status", status: 404, method: "PUT", path: "/zones/example.com/moved.example.com/A", message: "zone not found" });
    expect(await one(nsProvider(fake.url), a("moved.example.com", "203.0.113.80"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(-4).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["PUT /zones/example.com/moved.example.com/A 404", "GET /zones 200", "GET /zones/example.com/moved.example.com/A 404", "PUT /zones/example.com/moved.example.com/A 200"]);
  });
});

describe("ns1 reads every page of the zone list", () => {
  it("finds a zone on a later page by following Link: <…>; rel=\"next\"", async () => {
    const fake = await start({ zones: ["example.com", "example.net", "lab.example.org"], zonesPerPage: 1 });
    try {
      expect(await set(nsProvider(fake.url), [a("nas.lab.example.org", "203.0.113.90")])).toMatchObject([{ ok: true, outcome: "created" }]);
      expect(fake.requests.filter((r) => r.path === "/zones").map((r) => `${r.method} ${r.path}${r.query}`)).toEqual(["GET /zones", "GET /zones?page=2", "GET /zones?page=3"]);
      expect(fake.read("nas.lab.example.org", "A")).toEqual(["203.0.113.90"]);
    } finally {
      await fake.stop();
    }
  });

  it("refuses a next page on another origin, with one line that says what to do", async () => {
    const fake = await start({ zones: ["example.com", "example.net"], zonesPerPage: 1, nextOrigin: "http://192.0.2.1:9" });
    try {
      expect(await set(nsProvider(fake.url), [a("home.example.net", "203.0.113.91")])).toMatchObject([{
        ok: false, kind: "config",
        message: `while looking up the zone, NS1 named its next page on another origin ("http://192.0.2.1:9/v1/zones?…"); ddnsd does not send credentials to another origin: set DDNS_PROVIDER_API_URL to the address the service answers on`,
      }]);
      expect(fake.requests.filter((r) => r.path === "/zones")).toHaveLength(1);
    } finally {
      await fake.stop();
    }
  });
});
