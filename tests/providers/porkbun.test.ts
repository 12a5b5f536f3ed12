import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { porkbun } from "../../src/providers/porkbun/descriptor.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakePorkbun, type FakePorkbun, type FakePorkbunOptions } from "../fakes/porkbun/fake-porkbun.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set, a } from "./test-requests.ts";

/** Porkbun: the contract suite and the black-box runs against its fake, its refusals, notes and domain listing. */
const KEY = "pk1_5299b57125c8f3cdf347d2fe0e713311ee3a1e11f11a14942b26472593e35368";
const SECRET = "sk1_7d119e3f656b00ae042980302e1425a04163c476efec1833a3cb0e54fc6f5022";
const WRONG = "sk1_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
let run = 0;

function porkbunProvider(apiUrl: string, token = SECRET): DnsProvider {
  const parsed = porkbun.parse({ DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return porkbun.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakePorkbunOptions> = {}) => startFakePorkbun({ keys: { [KEY]: SECRET }, zones: ["example.com"], ...o });
const bodyOf = (fake: FakePorkbun, path: RegExp) => {
  const { apikey: _k, secretapikey: _s, ...rest } = JSON.parse(fake.requests.filter((r) => path.test(r.path)).at(-1)!.body);
  return rest;
};

providerContract("porkbun", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: porkbunProvider(fake.url),
    badAuthProvider: porkbunProvider(fake.url, WRONG),
    unreachableProvider: porkbunProvider(`http://127.0.0.1:${await freePort()}/api/json/v3`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, SECRET, WRONG],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    comments: "record",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "porkbun",
  canRead: porkbun.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "porkbun", DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: fake.url },
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

describe("porkbun against its fake", () => {
  let fake: FakePorkbun;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "example.net"], optedOut: ["example.net"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;

  it.each([
    {
      name: "an HTML page (Porkbun's openresty 503)",
      rule: { kind: "html", status: 503, path: "/dns/retrieveByNameType/**" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Porkbun answered HTTP 503 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a refusal inside an HTTP 200",
      rule: { kind: "status", status: 200, path: "/dns/retrieveByNameType/**", message: "Something unexpected." } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Porkbun reported a failure (HTTP 200: "Something unexpected.")` },
    },
    {
      name: "a 200 that is not Porkbun's answer",
      rule: { kind: "wrong-json", path: "/dns/retrieveByNameType/**" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, Porkbun answered HTTP 200 with .+/) },
    },
    {
      name: "a refused TTL",
      rule: { kind: "status", status: 400, path: "/dns/create/*", message: "TTL must be at least 600." } as FaultRule,
      want: { kind: "config", message: `while creating the record, Porkbun refused the record (HTTP 400: "TTL must be at least 600."); check DDNS_RECORD_TTL (at least 600 at Porkbun)` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/dns/retrieveByNameType/**" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Porkbun at "http:\/\/127\.0\.0\.1:\d+\/api\/json\/v3\/dns\/retrieveByNameType\/example\.com\/A\/fault-\d+" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/dns/retrieveByNameType/**" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, the request to Porkbun was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(porkbunProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    expect(fake.writes()).toBe(before);
  });

  it("says to turn on API access for a domain that has it off", async () => {
    expect(await one(porkbunProvider(fake.url), a("home.example.net", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `while reading the records, Porkbun refused the domain (HTTP 400: "Domain is not opted in to API access."); turn on API ACCESS for the domain at porkbun.com → Domain Management`,
    });
  });

  it("names both key variables when the keys are refused", async () => {
    const r = await one(porkbunProvider(fake.url, WRONG), a("home.example.com", "203.0.113.7"));
    expect(r).toMatchObject({ ok: false, kind: "auth", message: `while looking up the zone, Porkbun refused the API keys (HTTP 400: "Invalid API key. (002)"); check DDNS_PROVIDER_API_KEY (pk1_…) and DDNS_PROVIDER_API_TOKEN (the secret key, sk1_…)` });
  });

  it("says what to do for a name no domain of the account holds", async () => {
    expect(await one(porkbunProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `no Porkbun zone holds "home.example.org" (tried "home.example.org", "example.org"); the domain must be registered at Porkbun in the account the API keys belong to (porkbun.com → Domain Management)`,
    });
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", path: "/dns/create/*", afterApply: true });
    const provider = porkbunProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });

  it("recreates a record deleted by hand although its id was remembered (the edit answers Invalid record ID)", async () => {
    const provider = porkbunProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.read("gone.example.com", "A")).toEqual(["203.0.113.31"]);
    expect(fake.requests.filter((r) => r.path.startsWith("/dns/edit/")).at(-1)?.status).toBe(400);
  });

  it("creates with the name relative, the TTL as a string and the comment as notes", async () => {
    expect(await one(porkbunProvider(fake.url), a("www.example.com", "203.0.113.8", { ttl: 900, comment: "managed by ddnsd" }))).toMatchObject({ ok: true, outcome: "created" });
    expect(bodyOf(fake, /^\/dns\/create\//)).toEqual({ name: "www", type: "A", content: "203.0.113.8", ttl: "900", notes: "managed by ddnsd" });
    expect(fake.store.find("example.com", "www.example.com", "A").map((r) => [r.ttl, r.extra.notes])).toEqual([[900, "managed by ddnsd"]]);
  });

  it("writes the apex with an empty name and reads it without a subdomain", async () => {
    expect(await one(porkbunProvider(fake.url), a("example.com", "203.0.113.12"))).toMatchObject({ ok: true, outcome: "created" });
    expect(bodyOf(fake, /^\/dns\/create\//)).toEqual({ name: "", type: "A", content: "203.0.113.12" });
    expect(fake.requests.some((r) => r.path === "/dns/retrieveByNameType/example.com/A")).toBe(true);
  });

  it("keeps the TTL and notes set by hand when it changes the address (an edit replaces the record)", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.40"], 3600, "set by hand");
    expect(await one(porkbunProvider(fake.url), a("kept.example.com", "203.0.113.40", { ttl: 600 }))).toMatchObject({ ok: true, outcome: "updated" });
    expect(bodyOf(fake, /^\/dns\/edit\//)).toEqual({ name: "kept", type: "A", content: "203.0.113.40", ttl: "3600", notes: "set by hand" });
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl, r.extra.notes])).toEqual([["203.0.113.40", 3600, "set by hand"]]);
  });

  it("writes the operator's comment into notes on a change, and reads notes back as the comment", async () => {
    fake.edit("noted.example.com", "A", ["192.0.2.41"], 600, "old");
    const provider = porkbunProvider(fake.url);
    expect(await one(provider, a("noted.example.com", "203.0.113.41", { comment: "ddnsd" }))).toMatchObject({ ok: true, outcome: "updated" });
    expect(bodyOf(fake, /^\/dns\/edit\//)).toMatchObject({ notes: "ddnsd" });
    const writes = fake.writes();
    expect(await one(porkbunProvider(fake.url), a("noted.example.com", "203.0.113.41", { comment: "ddnsd" }))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(writes);
  });

  it("lists the domains 1000 at a time until an empty answer", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `d${i}.example`);
    const big = await start({ zones: [...many, "example.com"] });
    try {
      expect(await one(porkbunProvider(big.url), a("home.example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "created" });
      const starts = big.requests.filter((r) => r.path === "/domain/listAll").map((r) => JSON.parse(r.body).start);
      expect(starts).toEqual(["0", "1000", "2000"]);
    } finally {
      await big.stop();
    }
  });

  it("reads a domain's records once when many names of it are set together", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `bulk-${i}.example.com`);
    for (const name of names.slice(0, 5)) fake.edit(name, "A", ["192.0.2.9"]);
    const from = fake.requests.length;
    const results = await set(porkbunProvider(fake.url), names.map((n) => a(n, "203.0.113.9")));
    expect(results.map((r) => r.ok && r.outcome)).toEqual(names.map((_, i) => (i < 5 ? "updated" : "created")));
    const reads = fake.requests.slice(from).filter((r) => r.path.startsWith("/dns/retrieve"));
    expect(reads.map((r) => r.path)).toEqual(["/dns/retrieve/example.com"]);
  });
});
