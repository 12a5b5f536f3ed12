import { afterAll, afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { routerLabUnavailable, type RouterLabOptions } from "../netns/router.ts";
import { startRogueIgd } from "../netns/rogue.ts";
import { assertNoSecretLeaked, requireBinary } from "./harness.ts";
import { startRouterWorld, type RouterWorld } from "./router-world.ts";

/**
 * dist/ddnsd with DDNS_IP_SOURCE_TYPE=router behind a real router daemon (miniupnpd in a network namespace, see
 * tests/netns/router.ts): the A record gets the WAN address over each of PCP, NAT-PMP and UPnP IGD, follows a WAN
 * change, falls through the default order, says a protocol switch once, believes only the router, and combines with
 * another source for IPv6. The failures (double NAT, router down, no gateway, configuration) are in
 * router-source-failures.test.ts.
 */
setDefaultTimeout(90_000);
const unavailable = routerLabUnavailable();
let current: RouterWorld | undefined;
afterEach(async () => {
  await current?.stop();
  current = undefined;
});
afterAll(() => assertNoSecretLeaked());

async function world(options: RouterLabOptions): Promise<RouterWorld> {
  requireBinary();
  current = await startRouterWorld(options);
  return current;
}

const ROUTER = "192.168.77.1";
const answers = (name: string) => `INFO Router ${ROUTER} (the default gateway on eth0) answers over ${name}`;
/** What miniupnpd logs for each kind of request (its -d output). */
const REQUEST = { pcp: "PCP request received", natpmp: "NAT-PMP request received", igd: "#GetExternalIPAddress" };

describe.skipIf(unavailable !== undefined)("dist/ddnsd with the router source against miniupnpd", () => {
  it.each([
    { name: "PCP", protocols: "pcp" as const },
    { name: "NAT-PMP", protocols: "natpmp" as const },
    { name: "UPnP IGD", protocols: "igd" as const },
  ])("DDNS_IP_SOURCE_ROUTER_PROTOCOLS=$protocols: publishes the WAN address read over $name alone, and follows a WAN change", async ({ name, protocols }) => {
    const w = await world({ wanAddress: "203.0.113.21" });
    const d = await w.start({ DDNS_IP_SOURCE_ROUTER_PROTOCOLS: protocols });
    await d.waitForLine(answers(name), 20_000);
    await w.until(() => w.a(), (a) => a[0] === "203.0.113.21", 20_000, "A record created");
    expect(d.lines).toContain(`INFO Detected IPv4 address: 203.0.113.21 source="router ${ROUTER} (${name})"`);

    await w.lab.setWanAddress("198.51.100.21");
    await w.until(() => w.a(), (a) => a[0] === "198.51.100.21", 20_000, "A record updated");
    expect(d.lines).toContain(`INFO IPv4 address changed: 203.0.113.21 → 198.51.100.21 source="router ${ROUTER} (${name})"`);
    expect(w.a()).toEqual(["198.51.100.21"]);
    // The router saw only the protocol asked for.
    const asked = Object.fromEntries(Object.entries(REQUEST).map(([p, marker]) => [p, w.lab.logs().includes(marker)]));
    expect(asked).toEqual({ pcp: protocols === "pcp", natpmp: protocols === "natpmp", igd: protocols === "igd" });
    expect(d.lines.filter((l) => l.startsWith("WARN") || l.startsWith("ERROR"))).toEqual([]);
  });

  it("PCP leaves no port mapping behind on the router: the MAP that reads the address is deleted again", async () => {
    const w = await world({ wanAddress: "203.0.113.29" });
    for (let i = 0; i < 3; i++) {
      const d = w.spawn(["once"], { DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "pcp", DDNS_HTTP_ADDR: "off" });
      expect(await d.exited(30_000), d.lines.join("\n")).toBe(0);
    }
    const log = w.lab.logs();
    const added = log.match(/PCP MAP: added mapping/g)?.length ?? 0;
    expect({ added, removed: log.match(/PCP: UDP port \d+ mapping removed/g)?.length ?? 0 }).toEqual({ added: 3, removed: 3 });
    const ruleset = Bun.spawnSync(["ip", "netns", "exec", w.lab.routerNs.name, "nft", "list", "ruleset"]).stdout.toString();
    expect(ruleset).not.toContain("dnat");
    expect(w.a()).toEqual(["203.0.113.29"]);
  });

  it("the default order against a router that speaks only UPnP IGD: falls through PCP and NAT-PMP and publishes", async () => {
    const w = await world({ wanAddress: "203.0.113.22", natpmp: false, pcp: false });
    const d = await w.start();
    await w.until(() => w.a(), (a) => a[0] === "203.0.113.22", 30_000, "A record created");
    expect(d.lines).toContain(answers("UPnP IGD"));
    expect(d.lines).toContain(`INFO Detected IPv4 address: 203.0.113.22 source="router ${ROUTER} (UPnP IGD)"`);
    expect(d.lines.filter((l) => l.startsWith("WARN") || l.startsWith("ERROR"))).toEqual([]);
    expect(w.lab.logs()).toContain(REQUEST.igd);
  });

  it("remembers the protocol that answered; when it stops, the switch to the next one is one warning", async () => {
    const w = await world({ wanAddress: "203.0.113.23" });
    const d = await w.start();
    await w.until(() => w.a(), (a) => a[0] === "203.0.113.23", 20_000, "A record created");
    expect(d.lines).toContain(answers("PCP"));

    await w.lab.setProtocols({ pcp: false });
    await w.lab.setWanAddress("198.51.100.23");
    await w.until(() => w.a(), (a) => a[0] === "198.51.100.23", 30_000, "A record updated over NAT-PMP");
    await Bun.sleep(3000); // three more polls: the warning is not repeated
    const warnings = d.lines.filter((l) => l.startsWith("WARN"));
    expect(warnings).toEqual([`WARN Router ${ROUTER} no longer answers over PCP (no PCP answer from ${ROUTER}:5351 (refused: nothing listens there (ICMP port unreachable))); using NAT-PMP instead`]);
    expect(d.lines).toContain(`INFO IPv4 address changed: 203.0.113.23 → 198.51.100.23 source="router ${ROUTER} (NAT-PMP)"`);
    expect(d.proc.exitCode).toBeNull();
  });

  it("a router that reboots onto another HTTP port (the remembered control URL is gone) is found again over SSDP", async () => {
    const w = await world({ wanAddress: "203.0.113.27", natpmp: false, pcp: false });
    const d = await w.start({ DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "igd" });
    await w.until(() => w.a(), (a) => a[0] === "203.0.113.27", 20_000, "A record created");
    await w.lab.setHttpPort(5001);
    await w.lab.setWanAddress("203.0.113.28");
    await w.until(() => w.a(), (a) => a[0] === "203.0.113.28", 20_000, "A record updated after the reboot");
    expect(d.lines).toContain(`INFO IPv4 address changed: 203.0.113.27 → 203.0.113.28 source="router ${ROUTER} (UPnP IGD)"`);
    expect(d.lines.filter((l) => l.startsWith("WARN") || l.startsWith("ERROR"))).toEqual([]);
  });

  it("an SSDP answer from another LAN host is ignored: its LOCATION is never fetched and its address never reaches DNS", async () => {
    const w = await world({ wanAddress: "203.0.113.24", natpmp: false, pcp: false });
    const rogue = await startRogueIgd(w.lab, "198.51.100.66");
    w.lab.dropFirstSsdpAnswers(3000); // the router's first answers are lost: the rogue's arrive first, deterministically
    try {
      const d = await w.start({ DDNS_IP_SOURCE_ROUTER_PROTOCOLS: "igd", DDNS_LOG_LEVEL: "debug" });
      await w.until(() => w.a(), (a) => a[0] === "203.0.113.24", 20_000, "A record created");
      await w.lab.setWanAddress("203.0.113.25");
      await w.until(() => w.a(), (a) => a[0] === "203.0.113.25", 20_000, "A record updated");
      const events = rogue.events();
      // The rogue did hear the daemon's M-SEARCH and answered it (else this test would prove nothing) …
      expect(events.filter((e) => e.event === "m-search").map((e) => e.from?.split(":")[0])).toContain(w.lab.clientAddress);
      // … but the daemon never followed its LOCATION, and its address was never written.
      expect(events.filter((e) => e.event === "http")).toEqual([]);
      expect(w.writes().filter((b) => b.includes("198.51.100.66"))).toEqual([]);
      expect(d.lines.filter((l) => l.includes("198.51.100.66"))).toEqual([]);
      expect(d.lines.filter((l) => l.startsWith("DEBUG Router source: ignored"))).toEqual([
        `DEBUG Router source: ignored an SSDP answer from ${rogue.address}, not the router; only the router's own answers are believed (later ones are counted, not logged)`,
      ]);
    } finally {
      await rogue.stop();
    }
  });

  it.each([
    { name: "static", v6: { DDNS_IP_SOURCE_TYPE_V6: "static", DDNS_IP_STATIC_V6: "2001:db8:77::10" }, aaaa: "2001:db8:77::10" },
    { name: "netlink", v6: { DDNS_IP_SOURCE_TYPE_V6: "netlink", DDNS_IP_SOURCE_INTERFACE: "eth0" }, aaaa: "2001:db8:77::2" },
  ])("per family: the A record from the router, the AAAA record from $name", async ({ v6, aaaa }) => {
    const w = await world({ wanAddress: "203.0.113.26" });
    w.lab.clientNs.ip("-6", "addr", "add", "2001:db8:77::2/64", "dev", "eth0", "nodad");
    const d = await w.start({ DDNS_IP_VERSIONS: undefined, DDNS_IP_SOURCE_TYPE: undefined, DDNS_IP_SOURCE_TYPE_V4: "router", ...v6 });
    await w.until(() => ({ a: w.a(), aaaa: w.aaaa() }), (r) => r.a.length > 0 && r.aaaa.length > 0, 20_000, "both records created");
    expect({ a: w.a(), aaaa: w.aaaa() }, d.lines.join("\n")).toEqual({ a: ["203.0.113.26"], aaaa: [aaaa] });
    expect(d.lines).toContain(`INFO Detected IPv4 address: 203.0.113.26 source="router ${ROUTER} (PCP)"`);
  });
});
