import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { cloudns } from "../../src/providers/cloudns/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeCloudns, type FakeCloudns, type FakeCloudnsOptions } from "../fakes/cloudns/fake-cloudns.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** ClouDNS: the contract suite and the black-box runs against its fake, query credentials, TTL rounding and faults. */
const AUTH_ID = "31337";
const PASSWORD = "cloudnsPASSWORD0123456789abcdef";
const WRONG = "cloudnsWRONGZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function cnProvider(apiUrl: string, password = PASSWORD, more: Record<string, string> = {}): DnsProvider {
  const parsed = cloudns.parse({ DDNS_PROVIDER_API_KEY: AUTH_ID, DDNS_PROVIDER_API_TOKEN: password, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return cloudns.create(parsed.settings, deps());
}
const start = (o: Partial<FakeCloudnsOptions> = {}) => startFakeCloudns({ users: { [AUTH_ID]: { password: PASSWORD, kind: "auth-id" } }, zones: ["example.com"], ...o });

providerContract("cloudns", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: cnProvider(fake.url),
    badAuthProvider: cnProvider(fake.url, WRONG),
    unreachableProvider: cnProvider(`http://127.0.0.1:${await freePort()}/dns`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [PASSWORD, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "record",
    readTxt: async (name) => fake.read(name, "TXT"),
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "cloudns",
  canRead: cloudns.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "cloudns", DDNS_PROVIDER_API_KEY: AUTH_ID, DDNS_PROVIDER_API_TOKEN: PASSWORD, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [PASSWORD, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("cloudns against its fake", () => {
  let fake: FakeCloudns;
  const many = Array.from({ length: 120 }, (_, i) => `zone${i}.example.net`);
  beforeAll(async () => {
    fake = await start({ users: { [AUTH_ID]: { password: PASSWORD, kind: "auth-id" }, "sub-ops": { password: PASSWORD, kind: "sub-auth-user", zones: ["lab.example.com"] } }, zones: [...many, "example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method === "POST");
  const query = (r: { query: string }) => Object.fromEntries(new URLSearchParams(r.query));

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/records.json" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, ClouDNS answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/records.json", retryAfter: 20 } as FaultRule,
      want: { kind: "rate-limited", message: "while reading the records, ClouDNS's request limit is spent (HTTP 429)" },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/records.json" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, ClouDNS answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/records.json" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, ClouDNS's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/records.json" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, ClouDNS at "http:\/\/127\.0\.0\.1:\d+\/dns\/records\.json\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(cnProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("finds the zone past the first page of 100 and sends the credentials and the record as query parameters", async () => {
    expect(await one(cnProvider(fake.url), a("new.example.com", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.filter((r) => r.path === "/list-zones.json").slice(0, 2).map((r) => query(r).page)).toEqual(["1", "2"]);
    const post = writes().at(-1)!;
    expect({ path: post.path, query: query(post) }).toEqual({ path: "/add-record.json", query: { "auth-id": AUTH_ID, "auth-password": PASSWORD, "domain-name": "example.com", "record-type": "A", host: "new", record: "203.0.113.20", ttl: "3600" } });
  });

  it.each([
    { name: "a TTL ClouDNS offers", ttl: 300, sent: "300" },
    { name: "a TTL between two it offers, rounded up", ttl: 120, sent: "300" },
    { name: "a TTL above a day, rounded up", ttl: 90_000, sent: "172800" },
  ])("creates with $name", async ({ ttl, sent }) => {
    expect(await one(cnProvider(fake.url), a(`ttl-${ttl}.example.com`, "203.0.113.21", { ttl }))).toMatchObject({ ok: true, outcome: "created" });
    expect(query(writes().at(-1)!).ttl).toBe(sent);
  });

  it("changes a record by id and keeps its TTL, writes the apex with an empty host, and deletes duplicates", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = fake.store.find("example.com", "kept.example.com", "A")[0]!.id;
    expect(await one(cnProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect({ path: writes().at(-1)!.path, query: query(writes().at(-1)!) }).toMatchObject({ path: "/mod-record.json", query: { "record-id": id, host: "kept", record: "203.0.113.30", ttl: "900" } });
    expect(await one(cnProvider(fake.url), a("example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created" });
    expect(query(writes().at(-1)!).host).toBe("");
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(cnProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(writes().at(-1)!.path).toBe("/delete-record.json");
  });

  it.each([
    { name: "a sub-user without the zone", password: PASSWORD, env: { DDNS_PROVIDER_API_KEY: "sub-ops", DDNS_CLOUDNS_AUTH_KIND: "sub-auth-user" }, request: a("home.example.com", "203.0.113.7"), kind: "config", message: `no ClouDNS zone holds "home.example.com" (tried "home.example.com", "example.com"); add the zone to the ClouDNS account (and, for a sub-user, give the sub-user the zone)` },
    { name: "a wrong password", password: WRONG, env: {} as Record<string, string>, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, ClouDNS refused the credentials ("Failed": "Invalid authentication, incorrect auth-id or auth-password."); check DDNS_PROVIDER_API_KEY (the auth-id of an API user, see DDNS_CLOUDNS_AUTH_KIND) and DDNS_PROVIDER_API_TOKEN (its password), and that the API user allows this machine's IP address` },
  ])("says what to do for $name", async ({ password, env, request, kind, message }) => {
    expect(await one(cnProvider(fake.url, password, env), request)).toMatchObject({ ok: false, kind, message });
  });

  it("writes as a sub-user into the zone it was given", async () => {
    expect(await one(cnProvider(fake.url, PASSWORD, { DDNS_PROVIDER_API_KEY: "sub-ops", DDNS_CLOUDNS_AUTH_KIND: "sub-auth-user" }), a("nas.lab.example.com", "203.0.113.8"))).toMatchObject({ ok: true, outcome: "created" });
    expect(query(writes().at(-1)!)).toMatchObject({ "sub-auth-user": "sub-ops", "domain-name": "lab.example.com", host: "nas" });
  });

  it("reads ClouDNS's \"Failed\" answer to a write as one line, and writes nothing", async () => {
    fake.fault({ kind: "status", status: 200, method: "POST", path: "/add-record.json", message: "Invalid record." });
    const r = await one(cnProvider(fake.url), a("bad.example.com", "203.0.113.9"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: `while creating the record, ClouDNS refused the POST ("Failed": "Invalid record.")` });
    expect(fake.read("bad.example.com", "A")).toEqual([]);
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    fake.fault({ kind: "reset", method: "POST", path: "/add-record.json", afterApply: true });
    const provider = cnProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });
});
