import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { desec } from "../../src/providers/desec/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeDesec, type FakeDesec, type FakeDesecOptions } from "../fakes/desec/fake-desec.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** deSEC (REST API): the contract suite and the black-box runs against its fake, its bulk writes, TTLs and faults. */
const TOKEN = "desecTOKEN0123456789abcdefgh";
const WRONG = "desecWRONGZZZZZZZZZZZZZZZZZZ";
let run = 0;

function dsProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = desec.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return desec.create(parsed.settings, deps());
}
const start = (o: Partial<FakeDesecOptions> = {}) => startFakeDesec({ tokens: { [TOKEN]: "write" }, zones: ["example.com"], ...o });

providerContract("desec", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: dsProvider(fake.url),
    badAuthProvider: dsProvider(fake.url, WRONG),
    unreachableProvider: dsProvider(`http://127.0.0.1:${await freePort()}/api/v1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [TOKEN, WRONG],
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
  id: "desec",
  canRead: desec.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "desec", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("desec against its fake", () => {
  let fake: FakeDesec;
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: "write", "desec-reader": "read" }, zones: ["example.com", "lab.example.com", { name: "low.example", minimumTtl: 60 }] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const puts = () => fake.requests.filter((r) => r.method === "PUT");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/rrsets/*/A/" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, deSEC answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/domains/*/rrsets/*/A/", retryAfter: 42, message: "Request was throttled. Expected available in 42 seconds." } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, deSEC is throttling this account (HTTP 429: "Request was throttled. Expected available in 42 seconds."; writes are limited per domain to 15 a minute and 100 an hour)` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/domains/*/rrsets/*/A/" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, deSEC answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/domains/*/rrsets/*/A/" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, deSEC's record set is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/domains/*/rrsets/*/A/" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, deSEC at "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/domains\/example\.com\/rrsets\/fault-\d+\/A\/" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(dsProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(42_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a write whose answer never came, and finds the set on the next round", async () => {
    // A reset is no test here: the runtime sends an idempotent PUT again on a fresh connection (and rightly so).
    fake.fault({ kind: "hang", method: "PUT", path: "/domains/*/rrsets/", afterApply: true });
    const provider = dsProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(fake.read("lost.example.com", "A")).toEqual(["203.0.113.6"]);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("names the policy a token without perm_write lacks", async () => {
    expect(await one(dsProvider(fake.url, "desec-reader"), a("scoped.example.com", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while writing the record set, deSEC refused the PUT (HTTP 403: "Insufficient token permissions."); the token in DDNS_PROVIDER_API_TOKEN needs a policy with perm_write for these record sets`,
    });
  });

  it.each([
    { name: "auto: a new set gets the domain's minimum TTL", request: a("auto.example.com", "203.0.113.50"), part: { subname: "auto", type: "A", ttl: 3600, records: ["203.0.113.50"] } },
    { name: "auto in a domain with a lower minimum", request: a("auto.low.example", "203.0.113.51"), part: { subname: "auto", type: "A", ttl: 60, records: ["203.0.113.51"] } },
    { name: "a TTL the operator set", request: a("set.example.com", "203.0.113.52", { ttl: 7200 }), part: { subname: "set", type: "A", ttl: 7200, records: ["203.0.113.52"] } },
    { name: "the apex (an empty subname)", request: a("lab.example.com", "203.0.113.53"), part: { subname: "", type: "A", ttl: 3600, records: ["203.0.113.53"] } },
  ])("creates a set with one bulk PUT — $name", async ({ request, part }) => {
    expect(await one(dsProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    expect(JSON.parse(puts().at(-1)!.body)).toEqual([part]);
  });

  it("keeps an existing set's TTL with auto, and writes nothing when it holds the address (IPv6 in any spelling)", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 7200, records: [{ value: "192.0.2.1" }] });
    expect(await one(dsProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(fake.set("kept.example.com", "A")?.ttl).toBe(7200);
    await one(dsProvider(fake.url), { name: "v6.example.com", type: "AAAA", content: "2001:db8::1" });
    const before = fake.writes();
    expect(await one(dsProvider(fake.url), { name: "v6.example.com", type: "AAAA", content: "2001:DB8:0:0::1" })).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
  });

  it("puts the sets of one domain into one write, and retries set by set when deSEC refuses the whole", async () => {
    const together = await set(dsProvider(fake.url), [a("b1.example.com", "203.0.113.70"), a("b2.example.com", "203.0.113.71"), a("nas.lab.example.com", "203.0.113.72")]);
    expect(together.map((r) => r.ok && r.outcome)).toEqual(["created", "created", "created"]);
    expect(puts().slice(-2).map((p) => [p.path, JSON.parse(p.body).length]).sort()).toEqual([["/domains/example.com/rrsets/", 2], ["/domains/lab.example.com/rrsets/", 1]]);
    const from = puts().length;
    const split = await set(dsProvider(fake.url), [a("s1.example.com", "203.0.113.73", { ttl: 60 }), a("s2.example.com", "203.0.113.74")]);
    expect(split[0]).toMatchObject({ ok: false, kind: "config", message: `while writing the record set, deSEC refused the record set (HTTP 400: ttl: "Ensure this value is greater than or equal to 3600."); check DDNS_RECORD_TTL (at least the domain's minimum TTL, usually 3600; at most 86400)` });
    expect(split[1]).toMatchObject({ ok: true, outcome: "created" });
    expect(puts().length - from).toBe(3);
  });

  it("says what to do for a name no domain of the account holds", async () => {
    expect(await one(dsProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no deSEC zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to the deSEC account the token belongs to`,
    });
  });

  it("finds the domain again when it went away between lookup and write (404 on the PUT)", async () => {
    fake.fault({ kind: "status", status: 404, method: "PUT", path: "/domains/example.com/rrsets/", message: "Not found." });
    expect(await one(dsProvider(fake.url), a("moved.example.com", "203.0.113.80"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.filter((r) => r.path === "/domains/" && r.query === "?owns_qname=moved.example.com").length).toBe(2);
  });
});
