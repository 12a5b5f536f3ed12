import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { netlify } from "../../src/providers/netlify/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeNetlify, type FakeNetlify, type FakeNetlifyOptions } from "../fakes/netlify/fake-netlify.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** Netlify: the contract suite and the black-box runs against its fake, its faults, and change = create + delete. */
const TOKEN = "nfp_0123456789abcdef0123456789abcdef01234567";
const WRONG = "nfp_ffffffffffffffffffffffffffffffffffffffff";
let run = 0;

function nlProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = netlify.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return netlify.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeNetlifyOptions> = {}) => startFakeNetlify({ tokens: [TOKEN], zones: ["example.com"], ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("netlify", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: nlProvider(fake.url),
    badAuthProvider: nlProvider(fake.url, WRONG),
    unreachableProvider: nlProvider(`http://127.0.0.1:${await freePort()}/api/v1`),
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
  id: "netlify",
  canRead: netlify.capabilities.read,
  writesPerChange: 2,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "netlify", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("netlify against its fake", () => {
  let fake: FakeNetlify;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "sub.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/dns_zones/*/dns_records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Netlify answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/dns_zones/*/dns_records", retryAfter: 30, message: "Too Many Requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Netlify's request limit for this token is spent (HTTP 429: "Too Many Requests")` },
    },
    {
      name: "a 422 refusal of the record",
      rule: { kind: "status", status: 422, method: "POST", message: "Validation failed" } as FaultRule,
      want: { kind: "config", message: `while creating the record, Netlify refused the record (HTTP 422: "Validation failed"); check DDNS_RECORD_TTL and the record's name` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/dns_zones/*/dns_records" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Netlify answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/dns_zones/*/dns_records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Netlify at "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/dns_zones\/[0-9a-f]+\/dns_records" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(nlProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  it("changes an address by creating the new record with the old TTL, then deleting the old one; the next change uses the new id", async () => {
    fake.edit("moved.example.com", "A", ["192.0.2.1"], 120);
    const provider = nlProvider(fake.url);
    expect(await one(provider, a("moved.example.com", "203.0.113.40", 60))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect(JSON.parse(post.body)).toEqual({ type: "A", hostname: "moved.example.com", value: "203.0.113.40", ttl: 120 });
    expect(fake.store.find("example.com", "moved.example.com", "A").map((r) => [r.content, r.ttl])).toEqual([["203.0.113.40", 120]]);
    const from = fake.requests.length;
    expect(await one(provider, a("moved.example.com", "203.0.113.41"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.requests.slice(from).map((r) => `${r.method} ${r.status}`)).toEqual(["POST 201", "DELETE 204"]);
    expect(fake.read("moved.example.com", "A")).toEqual(["203.0.113.41"]);
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = nlProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("recreates a record deleted by hand although its id was remembered", async () => {
    const provider = nlProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true });
    expect(fake.read("gone.example.com", "A")).toEqual(["203.0.113.31"]);
  });

  it("says what to do for a name no zone of the account holds", async () => {
    expect(await one(nlProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `no Netlify zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain under Domains → Netlify DNS for a team the token's user belongs to`,
    });
  });

  it("creates in the longest zone with the fully qualified hostname and the TTL set, and leaves Netlify's managed records alone", async () => {
    expect(await one(nlProvider(fake.url), a("www.sub.example.com", "203.0.113.8", 300))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: `/dns_zones/${fake.zoneId("sub.example.com")}/dns_records`, body: { type: "A", hostname: "www.sub.example.com", value: "203.0.113.8", ttl: 300 } });
    expect(await one(nlProvider(fake.url), { name: "example.com", type: "A", content: "203.0.113.9" })).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.read("example.com", "NS")).toHaveLength(2);
  });
});
