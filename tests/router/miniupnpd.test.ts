import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { routerLabUnavailable, startRouterLab, type RouterLab, type RouterLabOptions } from "../netns/router.ts";
import { startRogueIgd } from "../netns/rogue.ts";
import type { Detection } from "../../src/ip/types.ts";

/**
 * ddnsd's router clients against the real miniupnpd (Debian's, in a router namespace: tests/netns/router.ts), run in
 * the client namespace through tests/router/router-probe.ts with the real ports (5351, 1900) and the router found
 * as the namespace's default gateway. Each of IGD, NAT-PMP and PCP reads the WAN address and follows a change.
 */
setDefaultTimeout(90_000);
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

interface ProbeLine {
  detection: Detection;
  ignored: number;
  log: string[];
}

async function probe(l: RouterLab, protocols: string, rounds = 1): Promise<ProbeLine[]> {
  const r = await l.runWithTimeout(30_000, "bun", join(import.meta.dir, "router-probe.ts"), protocols, String(rounds));
  const lines = r.stdout.trim().split("\n").filter(Boolean);
  if (r.code !== 0 || lines.length !== rounds) throw new Error(`router-probe failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}\nminiupnpd:\n${l.logs()}`);
  return lines.map((line) => JSON.parse(line) as ProbeLine);
}

const NAME = { pcp: "PCP", natpmp: "NAT-PMP", igd: "UPnP IGD" } as const;

describe.skipIf(unavailable !== undefined)("the router source against miniupnpd", () => {
  it.each([
    { protocol: "igd" as const, options: { igd: true, natpmp: false, pcp: false } },
    { protocol: "natpmp" as const, options: { igd: false, natpmp: true, pcp: false } },
    { protocol: "pcp" as const, options: { igd: false, natpmp: false, pcp: true } },
  ])("reads the WAN address over $protocol and follows a change", async ({ protocol, options }) => {
    const l = await lab({ wanAddress: "203.0.113.7", ...options });
    const [first] = await probe(l, protocol);
    expect(first!.detection, l.logs()).toEqual({ ok: true, family: 4, address: "203.0.113.7", source: `router ${l.routerAddress} (${NAME[protocol]})` });
    expect(first!.log).toContain(`INFO Router ${l.routerAddress} (the default gateway on eth0) answers over ${NAME[protocol]}`);
    await l.setWanAddress("198.51.100.20");
    const [second] = await probe(l, protocol);
    expect(second!.detection, l.logs()).toMatchObject({ ok: true, address: "198.51.100.20" });
  });

  it("with every protocol on, answers over PCP and leaves no mapping behind", async () => {
    const l = await lab({ wanAddress: "203.0.113.8" });
    const [line] = await probe(l, "pcp,natpmp,igd");
    expect(line!.detection).toMatchObject({ ok: true, address: "203.0.113.8", source: `router ${l.routerAddress} (PCP)` });
    expect(line!.log.filter((x) => x.includes("did not confirm deleting"))).toEqual([]);
    // miniupnpd writes a mapping as a dnat rule in its chain; the MAP with lifetime 0 removed it again.
    const ruleset = Bun.spawnSync(l.routerNs.exec("nft", "list", "ruleset")).stdout.toString();
    expect(ruleset).toContain("prerouting_miniupnpd");
    expect(ruleset).not.toContain("dnat");
  });

  it("moves on when the router speaks only some protocols: NAT-PMP answers PCP with UNSUPP_VERSION or nothing", async () => {
    const l = await lab({ wanAddress: "203.0.113.9", igd: false, natpmp: true, pcp: false });
    const [line] = await probe(l, "pcp,natpmp,igd");
    expect(line!.detection).toMatchObject({ ok: true, address: "203.0.113.9", source: `router ${l.routerAddress} (NAT-PMP)` });
  });

  it("calls a CGNAT WAN address double NAT and publishes nothing", async () => {
    const l = await lab({ wanAddress: "100.64.12.34", igd: false });
    const [line] = await probe(l, "natpmp");
    expect(line!.detection).toEqual({
      ok: false,
      family: 4,
      wantsFallback: true,
      error: `the router ${l.routerAddress} (the default gateway on eth0) reports 100.64.12.34 over NAT-PMP, a CGNAT (100.64.0.0/10) address: double NAT — the router is itself behind another NAT (often the carrier's), so this is not the public address; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead`,
    });
  });

  it("ignores a rogue SSDP responder on another LAN host and reads the router's own answer", async () => {
    const l = await lab({ wanAddress: "203.0.113.11", natpmp: false, pcp: false });
    const rogue = await startRogueIgd(l, "198.51.100.66");
    // The router's first answers are lost, so the rogue's arrive first whatever the load: the count of ignored
    // answers is then certain, not a race between two hosts.
    l.dropFirstSsdpAnswers(3000);
    try {
      const [line] = await probe(l, "igd");
      expect(line!.detection).toMatchObject({ ok: true, address: "203.0.113.11" });
      expect(rogue.events().filter((e) => e.event === "m-search").length, JSON.stringify(rogue.events())).toBeGreaterThan(0);
      expect(rogue.events().filter((e) => e.method !== undefined)).toEqual([]); // its description was never fetched
      expect(line!.ignored).toBeGreaterThan(0);
    } finally {
      await rogue.stop();
    }
  });
});
