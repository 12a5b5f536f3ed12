import { afterAll, describe, expect, it } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { createRrsetProvider, type RrsetApi } from "../../src/providers/kit/rrset-provider.ts";
import type { ProviderDeps, RecordRequest } from "../../src/providers/kit/types.ts";
import type { Zone } from "../../src/providers/kit/zone-finder.ts";
import { hetznerApi } from "../../src/providers/hetzner/hetzner-api.ts";
import { gandiApi } from "../../src/providers/gandi/gandi-api.ts";
import { gcpApi } from "../../src/providers/gcp/gcp-api.ts";
import { scalewayApi } from "../../src/providers/scaleway/scaleway-api.ts";
import type { FakeService } from "../fakes/kit/fake-service.ts";
import { startFakeHetzner } from "../fakes/hetzner/fake-hetzner.ts";
import { startFakeGandi } from "../fakes/gandi/fake-gandi.ts";
import { startFakeGcp } from "../fakes/gcp/fake-gcp.ts";
import { startFakeScaleway } from "../fakes/scaleway/fake-scaleway.ts";

/**
 * The owner TXT of DDNS_OWNER_ID in each API's documented TXT syntax (the sources are in each fake's header): Hetzner,
 * Gandi, Cloud DNS and Scaleway take TXT data in zone-file syntax, one quoted character-string. Their fakes refuse
 * the bare text, so a provider whose `txtValue` sent it would fail here; the provider's own spelling is stored.
 */
const deps = (): ProviderDeps => ({ fetch, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const EMAIL = "ddnsd@my-project.iam.gserviceaccount.com";
type Fake = FakeService & { read(name: string, type: string): string[]; tokenUrl?: string };
// biome-ignore lint: each provider's own zone type
type AnyApi = RrsetApi<any, any>;
interface Case {
  name: string;
  start(): Promise<Fake>;
  api(fake: Fake): AnyApi;
  /** How the fake words its refusal of the bare text. */
  refused: RegExp;
}

const CASES: Case[] = [
  {
    name: "hetzner",
    start: () => startFakeHetzner({ tokens: { "hcloud-token-0123456789abcdefghijklmnopqrstuvwxyzABCDEF": "read-write" }, zones: ["example.com"] }),
    api: (f) => hetznerApi({ token: "hcloud-token-0123456789abcdefghijklmnopqrstuvwxyzABCDEF", apiUrl: f.url }, deps()),
    refused: /is not TXT data in zone-file syn/,
  },
  {
    name: "gandi",
    start: () => startFakeGandi({ tokens: { pat_0123456789abcdefghijklmnop: "manage" }, zones: ["example.com"] }),
    api: (f) => gandiApi({ token: "pat_0123456789abcdefghijklmnop", apiUrl: f.url }, deps()),
    refused: /is not TXT data in zone-file syn/,
  },
  {
    name: "gcp",
    start: () => startFakeGcp({ project: "my-project", zones: [{ name: "example-com", dnsName: "example.com." }], accounts: { [EMAIL]: keys.publicKey }, pendingPolls: 0 }),
    api: (f) => gcpApi({ token: JSON.stringify({ type: "service_account", project_id: "my-project", private_key_id: "0123abcd", private_key: keys.privateKey, client_email: EMAIL, client_id: "1", token_uri: f.tokenUrl }), apiUrl: f.url }, deps()),
    refused: /is not TXT data in zone-file syn/,
  },
  {
    name: "scaleway",
    start: () => startFakeScaleway({ keys: { "0a1b2c3d-0000-4000-8000-0123456789ab": "write" }, zones: ["example.com"] }),
    api: (f) => scalewayApi({ token: "0a1b2c3d-0000-4000-8000-0123456789ab", apiUrl: f.url }, deps()),
    refused: /is not TXT data in zone-file syn/,
  },
];

const fakes: Fake[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.stop())));
const request: RecordRequest = { name: "home.example.com", type: "A", content: "203.0.113.7", ownerId: "site-a" };
const write = (api: AnyApi) => createRrsetProvider<Zone, unknown>(api, { id: "testing", confirmEveryMs: 10 }).setRecords([request], { signal: AbortSignal.timeout(5_000), dryRun: false });

describe("the owner TXT in each API's TXT syntax", () => {
  it.each(CASES)("$name: the provider's TXT spelling is taken and stored quoted", async ({ start, api }) => {
    const fake = await start();
    fakes.push(fake);
    expect(await write(api(fake))).toMatchObject([{ ok: true, outcome: "created" }]);
    expect(fake.read("_ddnsd-a.home.example.com", "TXT")).toEqual(['"heritage=ddnsd,owner=site-a"']);
  });

  it.each(CASES)("$name: the fake refuses the bare text (the check this test relies on)", async ({ start, api, refused }) => {
    const fake = await start();
    fakes.push(fake);
    const [result] = await write({ ...api(fake), txtValue: (text: string) => text });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(refused) });
    expect(fake.read("_ddnsd-a.home.example.com", "TXT")).toEqual([]);
  });
});
