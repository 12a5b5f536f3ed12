import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { easydns } from "../../src/providers/easydns/descriptor.ts";
import type { DnsProvider, ProviderDeps, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeEasydns, type FakeEasydns, type FakeEasydnsOptions } from "../fakes/easydns/fake-easydns.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set, a } from "./test-requests.ts";

/** easyDNS: the contract suite and the black-box runs against its fake, records by id, the 420 rate limit, faults. */
const TOKEN = "edTOKEN0123456789abcdef";
const KEY = "edKEY0123456789abcdefghij";
const WRONG = "edWRONGzzzzzzzzzzzzzzzzz";
let run = 0;

const deps = (timeoutMs?: number): ProviderDeps => ({ fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {}, ...(timeoutMs ? { timeoutMs } : {}) });
function edProvider(apiUrl: string, key = KEY, timeoutMs?: number): DnsProvider {
  const parsed = easydns.parse({ DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_KEY: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return easydns.create(parsed.settings, deps(timeoutMs));
}
const start = (o: Partial<FakeEasydnsOptions> = {}) => startFakeEasydns({ credentials: [`${TOKEN}:${KEY}`], zones: ["example.com"], ...o });

providerContract("easydns", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: edProvider(fake.url),
    badAuthProvider: edProvider(fake.url, WRONG),
    unreachableProvider: edProvider(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [TOKEN, KEY, WRONG],
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
  id: "easydns",
  canRead: easydns.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "easydns", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_KEY: WRONG }, variable: "DDNS_PROVIDER_API_KEY" },
      name: "home.example.com",
      secrets: [TOKEN, KEY, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("easydns against its fake", () => {
  let fake: FakeEasydns;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "example.org"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/zones/records/all/example.com" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, easyDNS answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 420 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/zones/records/all/example.com", retryAfter: 20, message: "Enhance Your Calm." } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, easyDNS's request limit is spent (HTTP 420: "Enhance Your Calm.")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/zones/records/all/example.com" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, easyDNS answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/zones/records/all/example.com" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, easyDNS's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/zones/records/all/example.com" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, easyDNS at "http:\/\/127\.0\.0\.1:\d+\/zones\/records\/all\/\{domain\}\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    const provider = edProvider(fake.url);
    const host = `fault-${name.length}.example.com`;
    expect(await one(provider, a(host, "2001:db8::5", { type: "AAAA" }))).toMatchObject({ ok: true });
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(provider, a(host, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("sends Basic auth with the token as user and the key as password, format=json, and hosts relative to the domain", async () => {
    expect(await one(edProvider(fake.url), a("example.org", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    const put = writes().at(-1)!;
    expect({ method: put.method, path: put.path, query: put.query, body: JSON.parse(put.body), auth: Buffer.from(put.headers.authorization!.slice(6), "base64").toString() })
      .toEqual({ method: "PUT", path: "/zones/records/add/example.org/A", query: "?format=json", body: { domain: "example.org", host: "@", ttl: 3600, prio: 0, type: "A", rdata: "203.0.113.20" }, auth: `${TOKEN}:${KEY}` });
  });

  it("changes a record by id and keeps its TTL; a TTL the operator set goes on records it creates", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = fake.store.find("example.com", "kept.example.com", "A")[0]!.id;
    expect(await one(edProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().at(-1)).toMatchObject({ method: "POST", path: `/zones/records/${id}` });
    expect(JSON.parse(writes().at(-1)!.body)).toEqual({ host: "kept", ttl: 900, type: "A", rdata: "203.0.113.30" });
    expect(await one(edProvider(fake.url), a("nas.example.com", "203.0.113.31", { ttl: 600 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(writes().at(-1)!.body)).toMatchObject({ host: "nas", ttl: 600 });
  });

  it("keeps one of duplicate records and deletes the others", async () => {
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(edProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(writes().at(-1)).toMatchObject({ method: "DELETE", path: expect.stringMatching(/^\/zones\/records\/example\.com\/\d+$/) });
  });

  it("never shows the name it tried as a domain in a message (it is in the path)", async () => {
    fake.fault({ kind: "redirect", method: "GET", path: "/zones/records/all/*", times: 1 });
    const r = await one(edProvider(fake.url), a("apex-less.example.com", "203.0.113.8"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: expect.stringContaining("/zones/records/all/{domain}?…") });
    expect(String((r as { message?: unknown }).message)).not.toContain("apex-less");
  });

  it.each([
    { name: "a domain not in the account", key: KEY, request: a("home.example.net", "203.0.113.7"), kind: "config", message: `no easyDNS zone holds "home.example.net" (tried "home.example.net", "example.net"); add the domain to the easyDNS account, or use the API token of the account that holds it` },
    { name: "a wrong API key", key: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, easyDNS refused the credentials (HTTP 401: "Unauthorized"); check DDNS_PROVIDER_API_TOKEN (the API token) and DDNS_PROVIDER_API_KEY (the API key issued with it)` },
    { name: "a TTL easyDNS refuses", key: KEY, request: a("short.example.com", "203.0.113.7", { ttl: 60 }), kind: "config", message: `while creating the record, easyDNS refused the record (HTTP 400: "TTL must be at least 300."); check DDNS_RECORD_TTL (at least 300)` },
  ])("says what to do for $name", async ({ key, request, kind, message }) => {
    expect(await one(edProvider(fake.url, key), request)).toMatchObject({ ok: false, kind, message });
  });

  // A hang, not a reset: the runtime's fetch sends a PUT again when its kept-alive connection was reset.
  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    fake.fault({ kind: "hang", method: "PUT", path: "/zones/records/add/**", afterApply: true });
    const provider = edProvider(fake.url, KEY, 300);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
