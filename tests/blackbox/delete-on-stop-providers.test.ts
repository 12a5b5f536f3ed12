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

/**
 * DDNS_DELETE_ON_STOP on every other set-replacing provider that deletes, through dist/ddnsd and the provider's fake:
 * the set published is gone after SIGTERM, with the exact lines and exit 0 — Hetzner (an asynchronous action that is
 * polled), Gandi and GoDaddy (DELETE of the set), Scaleway (a `delete` change), Route 53 (a DELETE change naming
 * the exact set; its fake refuses one that does not match).
 */
setDefaultTimeout(60_000);
const ADDRESS = "203.0.113.7";
const NAME = "home.example.com";
type Fake = FakeService & { read(name: string, type: string): string[] };
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
];

let ip: IpEchoServer;
const running: Daemon[] = [];
beforeAll(() => {
  ip = startIpEcho({ v4: ADDRESS });
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await ip.stop();
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
});
