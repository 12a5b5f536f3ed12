import { readFileSync } from "node:fs";
import { checkPublishable } from "../../src/core/address-rules.ts";
import type { LoggedRequest } from "../fakes/cloudflare/fake-control.ts";
import { createRng, type FaultRule } from "../fakes/cloudflare/fake-faults.ts";
import { spawnDaemon } from "../blackbox/harness.ts";
import { until } from "../blackbox/world.ts";

/**
 * The fault-injection soak: dist/ddnsd against the fake Cloudflare API failing about 30 % of all requests at random
 * with every fault kind, while the addresses change every step and sometimes turn to garbage (private, loopback,
 * link-local, mapped, deprecated, malformed). Two worlds (soak-worlds.ts): the netlink source in a network namespace
 * (fast: an event per change) and the http source against the IP echo (one change per 1 s poll). Shared by
 * tests/reliability/soak.test.ts (bounded) and bench/soak.ts (1000+ changes).
 */

export const SOAK_RECORDS = ["home.example.com", "www.example.com"];
const P = 0.043; // eight kinds at 4.3 % and a rare hang: about 30 % of requests fail
export const SOAK_FAULTS: FaultRule[] = [
  { kind: "status", status: 503, probability: P },
  { kind: "status", status: 500, probability: P, afterApply: true },
  { kind: "rate-limit", retryAfter: 1, probability: P },
  { kind: "html", probability: P },
  { kind: "success-false", probability: P },
  { kind: "invalid-json", probability: P },
  { kind: "reset", probability: P },
  { kind: "reset", probability: P, afterApply: true },
  { kind: "hang", delayMs: 10_300, probability: 0.004 }, // past the client's 10 s timeout, then the write lands
];
/** What a broken "what is my IP" endpoint may answer. */
export const HTTP_GARBAGE = [
  "10.0.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.1.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "203.0.113.300",
  "::1", "fe80::1", "fd00::1", "::ffff:203.0.113.1", "ff02::1", "2001:db8::1%eth0", "<html>blocked</html>", "203.0.113.1 203.0.113.2", "",
];

export interface SoakFigures {
  changes: number;
  garbageSteps: number;
  requests: number;
  faultsInjected: number;
  writes: number;
  garbageWrites: string[];
  duplicates: number;
  finalMatches: boolean;
  daemonExited: number | null;
  rssWarmupKb: number;
  rssMaxKb: number;
  rssGrowthPct: number;
  /** RSS after each step, kB. */
  rssTrace: number[];
  /** The daemon's peak RSS from exec on (VmHWM, read before SIGTERM), start-up included. */
  peakKb: number;
  /** The daemon said it fell back from netlink to the polling interface source. */
  fellBack: boolean;
  /** The daemon's last lines, when the records did not converge. */
  tail: string[];
  seconds: number;
}

export const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
/** The process's peak RSS since exec (VmHWM), kB; NaN once it is gone. */
export const hwmKb = (pid: number): number => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
};

/** Every address a logged write carried, with the record type it was for. */
export function writtenContents(body: unknown): Array<{ type: string; content: string }> {
  const b = (body ?? {}) as Record<string, unknown>;
  const one = (r: unknown) => {
    const x = r as { type?: unknown; content?: unknown };
    // A batch patch carries only id and content: its family is the content's.
    return typeof x?.content === "string" ? [{ type: typeof x.type === "string" ? x.type : x.content.includes(":") ? "AAAA" : "A", content: x.content }] : [];
  };
  return [...one(b), ...["posts", "patches", "puts"].flatMap((k) => (Array.isArray(b[k]) ? (b[k] as unknown[]).flatMap(one) : []))];
}

