import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { namesilo } from "../../src/providers/namesilo/descriptor.ts";
import type { DnsProvider, ProviderDeps, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeNamesilo, type FakeNamesilo, type FakeNamesiloOptions } from "../fakes/namesilo/fake-namesilo.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set, a } from "./test-requests.ts";

/** NameSilo: the contract suite and the black-box runs against its fake, reply codes in HTTP 200 answers, faults. */
const KEY = "nsKEY0123456789abcdef01";
const WRONG = "nsWRONGzzzzzzzzzzzzzzzz";
let run = 0;

const deps = (timeoutMs?: number): ProviderDeps => ({ fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {}, ...(timeoutMs ? { timeoutMs } : {}) });
function nsProvider(apiUrl: string, key = KEY, timeoutMs?: number): DnsProvider {
  const parsed = namesilo.parse({ DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return namesilo.create(parsed.settings, deps(timeoutMs));
}
const start = (o: Partial<FakeNamesiloOptions> = {}) => startFakeNamesilo({ keys: [KEY], zones: ["example.com"], ...o });

providerContract("namesilo", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: nsProvider(fake.url),
    badAuthProvider: nsProvider(fake.url, WRONG),
    unreachableProvider: nsProvider(`http://127.0.0.1:${await freePort()}/api`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG],
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
  id: "namesilo",
  canRead: namesilo.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "namesilo", DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
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

describe("namesilo against its fake", () => {
  let fake: FakeNamesilo;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "example.org"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const last = () => fake.requests.at(-1)!;
  const query = (r: { query: string }) => Object.fromEntries(new URLSearchParams(r.query));

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/dnsListRecords" } as FaultRule,
      want: { kind: "transient", message: "while looking up the zone, NameSilo answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/dnsListRecords", retryAfter: 20, message: "slow down" } as FaultRule,
      want: { kind: "rate-limited", message: "while looking up the zone, NameSilo's request limit is spent (HTTP 429; one request a second per IP address)" },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/dnsListRecords" } as FaultRule,
      want: { kind: "transient", message: `while looking up the zone, NameSilo answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/dnsListRecords" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, NameSilo/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/dnsListRecords" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while looking up the zone, NameSilo at "http:\/\/127\.0\.0\.1:\d+\/api\/dnsListRecords\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    const provider = nsProvider(fake.url);
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(provider, a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("sends the key in the query with version=1 and type=json, and names relative to the domain (empty at the apex)", async () => {
    expect(await one(nsProvider(fake.url), a("example.org", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    expect({ path: last().path, query: query(last()) }).toEqual({ path: "/dnsAddRecord", query: { version: "1", type: "json", key: KEY, domain: "example.org", rrtype: "A", rrhost: "", rrvalue: "203.0.113.20" } });
    expect(await one(nsProvider(fake.url), a("nas.example.org", "203.0.113.21", { ttl: 3600 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(query(last())).toMatchObject({ rrhost: "nas", rrttl: "3600" });
    expect(fake.store.find("example.org", "nas.example.org", "A")[0]).toMatchObject({ ttl: 3600 });
  });

  it("changes a record keeping its TTL, and follows the new record_id NameSilo gives it", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 86_400);
    const provider = nsProvider(fake.url);
    expect(await one(provider, a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(query(last())).toMatchObject({ rrhost: "kept", rrvalue: "203.0.113.30", rrttl: "86400" });
    const calls = fake.requests.length;
    const renumbered = fake.store.find("example.com", "kept.example.com", "A")[0]!.id;
    expect(await one(provider, a("kept.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.requests.slice(calls).map((r) => `${r.path} ${query(r).rrid}`)).toEqual([`/dnsUpdateRecord ${renumbered}`]);
    expect(fake.store.find("example.com", "kept.example.com", "A")).toMatchObject([{ content: "203.0.113.31", ttl: 86_400 }]);
  });

  it("keeps one of duplicate records and deletes the others", async () => {
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(nsProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(last().path).toBe("/dnsDeleteRecord");
  });

  it.each([
    { name: "a domain not in the account", key: KEY, request: a("home.example.net", "203.0.113.7"), kind: "config", message: `no NameSilo zone holds "home.example.net" (tried "home.example.net", "example.net"); register or transfer the domain to this NameSilo account, and make sure it is active` },
    { name: "a wrong API key", key: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, NameSilo refused the API key (code 110 "Invalid API Key"); check DDNS_PROVIDER_API_TOKEN (Account → API Manager)` },
    { name: "a TTL NameSilo refuses", key: KEY, request: a("short.example.com", "203.0.113.7", { ttl: 60 }), kind: "config", message: `while creating the record, NameSilo refused the change (code 280 "DNS modification error: invalid TTL"); check DDNS_RECORD_TTL (3600 to 2592000) and that the domain uses NameSilo's name servers` },
  ])("says what to do for $name", async ({ key, request, kind, message }) => {
    expect(await one(nsProvider(fake.url, key), request)).toMatchObject({ ok: false, kind, message });
  });

  // A hang, not a reset: the runtime's fetch may repeat a GET whose kept-alive connection was reset.
  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    const provider = nsProvider(fake.url, KEY, 300);
    fake.fault({ kind: "hang", method: "GET", path: "/dnsAddRecord", afterApply: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "while creating the record, NameSilo did not answer within 0.3 s; the record is read back before it is written again" });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
