import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { dnspod } from "../../src/providers/dnspod/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeDnspod, type FakeDnspod, type FakeDnspodOptions } from "../fakes/dnspod/fake-dnspod.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, a } from "./test-requests.ts";

/** DNSPod: the contract suite and the black-box runs against its TC3-verifying fake, remarks, paging and faults. */
const ID = "AKIDdnspodTEST0123456789abcdefgh";
const KEY = "dnspodSECRETKEY0123456789abcdefg";
const WRONG = "dnspodWRONGKEYZZZZZZZZZZZZZZZZZZ";
let run = 0;

function dpProvider(apiUrl: string, more: Record<string, string> = {}): DnsProvider {
  const parsed = dnspod.parse({ DDNS_PROVIDER_API_KEY: ID, DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return dnspod.create(parsed.settings, deps());
}
const start = (o: Partial<FakeDnspodOptions> = {}) => startFakeDnspod({ keys: { [ID]: KEY }, zones: ["example.com"], ...o });
const set = (p: DnsProvider, requests: RecordRequest[]) => p.setRecords(requests, { signal: AbortSignal.timeout(5_000), dryRun: false });

providerContract("dnspod", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: dpProvider(fake.url),
    badAuthProvider: dpProvider(fake.url, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: dpProvider(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [KEY, WRONG, ID],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    comments: "record",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "dnspod",
  canRead: dnspod.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "dnspod", DDNS_PROVIDER_API_KEY: ID, DDNS_PROVIDER_API_TOKEN: KEY, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [KEY, WRONG, ID],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("dnspod against its fake", () => {
  let fake: FakeDnspod;
  beforeAll(async () => {
    fake = await start({ zones: Array.from({ length: 5 }, (_, i) => `zone${i}.example`).concat(["example.com", "lab.example.com"]), pageSize: 2 });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await set(p, [request]))[0]!;
  const bodies = (action: string) => fake.requests.filter((r) => r.headers["x-tc-action"] === action).map((r) => JSON.parse(r.body));

  it("pages through the domains, creates on the default line with the comment as remark and the operator's TTL", async () => {
    expect(await one(dpProvider(fake.url), a("nas.lab.example.com", "203.0.113.20", { ttl: 900, comment: "ddnsd" }))).toMatchObject({ ok: true, outcome: "created" });
    expect(bodies("DescribeDomainList").length).toBeGreaterThanOrEqual(4);
    expect(bodies("CreateRecord").at(-1)).toEqual({ Domain: "lab.example.com", SubDomain: "nas", RecordType: "A", RecordLine: "默认", Value: "203.0.113.20", TTL: 900, Remark: "ddnsd" });
    expect(fake.store.find("lab.example.com", "nas.lab.example.com", "A")[0]).toMatchObject({ ttl: 900, extra: { remark: "ddnsd" } });
  });

  it("modifies a record by id and keeps its TTL and remark; the apex is \"@\"", async () => {
    fake.edit("example.com", "A", ["192.0.2.1"], 3600);
    const held = fake.store.find("example.com", "example.com", "A")[0]!;
    held.extra.remark = "kept";
    expect(await one(dpProvider(fake.url), a("example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(bodies("ModifyRecord").at(-1)).toEqual({ Domain: "example.com", SubDomain: "@", RecordType: "A", RecordLine: "默认", Value: "203.0.113.30", RecordId: Number(held.id), TTL: 3600, Remark: "kept" });
    expect(bodies("DescribeRecordList").at(-1)).toMatchObject({ Domain: "example.com", Subdomain: "@", RecordType: "A", ErrorOnEmpty: "no" });
  });

  it.each([
    { name: "a wrong SecretKey", env: { DDNS_PROVIDER_API_TOKEN: WRONG }, kind: "auth", message: `while looking up the zone, Tencent Cloud refused the request's signature ("AuthFailure.SignatureFailure": "The provided credentials could not be validated. Please check your signature is correct."); check DDNS_PROVIDER_API_TOKEN: the SecretKey of the SecretId in DDNS_PROVIDER_API_KEY` },
    { name: "an unknown SecretId", env: { DDNS_PROVIDER_API_KEY: "AKIDunknown" }, kind: "auth", message: `while looking up the zone, Tencent Cloud does not know the SecretId ("AuthFailure.SecretIdNotFound": "The SecretId is not found, please ensure that your SecretId is correct."); check DDNS_PROVIDER_API_KEY` },
    { name: "a TTL under the free plan's floor", env: {}, request: a("short.example.com", "203.0.113.9", { ttl: 60 }), kind: "config", message: `while creating the record, DNSPod refused the record ("InvalidParameter.TTLInvalid": "The TTL is invalid for the domain's plan."); check DDNS_RECORD_TTL (600 or more on the free plan)` },
    { name: "a domain the account lacks", env: {}, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no DNSPod zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to DNSPod in the Tencent Cloud account the API key belongs to` },
  ] as Array<{ name: string; env: Record<string, string>; request?: RecordRequest; kind: string; message: string }>)("says what to do for $name", async ({ env, request, kind, message }) => {
    expect(await one(dpProvider(fake.url, env), request ?? a("denied.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind, message });
  });

  it.each([
    { name: "an HTML page", rule: { kind: "html", method: "POST", path: "/" } as FaultRule, want: { kind: "transient", message: "while looking up the zone, DNSPod answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" } },
    { name: "the request limit", rule: { kind: "rate-limit", method: "POST", path: "/", message: "Your current request times exceeds the limit." } as FaultRule, want: { kind: "rate-limited", message: `while looking up the zone, DNSPod's request limit is spent ("RequestLimitExceeded": "Your current request times exceeds the limit."; 20 requests a second per API)` } },
    { name: "a gzip bomb", rule: { kind: "gzip-bomb", method: "POST", path: "/" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, DNSPod answered HTTP 200 compressed/) } },
    { name: "an answer in another shape", rule: { kind: "wrong-json", method: "POST", path: "/" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, DNSPod/) } },
  ])("$name gives one clear line", async ({ rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    expect(await one(dpProvider(fake.url), a("fault.example.com", "203.0.113.5"))).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    expect(fake.writes()).toBe(before);
  });
});
