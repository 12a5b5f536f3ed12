import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { njalla } from "../../src/providers/njalla/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeNjalla, type FakeNjalla, type FakeNjallaOptions } from "../fakes/njalla/fake-njalla.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** Njalla: the contract suite and the black-box runs against its fake, its one-endpoint calls, TTLs and faults. */
const TOKEN = "njallaTOKEN0123456789abcdefghijkl";
const WRONG = "njallaWRONGZZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function njProvider(apiUrl: string, token = TOKEN): DnsProvider {
  const parsed = njalla.parse({ DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return njalla.create(parsed.settings, deps());
}
const start = (o: Partial<FakeNjallaOptions> = {}) => startFakeNjalla({ tokens: [TOKEN], zones: ["example.com"], ...o });

providerContract("njalla", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: njProvider(fake.url),
    badAuthProvider: njProvider(fake.url, WRONG),
    unreachableProvider: njProvider(`http://127.0.0.1:${await freePort()}/api/1`),
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
  id: "njalla",
  canRead: njalla.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "njalla", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: fake.url },
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

describe("njalla against its fake", () => {
  let fake: FakeNjalla;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const calls = () => fake.requests.map((r) => JSON.parse(r.body) as { method: string; params: Record<string, unknown> });

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/1/" } as FaultRule,
      want: { kind: "transient", message: "while looking up the zone, Njalla answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", path: "/1/", retryAfter: 20 } as FaultRule,
      want: { kind: "rate-limited", message: "while looking up the zone, Njalla's request limit is spent (HTTP 429)" },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/1/" } as FaultRule,
      want: { kind: "transient", message: `while looking up the zone, Njalla answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", path: "/1/" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, Njalla's domain list is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/1/" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while looking up the zone, Njalla at "http:\/\/127\.0\.0\.1:\d+\/api\/1\/" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(njProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("lists the domains, reads the records, and adds a record with a relative name, the Njalla header and a TTL it accepts", async () => {
    const from = fake.requests.length;
    expect(await one(njProvider(fake.url), a("new.example.com", "203.0.113.20", { ttl: 120 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(calls().slice(from)).toEqual([
      { method: "list-domains", params: {} },
      { method: "list-records", params: { domain: "example.com" } },
      { method: "add-record", params: { domain: "example.com", type: "A", name: "new", content: "203.0.113.20", ttl: 300 } },
    ]);
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Njalla ${TOKEN}`);
  });

  it("edits a record by its integer id and keeps its TTL; the apex is \"@\"; duplicates are removed", async () => {
    fake.edit("kept.example.com", "A", ["192.0.2.1"], 900);
    const id = Number(fake.store.find("example.com", "kept.example.com", "A")[0]!.id);
    expect(await one(njProvider(fake.url), a("kept.example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(calls().at(-1)).toEqual({ method: "edit-record", params: { domain: "example.com", id, content: "203.0.113.30", ttl: 900 } });
    expect(await one(njProvider(fake.url), a("lab.example.com", "203.0.113.31"))).toMatchObject({ ok: true, outcome: "created" });
    expect(calls().at(-1)!.params).toMatchObject({ domain: "lab.example.com", name: "@" });
    fake.edit("dup.example.com", "A", ["192.0.2.1", "203.0.113.40"]);
    expect(await one(njProvider(fake.url), a("dup.example.com", "203.0.113.40"))).toMatchObject({ ok: true });
    expect(fake.read("dup.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(calls().at(-1)!.method).toBe("remove-record");
  });

  it.each([
    { name: "a name no domain of the account holds", token: TOKEN, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no Njalla zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to the Njalla account the token belongs to` },
    { name: "a wrong token", token: WRONG, request: a("home.example.com", "203.0.113.7"), kind: "auth", message: `while looking up the zone, Njalla refused the token (error 403: "Invalid token."); check DDNS_PROVIDER_API_TOKEN: a token from njal.la → Settings → API that has not been removed` },
  ])("says what to do for $name", async ({ token, request, kind, message }) => {
    expect(await one(njProvider(fake.url, token), request)).toMatchObject({ ok: false, kind, message });
  });

  it("recreates a record deleted between the read and the edit (Njalla's \"Record not found.\")", async () => {
    const provider = njProvider(fake.url);
    expect(await one(provider, a("gone.example.com", "203.0.113.50"))).toMatchObject({ ok: true, outcome: "created" });
    // Deleted by hand and added again: the cached id is stale.
    fake.edit("gone.example.com", "A", ["192.0.2.9"]);
    expect(await one(provider, a("gone.example.com", "203.0.113.51"))).toMatchObject({ ok: true });
    expect(fake.read("gone.example.com", "A")).toEqual(["203.0.113.51"]);
  });

  it("says it could not confirm an edit whose answer was lost, and finds the record right on the next round", async () => {
    const provider = njProvider(fake.url);
    expect(await one(provider, a("warm.example.com", "203.0.113.5"))).toMatchObject({ ok: true });
    // The id is cached: the change is one edit-record, and its answer is lost after it took effect.
    fake.fault({ kind: "reset", method: "POST", path: "/1/", afterApply: true, times: 1 });
    expect(await one(provider, a("warm.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("warm.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("warm.example.com", "A")).toEqual(["203.0.113.6"]);
  });
});
