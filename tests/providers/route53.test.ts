import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { createRoute53Provider, route53 } from "../../src/providers/route53/descriptor.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { startFakeRoute53, type FakeRoute53, type FakeRoute53Options } from "../fakes/route53/fake-route53.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";
import { set } from "./test-requests.ts";

/** Route 53: the contract suite and the black-box runs against its signature-checking fake, then its own cases. */
const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const WRONG = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEYXX";
const TEMP = { key: "ASIAIOSFODNN7TEMPKEY", secret: "tEmPsEcReT/K7MDENG/bPxRfiCYEXAMPLEKEY00", session: "FwoGZXIvYXdzEXAMPLEsessionTOKEN0123456789" };
let run = 0;

type Env = Record<string, string | undefined>;
function r53(apiUrl: string, env: Env = {}, fast = true): DnsProvider {
  const parsed = route53.parse({ DDNS_PROVIDER_API_KEY: KEY, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_PROVIDER_API_URL: apiUrl, ...env });
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  const deps = { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} };
  return createRoute53Provider(parsed.settings, deps, fast ? { confirmEveryMs: 20, confirmWithinMs: 200 } : {});
}
const start = (o: Partial<FakeRoute53Options> = {}) =>
  startFakeRoute53({ keys: { [KEY]: { secret: SECRET }, [TEMP.key]: { secret: TEMP.secret, sessionToken: TEMP.session } }, zones: [{ id: "Z1EXAMPLE", name: "example.com" }], pendingPolls: 0, ...o });
