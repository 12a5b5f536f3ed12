import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { hetzner } from "../../src/providers/hetzner/descriptor.ts";
import { hetznerApi } from "../../src/providers/hetzner/hetzner-api.ts";
import { createRrsetProvider } from "../../src/providers/kit/rrset-provider.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeHetzner, type FakeHetzner, type FakeHetznerOptions } from "../fakes/hetzner/fake-hetzner.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Hetzner (Cloud API DNS): the contract suite and the black-box runs against its fake, its actions and faults. */
const TOKEN = "hcloud0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";
const WRONG = "hcloudZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function hzProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = hetzner.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return hetzner.create(parsed.settings, deps());
}
/** The same API functions with a short confirmation window (the descriptor waits 30 s). */
const impatient = (apiUrl: string) => createRrsetProvider(hetznerApi({ token: TOKEN, apiUrl }, deps()), { id: "hetzner", confirmEveryMs: 10, confirmWithinMs: 50 });

const start = (o: Partial<FakeHetznerOptions> = {}) => startFakeHetzner({ tokens: { [TOKEN]: "read-write" }, zones: ["example.com"], maxPerPage: 2, ...o });

providerContract("hetzner", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: hzProvider(fake.url),
    badAuthProvider: hzProvider(fake.url, WRONG),
    unreachableProvider: hzProvider(`http://127.0.0.1:${await freePort()}/v1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [TOKEN, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "set",
    readTxt: async (name) => fake.read(name, "TXT"),
    comments: "set",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "hetzner",
  canRead: hetzner.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "hetzner", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("hetzner against its fake", () => {
  let fake: FakeHetzner;
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: "read-write", "hcloud-readonly-token": "read" }, zones: ["example.com", "lab.example.com", { name: "sec.example.net", mode: "secondary" }] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const posts = () => fake.requests.filter((r) => r.method === "POST");

  const reset = () => String(Math.ceil(Date.now() / 1000) + 30);
  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/zones/*/rrsets/*/A" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, Hetzner answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with only RateLimit-Reset",
      rule: { kind: "rate-limit", path: "/zones/*/rrsets/*/A", retryAfter: null, message: "limit of 3600 requests per hour reached", headers: { "RateLimit-Reset": reset() } } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, Hetzner's request limit for this project is spent (HTTP 429 "rate_limit_exceeded": "limit of 3600 requests per hour reached"; 3,600 requests an hour)` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/zones/*/rrsets/*/A" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, Hetzner answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/zones/*/rrsets/*/A" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Hetzner's record set is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/zones/*/rrsets/*/A" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, Hetzner at "http:\/\/127\.0\.0\.1:\d+\/v1\/zones\/4711000\/rrsets\/fault-\d+\/A" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/zones/*/rrsets/*/A" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, the request to Hetzner was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(hzProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBeWithin(25_000, 31_000);
    expect(fake.writes()).toBe(before);
  });

  it("confirms each write by polling its action until it succeeds", async () => {
    fake.holdActions(2);
    try {
      expect(await one(hzProvider(fake.url), a("polled.example.com", "203.0.113.40"))).toMatchObject({ ok: true, outcome: "created" });
      const polls = fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/zones/actions/"));
      expect(polls.slice(-3).map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(polls.slice(-3).map((r) => r.path)).size).toBe(1);
    } finally {
      fake.holdActions(0);
    }
  });

  it("says it could not confirm a change whose action does not finish in time", async () => {
    fake.holdActions("forever");
    try {
      const r = await one(impatient(fake.url), a("slow.example.com", "203.0.113.41"));
      expect(r).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "while waiting for the change to be applied, Hetzner accepted the change but did not report it applied in time" });
    } finally {
      fake.holdActions(0);
    }
  });

  it("reports an action that ended in error as a failure, not as 'could not confirm'", async () => {
    fake.failNextAction("action_failed", "Action failed");
    const r = await one(hzProvider(fake.url), a("failing.example.com", "203.0.113.42"));
    expect(r).toEqual({ ok: false, request: a("failing.example.com", "203.0.113.42"), kind: "transient", message: `while waiting for the change to be applied, Hetzner could not apply the change (action "create_rrset" failed: "action_failed" "Action failed")` });
    expect(fake.read("failing.example.com", "A")).toEqual([]);
  });

  it("says it could not confirm a create whose answer was lost, and finds the set on the next round", async () => {
    fake.fault({ kind: "reset", method: "POST", path: "/zones/*/rrsets", afterApply: true });
    const provider = hzProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("names the permission a Read-only token lacks", async () => {
    const r = await one(hzProvider(fake.url, "hcloud-readonly-token"), a("scoped.example.com", "203.0.113.7"));
    expect(r).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while writing the record set, Hetzner refused the POST (HTTP 403 "token_readonly": "The token is only allowed to perform GET requests"); the token in DDNS_PROVIDER_API_TOKEN needs the permission "Read & Write"`,
    });
  });

  it.each([
    { name: "auto: a new set gets no TTL of its own (the zone's default applies)", request: a("ttl-auto.example.com", "203.0.113.50"), body: { name: "ttl-auto", type: "A", records: [{ value: "203.0.113.50" }] }, ttl: null },
    { name: "a TTL the operator set goes along", request: a("ttl-set.example.com", "203.0.113.51", { ttl: 120 }), body: { name: "ttl-set", type: "A", ttl: 120, records: [{ value: "203.0.113.51" }] }, ttl: 120 },
    { name: "the comment goes on the record", request: a("ttl-comment.example.com", "203.0.113.52", { comment: "ddnsd" }), body: { name: "ttl-comment", type: "A", records: [{ value: "203.0.113.52", comment: "ddnsd" }] }, ttl: null },
  ])("creates a set with the name relative to its zone — $name", async ({ request, body, ttl }) => {
    expect(await one(hzProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    const post = posts().at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: "/zones/4711000/rrsets", body });
    expect(fake.set(request.name, "A")?.ttl).toBe(ttl);
  });

  it("changes an existing set's records only, keeping its TTL and its comment; a TTL the operator set differs: change_ttl too", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 900, records: [{ value: "192.0.2.1", comment: "by hand" }] });
    expect(await one(hzProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 900, records: [{ value: "203.0.113.60", comment: "by hand" }] });
    expect(posts().at(-1)!.path).toBe("/zones/4711000/rrsets/kept/A/actions/set_records");
    expect(await one(hzProvider(fake.url), a("kept.example.com", "203.0.113.61", { ttl: 300 }))).toMatchObject({ ok: true, outcome: "updated" });
    expect(posts().slice(-2).map((p) => [p.path.split("/").at(-1), JSON.parse(p.body)])).toEqual([["set_records", { records: [{ value: "203.0.113.61", comment: "by hand" }] }], ["change_ttl", { ttl: 300 }]]);
    expect(fake.set("kept.example.com", "A")?.ttl).toBe(300);
  });

  it("writes a set whose TTL is the zone's when the operator's TTL is the zone's default, and nothing when all is right", async () => {
    fake.store.put({ zone: "example.com", name: "inherit.example.com", type: "A", ttl: null, records: [{ value: "203.0.113.62" }] });
    const before = fake.writes();
    expect(await one(hzProvider(fake.url), a("inherit.example.com", "203.0.113.62", { ttl: 3600 }))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
  });

  it("puts the apex and a delegated zone's names where they belong", async () => {
    const results = await set(hzProvider(fake.url), [a("example.com", "203.0.113.70"), a("nas.lab.example.com", "203.0.113.71")]);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["created", "created"]);
    expect(posts().slice(-2).map((p) => [p.path, JSON.parse(p.body).name]).sort()).toEqual([["/zones/4711000/rrsets", "@"], ["/zones/4711001/rrsets", "nas"]]);
  });

  it("finds a set that vanished between read and write (404 on set_records) and creates it", async () => {
    fake.store.put({ zone: "example.com", name: "vanish.example.com", type: "A", ttl: null, records: [{ value: "192.0.2.9" }] });
    fake.fault({ kind: "status", status: 404, method: "POST", path: "/zones/*/rrsets/vanish/A/actions/set_records", message: "rrset not found" });
    expect(await one(hzProvider(fake.url), a("vanish.example.com", "203.0.113.72"))).toMatchObject({ ok: true, outcome: "updated" });
    expect(fake.read("vanish.example.com", "A")).toEqual(["203.0.113.72"]);
  });

  it.each([
    { name: "a name no zone of the project holds", request: a("home.example.org", "203.0.113.7"), message: `no Hetzner zone holds "home.example.org" (tried "home.example.org", "example.org"); add the zone under DNS in the Hetzner Console project the token belongs to` },
    { name: "a zone in secondary mode", request: a("home.sec.example.net", "203.0.113.7"), message: `while writing the record set, Hetzner refused the change (HTTP 422 "incorrect_zone_mode": "This operation is not supported for this Zone's mode."); the zone is in secondary mode: change it at its primary server, or make it primary` },
  ])("says what to do for $name", async ({ request, message }) => {
    expect(await one(hzProvider(fake.url), request)).toMatchObject({ ok: false, kind: "config", message });
  });

  it("follows the zone list's pages (three zones, two a page)", async () => {
    const from = fake.requests.length;
    expect(await one(hzProvider(fake.url), a("paged.sec.example.net", "203.0.113.8"))).toMatchObject({ ok: false, kind: "config" });
    expect(fake.requests.slice(from).filter((r) => r.path === "/zones").map((r) => r.query)).toEqual(["?page=1&per_page=50", "?page=2&per_page=50"]);
  });

  it("waits as long as the spent hourly budget says (the fake's own limiter)", async () => {
    const limited = await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const r = await one(hzProvider(limited.url), a("budget.example.com", "203.0.113.10"));
      expect(r).toMatchObject({ ok: false, kind: "rate-limited" });
      if (!r.ok) expect(r.retryAfterMs).toBeWithin(55_000, 61_000);
      expect(limited.requests.map((q) => q.status)).toEqual([200, 404, 429]);
    } finally {
      await limited.stop();
    }
  });
});
