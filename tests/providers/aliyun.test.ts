import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { aliyun } from "../../src/providers/aliyun/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeAliyun, type FakeAliyun, type FakeAliyunOptions } from "../fakes/aliyun/fake-aliyun.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, a } from "./test-requests.ts";

/** Alibaba Cloud DNS: the contract suite and the black-box runs against its signature-checking fake, paging and faults. */
const ID = "LTAIaliyunTEST0123456789";
const SECRET = "aliyunSECRET0123456789abcdefgh";
const WRONG = "aliyunWRONGZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function alProvider(apiUrl: string, more: Record<string, string> = {}): DnsProvider {
  const parsed = aliyun.parse({ DDNS_PROVIDER_API_KEY: ID, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return aliyun.create(parsed.settings, deps());
}
const start = (o: Partial<FakeAliyunOptions> = {}) => startFakeAliyun({ keys: { [ID]: SECRET }, zones: ["example.com"], ...o });
const set = (p: DnsProvider, requests: RecordRequest[]) => p.setRecords(requests, { signal: AbortSignal.timeout(5_000), dryRun: false });

providerContract("aliyun", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: alProvider(fake.url),
    badAuthProvider: alProvider(fake.url, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: alProvider(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [SECRET, WRONG, ID],
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
  id: "aliyun",
  canRead: aliyun.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "aliyun", DDNS_PROVIDER_API_KEY: ID, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [SECRET, WRONG, ID],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("aliyun against its fake", () => {
  let fake: FakeAliyun;
  beforeAll(async () => {
    fake = await start({ zones: Array.from({ length: 5 }, (_, i) => `zone${i}.example`).concat(["example.com", "lab.example.com"]), pageSize: 2 });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await set(p, [request]))[0]!;
  const last = (action: string) => fake.calls.filter((c) => c.Action === action).at(-1)!;
  const own = (c: Record<string, string>) => Object.fromEntries(Object.entries(c).filter(([k]) => !["Format", "Version", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature"].includes(k)));

  it("pages through the domains and adds the record relative to its domain with the operator's TTL", async () => {
    expect(await one(alProvider(fake.url), a("nas.lab.example.com", "203.0.113.20", { ttl: 900 }))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.calls.filter((c) => c.Action === "DescribeDomains").length).toBeGreaterThanOrEqual(4);
    expect(own(last("DescribeSubDomainRecords"))).toEqual({ Action: "DescribeSubDomainRecords", DomainName: "lab.example.com", SubDomain: "nas.lab.example.com", Type: "A", PageNumber: "1", PageSize: "100" });
    expect(own(last("AddDomainRecord"))).toEqual({ Action: "AddDomainRecord", DomainName: "lab.example.com", RR: "nas", Type: "A", Value: "203.0.113.20", TTL: "900" });
  });

  it("updates a record by id with its own TTL; the apex is \"@\"", async () => {
    fake.edit("example.com", "A", ["192.0.2.1"], 3600);
    const held = fake.store.find("example.com", "example.com", "A")[0]!;
    expect(await one(alProvider(fake.url), a("example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    expect(own(last("UpdateDomainRecord"))).toEqual({ Action: "UpdateDomainRecord", RecordId: held.id, RR: "@", Type: "A", Value: "203.0.113.30", TTL: "3600" });
  });

  it.each([
    { name: "a wrong AccessKey secret", env: { DDNS_PROVIDER_API_TOKEN: WRONG }, kind: "auth", message: `while looking up the zone, Alibaba Cloud refused the request's signature (HTTP 400 "SignatureDoesNotMatch": "Specified signature is not matched with our calculation."); check DDNS_PROVIDER_API_TOKEN: the AccessKey secret of the AccessKey ID in DDNS_PROVIDER_API_KEY` },
    { name: "an unknown AccessKey ID", env: { DDNS_PROVIDER_API_KEY: "LTAIunknown" }, kind: "auth", message: `while looking up the zone, Alibaba Cloud does not know the AccessKey (HTTP 404 "InvalidAccessKeyId.NotFound": "Specified access key is not found."); check DDNS_PROVIDER_API_KEY: an AccessKey ID that is enabled` },
    { name: "a TTL under the free edition's floor", env: {}, request: a("short.example.com", "203.0.113.9", { ttl: 60 }), kind: "config", message: `while creating the record, Alibaba Cloud refused the record (HTTP 400 "DomainRecordTTLInvalid": "The TTL is below the minimum of the domain's edition."); check DDNS_RECORD_TTL (600 or more on the free edition)` },
    { name: "a domain the account lacks", env: {}, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no Alibaba Cloud zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain to Alibaba Cloud DNS in the account the AccessKey belongs to` },
  ] as Array<{ name: string; env: Record<string, string>; request?: RecordRequest; kind: string; message: string }>)("says what to do for $name", async ({ env, request, kind, message }) => {
    expect(await one(alProvider(fake.url, env), request ?? a("denied.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind, message });
  });

  it.each([
    { name: "an HTML page", rule: { kind: "html", method: "GET", path: "/" } as FaultRule, want: { kind: "transient", message: "while looking up the zone, Alibaba Cloud answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" } },
    { name: "throttling", rule: { kind: "rate-limit", method: "GET", path: "/", retryAfter: 20, message: "Request was denied due to user flow control." } as FaultRule, want: { kind: "rate-limited", message: `while looking up the zone, Alibaba Cloud's request limit is spent (HTTP 429 "Throttling.User": "Request was denied due to user flow control.")` } },
    { name: "a gzip bomb", rule: { kind: "gzip-bomb", method: "GET", path: "/" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, Alibaba Cloud answered HTTP 200 compressed/) } },
    { name: "an answer in another shape", rule: { kind: "wrong-json", method: "GET", path: "/" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while looking up the zone, Alibaba Cloud's domain list is not in the documented shape/) } },
  ])("$name gives one clear line", async ({ rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(alProvider(fake.url), a("fault.example.com", "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });

  it("never signs two requests with the same nonce", async () => {
    fake.edit("twice.example.com", "A", ["192.0.2.1"]);
    expect(await set(alProvider(fake.url), [a("twice.example.com", "203.0.113.50"), { name: "twice.example.com", type: "AAAA", content: "2001:db8::50" }])).toMatchObject([{ ok: true }, { ok: true }]);
    const nonces = fake.calls.map((c) => c.SignatureNonce);
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});
