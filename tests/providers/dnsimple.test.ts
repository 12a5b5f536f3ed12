import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { dnsimple } from "../../src/providers/dnsimple/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeDnsimple, type FakeDnsimple, type FakeDnsimpleOptions } from "../fakes/dnsimple/fake-dnsimple.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** DNSimple: the contract suite and the black-box runs against its fake, its account lookup, filters and pages. */
const TOKEN = "dnsimple_a_0123456789abcdefghijklmnopqrstuv";
const WRONG = "dnsimple_a_ffffffffffffffffffffffffffffffff";
const USER = "dnsimple_u_0123456789abcdefghijklmnopqrstuv";
let run = 0;

function dsProvider(apiUrl: string, token = TOKEN, account?: string): DnsProvider {
  const parsed = dnsimple.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl, ...(account ? { DDNS_DNSIMPLE_ACCOUNT_ID: account } : {}) });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return dnsimple.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeDnsimpleOptions> = {}) => startFakeDnsimple({ tokens: { [TOKEN]: { account: 1010 }, [USER]: { account: 1010, user: true } }, zones: ["example.com"], maxPerPage: 2, ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("dnsimple", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: dsProvider(fake.url),
    badAuthProvider: dsProvider(fake.url, WRONG),
    unreachableProvider: dsProvider(`http://127.0.0.1:${await freePort()}/v2`),
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
  id: "dnsimple",
  canRead: dnsimple.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "dnsimple", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("dnsimple against its fake", () => {
  let fake: FakeDnsimple;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "sub.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const reset = () => String(Math.ceil(Date.now() / 1000) + 30);

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/*/zones/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, DNSimple answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with only X-RateLimit-Reset",
      rule: { kind: "rate-limit", path: "/*/zones/*/records", retryAfter: null, message: "Rate limit exceeded", headers: { "x-ratelimit-reset": reset() } } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, DNSimple's request limit for this token is spent (HTTP 429: "Rate limit exceeded")` },
    },
    {
      name: "a validation refusal naming the field",
      rule: { kind: "status", status: 400, method: "POST", message: "Validation failed" } as FaultRule,
      want: { kind: "config", message: `while creating the record, DNSimple refused the record (HTTP 400: "Validation failed"); check DDNS_RECORD_TTL (at least 60 at DNSimple)` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/*/zones/*/records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, DNSimple at "http:\/\/127\.0\.0\.1:\d+\/v2\/1010\/zones\/example\.com\/records\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/*/zones/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, the request to DNSimple was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(dsProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBeWithin(25_000, 31_000);
    expect(fake.writes()).toBe(before);
  });

  it("quotes the field of a validation error", async () => {
    const r = await one(dsProvider(fake.url), a("short.example.com", "203.0.113.5", 30));
    expect(r).toMatchObject({ ok: false, kind: "config", message: `while creating the record, DNSimple refused the record (HTTP 400: "Validation failed; ttl must be at least 60"); check DDNS_RECORD_TTL (at least 60 at DNSimple)` });
  });

  it("asks for the account id when the token is a user token, and works with it", async () => {
    expect(await one(dsProvider(fake.url, USER), a("user.example.com", "203.0.113.5"))).toMatchObject({
      ok: false,
      kind: "config",
      message: "while looking up the zone, DNSimple says the token is a user token, which names no account; set DDNS_DNSIMPLE_ACCOUNT_ID to the account's id, or use an account token",
    });
    const from = fake.requests.length;
    expect(await one(dsProvider(fake.url, USER, "1010"), a("user.example.com", "203.0.113.5"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(from).some((r) => r.path === "/whoami")).toBe(false);
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = dsProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("recreates a record deleted by hand although its id was remembered (the PATCH answers 404)", async () => {
    const provider = dsProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.requests.filter((r) => r.method === "PATCH").at(-1)?.status).toBe(404);
  });

  it("says what to do for a name no zone of the account holds", async () => {
    expect(await one(dsProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `no DNSimple zone holds "home.example.org" (tried "home.example.org", "example.org"); add the zone under Domains in the DNSimple account the token belongs to`,
    });
  });

  it("reads by exact relative name and type, creates in the longest zone with the TTL set, the apex as an empty name", async () => {
    expect(await one(dsProvider(fake.url), a("www.sub.example.com", "203.0.113.8", 120))).toMatchObject({ ok: true, outcome: "created" });
    const read = fake.requests.filter((r) => r.method === "GET" && r.path === "/1010/zones/sub.example.com/records").at(-1)!;
    expect(Object.fromEntries(new URLSearchParams(read.query))).toMatchObject({ name: "www", type: "A" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "POST").at(-1)!.body)).toEqual({ name: "www", type: "A", content: "203.0.113.8", ttl: 120 });
    expect(await one(dsProvider(fake.url), a("sub.example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "POST").at(-1)!.body)).toEqual({ name: "", type: "A", content: "203.0.113.9" });
  });

  it("changes only the content of a record whose TTL was set by hand, and follows pages", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3"], 86400);
    expect(await one(dsProvider(fake.url), a("kept.example.com", "203.0.113.40", 60))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3"] });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "PATCH").at(-1)!.body)).toEqual({ content: "203.0.113.40" });
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl])).toEqual([["203.0.113.40", 86400]]);
  });
});
