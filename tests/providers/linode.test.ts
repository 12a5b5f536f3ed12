import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { linode } from "../../src/providers/linode/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeLinode, type FakeLinode, type FakeLinodeOptions } from "../fakes/linode/fake-linode.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** Linode: the contract suite and the black-box runs against its fake, its faults, scopes, filters and pages. */
const TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const WRONG = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
let run = 0;

function linodeProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = linode.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return linode.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeLinodeOptions> = {}) => startFakeLinode({ tokens: { [TOKEN]: "all" }, zones: ["example.com"], maxPerPage: 2, ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("linode", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: linodeProvider(fake.url),
    badAuthProvider: linodeProvider(fake.url, WRONG),
    unreachableProvider: linodeProvider(`http://127.0.0.1:${await freePort()}/v4`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [TOKEN, WRONG],
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
  id: "linode",
  canRead: linode.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "linode", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("linode against its fake", () => {
  let fake: FakeLinode;
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: "all", "read-only-token": "domains:read_only" }, zones: ["example.com", "sub.example.com"], slaves: ["example.net"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const records = (zone: string) => `/domains/${fake.domainId(zone)}/records`;

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Linode answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/domains/*/records", retryAfter: 20, message: "Too Many Requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Linode's request limit for this token is spent (HTTP 429: "Too Many Requests")` },
    },
    {
      name: "a 400 refusal of the record",
      rule: { kind: "status", status: 400, method: "POST", message: "Invalid IPv4 address" } as FaultRule,
      want: { kind: "config", message: `while creating the record, Linode refused the record (HTTP 400: "Invalid IPv4 address"); check DDNS_RECORD_TTL (300 to 2419200 at Linode)` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Linode answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/domains/*/records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Linode at "http:\/\/127\.0\.0\.1:\d+\/v4\/domains\/\d+\/records\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, the request to Linode was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(linodeProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = linodeProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });

  it("recreates a record deleted by hand although its id was remembered (the PUT answers 404)", async () => {
    const provider = linodeProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.read("gone.example.com", "A")).toEqual(["203.0.113.31"]);
    expect(fake.requests.filter((r) => r.method === "PUT").at(-1)?.status).toBe(404);
  });

  it("names the scope a read-only token lacks", async () => {
    const r = await one(linodeProvider(fake.url, "read-only-token"), a("scoped.example.com", "203.0.113.7"));
    expect(r).toEqual({
      ok: false,
      request: a("scoped.example.com", "203.0.113.7"),
      kind: "auth",
      message: `while creating the record, Linode refused the POST (HTTP 403: "Your OAuth token is not authorized to use this endpoint."); give the token in DDNS_PROVIDER_API_TOKEN the scope Domains: Read/Write`,
    });
  });

  it.each([
    { name: "a name no domain of the account holds", record: "home.example.org", tried: `"home.example.org", "example.org"` },
    { name: "a name in a secondary (slave) domain, where records cannot be written", record: "home.example.net", tried: `"home.example.net", "example.net"` },
  ])("says what to do for $name", async ({ record, tried }) => {
    const r = await one(linodeProvider(fake.url), a(record, "203.0.113.7"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: `no Linode zone holds "${record}" (tried ${tried}); add the domain in Cloud Manager under Domains (type master) in the account the token belongs to` });
  });

  it("puts a name into the longest domain, sends it relative with the TTL the operator set, and narrows reads by X-Filter", async () => {
    expect(await one(linodeProvider(fake.url), a("www.sub.example.com", "203.0.113.8", 3600))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: records("sub.example.com"), body: { type: "A", name: "www", target: "203.0.113.8", ttl_sec: 3600 } });
    const read = fake.requests.filter((r) => r.method === "GET" && r.path === records("sub.example.com")).at(-1)!;
    expect(JSON.parse(read.headers["x-filter"]!)).toEqual({ name: "www" });
    expect(fake.store.find("sub.example.com", "www.sub.example.com", "A").map((r) => r.ttl)).toEqual([3600]);
  });

  it("writes the apex as the empty name and leaves the domain's default TTL when none is set", async () => {
    expect(await one(linodeProvider(fake.url), a("sub.example.com", "203.0.113.12"))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect(JSON.parse(post.body)).toEqual({ type: "A", name: "", target: "203.0.113.12" });
    expect(fake.store.find("sub.example.com", "sub.example.com", "A").map((r) => r.ttl)).toEqual([0]);
  });

  it("changes only the target of a record whose TTL was set by hand", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.40"], 86400);
    expect(await one(linodeProvider(fake.url), a("kept.example.com", "203.0.113.40", 300))).toMatchObject({ ok: true, outcome: "updated" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "PUT").at(-1)!.body)).toEqual({ target: "203.0.113.40" });
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl])).toEqual([["203.0.113.40", 86400]]);
  });

  it("follows the pages of a listing (pages and results) although fewer records come than asked", async () => {
    fake.edit("paged.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]);
    const r = await one(linodeProvider(fake.url), a("paged.example.com", "192.0.2.5"));
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"] });
    expect(fake.read("paged.example.com", "A")).toEqual(["192.0.2.5"]);
  });

  it("lists a domain's records once, page by page, when many names of it are set together", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `bulk-${i}.example.com`);
    for (const name of names.slice(0, 5)) fake.edit(name, "A", ["192.0.2.9"]);
    const from = fake.requests.length;
    const results = await set(linodeProvider(fake.url), names.map((n) => a(n, "203.0.113.9")));
    expect(results.map((r) => r.ok && r.outcome)).toEqual(names.map((_, i) => (i < 5 ? "updated" : "created")));
    expect(names.map((n) => fake.read(n, "A"))).toEqual(names.map(() => ["203.0.113.9"]));
    const reads = fake.requests.slice(from).filter((r) => r.method === "GET" && r.path === records("example.com"));
    expect(reads.every((r) => r.headers["x-filter"] === undefined)).toBe(true);
    expect(reads.length).toBeGreaterThan(1);
  });
});
