import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { vercel } from "../../src/providers/vercel/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeVercel, type FakeVercel, type FakeVercelOptions } from "../fakes/vercel/fake-vercel.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set, a } from "./test-requests.ts";

/** Vercel: the contract suite and the black-box runs against its fake, its faults, teams, comments and pages. */
const TOKEN = "vercel_0123456789abcdefABCDEF01";
const WRONG = "vercel_ffffffffffffffffffffffff";
let run = 0;

function vcProvider(apiUrl: string, token = TOKEN, teamId?: string): DnsProvider {
  const parsed = vercel.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl, ...(teamId ? { DDNS_VERCEL_TEAM_ID: teamId } : {}) });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return vercel.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeVercelOptions> = {}) => startFakeVercel({ tokens: { [TOKEN]: [""] }, zones: { "example.com": "" }, maxPerPage: 2, ...o });

providerContract("vercel", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: vcProvider(fake.url),
    badAuthProvider: vcProvider(fake.url, WRONG),
    unreachableProvider: vcProvider(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [TOKEN, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "vercel",
  canRead: vercel.capabilities.read,
  async start() {
    const fake = await start({ tokens: { [TOKEN]: ["team_ops"] }, zones: { "example.com": "team_ops" } });
    return {
      env: { DDNS_PROVIDER_TYPE: "vercel", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_VERCEL_TEAM_ID: "team_ops", DDNS_PROVIDER_API_URL: fake.url },
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

describe("vercel against its fake", () => {
  let fake: FakeVercel;
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: ["", "team_ops"], "vercel_other-team": ["team_other"] }, zones: { "example.com": "", "sub.example.com": "", "ops.example.net": "team_ops" } });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/v5/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Vercel answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/v5/domains/*/records", retryAfter: 30, message: "Rate limit exceeded" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Vercel's request limit for this token is spent (HTTP 429 "rate_limited": "Rate limit exceeded")` },
    },
    {
      name: "a 400 refusal of the record",
      rule: { kind: "status", status: 400, method: "POST", message: "Invalid request: `ttl` should be >= 60" } as FaultRule,
      want: { kind: "config", message: 'while creating the record, Vercel refused the record (HTTP 400 "bad_request": "Invalid request: `ttl` should be >= 60"); check DDNS_RECORD_TTL (at least 60 at Vercel)' },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/v5/domains/*/records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Vercel at "http:\/\/127\.0\.0\.1:\d+\/v5\/domains\/example\.com\/records\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(vcProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  it("sends teamId on every call and finds only that team's domains; a token without the team is told what to set", async () => {
    const from = fake.requests.length;
    expect(await one(vcProvider(fake.url, TOKEN, "team_ops"), a("home.ops.example.net", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(from).every((r) => new URLSearchParams(r.query).get("teamId") === "team_ops")).toBe(true);
    expect(await one(vcProvider(fake.url, TOKEN), a("home.ops.example.net", "203.0.113.20"))).toMatchObject({ ok: false, kind: "config", message: expect.stringContaining("set DDNS_VERCEL_TEAM_ID for a team's domain") });
    expect(await one(vcProvider(fake.url, "vercel_other-team", "team_ops"), a("home.ops.example.net", "203.0.113.21"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while looking up the zone, Vercel refused the GET (HTTP 403 "forbidden": "Not authorized"); give the token access to the team that owns the domain, and set DDNS_VERCEL_TEAM_ID to that team's id`,
    });
  });

  it("writes the comment with a create and with a change, keeps a TTL set by hand, and follows pagination.next", async () => {
    const provider = vcProvider(fake.url);
    expect(await one(provider, a("www.sub.example.com", "203.0.113.8", { ttl: 120, comment: "managed by ddnsd" }))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: "/v2/domains/sub.example.com/records", body: { name: "www", type: "A", value: "203.0.113.8", ttl: 120, comment: "managed by ddnsd" } });
    fake.edit("kept.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3"], 86400);
    const changed = await one(provider, a("kept.example.com", "203.0.113.40", { ttl: 60, comment: "ddnsd" }));
    expect(changed).toMatchObject({ ok: true, outcome: "updated" });
    expect(changed.ok ? [...changed.previous].sort() : []).toEqual(["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    const patch = fake.requests.filter((r) => r.method === "PATCH").at(-1)!;
    expect({ path: patch.path, body: JSON.parse(patch.body) }).toEqual({ path: expect.stringMatching(/^\/v1\/domains\/records\/rec_/), body: { value: "203.0.113.40", comment: "ddnsd" } });
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl, r.extra.comment])).toEqual([["203.0.113.40", 86400, "ddnsd"]]);
    expect(fake.requests.some((r) => r.method === "GET" && new URLSearchParams(r.query).has("until"))).toBe(true);
  });

  it("creates at the apex with an empty name, and a restart finds it without writing", async () => {
    expect(await one(vcProvider(fake.url), a("example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "POST").at(-1)!.body)).toEqual({ name: "", type: "A", value: "203.0.113.9" });
    const before = fake.writes();
    expect(await one(vcProvider(fake.url), a("example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = vcProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("recreates a record deleted by hand although its id was remembered (the PATCH answers 404)", async () => {
    const provider = vcProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.requests.filter((r) => r.method === "PATCH").at(-1)?.status).toBe(404);
  });
});
