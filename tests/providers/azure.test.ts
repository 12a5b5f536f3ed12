import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { azure } from "../../src/providers/azure/descriptor.ts";
import type { DnsProvider, RecordRequest, RecordResult } from "../../src/providers/kit/types.ts";
import { freePort } from "../blackbox/world.ts";
import type { FaultRule } from "../fakes/kit/fake-faults.ts";
import { bearerTokensSent, leakedPieces } from "../fakes/kit/sent-credentials.ts";
import { startFakeAzure, type FakeAzure, type FakeAzureOptions } from "../fakes/azure/fake-azure.ts";
import { providerBlackbox } from "./blackbox-runner.ts";
import { providerContract } from "./provider-contract.ts";

/** Azure DNS: client credentials at a fake Entra ID, record sets with etags at a fake ARM; contract, black box, cases. */
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SUB = "11111111-2222-3333-4444-555555555555";
const APP = "6a3c1e0f-0d3e-4c5b-9a8f-0123456789ab";
const READER = "0b0b0b0b-0000-4000-8000-000000000000";
const SECRET = "Xq8Q~fakeClientSecretValue0123456789abcd";
const WRONG = "Xq8Q~wrongClientSecretValue0123456789abc";
let run = 0;

type Env = Record<string, string | undefined>;
const envOf = (fake: { origin: string }, env: Env = {}): Env => ({
  DDNS_PROVIDER_API_KEY: APP, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_AZURE_TENANT_ID: TENANT, DDNS_AZURE_SUBSCRIPTION_ID: SUB,
  DDNS_AZURE_RESOURCE_GROUP: "dns-rg", DDNS_AZURE_LOGIN_URL: fake.origin, DDNS_PROVIDER_API_URL: fake.origin, ...env,
});
function azureProvider(fake: { origin: string }, env: Env = {}, now = Date.now): DnsProvider {
  const parsed = azure.parse(envOf(fake, env));
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return azure.create(parsed.settings, { fetch, log: createMemoryLogger("debug"), now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}
const start = (o: Partial<FakeAzureOptions> = {}) =>
  startFakeAzure({ tenant: TENANT, subscription: SUB, resourceGroup: "dns-rg", zones: ["example.com"], apps: { [APP]: SECRET, [READER]: SECRET }, readOnly: [READER], ...o });
const one = async (p: DnsProvider, request: RecordRequest): Promise<RecordResult> => (await p.setRecords([request], { signal: AbortSignal.timeout(5_000), dryRun: false }))[0]!;
const a = (name: string, content: string, ttl?: number): RecordRequest => ({ name, type: "A", content, ...(ttl ? { ttl } : {}) });

providerContract("azure", async () => {
  const fake = await start();
  const n = ++run;
  return {
    provider: azureProvider(fake),
    badAuthProvider: azureProvider(fake, { DDNS_PROVIDER_API_TOKEN: WRONG }),
    unreachableProvider: azureProvider(fake, { DDNS_PROVIDER_API_URL: `http://127.0.0.1:${await freePort()}` }),
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
  id: "azure",
  canRead: azure.capabilities.read,
  async start() {
    const fake = await start();
    return {
      // The standard Azure SDK variables for the credentials, ddnsd's own for the rest.
      env: { DDNS_PROVIDER_TYPE: "azure", AZURE_CLIENT_ID: APP, AZURE_CLIENT_SECRET: SECRET, AZURE_TENANT_ID: TENANT, DDNS_AZURE_SUBSCRIPTION_ID: SUB, DDNS_AZURE_RESOURCE_GROUP: "dns-rg", DDNS_AZURE_LOGIN_URL: fake.origin, DDNS_PROVIDER_API_URL: fake.origin },
      wrongCredential: { env: { DDNS_PROVIDER_API_TOKEN: WRONG }, variable: "DDNS_PROVIDER_API_TOKEN" },
      name: "home.example.com",
      secrets: [SECRET, WRONG],
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      requests: async () => fake.requests.length,
      edit: async (name, type, contents) => fake.edit(name, type, contents),
      stop: () => fake.stop(),
    };
  },
});

describe("azure against its fakes", () => {
  let fake: FakeAzure;
  beforeAll(async () => {
    fake = await start({ zones: ["a-zone.net", "example.com", "sub.example.com"], zonesPerPage: 1 });
  });
  afterAll(() => fake.stop());

  it("never shows the access token Azure echoes back in an error", async () => {
    fake.fault({ kind: "status", status: 500, method: "GET", path: "/**", echo: "authorization", message: "Internal error" });
    const result = await one(azureProvider(fake), a("echo.example.com", "203.0.113.8"));
    expect(result).toMatchObject({ ok: false, kind: "transient", message: 'while looking up the zone, Azure DNS failed (HTTP 500, HTTP 500 InternalServerError: "Internal error (the request was: Bearer [REDACTED])")' });
    const tokens = bearerTokensSent(fake.requests);
    expect(tokens.length).toBeGreaterThan(0);
    expect(leakedPieces(JSON.stringify(result), tokens)).toEqual([]);
  });

  it("takes the same token again after a refusal, when Entra ID hands out the one it already gave (its token cache)", async () => {
    const cached = await start({ reuseTokens: true });
    try {
      const reader = azureProvider(cached, { DDNS_PROVIDER_API_KEY: READER });
      const refused = { ok: false, kind: "auth", message: expect.stringMatching(/^while writing the record set, Azure refused the PUT \(HTTP 403 AuthorizationFailed/) };
      expect(await one(reader, a("cached.example.com", "203.0.113.8"))).toMatchObject(refused);
      // The refusal made ddnsd ask for a token again: the answer holds the one it learned (and redacts) already.
      expect(await one(reader, a("cached.example.com", "203.0.113.8"))).toMatchObject(refused);
      expect(cached.grants()).toBe(2);
      expect(new Set(bearerTokensSent(cached.requests)).size).toBe(1);
    } finally {
      await cached.stop();
    }
  });

  it("updates with If-Match on the etag it read, keeps the set's TTL and metadata", async () => {
    fake.edit("meta.example.com", "A", ["192.0.2.1"], 900, { owner: "ops" });
    const etag = fake.setOf("meta.example.com", "A").etag;
    expect(await one(azureProvider(fake), a("meta.example.com", "203.0.113.1"))).toMatchObject({ ok: true, outcome: "updated", previous: ["192.0.2.1"] });
    const put = fake.requests.filter((r) => r.method === "PUT").at(-1)!;
    expect({ path: put.path, ifMatch: put.headers["if-match"], body: JSON.parse(put.body) }).toEqual({
      path: `/${SUB}/resourceGroups/dns-rg/providers/Microsoft.Network/dnsZones/example.com/A/meta`,
      ifMatch: etag,
      body: { properties: { TTL: 900, metadata: { owner: "ops" }, ARecords: [{ ipv4Address: "203.0.113.1" }] } },
    });
    expect(fake.setOf("meta.example.com", "A")).toMatchObject({ ttl: 900, metadata: { owner: "ops" } });
  });

  it("creates with If-None-Match: * at the apex (@), in the longest zone of a paged listing", async () => {
    expect(await one(azureProvider(fake), a("sub.example.com", "203.0.113.2", 60))).toMatchObject({ ok: true, outcome: "created" });
    const put = fake.requests.filter((r) => r.method === "PUT").at(-1)!;
    expect({ path: put.path, ifNoneMatch: put.headers["if-none-match"] }).toEqual({ path: `/${SUB}/resourceGroups/dns-rg/providers/Microsoft.Network/dnsZones/sub.example.com/A/@`, ifNoneMatch: "*" });
    expect(fake.requests.filter((r) => r.path.endsWith("/dnsZones")).length).toBeGreaterThanOrEqual(3);
  });

  it("does not overwrite a set changed between read and write (412), and gets it right next time", async () => {
    const p = azureProvider(fake);
    fake.edit("race.example.com", "A", ["192.0.2.3"]);
    fake.fault({ kind: "status", status: 412, method: "PUT", message: "PreconditionFailed: The Record set has been modified (etag mismatch).", times: 1 });
    expect(await one(p, a("race.example.com", "203.0.113.3"))).toMatchObject({ ok: false, kind: "transient", message: `while writing the record set, Azure refused the change because the record set changed meanwhile (HTTP 412 PreconditionFailed: "The Record set has been modified (etag mismatch)."); ddnsd reads it again` });
    expect(await one(p, a("race.example.com", "203.0.113.3"))).toMatchObject({ ok: true, outcome: "updated" });
  });

  it("asks for one token and reuses it until a minute before it expires", async () => {
    let now = Date.now();
    const p = azureProvider(fake, {}, () => now);
    const before = fake.grants();
    await one(p, a("t1.example.com", "203.0.113.4"));
    await one(p, a("t2.example.com", "203.0.113.4"));
    expect(fake.grants()).toBe(before + 1);
    now += 3_540_000;
    await one(p, a("t3.example.com", "203.0.113.4"));
    expect(fake.grants()).toBe(before + 2);
  });

  it.each([
    { name: "a wrong client secret", env: { DDNS_PROVIDER_API_TOKEN: WRONG }, kind: "auth", message: expect.stringMatching(/^while looking up the zone, Microsoft Entra ID refused the client secret \(HTTP 401 "invalid_client": "AADSTS7000215: Invalid client secret provided\..*"\); check DDNS_PROVIDER_API_TOKEN \(or AZURE_CLIENT_SECRET\): the secret's value, not its id, and not expired$/) },
    { name: "an unknown application", env: { DDNS_PROVIDER_API_KEY: "99999999-9999-4999-8999-999999999999" }, kind: "auth", message: expect.stringContaining("does not know the application in that tenant (HTTP 400 \"unauthorized_client\"") },
    { name: "an unknown tenant", env: { DDNS_AZURE_TENANT_ID: "contoso.onmicrosoft.com" }, kind: "config", message: expect.stringContaining("check DDNS_AZURE_TENANT_ID (or AZURE_TENANT_ID)") },
    { name: "an app without write permission", env: { DDNS_PROVIDER_API_KEY: READER }, kind: "auth", message: expect.stringMatching(/^while writing the record set, Azure refused the PUT \(HTTP 403 AuthorizationFailed: .*\); assign the application the role "DNS Zone Contributor" on the zone or DDNS_AZURE_RESOURCE_GROUP$/) },
    { name: "another resource group", env: { DDNS_AZURE_RESOURCE_GROUP: "other-rg" }, kind: "config", message: `while looking up the zone, Azure has no such resource group or subscription (HTTP 404 ResourceGroupNotFound: "Resource group 'other-rg' could not be found."); check DDNS_AZURE_SUBSCRIPTION_ID and DDNS_AZURE_RESOURCE_GROUP` },
  ])("refuses $name with what to fix", async ({ env, kind, message }) => {
    const before = fake.writes();
    expect(await one(azureProvider(fake, env), a("refused.example.com", "203.0.113.5"))).toMatchObject({ ok: false, kind, message });
    expect(fake.writes()).toBe(before);
  });

  it.each([
    { name: "a 429 with Retry-After", rule: { kind: "rate-limit", retryAfter: 7, path: "/*/resourceGroups/*/providers/Microsoft.Network/dnsZones/*/A/*" } as FaultRule, want: { kind: "rate-limited", retryAfterMs: 7000 } },
    { name: "an HTML page", rule: { kind: "html", path: "/*/resourceGroups/*/providers/Microsoft.Network/dnsZones/*/A/*" } as FaultRule, want: { kind: "transient", message: expect.stringContaining("HTML page") } },
    { name: "a redirect to another origin", rule: { kind: "redirect", path: "/*/resourceGroups/*/providers/Microsoft.Network/dnsZones/*/A/*" } as FaultRule, want: { kind: "config", message: expect.stringContaining("does not follow redirects to another origin") } },
  ])("$name gives one clear line", async ({ rule, want }) => {
    fake.fault({ ...rule, times: 1 });
    expect(await one(azureProvider(fake), a("fault.example.com", "203.0.113.6"))).toMatchObject({ ok: false, ...want });
  });

  it("requires the tenant, subscription and resource group", () => {
    expect(azure.parse({ DDNS_PROVIDER_API_KEY: APP, DDNS_PROVIDER_API_TOKEN: SECRET, DDNS_AZURE_SUBSCRIPTION_ID: SUB, DDNS_AZURE_RESOURCE_GROUP: "g" })).toEqual({
      ok: false,
      issue: { variable: "DDNS_AZURE_TENANT_ID", reason: "is required when DDNS_PROVIDER_TYPE=azure (e.g. 00000000-0000-0000-0000-000000000000)" },
    });
  });
});