const one = async (p: DnsProvider, request: RecordRequest, signal?: AbortSignal): Promise<RecordResult> => (await set(p, [request], signal))[0]!;
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("route53", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: r53(fake.url),
    badAuthProvider: r53(fake.url, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: r53(`http://127.0.0.1:${await freePort()}`),
    names: [`contract-${n}-a.example.com`, `contract-${n}-b.example.com`],
    secrets: [SECRET, WRONG],
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
  id: "route53",
  canRead: route53.capabilities.read,
  async start() {
    const fake = await start();
    return {
      // The standard AWS variables, as an operator with an AWS profile in the environment has them.
      env: { DDNS_PROVIDER_TYPE: "route53", AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, DDNS_PROVIDER_API_URL: fake.url },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [SECRET, WRONG, KEY],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("route53 against its fake", () => {
  let fake: FakeRoute53;
  beforeAll(async () => {
    fake = await start({
      keys: { [KEY]: { secret: SECRET }, [TEMP.key]: { secret: TEMP.secret, sessionToken: TEMP.session }, AKIAREADONLYEXAMPLE: { secret: SECRET, allow: ["ListHostedZonesByName", "ListResourceRecordSets", "GetChange"] } },
      zones: [{ id: "Z1EXAMPLE", name: "example.com" }, { id: "Z2PRIVATE", name: "sub.example.com", private: true }, { id: "Z3PUBLIC", name: "sub.example.com" }],
    });
  });
  afterAll(() => fake.stop());

  it.each([
    {
      name: "an unknown access key id",
      env: { DDNS_PROVIDER_API_KEY: "AKIAUNKNOWNEXAMPLE00" },
      message: `while looking up the zone, AWS does not know the access key id (HTTP 403 InvalidClientTokenId: "The security token included in the request is invalid."); check DDNS_PROVIDER_API_KEY (or AWS_ACCESS_KEY_ID): an active access key of the IAM user`,
    },
    {
      name: "a wrong secret access key",
      env: { DDNS_PROVIDER_API_TOKEN: WRONG },
      message: expect.stringMatching(/^while looking up the zone, AWS refused the request's signature \(HTTP 403 SignatureDoesNotMatch: "The request signature we calculated does not match.*"\); check DDNS_PROVIDER_API_TOKEN \(or AWS_SECRET_ACCESS_KEY\): the secret access key of that access key id, and that the system clock is right$/),
    },
    {
      name: "temporary credentials without their session token",
      env: { DDNS_PROVIDER_API_KEY: TEMP.key, DDNS_PROVIDER_API_TOKEN: TEMP.secret },
      message: expect.stringContaining("AWS does not know the access key id (HTTP 403 InvalidClientTokenId"),
    },
  ])("refuses $name with the variable to fix", async ({ env, message }) => {
    const before = fake.writes();
    const r = await one(r53(fake.url, env), a("auth.example.com", "203.0.113.1"));
    expect(r).toMatchObject({ ok: false, kind: "auth", message });
    expect(fake.writes()).toBe(before);
  });

  it("signs with temporary credentials and their session token (AWS_SESSION_TOKEN)", async () => {
    const parsed = route53.parse({ AWS_ACCESS_KEY_ID: TEMP.key, AWS_SECRET_ACCESS_KEY: TEMP.secret, AWS_SESSION_TOKEN: TEMP.session, DDNS_PROVIDER_API_URL: fake.url });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const p = createRoute53Provider(parsed.settings, { fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "t", onRequest: () => {} });
    expect(await one(p, a("temp.example.com", "203.0.113.2"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.at(-1)?.headers["x-amz-security-token"]).toBe(TEMP.session);
  });

  it("sends one UPSERT batch per zone with the TTL and comment, and waits for INSYNC", async () => {
    const from = fake.batches.length;
    const results = await set(r53(fake.url), [a("b1.example.com", "203.0.113.3", 60), { name: "b1.example.com", type: "AAAA", content: "2001:db8::3", ttl: 60, comment: "ddnsd" }]);
    expect(results.map((r) => r.ok && r.outcome)).toEqual(["created", "created"]);
    expect(fake.batches.slice(from)).toEqual([
      { zoneId: "Z1EXAMPLE", comment: "ddnsd", changes: [{ action: "UPSERT", name: "b1.example.com", type: "A", ttl: 60, values: ["203.0.113.3"] }, { action: "UPSERT", name: "b1.example.com", type: "AAAA", ttl: 60, values: ["2001:db8::3"] }] },
    ]);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: expect.stringMatching(/^\/2013-04-01\/change\/C\d+$/), status: 200 });
  });

  it("keeps the set's TTL on update when the operator set none (auto), and finds a wildcard set", async () => {
    fake.edit("*.example.com", "A", ["192.0.2.4"], 900);
    expect(await one(r53(fake.url), a("*.example.com", "203.0.113.4"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.4"] });
    expect({ values: fake.read("*.example.com", "A"), ttl: fake.ttlOf("*.example.com", "A") }).toEqual({ values: ["203.0.113.4"], ttl: 900 });
  });

  it("puts a name into the public zone of the longest suffix, not a private zone of the same name", async () => {
    expect(await one(r53(fake.url), a("www.sub.example.com", "203.0.113.5"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.batches.at(-1)?.zoneId).toBe("Z3PUBLIC");
  });

  it("uses DDNS_ROUTE53_HOSTED_ZONE_ID without listing zones, and says so for a name outside it", async () => {
    const from = fake.requests.length;
    const p = r53(fake.url, { DDNS_ROUTE53_HOSTED_ZONE_ID: "Z1EXAMPLE" });
    expect(await one(p, a("fixed.example.com", "203.0.113.6"))).toMatchObject({ ok: true, outcome: "created" });
    expect(fake.requests.slice(from).some((r) => r.path.includes("hostedzonesbyname"))).toBe(false);
    expect(await one(p, a("home.example.org", "203.0.113.6"))).toMatchObject({ ok: false, kind: "config", message: `no Route 53 zone holds "home.example.org" (tried "home.example.org", "example.org"); DDNS_ROUTE53_HOSTED_ZONE_ID names the hosted zone "Z1EXAMPLE", which does not hold it: check the variable` });
    const gone = await one(r53(fake.url, { DDNS_ROUTE53_HOSTED_ZONE_ID: "ZNOSUCHZONE" }), a("x.example.com", "203.0.113.6"));
    expect(gone).toMatchObject({ ok: false, kind: "config", message: `while looking up the zone, Route 53 has no such hosted zone (HTTP 404 NoSuchHostedZone: "No hosted zone found with ID: ZNOSUCHZONE"); check DDNS_ROUTE53_HOSTED_ZONE_ID, or let ddnsd find the zone by leaving it unset` });
  });

  it("names the IAM action a key lacks", async () => {
    const r = await one(r53(fake.url, { DDNS_PROVIDER_API_KEY: "AKIAREADONLYEXAMPLE" }), a("iam.example.com", "203.0.113.7"));
    expect(r).toMatchObject({ ok: false, kind: "auth", message: `while writing the record set, AWS refused the POST (HTTP 403 AccessDenied: "User: arn:aws:iam::123456789012:user/ddnsd is not authorized to perform: route53:ChangeResourceRecordSets"); allow route53:ChangeResourceRecordSets to the IAM identity of DDNS_PROVIDER_API_KEY (or AWS_ACCESS_KEY_ID) (docs/providers/route53.md has a least-privilege policy)` });
  });

  it("says it could not confirm a change that stays PENDING", async () => {
    const slow = await start({ pendingPolls: 1_000 });
    try {
      const r = await one(r53(slow.url), a("pending.example.com", "203.0.113.8"));
      expect(r).toMatchObject({ ok: false, kind: "transient", unconfirmed: true, message: "while waiting for the change to be applied, Route 53 accepted the change but did not report it applied in time" });
      expect(slow.read("pending.example.com", "A")).toEqual(["203.0.113.8"]);
    } finally {
      await slow.stop();
    }
  });

  it.each([
    {
      name: "Throttling",
      rule: { kind: "rate-limit", retryAfter: null, path: "/2013-04-01/hostedzone/*/rrset" } as FaultRule,
      want: { kind: "rate-limited", retryAfterMs: 1000, message: `while reading the record set, Route 53 asked to slow down (HTTP 400 Throttling: "Rate exceeded"; five requests a second per AWS account)` },
    },
    {
      name: "an InvalidChangeBatch",
      rule: { kind: "status", status: 400, method: "POST", message: "InvalidChangeBatch: RRSet of type CNAME with DNS name x.example.com. is not permitted" } as FaultRule,
      want: { kind: "config", message: `while writing the record set, Route 53 refused the change (HTTP 400 InvalidChangeBatch: "RRSet of type CNAME with DNS name x.example.com. is not permitted"); check DDNS_RECORD_TTL and that the name holds no CNAME, alias or weighted record` },
    },
    {
      name: "an HTML page",
      rule: { kind: "html", path: "/2013-04-01/hostedzone/*/rrset" } as FaultRule,
      want: { kind: "transient", message: expect.stringContaining("Route 53 answered HTTP 502 with an HTML page instead of XML (an outage, or a proxy in the way)") },
    },
    {
      name: "a gzip bomb",
      rule: { kind: "gzip-bomb", path: "/2013-04-01/hostedzone/*/rrset" } as FaultRule,
      want: { kind: "transient", message: expect.stringContaining(`Route 53 answered HTTP 200 compressed (Content-Encoding "gzip")`) },
    },
    {
      name: "a redirect to another origin",
      rule: { kind: "redirect", path: "/2013-04-01/hostedzone/*/rrset" } as FaultRule,
      want: { kind: "config", message: expect.stringContaining("ddnsd does not follow redirects to another origin with credentials") },
    },
  ])("$name gives one clear line", async ({ name, rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    const before = fake.writes();
    const r = await one(r53(fake.url), a(`fault-${name.length}.example.com`, "203.0.113.9"));
    expect(r).toMatchObject({ ok: false, ...want });
    if (!r.ok) expect(r.unconfirmed ?? false).toBe(false);
    expect(fake.writes()).toBe(before);
  });

  it("says it could not confirm a change whose answer was lost, and finds it applied next time", async () => {
    fake.fault({ kind: "reset", method: "POST", afterApply: true });
    const p = r53(fake.url);
    expect(await one(p, a("lost.example.com", "203.0.113.10"))).toMatchObject({ ok: false, kind: "transient", unconfirmed: true });
    expect(await one(p, a("lost.example.com", "203.0.113.10"))).toMatchObject({ ok: true, outcome: "unchanged" });
  });

  it("reads the AWS_* variables only when the DDNS_ ones are unset, and requires a key id", () => {
    const both = route53.parse({ DDNS_PROVIDER_API_KEY: KEY, AWS_ACCESS_KEY_ID: "AKIAOTHEREXAMPLE0000", DDNS_PROVIDER_API_TOKEN: SECRET });
    expect(both.ok && both.settings.key).toBe(KEY);
    expect(route53.parse({ DDNS_PROVIDER_API_TOKEN: SECRET })).toEqual({ ok: false, issue: { variable: "DDNS_PROVIDER_API_KEY", reason: "is required when DDNS_PROVIDER_TYPE=route53 (e.g. AKIA…)" } });
  });
});
