import { procMemory } from "./lib.ts";
import { startOurs } from "./ours.ts";
import { DDCLIENT_INSTANCES, PEER_ZONES, startDdclient, startInadyn, type PeerProcess, type PeerWorld } from "./peers.ts";
import type { StampedRequest } from "./world.ts";

/**
 * Reaction to an address change, side by side, against one fake behind one TLS front:
 *   - ddnsd (http source, 1 s poll) and inadyn (`period = 1`) see the same changes: the echoed address changes at a
 *     random moment (0–1 s after the previous change was written by both), and each tool's write of the new
 *     address is timed from that moment;
 *   - ddclient (60 s floor) reacts once per tick, so DDCLIENT_INSTANCES instances are started evenly over its 60 s
 *     period and see one change at a random moment: samples spread over its period, in about 2 minutes, while other
 *     phases run.
 * Requests per change: the API requests of the tool's own zone from the change to its write.
 */

export interface ToolSamples {
  reactionMs: number[];
  requests: number[];
  rssMiB: number[];
}

const emptySamples = (): ToolSamples => ({ reactionMs: [], requests: [], rssMiB: [] });
const writes = (content: string) => (r: StampedRequest) => r.method !== "GET" && JSON.stringify(r.body ?? "").includes(`"${content}"`);

/** ddclient: starts its instances evenly over 60 s, changes the address once, waits for every instance's write. */
export async function ddclientReaction(pw: PeerWorld, log: (line: string) => void): Promise<ToolSamples> {
  const out = emptySamples();
  const instances: PeerProcess[] = [];
  const zone = PEER_ZONES.ddclient;
  try {
    const spacing = 60_000 / DDCLIENT_INSTANCES;
    for (let i = 0; i < DDCLIENT_INSTANCES; i++) {
      if (i > 0) await Bun.sleep(spacing);
      const since = performance.now();
      instances.push(startDdclient(pw, i));
      const first = await pw.world.waitFor((r) => writes("203.0.113.1")(r) && pw.world.requestsOf(zone).includes(r), since, 30_000);
      if (Number.isNaN(first)) throw new Error(`ddclient#${i} made no first update within 30 s`);
    }
    await Bun.sleep(1000 + Math.random() * spacing);
    const t0 = performance.now();
    pw.world.ip.set({ v4: "203.0.113.9" });
    log(`ddclient: address changed; its ${DDCLIENT_INSTANCES} instances react at their next tick (within 60 s)`);
    const ids = instances.map((_, i) => pw.world.cf.records({ name: `h${i}.${zone}` })[0]?.id ?? "?");
    await Promise.all(
      instances.map(async (instance, i) => {
        const at = await pw.world.waitFor((r) => writes("203.0.113.9")(r) && r.path.includes(ids[i]!), t0, 75_000);
        if (Number.isNaN(at)) return;
        out.reactionMs.push(at - t0);
        await Bun.sleep(300);
        out.requests.push(pw.world.requestsOf(zone, at - 1500).filter((r) => r.at <= at + 300).length);
        out.rssMiB.push(procMemory(instance.pid()).rssKiB / 1024);
      }),
    );
    return out;
  } finally {
    for (const instance of instances) await instance.stop();
  }
}

/** ddnsd and inadyn on the same `changes` address changes. */
export async function oursAndInadynReaction(pw: PeerWorld, changes: number): Promise<{ ours: ToolSamples; inadyn: ToolSamples }> {
  const ours = emptySamples();
  const inadyn = emptySamples();
  const since = performance.now();
  const current = pw.world.ip;
  current.set({ v4: "203.0.113.10" });
  const daemon = await startOurs(pw.world, {
    records: [`home.${PEER_ZONES.ours}`],
    apiUrl: `${pw.front.url}/client/v4`,
    env: { NODE_EXTRA_CA_CERTS: pw.certs.caFile },
  });
  const peer = startInadyn(pw);
  try {
    await daemon.ready(30_000);
    const inZone = (zone: string) => (r: StampedRequest) => pw.world.requestsOf(zone, r.at).includes(r);
    const first = await pw.world.waitFor((r) => writes("203.0.113.10")(r) && inZone(PEER_ZONES.inadyn)(r), since, 30_000);
    if (Number.isNaN(first)) throw new Error("inadyn made no first update within 30 s");
    await Bun.sleep(500);
    for (let i = 0; i < changes; i++) {
      await Bun.sleep(Math.random() * 1000);
      const content = `203.0.113.${11 + (i % 200)}`;
      const t0 = performance.now();
      current.set({ v4: content });
      const [a, b] = await Promise.all([
        pw.world.waitFor((r) => writes(content)(r) && inZone(PEER_ZONES.ours)(r), t0, 15_000),
        pw.world.waitFor((r) => writes(content)(r) && inZone(PEER_ZONES.inadyn)(r), t0, 15_000),
      ]);
      await Bun.sleep(100);
      for (const [samples, at, zone] of [[ours, a, PEER_ZONES.ours], [inadyn, b, PEER_ZONES.inadyn]] as const) {
        if (Number.isNaN(at)) continue;
        samples.reactionMs.push(at - t0);
        samples.requests.push(pw.world.requestsOf(zone, t0).filter((r) => r.at <= at + 50).length);
      }
    }
    ours.rssMiB.push(procMemory(daemon.proc.pid).rssKiB / 1024);
    inadyn.rssMiB.push(procMemory(peer.pid()).rssKiB / 1024);
    return { ours, inadyn };
  } finally {
    await daemon.stop();
    await peer.stop();
  }
}
