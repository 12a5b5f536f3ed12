import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { gandi } from "../../src/providers/gandi/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeGandi, type FakeGandi, type FakeGandiOptions } from "../fakes/gandi/fake-gandi.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Gandi LiveDNS v5: the contract suite and the black-box runs against its fake, its TTLs, names and faults. */
const TOKEN = "pat_0123456789abcdefghijklmnop";
const WRONG = "pat_ZZZZZZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function gdProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = gandi.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return gandi.create(parsed.settings, deps());
}
const start = (o: Partial<FakeGandiOptions> = {}) => startFakeGandi({ tokens: { [TOKEN]: "manage" }, zones: ["example.com"], ...o });

providerContract("gandi", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: gdProvider(fake.url),
    badAuthProvider: gdProvider(fake.url, WRONG),
    unreachableProvider: gdProvider(`http://127.0.0.1:${await freePort()}/v5/livedns`),
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
  id: "gandi",
  canRead: gandi.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "gandi", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("gandi against its fake", () => {
  let fake: FakeGandi;
  beforeAll(async () => {
    fake = await start({ tokens: { [TOKEN]: "manage", pat_reader: "read" }, zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const puts = () => fake.requests.filter((r) => r.method === "PUT");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/domains/*/records/*/A" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, Gandi answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/domains/*/records/*/A", retryAfter: 30, message: "Too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, Gandi's request limit is spent (HTTP 429: "Too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/domains/*/records/*/A" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, Gandi answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/domains/*/records/*/A" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Gandi's record set is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/domains/*/records/*/A" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, Gandi at "http:\/\/127\.0\.0\.1:\d+\/v5\/livedns\/domains\/example\.com\/records\/fault-\d+\/A" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(gdProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(30_000);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a write whose answer never came, and finds the set on the next round", async () => {
    fake.fault({ kind: "hang", method: "PUT", path: "/domains/*/records/*/A", afterApply: true });
    const provider = gdProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"), AbortSignal.timeout(500))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("names the permission a token lacks (Gandi's 403 for a missing permission and an unknown token alike)", async () => {
    expect(await one(gdProvider(fake.url, "pat_reader"), a("scoped.example.com", "203.0.113.7"))).toMatchObject({
      ok: false,
      kind: "auth",
      message: `while writing the record set, Gandi refused the PUT (HTTP 403: "Access was denied to this resource."); check DDNS_PROVIDER_API_TOKEN: a personal access token (pat_…) that has not expired, with the permission "Manage domain name technical configurations" for the domain`,
    });
  });

  it.each([
    { name: "auto: a new set gets Gandi's default TTL", request: a("auto.example.com", "203.0.113.50"), path: "/domains/example.com/records/auto/A", body: { rrset_values: ["203.0.113.50"], rrset_ttl: 10_800 } },
    { name: "a TTL the operator set", request: a("set.example.com", "203.0.113.51", { ttl: 600 }), path: "/domains/example.com/records/set/A", body: { rrset_values: ["203.0.113.51"], rrset_ttl: 600 } },
    { name: "the apex of a delegated domain", request: a("lab.example.com", "203.0.113.52"), path: "/domains/lab.example.com/records/@/A", body: { rrset_values: ["203.0.113.52"], rrset_ttl: 10_800 } },
    { name: "a name below a delegated domain", request: a("nas.lab.example.com", "203.0.113.53"), path: "/domains/lab.example.com/records/nas/A", body: { rrset_values: ["203.0.113.53"], rrset_ttl: 10_800 } },
  ])("writes the set with one PUT — $name", async ({ request, path, body }) => {
    expect(await one(gdProvider(fake.url), request)).toMatchObject({ ok: true, outcome: "created" });
    const put = puts().at(-1)!;
    expect({ path: put.path, body: JSON.parse(put.body) }).toEqual({ path, body });
  });

  it("keeps an existing set's TTL with auto, and writes nothing when it is right", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 1200, records: [{ value: "192.0.2.1" }] });
    expect(await one(gdProvider(fake.url), a("kept.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(fake.set("kept.example.com", "A")).toMatchObject({ ttl: 1200, records: [{ value: "203.0.113.60" }] });
    const before = fake.writes();
    expect(await one(gdProvider(fake.url), a("kept.example.com", "203.0.113.60", { ttl: 1200 }))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
  });

  it("turns Gandi's field errors into one line that names the variable", async () => {
    fake.fault({ kind: "status", status: 400, method: "PUT", path: "/domains/*/records/bad/A", message: "ignored" });
    const r = await one(gdProvider(fake.url), a("bad.example.com", "203.0.113.61"));
    expect(r).toMatchObject({ ok: false, kind: "config", message: `while writing the record set, Gandi refused the record set (HTTP 400: "Validation error" (body: "ignored")); check DDNS_RECORD_TTL (300…2592000 at Gandi)` });
  });

  it("says what to do for a name no domain of the token holds", async () => {
    expect(await one(gdProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no Gandi zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to LiveDNS in the Gandi organization the token belongs to (or give the token access to it)`,
    });
  });

  it("finds the domain again when it went away between lookup and write (404 on the PUT)", async () => {
    fake.fault({ kind: "status", status: 404, method: "PUT", path: "/domains/example.com/records/moved/A", message: "The resource could not be found." });
    expect(await one(gdProvider(fake.url), a("moved.example.com", "203.0.113.80"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(-4).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["PUT /domains/example.com/records/moved/A 404", "GET /domains 200", "GET /domains/example.com/records/moved/A 404", "PUT /domains/example.com/records/moved/A 201"]);
  });
});
