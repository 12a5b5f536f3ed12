import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { procCpuSeconds, procMemory } from "./lib.ts";
import { BINARY } from "./ours.ts";
import { dropFromPageCache } from "../tests/blackbox/binary.ts";

/**
 * Footprint phase of `bun run bench`: bench/footprint.ts (one run per process, 100 records, `seconds` after the
 * first round) for each setting, and the floor — a bare `bun build --compile` program with a timer and Bun.serve —
 * all idling side by side. Startups are staggered (one at a time); idle CPU and memory are per process, so the
 * parallel idle periods do not disturb each other.
 *
 * RSS counts the executable's pages a process touched plus the neighbours the kernel maps in at fault time, and how
 * many neighbours depends on how the file entered the page cache: a binary just written by `bun build` sits in large
 * folios and reads ~5 MiB more RSS than the identical file read back from disk. So the binaries are synced and
 * dropped from the page cache first (`dd iflag=nocache count=0`), as after a reboot or an image pull.
 */

export interface FootprintSample {
  startupMs: number;
  rssMiB: number;
  privateMiB: number;
  peakMiB: number;
  idleCpuPct: number;
}

/** Drops `file` from the page cache; `warmArgs`: then runs it once with them, so that it starts warm. */
export async function coldCache(file: string, warmArgs?: string[]): Promise<void> {
  await dropFromPageCache(file);
  if (warmArgs) await Bun.spawn([file, ...warmArgs], { stdout: "ignore", stderr: "ignore" }).exited;
}

function parseFootprint(text: string): FootprintSample {
  const value = (label: string) => {
    const line = text.split("\n").find((l) => l.trimStart().startsWith(label));
    return Number(/\s(-?[\d.]+) \(/.exec(line ?? "")?.[1] ?? NaN);
  };
  return {
    startupMs: value("startup to first round"),
    rssMiB: value("RSS (MiB)"),
    privateMiB: value("private memory"),
    peakMiB: value("peak RSS"),
    idleCpuPct: value("idle CPU"),
  };
}

const FLOOR_SOURCE = `const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
setInterval(() => {}, 30_000);
console.log("ready", server.port);
`;

/**
 * Builds the floor program (bare compile: a timer and Bun.serve) into `dir`; `flags`: more `bun build` options (the
 * shipped build's, for the floor the memory phase compares with).
 */
export function buildFloor(dir: string, flags: readonly string[] = []): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "floor.ts"), FLOOR_SOURCE);
  const out = join(dir, "floor");
  const run = spawnSync("bun", ["build", "--compile", ...flags, join(dir, "floor.ts"), "--outfile", out], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`building the floor program failed: ${run.stderr}`);
  return out;
}

export async function floorRun(binary: string, env: Record<string, string>, seconds: number): Promise<FootprintSample> {
  const started = performance.now();
  const proc = Bun.spawn([binary], { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "inherit" });
  await proc.stdout.getReader().read();
  const startupMs = performance.now() - started;
  const cpu0 = procCpuSeconds(proc.pid);
  await Bun.sleep(seconds * 1000);
  const mem = procMemory(proc.pid);
  const idleCpuPct = ((procCpuSeconds(proc.pid) - cpu0) / seconds) * 100;
  proc.kill();
  await proc.exited;
  return { startupMs, rssMiB: mem.rssKiB / 1024, privateMiB: mem.privateKiB / 1024, peakMiB: mem.peakKiB / 1024, idleCpuPct };
}

export interface FootprintPlan {
  /** Setting label → extra daemon env. */
  settings: Record<string, Record<string, string>>;
  runs: number;
  seconds: number;
  floor?: { binary: string; env: Record<string, string> };
  staggerMs?: number;
}

/** Every run of every setting (and the floor), started one after another, idling together. */
export async function footprintRuns(plan: FootprintPlan): Promise<Record<string, FootprintSample[]>> {
  await coldCache(BINARY, ["--version"]);
  if (plan.floor) await coldCache(plan.floor.binary);
  const script = join(import.meta.dir, "footprint.ts");
  const jobs: Array<{ label: string; done: Promise<FootprintSample> }> = [];
  for (let run = 0; run < plan.runs; run++) {
    for (const [label, env] of Object.entries(plan.settings)) {
      const args = ["--seconds", String(plan.seconds), "--runs", "1", ...Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`])];
      const proc = Bun.spawn([process.execPath, script, ...args], { stdout: "pipe", stderr: "inherit" });
      const done = new Response(proc.stdout).text().then(async (text) => {
        if ((await proc.exited) !== 0) throw new Error(`bench/footprint.ts (${label}) failed`);
        return parseFootprint(text);
      });
      jobs.push({ label, done });
      await Bun.sleep(plan.staggerMs ?? 2000);
    }
    if (plan.floor) {
      jobs.push({ label: "floor", done: floorRun(plan.floor.binary, plan.floor.env, plan.seconds) });
      await Bun.sleep(plan.staggerMs ?? 2000);
    }
  }
  const out: Record<string, FootprintSample[]> = {};
  for (const job of jobs) (out[job.label] ??= []).push(await job.done);
  return out;
}
