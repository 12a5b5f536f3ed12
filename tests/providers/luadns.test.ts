import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { luadns } from "../../src/providers/luadns/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeLuadns, type FakeLuadns, type FakeLuadnsOptions } from "../fakes/luadns/fake-luadns.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** LuaDNS: the contract suite and the black-box runs against its fake, its records by id, restricted keys and faults. */
const EMAIL = "ops@example.net";
const KEY = "luadnsKEY0123456789abcdefghij";
const WRONG = "luadnsWRONGZZZZZZZZZZZZZZZZZZ";
let run = 0;

function ldProvider(apiUrl: string, key = KEY): DnsProvider {
  const parsed = luadns.parse({ DDNS_PROVIDER_API_KEY: EMAIL, DDNS_PROVIDER_API_TOKEN: key, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return luadns.create(parsed.settings, deps());
}
const start = (o: Partial<FakeLuadnsOptions> = {}) => startFakeLuadns({ keys: { [`${EMAIL}:${KEY}`]: "global" }, zones: ["example.com"], ...o });

providerContract("luadns", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: ldProvider(fake.url),
    badAuthProvider: ldProvider(fake.url, WRONG),
    unreachableProvider: ldProvider(`http://127.0.0.1:${await freePort()}/v1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG, EMAIL],
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
  id: "luadns",
  canRead: luadns.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "luadns", DDNS_PROVIDER_API_KEY: EMAIL, DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, WRONG, EMAIL],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("luadns against its fake", () => {
  let fake: FakeLuadns;
  beforeAll(async () => {
    fake = await start({ keys: { [`${EMAIL}:${KEY}`]: "global", [`${EMAIL}:scoped-key`]: "lab.example.com" }, zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/zones/*/records" } as FaultRule,
      want: { kind: "transient", message: "while reading the records, LuaDNS answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/zones/*/records", retryAfter: 20, message: "Rate limit exceeded." } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the records, LuaDNS's request limit is spent (HTTP 429: "Rate limit exceeded."; 1200 requests every 5 minutes)` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/zones/*/records" } as FaultRule,
      want: { kind: "transient", message: `while reading the records, LuaDNS answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/zones/*/records" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the records, LuaDNS's record list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/zones/*/records" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the records, LuaDNS at "http:\/\/127\.0\.0\.1:\d+\/v1\/zones\/1\/records" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(ldProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("sends Basic auth with the account e-mail, asks for JSON, and writes absolute names with a trailing dot", async () => {
    expect(await one(ldProvider(fake.url), a("new.example.com", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    const post = writes().at(-1)!;
    expect({ method: post.method, path: post.path, body: JSON.parse(post.body), accept: post.headers.accept, user: Buffer.from(post.headers.authorization!.slice(6), "base64").toString().split(":")[0] })
      .toEqual({ method: "POST", path: "/zones/1/records", body: { name: "new.example.com.", type: "A", content: "203.0.113.20", ttl: 3600 }, accept: "application/json", user: EMAIL });
  });

  it("changes a record by id and keeps its TTL; a TTL the operator set goes on records it creates", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = fake.store.find("example.com", "kept.example.com", "A")[0]!.id;
    expect(await one(ldProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(writes().at(-1)).toMatchObject({ method: "PUT", path: `/zones/1/records/${id}` });
    expect(fake.store.byId(id)).toMatchObject({ content: "203.0.113.30", ttl: 900 });
    expect(await one(ldProvider(fake.url), a("nas.lab.example.com", "203.0.113.31", { ttl: 600 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(writes().at(-1)!.body)).toEqual({ name: "nas.lab.example.com.", type: "A", content: "203.0.113.31", ttl: 600 });
    expect(writes().at(-1)!.path).toBe("/zones/2/records");
  });

  it("keeps one of duplicate records and deletes the others", async () => {
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(ldProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(writes().at(-1)!.method).toBe("DELETE");
  });

  it.each([
    { name: "a key restricted to another zone", key: "scoped-key", request: a("home.example.com", "203.0.113.7"), kind: "config", message: `no LuaDNS zone holds "home.example.com" (tried "home.example.com", "example.com"); add the zone to the LuaDNS account (and, for a restricted API key, restrict it to that zone)` },
    { name: "a wrong API key", key: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, LuaDNS refused the credentials (HTTP 401: "Invalid username or API key."); check DDNS_PROVIDER_API_KEY (the account's e-mail) and DDNS_PROVIDER_API_TOKEN (an API key), and that API access is enabled in the account settings` },
  ])("says what to do for $name", async ({ key, request, kind, message }) => {
    expect(await one(ldProvider(fake.url, key), request)).toMatchObject({ ok: false, kind, message });
  });

  it("says it could not confirm a create whose answer was lost, and finds the record on the next round", async () => {
    fake.fault({ kind: "reset", method: "POST", path: "/zones/*/records", afterApply: true });
    const provider = ldProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
