import { afterAll, afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { routerLabUnavailable, type RouterLabOptions } from "../netns/router.ts";
import { assertNoSecretLeaked, requireBinary, runBinary } from "./harness.ts";
import { sample, startRouterWorld, type RouterWorld } from "./router-world.ts";

/**
 * dist/ddnsd with DDNS_IP_SOURCE_TYPE=router when the router cannot give a public address: double NAT (a CGNAT WAN
 * address) with and without DDNS_IP_SOURCE_HTTP_FALLBACK, a router that goes down and comes back, a host without a
 * default route, and the configuration errors of the router variables.
 */
setDefaultTimeout(90_000);
const unavailable = routerLabUnavailable();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => assertNoSecretLeaked());

async function world(options: RouterLabOptions): Promise<RouterWorld> {
  requireBinary();
  const w = await startRouterWorld(options);
  cleanups.push(() => w.stop());
  return w;
}

const ROUTER = "192.168.77.1";
const FAILING = 'ddns_ip_detection_failing{family="ipv4"}';
const doubleNat = (over: string) =>
  `the router ${ROUTER} (the default gateway on eth0) reports 100.64.12.34 over ${over}, a CGNAT (100.64.0.0/10) address: double NAT — the router is itself behind another NAT (often the carrier's), so this is not the public address`;
const DOUBLE_NAT = doubleNat("PCP");
const LEFT_ALONE = "its records are left alone until it is detected again";

