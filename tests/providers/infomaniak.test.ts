import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { infomaniak } from "../../src/providers/infomaniak/descriptor.ts";
import type { DnsProvider, ProviderDeps, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeInfomaniak, type FakeInfomaniak, type FakeInfomaniakOptions } from "../fakes/infomaniak/fake-infomaniak.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set, a } from "./test-requests.ts";

/** Infomaniak: the contract suite and the black-box runs against its fake, the zone walk, token scopes, faults. */
const TOKEN = "ikTOKEN0123456789abcdefghijklmnop";
const READ_ONLY = "ikREADONLY0123456789abcdefghijkl";
const WRONG = "ikWRONGzzzzzzzzzzzzzzzzzzzzzzzzz";
let run = 0;

const deps = (timeoutMs?: number): ProviderDeps => ({ fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {}, ...(timeoutMs ? { timeoutMs } : {}) });
function ikProvider(apiUrl: string, token = TOKEN, timeoutMs?: number): DnsProvider {
  const parsed = infomaniak.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return infomaniak.create(parsed.settings, deps(timeoutMs));
}
const start = (o: Partial<FakeInfomaniakOptions> = {}) => startFakeInfomaniak({ tokens: { [TOKEN]: ["dns:read", "dns:write"], [READ_ONLY]: ["dns:read"] }, zones: ["example.com"], ...o });

providerContract("infomaniak", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: ikProvider(fake.url),
    badAuthProvider: ikProvider(fake.url, WRONG),
    unreachableProvider: ikProvider(`http://127.0.0.1:${await freePort()}`),
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
  id: "infomaniak",
  canRead: infomaniak.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "infomaniak", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("infomaniak against its fake", () => {
  let fake: FakeInfomaniak;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "example.org"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");
  const RECORDS = "/2/zones/example.com/records";

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: RECORDS } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Infomaniak answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: RECORDS, retryAfter: 20, message: "Too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Infomaniak's request limit is spent (HTTP 429 "too_many_requests": "Too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: RECORDS } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Infomaniak answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: RECORDS } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, Infomaniak's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: RECORDS } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Infomaniak at "http:\/\/127\.0\.0\.1:\d+\/2\/zones\/\{domain\}\/records" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    const provider = ikProvider(fake.url);
    const host = `fault-${name.length}.example.com`;
    expect(await one(provider, a(host, "2001:db8::5", { type: "AAAA" }))).toMatchObject({ ok: true });
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(provider, a(host, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("walks the suffixes with /exists, sends the Bearer token, and writes sources relative to the zone (\".\" at the apex)", async () => {
    const calls = fake.requests.length;
    expect(await one(ikProvider(fake.url), a("example.org", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(calls).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /2/zones/example.org/exists", "GET /2/zones/example.org/records", "POST /2/zones/example.org/records"]);
    const post = writes().at(-1)!;
    expect({ body: JSON.parse(post.body), auth: post.headers.authorization }).toEqual({ body: { source: ".", type: "A", target: "203.0.113.20", ttl: 3600 }, auth: `Bearer ${TOKEN}` });
    expect(await one(ikProvider(fake.url), a("nas.example.org", "203.0.113.21", { ttl: 300 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(writes().at(-1)!.body)).toEqual({ source: "nas", type: "A", target: "203.0.113.21", ttl: 300 });
  });

  it("changes a record by id and keeps its TTL", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = fake.store.find("example.com", "kept.example.com", "A")[0]!.id;
    expect(await one(ikProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().at(-1)).toMatchObject({ method: "PUT", path: `/2/zones/example.com/records/${id}` });
    expect(fake.store.byId(id)).toMatchObject({ content: "203.0.113.30", ttl: 900 });
  });

  it("keeps one of duplicate records and deletes the others", async () => {
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(ikProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(writes().at(-1)!.method).toBe("DELETE");
  });

  it.each([
    { name: "a zone not in the account", token: TOKEN, request: a("home.example.net", "203.0.113.7"), kind: "config", message: `no Infomaniak zone holds "home.example.net" (tried "home.example.net", "example.net"); add the zone to the Infomaniak account the token belongs to` },
    { name: "a wrong token", token: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, Infomaniak refused the token (HTTP 401 "not_authorized": "Authorization required"); check DDNS_PROVIDER_API_TOKEN: an API token, not expired or revoked` },
    { name: "a token without dns:write", token: READ_ONLY, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while creating the record, Infomaniak refused the POST (HTTP 403 "forbidden": "The token has not the scope dns:write"); give the token in DDNS_PROVIDER_API_TOKEN the scope dns:write` },
    { name: "a TTL Infomaniak refuses", token: TOKEN, request: a("short.example.com", "203.0.113.7", { ttl: 30 }), kind: "config", message: `while creating the record, Infomaniak refused the record (HTTP 422 "validation_failed": "Validation failed: ttl must be between 60 and 86400"); check DDNS_RECORD_TTL (60 to 86400)` },
  ])("says what to do for $name", async ({ token, request, kind, message }) => {
    expect(await one(ikProvider(fake.url, token), request)).toMatchObject({ ok: false, kind, message });
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    fake.fault({ kind: "reset", method: "POST", path: "/2/zones/*/records", afterApply: true });
    const provider = ikProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
