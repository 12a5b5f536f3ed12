import { afterAll, describe, expect, it } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { ProviderDescriptor } from "../../src/providers/kit/descriptor.ts";
import type { DnsProvider, RecordRequest } from "../../src/providers/kit/types.ts";
import { ionos } from "../../src/providers/ionos/descriptor.ts";
import { azure } from "../../src/providers/azure/descriptor.ts";
import { gcp } from "../../src/providers/gcp/descriptor.ts";
import type { FakeService } from "../fakes/kit/fake-service.ts";
import { startFakeIonos } from "../fakes/ionos/fake-ionos.ts";
import { startFakeAzure } from "../fakes/azure/fake-azure.ts";
import { startFakeGcp } from "../fakes/gcp/fake-gcp.ts";

/**
 * DDNS_DELETE_ON_STOP where the API can make the deletion conditional on the set as read: a set someone changes
 * between ddnsd's read and its deletion stays, and the result says so — IONOS (the set read again before its records
 * are deleted), Azure DNS (`If-Match: <etag>`, 412), Cloud DNS (a deletion must match the set exactly, 412). The
 * change is made by a fetch that edits the fake just before the request named in `before`.
 */
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const EMAIL = "ddnsd@my-project.iam.gserviceaccount.com";
const AZ = { tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47", subscription: "11111111-2222-3333-4444-555555555555", app: "6a3c1e0f-0d3e-4c5b-9a8f-0123456789ab", secret: "Xq8Q~fakeClientSecretValue0123456789abcd" };
type Fake = FakeService & { read(name: string, type: string): string[]; edit(name: string, type: string, values: string[], ttl?: number): void };
interface Case {
  name: string;
  start(): Promise<Fake>;
  // biome-ignore lint: any provider's settings
  descriptor: ProviderDescriptor<any>;
  env(fake: Fake): Record<string, string>;
  /** The request the edit goes in front of: method and a part of the path; `nth` counts matches from 1. */
  before: { method: string; path: RegExp; nth: number };
}

const CASES: Case[] = [
  {
    name: "ionos",
    start: () => startFakeIonos({ keys: ["5f4dcc3b5aa765d6.ionosSECRET0123456789abcdefghijkl"], zones: ["example.com"] }),
    descriptor: ionos,
    env: (f) => ({ DDNS_PROVIDER_API_KEY: "5f4dcc3b5aa765d6", DDNS_PROVIDER_API_TOKEN: "ionosSECRET0123456789abcdefghijkl", DDNS_PROVIDER_API_URL: f.url }),
    // The deleter's read is the first GET of the zone's records; the provider's own re-read the second.
    before: { method: "GET", path: /\/zones\/[^/]+$/, nth: 2 },
  },
  {
    name: "azure",
    start: () => startFakeAzure({ tenant: AZ.tenant, subscription: AZ.subscription, resourceGroup: "dns-rg", zones: ["example.com"], apps: { [AZ.app]: AZ.secret } }),
    descriptor: azure,
    env: (f) => {
      const origin = (f as unknown as { origin: string }).origin;
      return { DDNS_PROVIDER_API_KEY: AZ.app, DDNS_PROVIDER_API_TOKEN: AZ.secret, DDNS_AZURE_TENANT_ID: AZ.tenant, DDNS_AZURE_SUBSCRIPTION_ID: AZ.subscription, DDNS_AZURE_RESOURCE_GROUP: "dns-rg", DDNS_AZURE_LOGIN_URL: origin, DDNS_PROVIDER_API_URL: origin };
    },
    before: { method: "DELETE", path: /\/A\/home$/, nth: 1 },
  },
  {
    name: "gcp",
    start: () => startFakeGcp({ project: "my-project", zones: [{ name: "example-com", dnsName: "example.com." }], accounts: { [EMAIL]: keys.publicKey }, pendingPolls: 0 }),
    descriptor: gcp,
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: JSON.stringify({ type: "service_account", project_id: "my-project", private_key_id: "0123abcd", private_key: keys.privateKey, client_email: EMAIL, client_id: "1", token_uri: (f as unknown as { tokenUrl: string }).tokenUrl }), DDNS_PROVIDER_API_URL: f.url }),
    before: { method: "POST", path: /\/changes$/, nth: 1 },
  },
];

const fakes: Fake[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.stop())));
const request: RecordRequest = { name: "home.example.com", type: "A", content: "203.0.113.7" };

function provider(c: Case, fake: Fake, edit: () => void): DnsProvider {
  let seen = 0;
  const editing = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    if (method === c.before.method && c.before.path.test(url.pathname) && ++seen === c.before.nth) edit();
    return fetch(input, init);
  }) as typeof fetch;
  const parsed = c.descriptor.parse(c.env(fake));
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return c.descriptor.create(parsed.settings, { fetch: editing, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
}

describe("deleting on stop, conditional on the set as read", () => {
  it.each(CASES)("$name: a set changed between the read and the deletion stays, and the result says so", async (c) => {
    const fake = await c.start();
    fakes.push(fake);
    fake.edit("home.example.com", "A", ["203.0.113.7"], 300);
    const p = provider(c, fake, () => fake.edit("home.example.com", "A", ["203.0.113.7", "198.51.100.9"], 300));
    const [result] = await p.deleteRecords!([request], { signal: AbortSignal.timeout(5_000), dryRun: false });
    expect(result).toMatchObject({ ok: true, deleted: [], kept: expect.stringMatching(/^the set changed while ddnsd was deleting it \(/) });
    expect([...fake.read("home.example.com", "A")].sort()).toEqual(["198.51.100.9", "203.0.113.7"]);
  });

  it.each(CASES)("$name: an unchanged set goes", async (c) => {
    const fake = await c.start();
    fakes.push(fake);
    fake.edit("home.example.com", "A", ["203.0.113.7"], 300);
    const p = provider(c, fake, () => {});
    expect(await p.deleteRecords!([request], { signal: AbortSignal.timeout(5_000), dryRun: false })).toEqual([{ ok: true, request, deleted: ["203.0.113.7"] }]);
    expect(fake.read("home.example.com", "A")).toEqual([]);
  });
});
