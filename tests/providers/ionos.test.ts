import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { ionos } from "../../src/providers/ionos/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeIonos, type FakeIonos, type FakeIonosOptions } from "../fakes/ionos/fake-ionos.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, set, a } from "./test-requests.ts";

/** IONOS DNS: the contract suite and the black-box runs against its fake, its PATCHes of record sets and faults. */
const PREFIX = "5f4dcc3b5aa765d6";
const SECRET = "ionosSECRET0123456789abcdefghijkl";
const WRONG = "ionosWRONGZZZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function inProvider(apiUrl: string, secret = SECRET): DnsProvider {
  const parsed = ionos.parse({ DDNS_PROVIDER_API_KEY: PREFIX, DDNS_PROVIDER_API_TOKEN: secret, DDNS_PROVIDER_API_URL: apiUrl });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return ionos.create(parsed.settings, deps());
}
const start = (o: Partial<FakeIonosOptions> = {}) => startFakeIonos({ keys: [`${PREFIX}.${SECRET}`], zones: ["example.com"], ...o });
const SECRETS = [SECRET, WRONG, PREFIX];

providerContract("ionos", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: inProvider(fake.url),
    badAuthProvider: inProvider(fake.url, WRONG),
    unreachableProvider: inProvider(`http://127.0.0.1:${await freePort()}/dns/v1`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: SECRETS,
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
  id: "ionos",
  canRead: ionos.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "ionos", DDNS_PROVIDER_API_KEY: PREFIX, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: SECRETS,
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("ionos against its fake", () => {
  let fake: FakeIonos;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"] });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
  const patches = () => fake.requests.filter((r) => r.method === "PATCH");

  it.each([
    {
      name: "an HTML page",
      rule: { kind: "html", method: "GET", path: "/zones/*" } as FaultRule,
      want: { kind: "transient", message: "while reading the record set, IONOS answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" },
    },
    {
      name: "a 429 with Retry-After",
      rule: { kind: "rate-limit", method: "GET", path: "/zones/*", retryAfter: 12, message: "Too many requests" } as FaultRule,
      want: { kind: "rate-limited", message: `while reading the record set, IONOS's request limit is spent (HTTP 429 "TOO_MANY_REQUESTS": "Too many requests")` },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", method: "GET", path: "/zones/*" } as FaultRule,
      want: { kind: "transient", message: `while reading the record set, IONOS answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one; check DDNS_PROVIDER_API_URL, or the proxy in front of the service` },
    },
    {
      name: "an answer in another shape",
      rule: { kind: "wrong-json", method: "GET", path: "/zones/*" } as FaultRule,
      want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, IONOS's list of zone records is not in the documented shape/) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", method: "GET", path: "/zones/*" } as FaultRule,
      want: { kind: "config", message: expect.stringMatching(/^while reading the record set, IONOS at "http:\/\/127\.0\.0\.1:\d+\/dns\/v1\/zones\/[0-9a-f-]+\?…" redirected to "http:\/\/192\.0\.2\.1:9\/elsewhere" \(HTTP 307\); ddnsd does not follow redirects to another origin with credentials: set DDNS_PROVIDER_API_URL to the final address$/) },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    const provider = inProvider(fake.url);
    await one(provider, a(`warm-${name.length}.example.com`, "203.0.113.4")); // the zone list is known: the fault hits the read
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(provider, a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(12_000);
    expect(fake.writes()).toBe(before);
  });

  it("replaces the sets of one zone in one PATCH with absolute names, keeping an existing set's TTL", async () => {
    fake.store.put({ zone: "example.com", name: "kept.example.com", type: "A", ttl: 900, records: [{ value: "192.0.2.1" }] });
    const results = await set(inProvider(fake.url), [a("kept.example.com", "203.0.113.10"), a("example.com", "203.0.113.11", { ttl: 600 }), a("nas.lab.example.com", "203.0.113.12")]);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["updated", "created", "created"]);
    const bodies = Object.fromEntries(patches().slice(-2).map((p) => [p.path.split("/").at(-1)!.slice(0, 8), JSON.parse(p.body)]));
    expect(Object.values(bodies).sort((x, y) => x.length - y.length)).toEqual([
      [{ name: "nas.lab.example.com", type: "A", content: "203.0.113.12", ttl: 3600, prio: 0, disabled: false }],
      [{ name: "kept.example.com", type: "A", content: "203.0.113.10", ttl: 900, prio: 0, disabled: false }, { name: "example.com", type: "A", content: "203.0.113.11", ttl: 600, prio: 0, disabled: false }],
    ]);
    const before = fake.writes();
    expect(await one(inProvider(fake.url), a("kept.example.com", "203.0.113.10"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.writes()).toBe(before);
  });

  it("does not count a disabled record as holding the address", async () => {
    fake.disabled.set("off.example.com A", ["203.0.113.20"]);
    expect(await one(inProvider(fake.url), a("off.example.com", "203.0.113.20"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.read("off.example.com", "A")).toEqual(["203.0.113.20"]);
  });

  it("says what to do for a wrong secret and for a name no zone holds", async () => {
    expect(await one(inProvider(fake.url, WRONG), a("home.example.com", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "auth", message: `while looking up the zone, IONOS refused the API key (HTTP 401 "UNAUTHORIZED": "The customer is not authorized to do this operation."); check DDNS_PROVIDER_API_KEY (the key's public prefix) and DDNS_PROVIDER_API_TOKEN (its secret)`,
    });
    expect(await one(inProvider(fake.url), a("home.example.org", "203.0.113.7"))).toMatchObject({
      ok: false, kind: "config", message: `no IONOS zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain's DNS zone to the IONOS contract the API key belongs to`,
    });
  });

  it("says it could not confirm a PATCH whose answer was lost, and finds the set on the next round", async () => {
    fake.fault({ kind: "reset", method: "PATCH", path: "/zones/*", afterApply: true });
    const provider = inProvider(fake.url);
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(provider, a("lost.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });
});
