import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRng } from "../fakes/cloudflare/fake-faults.ts";
import { spawnDaemon, type Daemon } from "../blackbox/harness.ts";
import { startWorld, type TestWorld } from "../blackbox/world.ts";
import { hwmKb } from "./soak-run.ts";

/**
 * Crash safety: dist/ddnsd with a file state store is SIGKILLed at random moments, again and again, while the
 * address jumps between a few values (so it often returns to an earlier one). Kill moments are chosen four ways:
 * any time; while the fake provider holds a write (a server-side delay widens the window; the write still lands);
 * at the instant a temporary state file appears (inotify), i.e. inside the state write; and in `run` mode. Between
 * kills, some runs complete: each must exit 0 and leave the provider exactly right; some start from a corrupt state
 * file, which must be moved aside with a warning and rebuilt. Shared by the test (bounded) and bench/reliability.
 */

export const RECORDS = ["home.example.com", "www.example.com"];
const V4 = ["203.0.113.1", "203.0.113.2", "203.0.113.3"];
const V6 = ["2001:db8::1", "2001:db8::2", "2001:db8::3"];
type Mode = "anytime" | "provider-write" | "state-write" | "run" | "complete" | "corrupt";

export interface CrashFigures {
  cycles: number;
  kills: number;
  killsInProviderWrite: number;
  killsInStateWrite: number;
  completedRuns: number;
  corruptPlanted: number;
  movedAside: number;
  tmpFilesLeft: number;
  duplicates: number;
  stale: number;
  violations: string[];
  /** The highest peak RSS (VmHWM, kB) of the processes killed, read just before each SIGKILL. */
  peakKb: number;
}

/** The state file, judged independently of src/state: absent, valid, or what is wrong with it. */
export function stateProblem(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as { version?: unknown; records?: Array<Record<string, unknown>>; history?: unknown };
    // Format 3 is what the daemon writes (formats 1, from before targets, and 2, before the history, are only read).
    if (data.version !== 3 || !Array.isArray(data.records) || !Array.isArray(data.history)) return "wrong shape";
    const bad = data.records.find((r) => typeof r.target !== "string" || typeof r.name !== "string" || (r.type !== "A" && r.type !== "AAAA") || typeof r.content !== "string");
    return bad ? `bad record ${JSON.stringify(bad)}` : undefined;
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
}