/** Where the soak runs: the fakes, how addresses change, and how the daemon is reached (see soak-worlds.ts). */
export interface SoakWorld {
  label: string;
  /** Time between two steps; at least one detection must fit in it. */
  stepMs: number;
  env: Record<string, string | undefined>;
  /** argv before the binary (e.g. `ip netns exec NS`). */
  prefix: string[];
  /** Non-public or broken answers a step may put in place of one family's address. */
  garbage: string[];
  setAddresses(a: { v4: string; v6: string }): Promise<void>;
  setGarbage(family: 4 | 6, bad: string): Promise<void>;
  contents(name: string, type: "A" | "AAAA"): Promise<string[]>;
  requests(): Promise<LoggedRequest[]>;
  faults(rules: FaultRule[] | "clear", seed?: number): Promise<void>;
  /** Brings the daemon's own machinery to its steady state before RSS is measured (optional). */
  warmUp?(): Promise<void>;
  /** GET on the daemon's HTTP listener, through the harness's secret check. */
  fetchDaemon(path: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/** Runs until `changes` good address changes were made (garbage steps come on top), then checks everything. */
export async function runSoak(w: SoakWorld, o: { changes: number; seed: number; warmupFraction?: number; progress?: (line: string) => void; binary?: string }): Promise<SoakFigures> {
  const rng = createRng(o.seed);
  const started = performance.now();
  const good = new Set<string>();
  const v4 = () => `${rng() < 0.5 ? "203.0.113" : "198.51.100"}.${1 + Math.floor(rng() * 254)}`;
  const v6 = () => `2001:db8:${Math.floor(rng() * 0xffff).toString(16)}::${Math.floor(rng() * 0xffff).toString(16)}`;
  let last = { v4: v4(), v6: v6() };
  good.add(last.v4).add(last.v6);
  await w.setAddresses(last);
  const d = spawnDaemon([], w.env, [], { prefix: w.prefix, ...(o.binary ? { command: [o.binary] } : {}) });
  const f: SoakFigures = { changes: 0, garbageSteps: 0, requests: 0, faultsInjected: 0, writes: 0, garbageWrites: [], duplicates: 0, finalMatches: false, daemonExited: null, rssWarmupKb: 0, rssMaxKb: 0, rssGrowthPct: 0, rssTrace: [], peakKb: 0, fellBack: false, tail: [], seconds: 0 };
  const holds = async (name: string) => (await w.contents(name, "A")).join() === last.v4 && (await w.contents(name, "AAAA")).join() === last.v6;
  const converged = async () => (await Promise.all(SOAK_RECORDS.map(holds))).every(Boolean);
  try {
    await d.waitForLine("INFO Ready to monitor IP changes");
    await until(converged, (ok) => ok, 15_000, "first update");
    await w.warmUp?.();
    await w.faults(SOAK_FAULTS, o.seed);
    const warmupSteps = Math.max(5, Math.round(o.changes * (o.warmupFraction ?? 0.2)));
    for (let step = 0; f.changes < o.changes; step++) {
      if (step > 0 && f.changes < o.changes - 1 && rng() < 0.1) {
        // A broken source for one step: this family's answer is garbage, the other stays.
        await w.setGarbage(rng() < 0.5 ? 4 : 6, w.garbage[Math.floor(rng() * w.garbage.length)]!);
        f.garbageSteps++;
      } else {
        last = { v4: v4(), v6: v6() };
        good.add(last.v4).add(last.v6);
        await w.setAddresses(last);
        f.changes++;
      }
      await Bun.sleep(w.stepMs);
      if (d.proc.exitCode !== null) throw new Error(`the daemon exited (${d.proc.exitCode}) at step ${step}: ${d.lines.slice(-5).join(" | ")}`);
      const rss = rssKb(d.proc.pid);
      f.rssTrace.push(rss);
      if (step < warmupSteps) f.rssWarmupKb = Math.max(f.rssWarmupKb, rss);
      else f.rssMaxKb = Math.max(f.rssMaxKb, rss);
      if (step % 100 === 99) o.progress?.(`soak (${w.label}): ${f.changes}/${o.changes} changes, RSS ${rss} kB`);
    }
    await w.setAddresses(last);
    await w.faults("clear"); // then the daemon must converge on the last address within a backoff or two
    await until(converged, (ok) => ok, 45_000, "convergence on the last address").catch(() => false);
    f.finalMatches = await converged();
    if (!f.finalMatches) f.tail = d.lines.slice(-12);
    const counts = await Promise.all(SOAK_RECORDS.flatMap((n) => [w.contents(n, "A"), w.contents(n, "AAAA")]));
    f.duplicates = counts.filter((c) => c.length > 1).length;
    await w.fetchDaemon("/metrics");
    await w.fetchDaemon("/status");
    const log = await w.requests();
    f.requests = log.length;
    f.faultsInjected = log.filter((r) => r.fault).length;
    const writes = log.filter((r) => r.method !== "GET");
    f.writes = writes.length;
    for (const r of writes) {
      for (const { type, content } of writtenContents(r.body)) {
        const publishable = checkPublishable(content, type === "AAAA" ? 6 : 4, { allowPrivate: false }).ok;
        if (!publishable || !good.has(content)) f.garbageWrites.push(`${r.method} ${r.path}: ${type} ${JSON.stringify(content)}`);
      }
    }
    f.daemonExited = d.proc.exitCode;
    f.fellBack = d.lines.some((l) => l.includes("falling back to the interface source"));
    f.rssGrowthPct = f.rssWarmupKb ? Math.round((1000 * (f.rssMaxKb - f.rssWarmupKb)) / f.rssWarmupKb) / 10 : NaN;
    f.peakKb = hwmKb(d.proc.pid);
    d.kill("SIGTERM");
    const code = await d.exited(15_000);
    if (code !== 0) throw new Error(`the daemon exited ${code} on SIGTERM`);
    f.seconds = Math.round((performance.now() - started) / 100) / 10;
    return f;
  } finally {
    if (d.proc.exitCode === null) d.kill("SIGKILL");
    await w.stop();
  }
}