describe.skipIf(unavailable !== undefined)("dist/ddnsd with the router source when the router cannot give a public address", () => {
  it.each([
    { name: "a router that reports its CGNAT address (ext_allow_private_ipv4)", allowPrivate: true, over: "PCP" },
    // miniupnpd without it answers PCP with NO_RESOURCES and NAT-PMP with "network failure"; 2.3.9's IGD still
    // reports the address (see docs/dev/router-lab.md): the default order falls through to it.
    { name: "a router that refuses it over PCP and NAT-PMP", allowPrivate: false, over: "UPnP IGD" },
  ])("double NAT without DDNS_IP_SOURCE_HTTP_FALLBACK, $name: one line naming the variable, nothing published, the loop lives", async ({ allowPrivate, over }) => {
    const w = await world({ wanAddress: "100.64.12.34", allowPrivate });
    const d = await w.start();
    await d.waitForLine("WARN Could not detect the IPv4 address", 20_000);
    await Bun.sleep(4000); // four more polls say nothing new
    expect(d.lines.filter((l) => l.startsWith("WARN") || l.startsWith("ERROR"))).toEqual([
      `WARN Could not detect the IPv4 address: ${doubleNat(over)}; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead; ${LEFT_ALONE}`,
    ]);
    expect({ a: w.a(), writes: w.writes() }).toEqual({ a: [], writes: [] });
    expect(sample(await w.get("/metrics"), FAILING)).toBe(1);
    expect(d.proc.exitCode).toBeNull();
  });

  it("double NAT with DDNS_IP_SOURCE_HTTP_FALLBACK=true: says so once and publishes the http echo's address", async () => {
    const w = await world({ wanAddress: "100.64.12.34" });
    const d = await w.start({ DDNS_IP_SOURCE_HTTP_FALLBACK: "true" });
    await w.until(() => w.a(), (a) => a.length > 0, 20_000, "A record created");
    await Bun.sleep(3000);
    expect(w.a()).toEqual(["198.51.100.7"]);
    expect(d.lines.filter((l) => l.includes("double NAT"))).toEqual([`INFO T${DOUBLE_NAT.slice(1)}; asking the http source (DDNS_IP_SOURCE_HTTP_FALLBACK=true)`]);
    expect(d.lines).toContain(`INFO Detected IPv4 address: 198.51.100.7 source=${w.origin}/v4`);
    expect(d.lines.filter((l) => l.startsWith("WARN") || l.startsWith("ERROR"))).toEqual([]);
    expect(w.writes().filter((b) => b.includes("100.64.12.34"))).toEqual([]);
  });

  it("router down: detection fails and is visible in /metrics, the loop lives, and it recovers when the router is back", async () => {
    const w = await world({ wanAddress: "203.0.113.31" });
    const d = await w.start();
    await w.until(() => w.a(), (a) => a[0] === "203.0.113.31", 20_000, "A record created");
    expect(sample(await w.get("/metrics"), FAILING)).toBe(0);

    await w.lab.stopMiniupnpd();
    await w.until(async () => sample(await w.get("/metrics"), FAILING), (v) => v === 1, 30_000, "detection failing");
    const down = d.lines.filter((l) => l.startsWith("WARN Could not detect"));
    expect(down).toEqual([
      `WARN Could not detect the IPv4 address: the router ${ROUTER} (the default gateway on eth0) gave no address over PCP, NAT-PMP, UPnP IGD (PCP: no PCP answer from ${ROUTER}:5351 (refused: nothing listens there (ICMP port unreachable)); NAT-PMP: no NAT-PMP answer from ${ROUTER}:5351 (refused: nothing listens there (ICMP port unreachable)); UPnP IGD: no UPnP gateway answered SSDP M-SEARCH from ${ROUTER} (no answer within 2s; is UPnP enabled on the router?)); set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead; ${LEFT_ALONE}`,
    ]);
    expect(w.a()).toEqual(["203.0.113.31"]);
    expect(d.proc.exitCode).toBeNull();

    await w.lab.setWanAddress("198.51.100.31"); // comes back with a new address
    await w.until(() => w.a(), (a) => a[0] === "198.51.100.31", 30_000, "A record updated after the router came back");
    await w.until(async () => sample(await w.get("/metrics"), FAILING), (v) => v === 0, 10_000, "detection recovered");
    expect(d.lines).toContain("INFO IPv4 address detection works again");
  });

  it.each([
    { name: "PCP", protocols: "pcp", reason: "PCP: the router has no working WAN connection (network failure)" },
    { name: "NAT-PMP", protocols: "natpmp", reason: "NAT-PMP: the router has no working WAN connection (network failure: no DHCP lease yet, or the uplink is down)" },
    { name: "UPnP IGD", protocols: "igd", reason: "UPnP IGD: the router has no external address yet (NewExternalIPAddress is empty: the WAN connection is down?)" },
  ])("a router without a WAN address yet, asked over $name: once says why in one line, publishes nothing, exits 2", async ({ name, protocols, reason }) => {
    const w = await world({ wanAddress: "203.0.113.34", allowPrivate: false });
    await w.lab.stopMiniupnpd();
    w.lab.routerNs.ip("addr", "flush", "dev", "va"); // no lease on the WAN side
    await w.lab.startMiniupnpd();
    const d = w.spawn(["once"], { DDNS_IP_SOURCE_ROUTER_PROTOCOLS: protocols, DDNS_HTTP_ADDR: "off" });
    expect(await d.exited(30_000)).toBe(2);
    expect(d.lines.filter((l) => l.startsWith("WARN Could not detect"))).toEqual([
      `WARN Could not detect the IPv4 address: the router ${ROUTER} (the default gateway on eth0) gave no address over ${name} (${reason}); set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead; ${LEFT_ALONE}`,
    ]);
    expect({ a: w.a(), writes: w.writes() }).toEqual({ a: [], writes: [] });
  });

  it("an unreachable router (silence, not refusals): SIGTERM in the middle of a detection exits 0 at once", async () => {
    const w = await world({ wanAddress: "203.0.113.33" });
    w.lab.routerNs.ip("link", "set", "br-lan", "down"); // no ICMP either: every protocol waits out its budget
    const d = await w.start();
    await Bun.sleep(1500); // inside the first detection (PCP's 1.6 s share of its 5 s deadline)
    const t0 = performance.now();
    d.kill("SIGTERM");
    expect(await d.exited(5000)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(d.lines).toContain("INFO Shutdown complete");
  });

  it.each([
    {
      name: "no default route and no DDNS_IP_SOURCE_ROUTER_ADDRESS: one line saying what to set",
      env: {},
      line: "WARN Could not detect the IPv4 address: no router to ask: this host has no IPv4 default route; set DDNS_IP_SOURCE_ROUTER_ADDRESS to the router's LAN address; its records are left alone until it is detected again",
    },
    { name: "no default route, DDNS_IP_SOURCE_ROUTER_ADDRESS set: asks that router", env: { DDNS_IP_SOURCE_ROUTER_ADDRESS: ROUTER }, line: `INFO Router ${ROUTER} (DDNS_IP_SOURCE_ROUTER_ADDRESS) answers over PCP` },
  ])("$name", async ({ env, line }) => {
    const w = await world({ wanAddress: "203.0.113.32" });
    w.lab.clientNs.ip("route", "del", "default");
    const d = await w.start(env);
    await d.waitForLine(line, 20_000);
    await Bun.sleep(3000);
    expect(d.lines.filter((l) => l === line)).toHaveLength(1);
    expect(w.a()).toEqual(env.DDNS_IP_SOURCE_ROUTER_ADDRESS ? ["203.0.113.32"] : []);
    expect(d.proc.exitCode).toBeNull();
  });
});

describe("dist/ddnsd refuses router configurations it cannot serve", () => {
  const base = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "router-config-token-1234", DDNS_RECORDS: "home.example.com", DDNS_IP_SOURCE_TYPE: "router" };
  it.each([
    {
      name: "router for IPv6",
      env: {},
      line: "Configuration error: DDNS_IP_SOURCE_TYPE_V6 is required when DDNS_IP_SOURCE_TYPE=router and IPv6 records are managed (DDNS_IP_VERSIONS or a record's ip_versions): the router source reads only IPv4 (IGD has no useful IPv6 answer); set DDNS_IP_SOURCE_TYPE_V6=netlink or http, or DDNS_IP_VERSIONS=4.",
    },
    {
      name: "an unknown protocol",
      env: { DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "pcp,upnp" },
      line: 'Configuration error: DDNS_IP_SOURCE_ROUTER_PROTOCOLS must be a comma-separated list of pcp, natpmp and igd, in the order to try (got "upnp").',
    },
  ])("check: $name is one configuration line, exit 1", async ({ env, line }) => {
    requireBinary();
    const r = await runBinary(["check"], { ...base, ...env });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: [line] });
  });
});
