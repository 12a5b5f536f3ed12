import { startOurs } from "./ours.ts";
import { startWorld, type StampedRequest } from "./world.ts";

/**
 * Scale: dist/ddnsd managing N A records spread over 10 zones (N = 1: one record in one zone) against the fake.
 * After the first round, the echoed address changes once; measured:
 *   - requests for the change: every API request from the change until all N records hold the new address;
 *   - wall time: first API request of that round → the last record holds the new address (the provider's work;
 *     the wait for the next 1 s poll is not in it);
 *   - steady state: the daemon then runs `windowS` seconds at a 1 s poll with `DDNS_VERIFY_INTERVAL` of `verifyS`.
 *     Requests come in bursts; a burst that starts when a verify pass falls due (k × verifyS after the change was
 *     confirmed, at the next poll) is a verify pass, any other is a plain poll that read (there should be none).
 *     Requests per hour at the defaults (poll 5 min, verify 1 h) = reads per verify pass + 12 × reads per plain poll.
 */

export interface ScaleSample {
  records: number;
  changeRequests: number;
  batches: number;
  wallMs: number;
  /** Requests the change round sent per zone, at most. */
  maxPerZone: number;
  steadyRequests: number;
  steadyPolls: number;
  verifyPasses: number;
  /** Requests seen in polls that were not verify passes (should be 0). */
  plainPollRequests: number;
  perHourAtDefaults: number;
}

const ZONES = Array.from({ length: 10 }, (_, i) => `zone${i}.test`);
const namesFor = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.${ZONES[n === 1 ? 0 : i % ZONES.length]}`);

/** Splits requests into bursts (gaps over `gapMs`). */
function bursts(requests: StampedRequest[], gapMs = 300): StampedRequest[][] {
  const out: StampedRequest[][] = [];
  for (const r of [...requests].sort((a, b) => a.at - b.at)) {
    const last = out.at(-1);
    if (last && r.at - last.at(-1)!.at <= gapMs) last.push(r);
    else out.push([r]);
  }
  return out;
}

async function allHold(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) return NaN;
    await Bun.sleep(2);
  }
  return performance.now();
}

export async function scaleRun(records: number, o: { windowS?: number; verifyS?: number } = {}): Promise<ScaleSample> {
  const windowS = o.windowS ?? 5;
  const verifyS = o.verifyS ?? 2;
  const world = await startWorld({ zones: ZONES, v4: "203.0.113.1" });
  const names = namesFor(records);
  const ours = await startOurs(world, { records: names, pollInterval: "1s", verifyInterval: `${verifyS}s` });
  try {
    await ours.ready(120_000);
    const holds = (content: string) => () => {
      const all = world.cf.records({ type: "A" });
      return all.length >= records && all.every((r) => r.content === content);
    };
    if (Number.isNaN(await allHold(holds("203.0.113.1"), 30_000))) throw new Error("the first round did not create every record");
    const t0 = performance.now();
    world.ip.set({ v4: "203.0.113.2" });
    const done = await allHold(holds("203.0.113.2"), 60_000);
    if (Number.isNaN(done)) throw new Error(`the change did not reach all ${records} records within 60 s`);
    await Bun.sleep(50); // answers still in flight
    const change = world.requests().filter((r) => r.at >= t0 && r.at <= done + 50);
    const perZone = ZONES.map((z) => world.requestsOf(z, t0).filter((r) => r.at <= done + 50).length);
    const steadyFrom = performance.now();
    await Bun.sleep(windowS * 1000);
    const steady = world.requests().filter((r) => r.at >= steadyFrom);
    const groups = bursts(steady);
    // Verify passes fall due k × verifyS after the change round confirmed the records, at the next poll (≤ 1 s later).
    const isPass = (g: StampedRequest[]) => {
      const k = Math.round((g[0]!.at - done) / 1000 / verifyS);
      const offset = (g[0]!.at - done) / 1000 - k * verifyS;
      return k >= 1 && offset >= -0.2 && offset <= 1.3;
    };
    const passes = groups.filter(isPass);
    const plain = groups.filter((g) => !isPass(g)).reduce((n, g) => n + g.length, 0);
    const perPass = passes.length ? passes.reduce((n, g) => n + g.length, 0) / passes.length : 0;
    const perPoll = plain / Math.max(1, windowS);
    return {
      records,
      changeRequests: change.length,
      batches: change.filter((r) => r.path.endsWith("/batch")).length,
      wallMs: change.length ? done - change[0]!.at : NaN,
      maxPerZone: Math.max(...perZone),
      steadyRequests: steady.length,
      steadyPolls: windowS,
      verifyPasses: passes.length,
      plainPollRequests: plain,
      perHourAtDefaults: perPass + 12 * perPoll,
    };
  } finally {
    await ours.stop();
    await world.stop();
  }
}