export async function runCrashCampaign(o: { kills: number; runKills: number; seed: number; progress?: (line: string) => void }): Promise<CrashFigures> {
  const rng = createRng(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + rng() * (hi - lo);
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-crash-"));
  const statePath = join(dir, "state.json");
  const w: TestWorld = await startWorld();
  const env = (extra: Record<string, string> = {}) =>
    w.env({ DDNS_RECORDS: RECORDS.join(","), DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: statePath, ...extra });
  const f: CrashFigures = { cycles: 0, kills: 0, killsInProviderWrite: 0, killsInStateWrite: 0, completedRuns: 0, corruptPlanted: 0, movedAside: 0, tmpFilesLeft: 0, duplicates: 0, stale: 0, violations: [], peakKb: 0 };
  const violation = (text: string) => f.violations.push(`cycle ${f.cycles} ${text}`);
  const tmpFiles = () => readdirSync(dir).filter((n) => n.includes(".tmp-"));
  let addr = { v4: V4[0]!, v6: V6[0]! };

  /** Provider and state agree with the current address, one record per name and type. */
  function checkConverged(label: string) {
    for (const name of RECORDS) {
      for (const [type, want] of [["A", addr.v4], ["AAAA", addr.v6]] as const) {
        const held = w.cf.contents(name, type);
        if (held.length > 1) f.duplicates++;
        if (held.length !== 1 || held[0] !== want) violation(`${label}: provider holds ${name} ${type} ${JSON.stringify(held)}, the address is ${want}`);
      }
    }
    const saved = JSON.parse(readFileSync(statePath, "utf8")) as { records: Array<{ name: string; type: string; content: string }> };
    const wrong = saved.records.filter((r) => r.content !== (r.type === "A" ? addr.v4 : addr.v6));
    if (wrong.length) violation(`${label}: state file says ${JSON.stringify(wrong)}`);
  }

  /** Runs one process and kills it at `killAt` (a promise resolving when to kill), or lets it finish. */
  async function runOne(d: Daemon, killAt: Promise<unknown> | undefined): Promise<"killed" | number> {
    if (killAt) await Promise.race([killAt, d.proc.exited]);
    const alive = d.proc.exitCode === null && d.proc.signalCode === null;
    if (killAt && alive) {
      f.peakKb = Math.max(f.peakKb, hwmKb(d.proc.pid) || 0);
      d.kill("SIGKILL");
    }
    const code = await d.exited(30_000);
    if (killAt && alive) return "killed";
    if (code !== 0) violation(`exited ${code} on its own: ${d.lines.slice(-3).join(" | ")}`);
    return code;
  }

  async function cycle(mode: Mode): Promise<void> {
    f.cycles++;
    addr = { v4: pick(V4), v6: pick(V6) };
    w.ip.set(addr);
    const tmpBefore = tmpFiles().length;
    let outcome: "killed" | number;
    if (mode === "complete" || mode === "corrupt") {
      if (mode === "corrupt") {
        f.corruptPlanted++;
        writeFileSync(statePath, pick(['{"version":1,"records":[{"name":"home.exa', "\u0000\u0001garbage", '{"version":4,"records":[]}', ""]));
      }
      const d = spawnDaemon(["once"], env());
      outcome = await runOne(d, undefined);
      if (mode === "corrupt" && d.lines.some((l) => /^WARN State file .* is not valid .*moved it to/.test(l))) f.movedAside++;
      else if (mode === "corrupt") violation(`corrupt state file not moved aside: ${d.lines.join(" | ")}`);
      if (outcome === 0) (f.completedRuns++, checkConverged(mode));
    } else if (mode === "provider-write") {
      const delayMs = Math.round(between(80, 250));
      w.cf.faults.add({ kind: "hang", delayMs, path: "/zones/**", method: "POST", times: 1 });
      w.cf.faults.add({ kind: "hang", delayMs, path: "/zones/**", method: "PATCH", times: 1 });
      const mark = w.cf.requests().length;
      const d = spawnDaemon(["once"], env());
      let sawWrite = false;
      const writeSeen = (async () => {
        while (d.proc.exitCode === null && !w.cf.requests().slice(mark).some((r) => r.method !== "GET")) await Bun.sleep(2);
        sawWrite = d.proc.exitCode === null;
        await Bun.sleep(between(0, delayMs - 20));
      })();
      outcome = await runOne(d, writeSeen);
      if (outcome === "killed" && sawWrite) f.killsInProviderWrite++;
      await Bun.sleep(delayMs + 30); // the held write lands after the process is gone, as a late answer would
      w.cf.faults.clear();
    } else if (mode === "state-write") {
      let onTmp: () => void = () => {};
      const tmpSeen = new Promise<void>((r) => (onTmp = r));
      const watcher = watch(dir, (_event, name) => void (name?.includes(".tmp-") && onTmp()));
      const d = spawnDaemon(["once"], env());
      outcome = await runOne(d, Promise.race([tmpSeen, Bun.sleep(400)]));
      watcher.close();
      if (outcome === "killed" && tmpFiles().length > tmpBefore) f.killsInStateWrite++;
    } else {
      const d = spawnDaemon(mode === "run" ? ["run"] : ["once"], env(mode === "run" ? { DDNS_POLL_INTERVAL: "1s" } : {}));
      outcome = await runOne(d, Bun.sleep(mode === "run" ? between(50, 1500) : between(0, 90)));
    }
    if (outcome === "killed") f.kills++;
    const problem = stateProblem(statePath);
    if (problem) violation(`after ${mode}: state file ${problem}`);
  }

  try {
    const modes: Mode[] = ["anytime", "anytime", "provider-write", "provider-write", "state-write", "state-write", "complete"];
    let runKills = 0;
    while (f.kills < o.kills) {
      const before = f.kills;
      const mode: Mode = runKills < o.runKills && rng() < 0.08 ? "run" : rng() < 0.04 ? "corrupt" : pick(modes);
      await cycle(mode);
      if (mode === "run") runKills += f.kills - before;
      if (f.cycles % 25 === 0) o.progress?.(`crash: ${f.cycles} cycles, ${f.kills} kills, ${f.violations.length} violations`);
    }
    // The final clean round: no faults, no kill.
    w.cf.faults.clear();
    await cycle("complete");
    f.tmpFilesLeft = tmpFiles().length;
    f.stale = RECORDS.flatMap((n) => [w.cf.contents(n, "A").filter((c) => c !== addr.v4), w.cf.contents(n, "AAAA").filter((c) => c !== addr.v6)]).flat().length;
    return f;
  } finally {
    await w.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
