import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { hostinger } from "../../src/providers/hostinger/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeHostinger, type FakeHostinger, type FakeHostingerOptions } from "../fakes/hostinger/fake-hostinger.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Hostinger: the contract suite and the black-box runs against its fake, its sets, TTLs, names and faults. */
const TOKEN = "hostingerTOKEN0123456789abcdefghij";
const WRONG = "hostingerWRONGZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function hgProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = hostinger.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return hostinger.create(parsed.settings, deps());
}
const start = (o: Partial<FakeHostingerOptions> = {}) => startFakeHostinger({ tokens: [TOKEN], zones: ["example.com"], ...o });

providerContract("hostinger", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: hgProvider(fake.url),
    badAuthProvider: hgProvider(fake.url, WRONG),
    unreachableProvider: hgProvider(`http://127.0.0.1:${await freePort()}`),
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
  id: "hostinger",
  canRead: hostinger.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "hostinger", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("hostinger against its fake", () => {
  let fake: FakeHostinger;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"], elsewhere: ["example.org"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const puts = () => fake.requests.filter((r) => r.method === "PUT");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/api/dns/v1/zones/*" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, Hostinger answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/api/dns/v1/zones/*", retryAfter: 30, message: "Too Many Attempts." } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, Hostinger's request limit is spent (HTTP 429: "Too Many Attempts.")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/api/dns/v1/zones/*" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, Hostinger answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/api/dns/v1/zones/*" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Hostinger's list of zone records is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/api/dns/v1/zones/*" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, Hostinger at "http:\/\/127\.0\.0\.1:\d+\/api\/dns\/v1\/zones\/example\.com" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(hgProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  it.each([
    { name: "auto: a new set gets Hostinger's default TTL", request: a("auto.example.com", "203.0.113.50"), path: "/api/dns/v1/zones/example.com", set: { name: "auto", type: "A", ttl: 14_400, records: [{ content: "203.0.113.50" }] } },
    { name: "a TTL the operator set", request: a("set.example.com", "203.0.113.51", { ttl: 600 }), path: "/api/dns/v1/zones/example.com", set: { name: "set", type: "A", ttl: 600, records: [{ content: "203.0.113.51" }] } },
    { name: "the apex of a delegated domain", request: a("lab.example.com", "203.0.113.52"), path: "/api/dns/v1/zones/lab.example.com", set: { name: "@", type: "A", ttl: 14_400, records: [{ content: "203.0.113.52" }] } },
  ])("replaces the set with one PUT and overwrite: true — $name", async ({ request, path, set: want }) => {
    expect(await one(hgProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    const put = puts().at(-1)!;
    expect({ path: put.path, body: JSON.parse(put.body), auth: put.headers.authorization }).toEqual({ path, body: { overwrite: true, zone: [want] }, auth: `Bearer ${TOKEN}` });
  });

  it("writes the sets of one zone in one PUT, keeps an existing set's TTL, and leaves the zone's other records alone", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 1200, records: [{ value: "192.0.2.1" }] });
    fake.store.put({ zone: "example.com", name: "mail.example.com", type: "MX", ttl: 3600, records: [{ value: "10 mx.example.net." }] });
    const before = puts().length;
    const results = await set(hgProvider(fake.url), [a("kept.example.com", "203.0.113.60"), a("other.example.com", "203.0.113.61")]);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "created"]);
    expect(puts().length).toBe(before + 1);
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 1200, records: [{ value: "203.0.113.60" }] });
    expect(fake.read("mail.example.com", "MX")).toEqual(["10 mx.example.net."]);
  });

  it.each([
    { name: "a name whose domain has no DNS zone here", request: a("home.example.org", "203.0.113.7"), token: TOKEN, kind: "config", message: `Hostinger has no DNS zone for the domain (HTTP 404: "DNS zone not found.")` },
    { name: "a name no domain of the account holds", request: a("home.example.net", "203.0.113.7"), token: TOKEN, kind: "config", message: `no Hostinger zone holds "home.example.net" (tried "home.example.net", "example.net"); add the domain to the Hostinger account the token belongs to (and let Hostinger's name servers serve it)` },
    { name: "a wrong token", request: a("home.example.com", "203.0.113.7"), token: WRONG, kind: "auth", message: `Hostinger refused the token (HTTP 401: "Unauthenticated."); check DDNS_PROVIDER_API_TOKEN: an API token from hPanel (Account → API) that has not expired` },
  ])("says what to do for $name", async ({ request, token, kind, message }) => {
    expect(await one(hgProvider(fake.url, token), request)).toMatchObject({ ok: false, kind, message: expect.stringContaining(message) });
  });

  it("turns Hostinger's field errors into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 422, method: "PUT", path: "/api/dns/v1/zones/lab.example.com", message: "The ttl must be at least 60." });
    const r = await one(hgProvider(fake.url), a("bad.lab.example.com", "203.0.113.62"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: expect.stringMatching(/^while writing the record set, Hostinger refused the record set \(HTTP 422: "The ttl must be at least 60\."\); check DDNS_RECORD_TTL \(at least 60\)$/) });
  });

  it("says it could not confirm a write whose answer never came, and finds the set on the next round", async () => {
    fake.fault({ kind: "hang", method: "PUT", path: "/api/dns/v1/zones/example.com", afterApply: true });
    const provider = hgProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });
});
