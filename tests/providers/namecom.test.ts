import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { namecom } from "../../src/providers/namecom/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeNamecom, type FakeNamecom, type FakeNamecomOptions } from "../fakes/namecom/fake-namecom.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** Name.com: the contract suite and the black-box runs against its fake, its faults, pages and PUT replacing. */
const USER = "alice";
const TOKEN = "0123456789abcdef0123456789abcdef01234567";
const WRONG = "ffffffffffffffffffffffffffffffffffffffff";
let run = 0;

function ncProvider(apiUrl: string, token = TOKEN, user = USER): DnsProvider {
  const parsed = namecom.parse({ DDNS_PROVIDER_API_KEY: user, DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return namecom.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeNamecomOptions> = {}) => startFakeNamecom({ users: { [USER]: TOKEN }, zones: ["example.com"], maxPerPage: 2, ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("namecom", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: ncProvider(fake.url),
    badAuthProvider: ncProvider(fake.url, WRONG),
    unreachableProvider: ncProvider(`http://127.0.0.1:${await freePort()}/v4`),
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
  id: "namecom",
  canRead: namecom.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "namecom", DDNS_PROVIDER_API_KEY: USER, DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("namecom against its fake", () => {
  let fake: FakeNamecom;
  beforeAll(async () => {
    fake = await start({ users: { [USER]: TOKEN, bob: TOKEN }, blocked: ["bob"], zones: ["example.com", "sub.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;

  const reset = () => String(Math.ceil(Date.now() / 1000) + 30);
  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Name.com answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with only X-RateLimit-Reset",
      rule: { kind: "rate-limit", path: "/domains/*/records", retryAfter: null, message: "Too Many Requests", headers: { "x-ratelimit-reset": reset() } } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Name.com's request limit is spent (HTTP 429: "Too Many Requests")` },
    },
    {
      name: "a 400 refusal of the record",
      rule: { kind: "status", status: 400, method: "POST", message: "ttl must be at least 300" } as FaultRule,
      want: { kind: "config", message: `while creating the record, Name.com refused the record (HTTP 400: "Invalid Argument: ttl must be at least 300"); check DDNS_RECORD_TTL (at least 300 at Name.com)` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Name.com answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(ncProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBeWithin(25_000, 31_000);
    expect(fake.writes()).toBe(before);
  });

  it("names both variables when the credentials are refused, and API access when the account has it off", async () => {
    expect(await one(ncProvider(fake.url, WRONG), a("cred.example.com", "203.0.113.5"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while looking up the zone, Name.com refused the credentials (HTTP 401: "Unauthenticated"); check DDNS_PROVIDER_API_KEY (the account's user name) and DDNS_PROVIDER_API_TOKEN (a production API token, not a test one)`,
    });
    expect(await one(ncProvider(fake.url, TOKEN, "bob"), a("cred.example.com", "203.0.113.5"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while looking up the zone, Name.com refused the GET (HTTP 403: "Permission Denied: API access is not enabled for this account"); enable API access for the account (Account → Settings → Security), also when it uses two-step verification`,
    });
  });

  it("replaces a changed record whole with PUT, keeping the TTL set by hand, and follows pages", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3"], 86400);
    expect(await one(ncProvider(fake.url), a("kept.example.com", "203.0.113.40", 600))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3"] });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "PUT").at(-1)!.body)).toEqual({ host: "kept", type: "A", answer: "203.0.113.40", ttl: 86400 });
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl])).toEqual([["203.0.113.40", 86400]]);
  });

  it("creates in the longest domain with the host relative (empty at the apex) and the TTL set", async () => {
    expect(await one(ncProvider(fake.url), a("www.sub.example.com", "203.0.113.8", 900))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: "/domains/sub.example.com/records", body: { host: "www", type: "A", answer: "203.0.113.8", ttl: 900 } });
    expect(await one(ncProvider(fake.url), a("sub.example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "POST").at(-1)!.body)).toEqual({ host: "", type: "A", answer: "203.0.113.9" });
    expect(await one(ncProvider(fake.url), a("sub.example.com", "203.0.113.9"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = ncProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("recreates a record deleted by hand although its id was remembered (the PUT answers 404)", async () => {
    const provider = ncProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.requests.filter((r) => r.method === "PUT").at(-1)?.status).toBe(404);
  });

  it("says what to do for a name no domain of the account holds", async () => {
    expect(await one(ncProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `no Name.com zone holds "home.example.org" (tried "home.example.org", "example.org"); the domain must be in the Name.com account of DDNS_PROVIDER_API_KEY, using Name.com's name servers`,
    });
  });
});
