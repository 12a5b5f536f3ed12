import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { digitalocean } from "../../src/providers/digitalocean/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeDigitalOcean, type FakeDigitalOcean, type FakeDigitalOceanOptions } from "../fakes/digitalocean/fake-digitalocean.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** DigitalOcean: the contract suite and the black-box runs against its fake, its faults, scopes and pages. */
const TOKEN = "dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const WRONG = "dop_v1_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
let run = 0;

function doProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = digitalocean.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return digitalocean.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeDigitalOceanOptions> = {}) => startFakeDigitalOcean({ tokens: { [TOKEN]: "all" }, zones: ["example.com"], maxPerPage: 2, ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("digitalocean", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: doProvider(fake.url),
    badAuthProvider: doProvider(fake.url, WRONG),
    unreachableProvider: doProvider(`http://127.0.0.1:${await freePort()}/v2`),
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
  id: "digitalocean",
  canRead: digitalocean.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "digitalocean", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("digitalocean against its fake", () => {
  let fake: FakeDigitalOcean;
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: "all", "dop_v1_readonly-token": ["domain:read"], "dop_v1_least-token": ["domain:read", "domain:update"] }, zones: ["example.com", "sub.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;

  const reset = () => String(Math.ceil(Date.now() / 1000) + 30);
  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, DigitalOcean answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with only ratelimit-reset (the hourly limit)",
      rule: { kind: "rate-limit", path: "/domains/*/records", retryAfter: null, message: "API Rate limit exceeded.", headers: { "ratelimit-reset": reset() } } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, DigitalOcean's request limit for this token is spent (HTTP 429 "too_many_requests": "API Rate limit exceeded."; 5,000 an hour, 250 a minute)` },
    },
    {
      name: "a 422 refusal of the record",
      rule: { kind: "status", status: 422, method: "POST", message: "Data can't be blank" } as FaultRule,
      want: { kind: "config", message: `while creating the record, DigitalOcean refused the record (HTTP 422 "unprocessable_entity": "Data can't be blank"); check DDNS_RECORD_TTL (at least 30 at DigitalOcean)` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, DigitalOcean answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/domains/*/records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, DigitalOcean at "http:\/\/127\.0\.0\.1:\d+\/v2\/domains\/example\.com\/records\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, the request to DigitalOcean was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const provider = doProvider(fake.url);
    const before = fake.writes();
    const r = await one(provider, a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBeWithin(25_000, 31_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = doProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });

  it("recreates a record deleted by hand although its id was remembered (the PATCH answers 404)", async () => {
    const provider = doProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.read("gone.example.com", "A")).toEqual(["203.0.113.31"]);
    expect(fake.requests.filter((r) => r.method === "PATCH").at(-1)?.status).toBe(404);
  });

  it("names the scope a token lacks (domain:update serves every record write)", async () => {
    const r = await one(doProvider(fake.url, "dop_v1_readonly-token"), a("scoped.example.com", "203.0.113.7"));
    expect(r).toEqual({
      ok: false,
      request: a("scoped.example.com", "203.0.113.7"),
      kind: "auth",
      message: `while creating the record, DigitalOcean refused the POST (HTTP 403 "forbidden": "You are not authorized to perform this operation"); give the token in DDNS_PROVIDER_API_TOKEN the scope domain:update`,
    });
  });

  it("creates, updates and cleans duplicates with only domain:read and domain:update (the least the docs page asks)", async () => {
    const provider = doProvider(fake.url, "dop_v1_least-token");
    expect(await one(provider, a("least.example.com", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("least.example.com", "A", ["192.0.2.20", "192.0.2.21"]);
    expect(await one(provider, a("least.example.com", "203.0.113.21"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.read("least.example.com", "A")).toEqual(["203.0.113.21"]);
  });

  it("says what to do for a name no domain of the account holds", async () => {
    const r = await one(doProvider(fake.url), a("home.example.org", "203.0.113.7"));
    expect(r).toMatchObject({
      ok: false,
      kind: "config",
      message: `no DigitalOcean zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain under Networking → Domains in the DigitalOcean account the token belongs to`,
    });
  });

  it("puts a name into the longest domain, sends names relative to it and the TTL the operator set", async () => {
    expect(await one(doProvider(fake.url), a("www.sub.example.com", "203.0.113.8", 60))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: "/domains/sub.example.com/records", body: { type: "A", name: "www", data: "203.0.113.8", ttl: 60 } });
    expect(fake.store.find("sub.example.com", "www.sub.example.com", "A").map((r) => r.ttl)).toEqual([60]);
  });

  it("follows links.pages.next although the service serves fewer records per page than asked", async () => {
    fake.edit("paged.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]);
    const r = await one(doProvider(fake.url), a("paged.example.com", "192.0.2.5"));
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"] });
    expect(fake.read("paged.example.com", "A")).toEqual(["192.0.2.5"]);
    expect(fake.writes("DELETE")).toBeGreaterThanOrEqual(4);
  });

  it("lists a domain's records once, page by page, when many names of it are set together", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `bulk-${i}.example.com`);
    for (const name of names.slice(0, 5)) fake.edit(name, "A", ["192.0.2.9"]);
    const from = fake.requests.length;
    const results = await set(doProvider(fake.url), names.map((n) => a(n, "203.0.113.9")));
    expect(results.map((r) => r.ok && r.outcome)).toEqual(names.map((_, i) => (i < 5 ? "updated" : "created")));
    expect(names.map((n) => fake.read(n, "A"))).toEqual(names.map(() => ["203.0.113.9"]));
    const reads = fake.requests.slice(from).filter((r) => r.method === "GET" && r.path === "/domains/example.com/records");
    expect(reads.every((r) => !r.query.includes("name="))).toBe(true);
    expect(reads.length).toBeGreaterThan(1);
  });

  it("waits as long as the spent hourly budget says (the fake's own limiter)", async () => {
    const limited = await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const r = await one(doProvider(limited.url), a("budget.example.com", "203.0.113.10"));
      expect(r).toMatchObject({ ok: false, kind: "rate-limited" });
      if (!r.ok) expect(r.retryAfterMs).toBeWithin(55_000, 61_000);
      expect(limited.requests.map((q) => q.status)).toEqual([200, 200, 429]);
    } finally {
      await limited.stop();
    }
  });
});
