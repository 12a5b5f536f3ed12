import { afterEach, describe, expect, it } from "bun:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { createIpSources } from "../../src/daemon/ip-sources.ts";
import { createDetector } from "../../src/engine/detect.ts";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createDaemonMetrics } from "../../src/metrics/daemon-metrics.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { openUdpSocket } from "../../src/runtime/udp-socket.ts";
import type { OpenUdp } from "../../src/ip/router/udp-types.ts";
import { ipEchoFetch, testPlatform } from "./test-platform.ts";
import { startFakeRouter, type FakeRouter } from "../router/fake-router.ts";

/**
 * DDNS_IP_SOURCE_HTTP_FALLBACK with the router source, wired as the daemon wires it (createIpSources + the
 * detector): double NAT or a silent router → the http source's address; without the variable, nothing for IPv4 and
 * the one line that names it. The loopback router stands in for port 5351 (the socket's peer is redirected).
 */
let router: FakeRouter | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

/** Sockets to the router's port 5351 go to the fake's port instead; its answers look as if from 5351. */
const toFake = (port: number): OpenUdp => async (o) => {
  if (!o.connect) return openUdpSocket(o);
  const wanted = o.connect;
  const socket = await openUdpSocket({ connect: { address: wanted.address, port } });
  return { ...socket, local: socket.local, onMessage: (h) => socket.onMessage((bytes, from) => h(bytes, { address: from.address, port: wanted.port })) };
};

async function detectOnce(env: Record<string, string>, external: string, pcp: "on" | "off" = "on") {
  router = await startFakeRouter({ external, pcp, natpmp: "off" });
  const { config } = loadConfig({
    providers: ALL_PROVIDERS,
    readFile: () => "",
    env: { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "cf-secret-token-123", DDNS_RECORDS: "example.com", DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_TYPE: "router", DDNS_IP_SOURCE_ROUTER_ADDRESS: "127.0.0.1", DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "pcp", DDNS_IP_SOURCE_URLS_V4: "http://ip4.test/", ...env },
  });
  const log = createMemoryLogger("info");
  const platform = testPlatform({ openUdp: toFake(router.port), fetch: ipEchoFetch("198.51.100.77", "2001:db8::77") });
  const { source, fallback } = await createIpSources(config, log, platform);
  const now = () => Date.now();
  const detector = createDetector({
    source,
    ...(fallback ? { fallback } : {}),
    log,
    now,
    metrics: createDaemonMetrics({ version: "t", runtime: "bun", startTimeSeconds: 1, rss: () => 1 }),
    status: createStatusBoard({ version: "t", runtime: "bun", now, families: [4], records: [], staleAfterMs: 1000 }),
  });
  const [d] = await detector.detectAll([4], new AbortController().signal);
  return { d, lines: log.lines };
}

describe("the router source and DDNS_IP_SOURCE_HTTP_FALLBACK", () => {
  it.each([
    { name: "a router behind CGNAT", external: "100.64.7.7", pcp: "on" as const },
    { name: "a router that does not answer", external: "203.0.113.7", pcp: "off" as const },
  ])("asks the http source for $name when the fallback is on", async ({ external, pcp }) => {
    const { d } = await detectOnce({ DDNS_IP_SOURCE_HTTP_FALLBACK: "true" }, external, pcp);
    expect(d).toMatchObject({ ok: true, address: "198.51.100.77", source: "http://ip4.test/" });
  }, 10_000);

  it("publishes the router's address when it is public, without asking http", async () => {
    const { d } = await detectOnce({ DDNS_IP_SOURCE_HTTP_FALLBACK: "true" }, "203.0.113.7");
    expect(d).toMatchObject({ ok: true, address: "203.0.113.7", source: "router 127.0.0.1 (PCP)" });
  });

  it("without the fallback, publishes nothing for IPv4 and says in one line what to set", async () => {
    const { d, lines } = await detectOnce({}, "100.64.7.7");
    expect(d).toMatchObject({ ok: false });
    expect(lines.filter((l) => l.startsWith("WARN"))).toEqual([
      "WARN Could not detect the IPv4 address: the router 127.0.0.1 (DDNS_IP_SOURCE_ROUTER_ADDRESS) reports 100.64.7.7 over PCP, a CGNAT (100.64.0.0/10) address: double NAT — the router is itself behind another NAT (often the carrier's), so this is not the public address; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead; its records are left alone until it is detected again",
    ]);
  });
});
