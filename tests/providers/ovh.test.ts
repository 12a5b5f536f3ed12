import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { ovh } from "../../src/providers/ovh/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeOvh, type FakeOvh, type FakeOvhOptions } from "../fakes/ovh/fake-ovh.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, a } from "./test-requests.ts";

/** OVH: the contract suite and the black-box runs against its signing fake, the refresh after writes, the clock, and faults. */
const APP = "ovhAPPKEY0123456";
const SECRET = "ovhAPPSECRET0123456789abcdefghij";
const CONSUMER = "ovhCONSUMER0123456789abcdefghijk";
const WRONG = "ovhWRONGSECRETZZZZZZZZZZZZZZZZZZ";
const ALL = ["GET", "POST", "PUT", "DELETE"];
let run = 0;

function ovhProvider(apiUrl: string, more: Record<string, string> = {}): DnsProvider {
  const parsed = ovh.parse({ DDNS_PROVIDER_API_KEY: APP, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_OVH_CONSUMER_KEY: CONSUMER, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return ovh.create(parsed.settings, deps());
}
const start = (o: Partial<FakeOvhOptions> = {}) =>
  startFakeOvh({ applications: { [APP]: SECRET }, consumers: { [CONSUMER]: { application: APP, methods: ALL }, "read-only-consumer": { application: APP, methods: ["GET"] } }, zones: ["example.com"], ...o });
const set = (p: DnsProvider, requests: RecordRequest[]) => p.setRecords(requests, { signal: AbortSignal.timeout(5_000), dryRun: false });

providerContract("ovh", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: ovhProvider(fake.url),
    badAuthProvider: ovhProvider(fake.url, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: ovhProvider(`http://127.0.0.1:${await freePort()}/1.0`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [SECRET, WRONG, CONSUMER, APP],
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
  id: "ovh",
  canRead: ovh.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "ovh", DDNS_PROVIDER_API_KEY: APP, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_OVH_CONSUMER_KEY: CONSUMER, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [SECRET, WRONG, CONSUMER, APP],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("ovh against its fake", () => {
  let fake: FakeOvh;
  beforeAll(async () => {
    fake = await start({ zones: ["example.com", "lab.example.com"], clockOffsetMs: 3_600_000 });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await set(p, [request]))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it("signs with the server's clock, writes the record relative to its zone, and refreshes the zone", async () => {
    const refreshed = fake.refreshes();
    expect(await one(ovhProvider(fake.url), a("home.lab.example.com", "203.0.113.20", { ttl: 300 }))).toMatchObject({ ok: true, outcome: "created" });
    const [post, refresh] = writes().slice(-2);
    expect({ path: post!.path, body: JSON.parse(post!.body), refresh: refresh!.path }).toEqual({ path: "/domain/zone/lab.example.com/record", body: { fieldType: "A", subDomain: "home", target: "203.0.113.20", ttl: 300 }, refresh: "/domain/zone/lab.example.com/refresh" });
    expect(fake.refreshes()).toBe(refreshed + 1);
    expect(fake.read("home.lab.example.com", "A")).toEqual(["203.0.113.20"]);
  });

  it("changes a record by id with only its target, keeps its TTL, and writes the apex as an empty subdomain", async () => {
    fake.edit("example.com", "A", ["192.0.2.1"], 900);
    const id = fake.store.find("example.com", "example.com", "A")[0]!.id;
    expect(await one(ovhProvider(fake.url), a("example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    const put = writes().at(-2)!;
    expect({ method: put.method, path: put.path, body: JSON.parse(put.body) }).toEqual({ method: "PUT", path: `/domain/zone/example.com/record/${id}`, body: { target: "203.0.113.30" } });
    expect(fake.requests.find((r) => r.path === "/domain/zone/example.com/record" && r.method === "GET")?.query).toBe("?fieldType=A&subDomain=");
    expect(fake.store.byId(id)).toMatchObject({ content: "203.0.113.30", ttl: 900 });
  });

  it("refreshes a zone whose refresh failed before it reads the zone again", async () => {
    fake.fault({ kind: "status", status: 503, method: "POST", path: "/domain/zone/*/refresh", times: 1 });
    const provider = ovhProvider(fake.url);
    const r = await one(provider, a("staged.example.com", "203.0.113.40"));
    expect(r).toMatchObject({ ok: false, unconfirmed: true, message: expect.stringMatching(/^while creating the record, the record was changed, but applying the zone failed: /) });
    expect(fake.read("staged.example.com", "A")).toEqual([]);
    expect(await one(provider, a("staged.example.com", "203.0.113.40"))).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(fake.read("staged.example.com", "A")).toEqual(["203.0.113.40"]);
  });

  it.each([
    { name: "a wrong application secret", env: { DDNS_PROVIDER_API_TOKEN: WRONG }, kind: "auth", message: `while looking up the zone, OVH refused the request's signature (HTTP 400 "INVALID_SIGNATURE": "Invalid signature"); check DDNS_PROVIDER_API_TOKEN: the application secret that belongs to the application key in DDNS_PROVIDER_API_KEY` },
    { name: "an unknown application key", env: { DDNS_PROVIDER_API_KEY: "otherAPPKEY" }, kind: "auth", message: `while looking up the zone, OVH refused the application key (HTTP 403 "INVALID_KEY": "Invalid application key"); check DDNS_PROVIDER_API_KEY and DDNS_OVH_ENDPOINT (keys are per region)` },
    { name: "an unknown consumer key", env: { DDNS_OVH_CONSUMER_KEY: "no-such-consumer" }, kind: "auth", message: `while looking up the zone, OVH refused the consumer key (HTTP 403 "INVALID_CREDENTIAL": "This credential is not valid"); check DDNS_OVH_CONSUMER_KEY: validated, not expired, for the application in DDNS_PROVIDER_API_KEY` },
    { name: "a consumer key granted only GET", env: { DDNS_OVH_CONSUMER_KEY: "read-only-consumer" }, kind: "auth", message: `while creating the record, OVH refused the POST (HTTP 403 "NOT_GRANTED_CALL": "This call has not been granted"); the consumer key in DDNS_OVH_CONSUMER_KEY needs GET, POST, PUT and DELETE on /domain/zone/*` },
    { name: "a zone the account lacks", env: {}, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no OVH zone holds "home.example.org" (tried "home.example.org", "example.org"); add the zone to the OVHcloud account the consumer key belongs to (DNS zones in the control panel), or check DDNS_OVH_ENDPOINT` },
  ] as Array<{ name: string; env: Record<string, string>; request?: RecordRequest; kind: string; message: string }>)("says what to do for $name", async ({ env, request, kind, message }) => {
    expect(await one(ovhProvider(fake.url, env), request ?? a("denied.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind, message });
  });

  it.each([
    { name: "an HTML page", rule: { kind: "html", method: "GET", path: "/domain/zone/*/record" } as FaultRule, want: { kind: "transient", message: "while reading the records, OVH answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" } },
    { name: "a 429", rule: { kind: "rate-limit", method: "GET", path: "/domain/zone/*/record", retryAfter: 20, message: "Too many requests" } as FaultRule, want: { kind: "rate-limited", message: `while reading the records, OVH's request limit is spent (HTTP 429: "Too many requests")` } },
    { name: "a gzip bomb", rule: { kind: "gzip-bomb", method: "GET", path: "/domain/zone/*/record" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while reading the records, OVH answered HTTP 200 compressed/) } },
    { name: "an answer in another shape", rule: { kind: "wrong-json", method: "GET", path: "/domain/zone/*/record" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while reading the records, OVH's record list is not in the documented shape/) } },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(ovhProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("offers the three regions and defaults to Europe", () => {
    const parsed = ovh.parse({ DDNS_PROVIDER_API_KEY: APP, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_OVH_CONSUMER_KEY: CONSUMER });
    expect(parsed.ok && parsed.settings.endpoint).toBe("eu");
    expect(ovh.parse({ DDNS_PROVIDER_API_KEY: APP, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_OVH_CONSUMER_KEY: CONSUMER, DDNS_OVH_ENDPOINT: "asia" }).ok).toBe(false);
  });
});
