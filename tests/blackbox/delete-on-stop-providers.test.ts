import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, spawnDaemon, type Daemon } from "./harness.ts";
import { until } from "./world.ts";
import { startIpEcho, type IpEchoServer } from "../fakes/ip-echo.ts";
import type { FakeService } from "../fakes/kit/fake-service.ts";
import { startFakeHetzner } from "../fakes/hetzner/fake-hetzner.ts";
import { startFakeGandi } from "../fakes/gandi/fake-gandi.ts";
import { startFakeGoDaddy } from "../fakes/godaddy/fake-godaddy.ts";
import { startFakeScaleway } from "../fakes/scaleway/fake-scaleway.ts";
import { startFakeRoute53 } from "../fakes/route53/fake-route53.ts";
import { startFakeIonos } from "../fakes/ionos/fake-ionos.ts";
import { startFakeHuawei } from "../fakes/huaweicloud/fake-huaweicloud.ts";
import { startFakeAzure } from "../fakes/azure/fake-azure.ts";
import { startFakeGcp } from "../fakes/gcp/fake-gcp.ts";
import { startFakeGcore } from "../fakes/gcore/fake-gcore.ts";
import { startFakeNs1 } from "../fakes/ns1/fake-ns1.ts";
import { startFakeHostinger } from "../fakes/hostinger/fake-hostinger.ts";
import { startFakeSpaceship } from "../fakes/spaceship/fake-spaceship.ts";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * DDNS_DELETE_ON_STOP on every other set-replacing provider that deletes, through dist/ddnsd and the provider's fake:
 * the set published is gone after SIGTERM, with the exact lines and exit 0 — Hetzner (an asynchronous action that is
 * polled), Gandi and GoDaddy (DELETE of the set), Scaleway (a `delete` change), Route 53 (a DELETE change naming
 * the exact set; its fake refuses one that does not match), IONOS (a DELETE per record, after reading the set again),
 * Huawei Cloud (DeleteRecordSet, PENDING_DELETE polled until the set is gone), Azure DNS (DELETE with If-Match),
 * Cloud DNS (a Change of deletions only), Gcore and NS1 (DELETE of the set), Hostinger (DELETE with name/type
 * filters), Spaceship (DELETE of the set's records). A set someone changed since stays, with the reason.
 */
setDefaultTimeout(60_000);
const ADDRESS = "203.0.113.7";
const NAME = "home.example.com";
type Fake = FakeService & { read(name: string, type: string): string[]; edit(name: string, type: string, values: string[], ttl?: number): void };
const gcpKeys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const GCP_EMAIL = "ddnsd@my-project.iam.gserviceaccount.com";
const dir = mkdtempSync(join(tmpdir(), "ddnsd-stop-"));
/** A service-account key file for the Cloud DNS fake's token endpoint. */
function gcpKey(tokenUri: string): string {
  const path = join(dir, `key-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ type: "service_account", project_id: "my-project", private_key_id: "0123abcd", private_key: gcpKeys.privateKey, client_email: GCP_EMAIL, client_id: "1", token_uri: tokenUri }));
  return path;
}
const AZURE = { tenant: "72f988bf-86f1-41af-91ab-2d7cd011db47", subscription: "11111111-2222-3333-4444-555555555555", app: "6a3c1e0f-0d3e-4c5b-9a8f-0123456789ab", secret: "Xq8Q~fakeClientSecretValue0123456789abcd" };
interface Case {
  id: string;
  start(): Promise<Fake>;
  env(fake: Fake): Record<string, string>;
}

const CASES: Case[] = [
  {
    id: "hetzner",
    start: () => startFakeHetzner({ tokens: { "hcloud-token-0123456789abcdefghijklmnopqrstuvwxyzABCDEF": "read-write" }, zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: "hcloud-token-0123456789abcdefghijklmnopqrstuvwxyzABCDEF", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "gandi",
    start: () => startFakeGandi({ tokens: { "pat_0123456789abcdefghijklmnop": "manage" }, zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: "pat_0123456789abcdefghijklmnop", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "godaddy",
    start: () => startFakeGoDaddy({ keys: { "dKDJ3jh2v4Yq_7dG8TQ2ZsRRLrCgQNxVqSg": "EboB8kQqdRzXwCTxU9FKQg" }, zones: ["example.com"], rateLimit: { limit: 10_000, windowMs: 60_000 } }),
    env: (f) => ({ DDNS_PROVIDER_API_KEY: "dKDJ3jh2v4Yq_7dG8TQ2ZsRRLrCgQNxVqSg", DDNS_PROVIDER_API_TOKEN: "EboB8kQqdRzXwCTxU9FKQg", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "scaleway",
    start: () => startFakeScaleway({ keys: { "0a1b2c3d-0000-4000-8000-0123456789ab": "write" }, zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: "0a1b2c3d-0000-4000-8000-0123456789ab", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "route53",
    start: () => startFakeRoute53({ keys: { AKIAIOSFODNN7EXAMPLE: { secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } }, zones: [{ id: "Z1EXAMPLE", name: "example.com" }], pendingPolls: 1 }),
    env: (f) => ({ DDNS_PROVIDER_API_KEY: "AKIAIOSFODNN7EXAMPLE", DDNS_PROVIDER_API_TOKEN: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "ionos",
    start: () => startFakeIonos({ keys: ["5f4dcc3b5aa765d6.ionosSECRET0123456789abcdefghijkl"], zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_KEY: "5f4dcc3b5aa765d6", DDNS_PROVIDER_API_TOKEN: "ionosSECRET0123456789abcdefghijkl", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "huaweicloud",
    start: () => startFakeHuawei({ keys: { HWAKTEST0123456789AB: "huaweiSK0123456789abcdefghijklmnopqrstuv" }, zones: ["example.com"], pendingPolls: 1 }),
    env: (f) => ({ DDNS_PROVIDER_API_KEY: "HWAKTEST0123456789AB", DDNS_PROVIDER_API_TOKEN: "huaweiSK0123456789abcdefghijklmnopqrstuv", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "azure",
    start: () => startFakeAzure({ tenant: AZURE.tenant, subscription: AZURE.subscription, resourceGroup: "dns-rg", zones: ["example.com"], apps: { [AZURE.app]: AZURE.secret } }),
    env: (f) => {
      const origin = (f as unknown as { origin: string }).origin;
      return { DDNS_PROVIDER_API_KEY: AZURE.app, DDNS_PROVIDER_API_TOKEN: AZURE.secret, DDNS_AZURE_TENANT_ID: AZURE.tenant, DDNS_AZURE_SUBSCRIPTION_ID: AZURE.subscription, DDNS_AZURE_RESOURCE_GROUP: "dns-rg", DDNS_AZURE_LOGIN_URL: origin, DDNS_PROVIDER_API_URL: origin };
    },
  },
  {
    id: "gcp",
    start: () => startFakeGcp({ project: "my-project", zones: [{ name: "example-com", dnsName: "example.com." }], accounts: { [GCP_EMAIL]: gcpKeys.publicKey }, pendingPolls: 1 }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN_FILE: gcpKey((f as unknown as { tokenUrl: string }).tokenUrl), DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "gcore",
    start: () => startFakeGcore({ tokens: { "1234$abcdef0123456789abcdef0123456789": "write" }, zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: "1234$abcdef0123456789abcdef0123456789", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "ns1",
    start: () => startFakeNs1({ keys: { qACMD09OJXBxT7XOuRs8: "manage" }, zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: "qACMD09OJXBxT7XOuRs8", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "hostinger",
    start: () => startFakeHostinger({ tokens: ["hostingerTOKEN0123456789abcdefghij"], zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_TOKEN: "hostingerTOKEN0123456789abcdefghij", DDNS_PROVIDER_API_URL: f.url }),
  },
  {
    id: "spaceship",
    start: () => startFakeSpaceship({ keys: { "JdIS8QYFMZpVKupJtdc3:F3brvQluT4s8aDB7PeFBH6qKHfH2xTKTneCjZbq3z2w7": "write" }, zones: ["example.com"] }),
    env: (f) => ({ DDNS_PROVIDER_API_KEY: "JdIS8QYFMZpVKupJtdc3", DDNS_PROVIDER_API_TOKEN: "F3brvQluT4s8aDB7PeFBH6qKHfH2xTKTneCjZbq3z2w7", DDNS_PROVIDER_API_URL: f.url }),
  },
];

let ip: IpEchoServer;
const running: Daemon[] = [];
beforeAll(() => {
  ip = startIpEcho({ v4: ADDRESS });
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await ip.stop();
  rmSync(dir, { recursive: true, force: true });
  assertNoSecretLeaked();
});

describe("DDNS_DELETE_ON_STOP on the set-replacing providers, through their fakes", () => {
  it.each(CASES.map((c) => ({ ...c, name: c.id })))("$name: on SIGTERM the set it published is gone, exit 0", async (c) => {
    const fake = await c.start();
    try {
      const d = spawnDaemon(["run"], {
        DDNS_PROVIDER_TYPE: c.id, ...c.env(fake), DDNS_RECORDS: NAME, DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
        DDNS_HTTP_ADDR: "off", DDNS_DELETE_ON_STOP: "true",
      });
      running.push(d);
      await d.waitForLine(`INFO Created A record ${NAME} → ${ADDRESS}`);
      await until(async () => fake.read(NAME, "A"), (held) => held.includes(ADDRESS), 10_000, "the record published");
      d.kill("SIGTERM");
      expect(await d.exited(20_000)).toBe(0);
      expect(d.lines.filter((l) => /Delet|delete/.test(l))).toEqual(["INFO Deleting the 1 record(s) this daemon manages (DDNS_DELETE_ON_STOP)", `INFO Deleted A record ${NAME} (${ADDRESS})`]);
      expect(d.lines).toContain("INFO Shutdown complete");
      expect(fake.read(NAME, "A")).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it.each(CASES.map((c) => ({ ...c, name: c.id })))("$name: a set someone changed since stays on SIGTERM, with the reason, exit 0", async (c) => {
    const fake = await c.start();
    try {
      const d = spawnDaemon(["run"], {
        DDNS_PROVIDER_TYPE: c.id, ...c.env(fake), DDNS_RECORDS: NAME, DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_URLS_V4: `${ip.url}/v4`,
        DDNS_HTTP_ADDR: "off", DDNS_DELETE_ON_STOP: "true",
      });
      running.push(d);
      await d.waitForLine(`INFO Created A record ${NAME} → ${ADDRESS}`);
      await until(async () => fake.read(NAME, "A"), (held) => held.includes(ADDRESS), 10_000, "the record published");
      fake.edit(NAME, "A", [ADDRESS, "198.51.100.9"], 300);
      d.kill("SIGTERM");
      expect(await d.exited(20_000)).toBe(0);
      expect(d.lines.filter((l) => /Delet|delet/.test(l))).toEqual([
        "INFO Deleting the 1 record(s) this daemon manages (DDNS_DELETE_ON_STOP)",
        `WARN Not deleting the A record ${NAME}: the set holds 198.51.100.9, ${ADDRESS}, not only the address this daemon published (${ADDRESS}); someone changed it since; it stays in place`,
      ]);
      expect([...fake.read(NAME, "A")].sort()).toEqual(["198.51.100.9", ADDRESS]);
    } finally {
      await fake.stop();
    }
  });
});
