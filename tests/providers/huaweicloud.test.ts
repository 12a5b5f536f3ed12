import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { huaweicloud } from "../../src/providers/huaweicloud/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import { startFakeHuawei, type FakeHuawei, type FakeHuaweiOptions } from "../fakes/huaweicloud/fake-huaweicloud.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { deps, a } from "./test-requests.ts";

/** Huawei Cloud DNS: the contract suite and the black-box runs against its AK/SK-verifying fake, PENDING sets and faults. */
const AK = "HWAKTEST0123456789AB";
const SK = "huaweiSK0123456789abcdefghijklmnopqrstuv";
const WRONG = "huaweiWRONGZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
let run = 0;

function hwProvider(apiUrl: string, more: Record<string, string> = {}): DnsProvider {
  const parsed = huaweicloud.parse({ DDNS_PROVIDER_API_KEY: AK, DDNS_PROVIDER_API_TOKEN: SK, DDNS_PROVIDER_API_URL: apiUrl, ...more });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return huaweicloud.create(parsed.settings, deps());
}
const start = (o: Partial<FakeHuaweiOptions> = {}) => startFakeHuawei({ keys: { [AK]: SK }, zones: ["example.com"], ...o });
const set = (p: DnsProvider, requests: RecordRequest[]) => p.setRecords(requests, { signal: AbortSignal.timeout(5_000), dryRun: false });

providerContract("huaweicloud", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: hwProvider(fake.url),
    badAuthProvider: hwProvider(fake.url, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: hwProvider(`http://127.0.0.1:${await freePort()}/v2`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [SK, WRONG, AK],
    read: async (name, type) => fake.read(name, type),
    writes: async () => fake.writes(),
    requests: async () => fake.requests.length,
    edit: async (name, type, contents) => fake.edit(name, type, contents),
    registry: "set",
    readTxt: async (name) => fake.read(name, "TXT"),
    comments: "set",
    close: () => fake.stop(),
  };
});

providerBlackbox({
  id: "huaweicloud",
  canRead: huaweicloud.capabilities.read,
  async start() {
    const fake = await start();
    return {
      env: { DDNS_PROVIDER_TYPE: "huaweicloud", DDNS_PROVIDER_API_KEY: AK, DDNS_PROVIDER_API_TOKEN: SK, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [SK, WRONG, AK],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("huaweicloud against its fake", () => {
  let fake: FakeHuawei;
  beforeAll(async () => {
    fake = await start({ zones: Array.from({ length: 5 }, (_, i) => `zone${i}.example`).concat(["example.com", "lab.example.com"]), pageSize: 2, pendingPolls: 1 });
  });
  afterAll(() => fake.stop());
  const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await set(p, [request]))[0]!;
  const writes = () => fake.requests.filter((r) => r.method !== "GET");

  it("pages through the zones, creates the set with an absolute name and the comment, and waits until it is ACTIVE", async () => {
    expect(await one(hwProvider(fake.url), a("nas.lab.example.com", "203.0.113.20", { ttl: 900, comment: "ddnsd" }))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.filter((r) => r.path === "/zones").length).toBeGreaterThanOrEqual(4);
    const post = writes().at(-1)!;
    expect({ path: post.path, body: JSON.parse(post.body) }).toMatchObject({ path: expect.stringMatching(/^\/zones\/\w+\/recordsets$/), body: { name: "nas.lab.example.com.", type: "A", records: ["203.0.113.20"], ttl: 900, description: "ddnsd" } });
    expect(fake.requests.filter((r) => /\/recordsets\/\w+$/.test(r.path) && r.method === "GET").length).toBe(2);
    expect(fake.read("nas.lab.example.com", "A")).toEqual(["203.0.113.20"]);
  });

  it("replaces an existing set by id and keeps its TTL and description", async () => {
    fake.edit("example.com", "A", ["192.0.2.1"], 3600);
    const held = fake.store.find("example.com", "example.com", "A")[0]!;
    held.extra.description = "kept";
    expect(await one(hwProvider(fake.url), a("example.com", "203.0.113.30"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    const put = writes().at(-1)!;
    expect({ method: put.method, path: put.path.endsWith(`/recordsets/${held.id}`), body: JSON.parse(put.body) }).toEqual({ method: "PUT", path: true, body: { records: ["203.0.113.30"], ttl: 3600, description: "kept" } });
  });

  it("sends and signs X-Project-Id when DDNS_HUAWEICLOUD_PROJECT_ID is set", async () => {
    expect(await one(hwProvider(fake.url, { DDNS_HUAWEICLOUD_PROJECT_ID: "0a1b2c3d4e5f" }), a("project.example.com", "203.0.113.60"))).toMatchObject({ ok: true, outcome: "created" });
    const post = writes().at(-1)!;
    expect({ project: post.headers["x-project-id"], signed: /SignedHeaders=content-type;host;x-project-id;x-sdk-date,/.test(post.headers.authorization ?? "") }).toEqual({ project: "0a1b2c3d4e5f", signed: true });
  });

  it.each([
    { name: "a wrong SK", env: { DDNS_PROVIDER_API_TOKEN: WRONG }, kind: "auth", message: `while looking up the zone, Huawei Cloud refused the AK/SK signature (HTTP 401 "APIGW.0301": "Incorrect IAM authentication information: verify aksk signature fail"); check DDNS_PROVIDER_API_KEY (the AK) and DDNS_PROVIDER_API_TOKEN (its SK), and this host's clock` },
    { name: "a zone the account lacks", env: {}, request: a("home.example.org", "203.0.113.7"), kind: "config", message: `no Huawei Cloud zone holds "home.example.org" (tried "home.example.org", "example.org"); add the domain as a public zone in Huawei Cloud DNS, in the account the AK belongs to` },
  ] as Array<{ name: string; env: Record<string, string>; request?: RecordRequest; kind: string; message: string }>)("says what to do for $name", async ({ env, request, kind, message }) => {
    expect(await one(hwProvider(fake.url, env), request ?? a("denied.example.com", "203.0.113.7"))).toMatchObject({ ok: false, kind, message });
  });

  it.each([
    { name: "an HTML page", rule: { kind: "html", method: "GET", path: "/zones/*/recordsets" } as FaultRule, want: { kind: "transient", message: "while reading the record set, Huawei Cloud answered HTTP 502 with an HTML page instead of JSON (an outage, or a proxy in the way)" } },
    { name: "a 429", rule: { kind: "rate-limit", method: "GET", path: "/zones/*/recordsets", retryAfter: 20, message: "The throttling threshold has been reached." } as FaultRule, want: { kind: "rate-limited", message: `while reading the record set, Huawei Cloud's request limit is spent (HTTP 429 "APIGW.0308": "The throttling threshold has been reached.")` } },
    { name: "a gzip bomb", rule: { kind: "gzip-bomb", method: "GET", path: "/zones/*/recordsets" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Huawei Cloud answered HTTP 200 compressed/) } },
    { name: "an answer in another shape", rule: { kind: "wrong-json", method: "GET", path: "/zones/*/recordsets" } as FaultRule, want: { kind: "transient", message: expect.stringMatching(/^while reading the record set, Huawei Cloud's record sets is not in the documented shape/) } },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(hwProvider(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.5"));
    expect(r).toMatchObject({ ok: false, kind: want.kind, message: want.message });
    if (rule.kind === "rate-limit" && !r.ok) expect(r.retryAfterMs).toBe(20_000);
    expect(fake.writes()).toBe(before);
  });
});
