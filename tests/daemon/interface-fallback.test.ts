import { describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { createIpSources } from "../../src/daemon/ip-sources.ts";
import { createDetector } from "../../src/engine/detect.ts";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createDaemonMetrics } from "../../src/metrics/daemon-metrics.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import type { Detection, IpSource } from "../../src/ip/types.ts";
import type { NetworkInterfaces } from "../../src/ip/interface/interface-source.ts";
import { ipEchoFetch, testPlatform } from "./test-platform.ts";

/**
 * DDNS_IP_SOURCE_HTTP_FALLBACK with the interface sources, wired as the daemon wires it (createIpSources + the
 * detector; netlink is unavailable in testPlatform, so `netlink` runs as `interface`): a family the interface has
 * no public address for (behind NAT) is asked of the http source. The detector decides by the detection's
 * `wantsFallback` mark alone, never by the words of its error.
 */

function detector(source: IpSource, fallback: IpSource | undefined) {
  const log = createMemoryLogger("debug");
  const now = () => Date.now();
  const d = createDetector({
    source,
    ...(fallback ? { fallback } : {}),
    log,
    now,
    metrics: createDaemonMetrics({ version: "t", runtime: "bun", startTimeSeconds: 1, rss: () => 1 }),
    status: createStatusBoard({ version: "t", runtime: "bun", now, families: [4], records: [], staleAfterMs: 1000 }),
  });
  return { detect: async () => (await d.detectAll([4], new AbortController().signal))[0], log };
}

async function wired(type: "interface" | "netlink", fallback: boolean, interfaces: ReturnType<NetworkInterfaces>) {
  const { config } = loadConfig({
    providers: ALL_PROVIDERS,
    readFile: () => "",
    env: {
      DDNS_PROVIDER_TYPE: "cloudflare",
      DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123",
      DDNS_RECORDS: "example.com",
      DDNS_IP_VERSIONS: "4",
      DDNS_IP_SOURCE_TYPE: type,
      DDNS_IP_SOURCE_INTERFACE: "eth0",
      DDNS_IP_SOURCE_URLS_V4: "http://ip4.test/",
      DDNS_IP_SOURCE_HTTP_FALLBACK: String(fallback),
    },
  });
  const log = createMemoryLogger("info");
  const platform = testPlatform({ fetch: ipEchoFetch("198.51.100.77", "2001:db8::77"), networkInterfaces: () => interfaces });
  const { source, fallback: http } = await createIpSources(config, log, platform);
  return detector(source, http);
}

const BEHIND_NAT = { eth0: [{ address: "192.168.1.2", family: "IPv4" as const, internal: false }] };

describe("DDNS_IP_SOURCE_HTTP_FALLBACK with the interface sources", () => {
  it.each([
    { name: "interface, behind NAT, fallback on", type: "interface" as const, fallback: true, interfaces: BEHIND_NAT, expected: { ok: true, family: 4, address: "198.51.100.77", source: "http://ip4.test/" } },
    { name: "netlink (here: interface), behind NAT, fallback on", type: "netlink" as const, fallback: true, interfaces: BEHIND_NAT, expected: { ok: true, family: 4, address: "198.51.100.77", source: "http://ip4.test/" } },
    { name: "interface, behind NAT, fallback off", type: "interface" as const, fallback: false, interfaces: BEHIND_NAT, expected: { ok: false, family: 4, error: "no public IPv4 address on eth0", wantsFallback: true } },
    { name: "interface missing, fallback on: not a NAT, no fallback", type: "interface" as const, fallback: true, interfaces: {}, expected: { ok: false, family: 4, error: 'interface "eth0" does not exist' } },
  ])("$name", async ({ type, fallback, interfaces, expected }) => {
    const { detect } = await wired(type, fallback, interfaces);
    expect(await detect()).toEqual(expected as Detection);
  });

  it.each([
    { name: "a failure marked wantsFallback is asked of the fallback", detection: { ok: false, family: 4, error: "the router is behind CGNAT", wantsFallback: true }, asked: 1 },
    { name: "a failure whose words read like NAT but is not marked is not", detection: { ok: false, family: 4, error: "no public IPv4 address on eth0" }, asked: 0 },
  ] satisfies Array<{ name: string; detection: Detection; asked: number }>)("the detector: $name", async ({ detection, asked }) => {
    let calls = 0;
    const main: IpSource = { type: "test", detect: async () => detection };
    const http: IpSource = { type: "http", detect: async () => (calls++, { ok: true, family: 4, address: "198.51.100.9", source: "http" }) };
    const { detect } = detector(main, http);
    const d = await detect();
    expect(calls).toBe(asked);
    expect(d).toMatchObject(asked ? { ok: true, address: "198.51.100.9" } : { ok: false, error: detection.error });
  });
});
