import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { startRogueIgd } from "./rogue.ts";
import { netnsUnavailable } from "./netns.ts";
import { INSTALL_HINT, routerLabUnavailable, startRouterLab, type RouterLab, type RouterLabOptions } from "./router.ts";

/**
 * The router lab itself, checked with independent clients: Debian's upnpc (miniupnpc) over UPnP IGD, natpmpc over
 * NAT-PMP, and tests/netns/pcp-probe.ts over PCP. If these pass, a failing router-source test is the daemon's fault.
 */

setDefaultTimeout(60_000);
const unavailable = routerLabUnavailable();
const labs: RouterLab[] = [];
afterAll(async () => {
  for (const lab of labs) await lab.stop();
});

async function lab(options: RouterLabOptions): Promise<RouterLab> {
  const l = await startRouterLab(options);
  labs.push(l);
  return l;
}

/** What each client sees as the WAN address; undefined when it gets none. */
async function seen(l: RouterLab) {
  const upnpc = await l.run("upnpc", "-i", "-s");
  const natpmpc = await l.runWithTimeout(3000, "natpmpc", "-g", l.routerAddress);
  const pcp = await l.run("bun", join(import.meta.dir, "pcp-probe.ts"), l.routerAddress, l.clientAddress);
  const p = JSON.parse(pcp.stdout.trim().split("\n").at(-1) ?? "{}") as { result?: number; externalAddress?: string; from?: string };
  return {
    igd: /^ExternalIPAddress = (\S+)$/m.exec(upnpc.stdout)?.[1],
    natpmp: /^Public IP address : (\S+)$/m.exec(natpmpc.stdout)?.[1],
    pcp: p.result === 0 && p.from === l.routerAddress ? p.externalAddress : undefined,
    raw: `upnpc:\n${upnpc.stdout}${upnpc.stderr}\nnatpmpc:\n${natpmpc.stdout}${natpmpc.stderr}\npcp: ${pcp.stdout}${pcp.stderr}\nminiupnpd:\n${l.logs()}`,
  };
}

describe("the router lab's availability", () => {
  it.each([
    { name: "miniupnpd not cached, outside .ci/run: skipped with the reason", env: { DDNSD_CI_CACHE: "/nonexistent" }, outcome: "skips" },
    { name: "miniupnpd not cached, under .ci/run: an error", env: { DDNSD_CI_CACHE: "/nonexistent", DDNSD_CI: "1" }, outcome: "fails" },
  ])("$name", ({ env, outcome }) => {
    if (netnsUnavailable() !== undefined) return; // the namespace reason comes first; covered by the netlink tests
    const check = () => routerLabUnavailable(env);
    if (outcome === "fails") expect(check).toThrow(`miniupnpd is not cached: ${INSTALL_HINT}; .ci/run needs the router lab`);
    else expect(check()).toBe(`miniupnpd is not cached: ${INSTALL_HINT}`);
  });
});

describe.skipIf(unavailable !== undefined)("the router lab (miniupnpd in a network namespace)", () => {
  it("reports the WAN address over IGD, NAT-PMP and PCP, and the new one after setWanAddress", async () => {
    const l = await lab({ wanAddress: "203.0.113.7" });
    const before = await seen(l);
    expect({ igd: before.igd, natpmp: before.natpmp, pcp: before.pcp }, before.raw).toEqual({ igd: "203.0.113.7", natpmp: "203.0.113.7", pcp: "203.0.113.7" });
    await l.setWanAddress("198.51.100.20");
    expect(l.wanAddress).toBe("198.51.100.20");
    const after = await seen(l);
    expect({ igd: after.igd, natpmp: after.natpmp, pcp: after.pcp }, after.raw).toEqual({ igd: "198.51.100.20", natpmp: "198.51.100.20", pcp: "198.51.100.20" });
  });

  it.each([
    { name: "IGD only", options: { igd: true, natpmp: false, pcp: false }, expected: { igd: "203.0.113.8", natpmp: undefined, pcp: undefined } },
    { name: "NAT-PMP only", options: { igd: false, natpmp: true, pcp: false }, expected: { igd: undefined, natpmp: "203.0.113.8", pcp: undefined } },
    { name: "PCP only", options: { igd: false, natpmp: false, pcp: true }, expected: { igd: undefined, natpmp: undefined, pcp: "203.0.113.8" } },
    { name: "double NAT: a CGNAT WAN address reported as it is", options: { wanAddress: "100.64.12.34" }, expected: { igd: "100.64.12.34", natpmp: "100.64.12.34", pcp: "100.64.12.34" } },
  ])("serves only what it is told to: $name", async ({ options, expected }) => {
    const l = await lab({ wanAddress: "203.0.113.8", ...options });
    const s = await seen(l);
    expect({ igd: s.igd, natpmp: s.natpmp, pcp: s.pcp }, s.raw).toEqual(expected);
  });

  it("answers nothing while miniupnpd is stopped, and again once it is started", async () => {
    const l = await lab({ wanAddress: "203.0.113.9", igd: false });
    await l.stopMiniupnpd();
    const down = await seen(l);
    expect({ natpmp: down.natpmp, pcp: down.pcp }, down.raw).toEqual({ natpmp: undefined, pcp: undefined });
    await l.startMiniupnpd();
    const up = await seen(l);
    expect({ natpmp: up.natpmp, pcp: up.pcp }, up.raw).toEqual({ natpmp: "203.0.113.9", pcp: "203.0.113.9" });
  });

  it("a rogue responder on another LAN host answers M-SEARCH with its own LOCATION, and a naive client sees it", async () => {
    const l = await lab({ wanAddress: "203.0.113.11", natpmp: false, pcp: false });
    const rogue = await startRogueIgd(l, "198.51.100.66");
    const upnpc = await l.run("upnpc", "-i", "-s");
    await rogue.stop();
    expect(upnpc.stdout, upnpc.stdout + l.logs()).toContain(`desc: http://${rogue.address}:`);
    expect(upnpc.stdout).toContain(`desc: http://${l.routerAddress}:${l.httpPort}/rootDesc.xml`);
    expect(rogue.events().filter((e) => e.event === "m-search").map((e) => e.from?.split(":")[0])).toContain(l.clientAddress);
  });

  it("removes its namespaces on stop", async () => {
    const l = await startRouterLab({ wanAddress: "203.0.113.10", igd: false });
    const names = [l.clientNs.name, l.routerNs.name];
    await l.stop();
    await l.stop();
    const list = Bun.spawnSync(["ip", "netns", "list"]).stdout.toString();
    for (const name of names) expect(list).not.toContain(name);
  });
});
