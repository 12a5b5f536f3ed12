/**
 * What the runtime settings cost and save, for choosing the container image's defaults (docs/performance.md).
 * For each setting, `--runs` times, one at a time:
 *   - footprint: dist/ddnsd managing 100 records (one zone) against the fake; startup to first round, then RSS,
 *     peak RSS and private (anonymous) memory after `--seconds` (the binary dropped from the page cache first);
 *   - work: 1000 records over 10 zones, one address change: the daemon's CPU time and wall time for that round;
 *   - netlink: whether bun:ffi (the netlink source) can work under the setting.
 *
 *   bun bench/memory.ts [--seconds 20] [--runs 3] [--binary path/to/ddnsd] [--only "image"]
 */
import { coldCache } from "./footprint-runs.ts";
import { argNumber, printTable, procCpuSeconds, procMemory, spread } from "./lib.ts";
import { BINARY, startOurs } from "./ours.ts";
import { startWorld } from "./world.ts";

const SETTINGS: Record<string, Record<string, string>> = {
  "Bun default (JIT on)": {},
  "BUN_JSC_useDFGJIT=0": { BUN_JSC_useDFGJIT: "0" },
  "BUN_JSC_useBaselineJIT=0": { BUN_JSC_useBaselineJIT: "0" },
  "image: useBaselineJIT=0 useRegExpJIT=0": { BUN_JSC_useBaselineJIT: "0", BUN_JSC_useRegExpJIT: "0" },
  "image + BUN_OPTIONS=--smol": { BUN_JSC_useBaselineJIT: "0", BUN_JSC_useRegExpJIT: "0", BUN_OPTIONS: "--smol" },
  "BUN_JSC_useJIT=0": { BUN_JSC_useJIT: "0" },
};

const seconds = argNumber("seconds", 20);
const runs = argNumber("runs", 3);
const at = process.argv.indexOf("--binary");
const binary = at >= 0 ? process.argv[at + 1]! : BINARY;
const only = process.argv.indexOf("--only");
const wanted = (name: string) => only < 0 || name.includes(process.argv[only + 1] ?? "");

async function footprint(env: Record<string, string>) {
  await coldCache(binary, ["--version"]);
  const world = await startWorld({ zones: ["example.com"] });
  const records = Array.from({ length: 100 }, (_, i) => `r${i}.example.com`);
  const ours = await startOurs(world, { records, pollInterval: "30s", env, imageEnv: false, binary });
  try {
    const startupMs = await ours.ready();
    await Bun.sleep(seconds * 1000);
    const m = procMemory(ours.proc.pid);
    return { startupMs, rss: m.rssKiB / 1024, peak: m.peakKiB / 1024, anon: m.privateKiB / 1024 };
  } finally {
    await ours.stop();
    await world.stop();
  }
}

async function work(env: Record<string, string>) {
  const zones = Array.from({ length: 10 }, (_, i) => `zone${i}.test`);
  const world = await startWorld({ zones, v4: "203.0.113.1" });
  const records = Array.from({ length: 1000 }, (_, i) => `h${i}.${zones[i % 10]}`);
  const ours = await startOurs(world, { records, pollInterval: "1s", env, imageEnv: false, binary });
  try {
    await ours.ready(120_000);
    await Bun.sleep(1500); // past any round still running
    const cpu0 = procCpuSeconds(ours.proc.pid);
    const t0 = performance.now();
    world.ip.set({ v4: "203.0.113.2" });
    while (!world.cf.records().every((r) => r.content === "203.0.113.2")) await Bun.sleep(2);
    const first = world.requests().find((r) => r.at >= t0)?.at ?? t0;
    const wallMs = performance.now() - first;
    await Bun.sleep(300);
    return { wallMs, cpuMs: (procCpuSeconds(ours.proc.pid) - cpu0) * 1000 };
  } finally {
    await ours.stop();
    await world.stop();
  }
}

async function ffiWorks(env: Record<string, string>): Promise<string> {
  const probe = 'import { dlopen, FFIType } from "bun:ffi"; dlopen("libc.so.6", { getpid: { args: [], returns: FFIType.i32 } }); console.log("ok");';
  const proc = Bun.spawn([process.execPath, "-e", probe], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out.includes("ok") ? "works" : "FAILS (bun:ffi needs the JIT): netlink falls back to polling";
}

for (const [name, env] of Object.entries(SETTINGS)) {
  if (!wanted(name)) continue;
  const f = [];
  const w = [];
  for (let i = 0; i < runs; i++) {
    f.push(await footprint(env));
    w.push(await work(env));
  }
  printTable(`${name} — ${runs} run(s), median (min–max)`, [
    ["startup to first round (ms)", spread(f.map((x) => x.startupMs), 0)],
    [`RSS after ${seconds} s, 100 records (MiB)`, spread(f.map((x) => x.rss))],
    ["peak RSS (MiB)", spread(f.map((x) => x.peak))],
    ["private (anonymous) memory (MiB)", spread(f.map((x) => x.anon))],
    ["1000 records, one change: wall time (ms)", spread(w.map((x) => x.wallMs))],
    ["1000 records, one change: daemon CPU (ms)", spread(w.map((x) => x.cpuMs), 0)],
    ["netlink source (bun:ffi)", await ffiWorks(env)],
  ]);
}
