import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { vultr } from "../../src/providers/vultr/descriptor.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeVultr, type FakeVultr, type FakeVultrOptions } from "../fakes/vultr/fake-vultr.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** Vultr: the contract suite and the black-box runs against its fake, its faults, access control and cursors. */
const KEY = "VULTRKEY0123456789ABCDEFGHIJKLMNOPQR";
const WRONG = "VULTRKEYFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
let run = 0;

function vultrProvider(apiUrl: string, token = KEY): DnsProvider {
  const parsed = vultr.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return vultr.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

const start = (o: Partial<FakeVultrOptions> = {}) => startFakeVultr({ keys: [KEY], zones: ["example.com"], maxPerPage: 2, ...o });
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("vultr", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: vultrProvider(fake.url),
    badAuthProvider: vultrProvider(fake.url, WRONG),
    unreachableProvider: vultrProvider(`http://127.0.0.1:${await freePort()}/v2`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG],
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
  id: "vultr",
  canRead: vultr.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "vultr", DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("vultr against its fake", () => {
  let fake: FakeVultr;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "sub.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, Vultr answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/domains/*/records", retryAfter: 2, message: "Rate limit reached" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, Vultr's request limit is spent (HTTP 429: "Rate limit reached"; 30 requests a second from one address)` },
    },
    {
      name: "a 400 refusal of the record",
      rule: { kind: "status", status: 400, method: "POST", message: "Invalid TTL" } as FaultRule,
      want: { kind: "config", message: `while creating the record, Vultr refused the record (HTTP 400: "Invalid TTL"); check DDNS_RECORD_TTL` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, Vultr answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/domains/*/records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, Vultr at "http:\/\/127\.0\.0\.1:\d+\/v2\/domains\/example\.com\/records\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
    {
      name: "a hang (the round's deadline ends it)",
      rule: { kind: "hang", path: "/domains/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, the request to Vultr was cancelled before it finished (shutdown or the round's deadline)" },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(vultrProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"), AbortSignal.timeout(rule.kind === "hang" ? 500 : 5_000));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(2_000);
    expect(fake.writes()).toBe(before);
  });

  it("names the access control when the key is refused for this host's address", async () => {
    const denied = await start({ deniedAddress: true });
    try {
      expect(await one(vultrProvider(denied.url), a("acl.example.com", "203.0.113.7"))).toMatchObject({
        ok: false,
        kind: "auth",
        message: `while looking up the zone, Vultr refused the API key (HTTP 401: "Unauthorized IP address: 127.0.0.1"); check DDNS_PROVIDER_API_TOKEN, and that the key's access control (Account → API) allows this host's address`,
      });
    } finally {
      await denied.stop();
    }
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next set", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const provider = vultrProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });

  it("recreates a record deleted by hand although its id was remembered (the PATCH answers 404)", async () => {
    const provider = vultrProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "created" });
    fake.edit("gone.example.com", "A", []);
    expect(await one(provider, a("gone.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created", previous: [] });
    expect(fake.read("gone.example.com", "A")).toEqual(["203.0.113.31"]);
    expect(fake.requests.filter((r) => r.method === "PATCH").at(-1)?.status).toBe(404);
  });

  it("says what to do for a name no domain of the account holds", async () => {
    expect(await one(vultrProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "config",
      message: `no Vultr zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain under Network → DNS in the Vultr account the API key belongs to`,
    });
  });

  it("puts a name into the longest domain, sends it relative with the TTL the operator set", async () => {
    expect(await one(vultrProvider(fake.url), a("www.sub.example.com", "203.0.113.8", 120))).toMatchObject({ ok: true, outcome: "created" });
    const post = fake.requests.filter((r) => r.method === "POST").at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toEqual({ path: "/domains/sub.example.com/records", body: { name: "www", type: "A", data: "203.0.113.8", ttl: 120 } });
    expect(fake.store.find("sub.example.com", "www.sub.example.com", "A").map((r) => r.ttl)).toEqual([120]);
  });

  it("writes the apex as the empty name, and changes only the data of a record whose TTL was set by hand", async () => {
    expect(await one(vultrProvider(fake.url), a("sub.example.com", "203.0.113.12"))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "POST").at(-1)!.body)).toEqual({ name: "", type: "A", data: "203.0.113.12" });
    fake.edit("kept.example.com", "A", ["192.0.2.40"], 3600);
    expect(await one(vultrProvider(fake.url), a("kept.example.com", "203.0.113.40", 60))).toMatchObject({ ok: true, outcome: "updated" });
    expect(JSON.parse(fake.requests.filter((r) => r.method === "PATCH").at(-1)!.body)).toEqual({ data: "203.0.113.40" });
    expect(fake.store.find("example.com", "kept.example.com", "A").map((r) => [r.content, r.ttl])).toEqual([["203.0.113.40", 3600]]);
  });

  it("follows cursors until meta.links.next is empty", async () => {
    fake.edit("paged.example.com", "A", ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]);
    const from = fake.requests.length;
    const r = await one(vultrProvider(fake.url), a("paged.example.com", "192.0.2.5"));
    expect(r).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"] });
    expect(fake.read("paged.example.com", "A")).toEqual(["192.0.2.5"]);
    const reads = fake.requests.slice(from).filter((q) => q.method === "GET" && q.path === "/domains/example.com/records");
    expect(reads.filter((q) => q.query.includes("cursor=")).length).toBe(reads.length - 1);
  });
});
