import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { godaddy } from "../../src/providers/godaddy/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeGoDaddy, type FakeGoDaddy, type FakeGoDaddyOptions } from "../fakes/godaddy/fake-godaddy.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** GoDaddy: the contract suite and the black-box runs against its fake, its refusals, sets and domain listing. */
const KEY = "dKDJ3jh2v4Yq_7dG8TQ2ZsRRLrCgQNxVqSg";
const SECRET = "EboB8kQqdRzXwCTxU9FKQg";
const WRONG = "EboBffffffffffffffffff";
let run = 0;

function gdProvider(apiUrl: string, token = SECRET): DnsProvider {
  const parsed = godaddy.parse({ DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return godaddy.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeGoDaddyOptions> = {}) => startFakeGoDaddy({ keys: { [KEY]: SECRET }, zones: ["example.com"], rateLimit: { limit: 10_000, windowMs: 60_000 }, ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("godaddy", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: gdProvider(fake.url),
    badAuthProvider: gdProvider(fake.url, WRONG),
    unreachableProvider: gdProvider(`http://127.0.0.1:${await freePort()}/v1`),
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
  id: "godaddy",
  canRead: godaddy.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "godaddy", DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, SECRET, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("godaddy against its fake", () => {
  let fake: FakeGoDaddy;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "sub.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const lastPut = () => fake.requests.filter((r) => r.method === "PUT").at(-1)!;

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/records/**" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, GoDaddy answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with retryAfterSec",
      rule: { kind: "status", status: 429, path: "/domains/*/records/**", message: "Too many requests received within interval" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, GoDaddy's request limit is spent (HTTP 429 "TOO_MANY_REQUESTS": "Too many requests received within interval"; 60 requests a minute)` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/domains/*/records/**" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, GoDaddy at "http:\/\/127\.0\.0\.1:\d+\/v1\/domains\/example\.com\/records\/A\/fault-\d+" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/domains/*/records/**" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, the request to GoDaddy was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(gdProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "status" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  // A reset PUT answer is not the case to test: on a reused connection the runtime sends an idempotent PUT again.
  it("says it could not confirm a set whose PUT was answered by an outage page, and finds it written on the next set", async () => {
    fake.fault({ kind: "html", method: "PUT", afterApply: true, times: 1 });
    expect(await one(gdProvider(fake.url), a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(gdProvider(fake.url), a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("says where the API is closed to the account (403 ACCESS_DENIED)", async () => {
    const denied = await start({ denied: true });
    try {
      const r = await one(gdProvider(denied.url), a("home.example.com", "203.0.113.7"));
      expect(r).toMatchObject({ ok: false, kind: "auth", message: expect.stringContaining(`GoDaddy refused the GET (HTTP 403 "ACCESS_DENIED": "Authenticated user is not allowed access"); the key must belong to the account that owns the domain`) });
    } finally {
      await denied.stop();
    }
  });

  it("names both variables for a refused key", async () => {
    const r = await one(gdProvider(fake.url, WRONG), a("home.example.com", "203.0.113.7"));
    expect(r).toMatchObject({ ok: false, kind: "auth", message: expect.stringContaining(`GoDaddy refused the key (HTTP 401 "UNABLE_TO_AUTHENTICATE": "Unable to authenticate your request"); check DDNS_PROVIDER_API_KEY and DDNS_PROVIDER_API_TOKEN`) });
  });

  it("reports the refused TTL with the field GoDaddy names", async () => {
    fake.fault({ kind: "status", status: 422, method: "PUT", times: 1, message: "Request body doesn't fulfill schema" });
    const r = await one(gdProvider(fake.url), a("refused.example.com", "203.0.113.7"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: expect.stringContaining(`GoDaddy refused the record (HTTP 422 "INVALID_BODY": "Request body doesn't fulfill schema"); check DDNS_RECORD_TTL (at least 600 at GoDaddy)`) });
  });

  it("says what to do for a name no domain of the account holds", async () => {
    expect(await one(gdProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `no GoDaddy zone holds "home.example.org" (tried "home.example.org", "example.org"); the domain must be registered in the GoDaddy account the API key belongs to`,
    });
  });

  it("replaces the set of the longest domain with the name relative, 3600 for a new set", async () => {
    expect(await one(gdProvider(fake.url), a("www.sub.example.com", "203.0.113.8"))).toMatchObject({ ok: true, outcome: "created" });
    expect({ path: lastPut().path, body: JSON.parse(lastPut().body) }).toEqual({ path: "/domains/sub.example.com/records/A/www", body: [{ data: "203.0.113.8", ttl: 3600 }] });
    expect(await one(gdProvider(fake.url), a("sub.example.com", "203.0.113.9", 900))).toMatchObject({ ok: true, outcome: "created" });
    expect({ path: lastPut().path, body: JSON.parse(lastPut().body) }).toEqual({ path: "/domains/sub.example.com/records/A/@", body: [{ data: "203.0.113.9", ttl: 900 }] });
  });

  it("sends the set's own TTL back when the operator set none, and cleans duplicates in the same write", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.40", "192.0.2.41"], 7200);
    expect(await one(gdProvider(fake.url), a("kept.example.com", "203.0.113.40"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.40", "192.0.2.41"] });
    expect(JSON.parse(lastPut().body)).toEqual([{ data: "203.0.113.40", ttl: 7200 }]);
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl])).toEqual([["203.0.113.40", 7200]]);
  });

  it("lists the domains 1000 at a time, the marker the last domain of the page before", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `d${String(i).padStart(4, "0")}.example`);
    const big = await start({ zones: [...many, "example.com"] });
    try {
      expect(await one(gdProvider(big.url), a("home.example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "created" });
      const markers = big.requests.filter((r) => r.path === "/domains").map((r) => new URLSearchParams(r.query).get("marker"));
      expect(markers).toEqual([null, "d0999.example"]);
    } finally {
      await big.stop();
    }
  });
});
