import type { MemoryUpkeepWorld } from "../daemon/platform.ts";
import { readFileSync, readlinkSync } from "node:fs";
import process from "node:process";
import { fileReader, findElfSection, type FileRange } from "./elf-section.ts";
import { createExecutableTrim } from "./executable-trim.ts";
import { createGcPacer } from "./gc-pacer.ts";
import { dlopenLibc } from "./netlink/libc-bun.ts";

/**
 * The daemon's memory upkeep under Bun, started by `run` (src/main.ts): the GC pacer (gc-pacer.ts) and, on Linux,
 * the executable trim (executable-trim.ts) — once at once, before the first round, every EARLY_TRIM_EVERY_MS for
 * the first second, then every TRIM_EVERY_MS. Before all that, `trimAtLoad` (called by load-trim.ts, main.ts's
 * first import) trims once before the rest of ddnsd's modules are evaluated. All are settings of the binary itself,
 * with no environment variable, so systemd, compose and Kubernetes all get them.
 *
 * `bun:jsc` and `bun:ffi` are reached through `process.getBuiltinModule`, called only here and only under Bun: no
 * file that Deno loads imports a `bun:` module, and Bun's bundler has nothing to resolve (both are built in).
 * The timers come from the caller (main.ts, the composition root); they are unref'd: they never keep the process alive.
 */

export const GC_CHECK_EVERY_MS = 500;
export const GC_BUDGET_BYTES = 1024 * 1024;
/**
 * Steady state: each round and each scrape fault code back in, and the RSS climbs until the next trim. Checked every
 * second, trimmed when the RSS grew by more than TRIM_GROWTH_BYTES since the RSS read right after the last trim: busy
 * (1000 records) RSS median 36.6 → 30.8 MiB against a trim every 5 s. In practice that is a trim at nearly every
 * check, idle too: the code that runs after the madvise (the rest of the callback, the event loop, the next check)
 * faults ≈ 6 MiB of the executable straight back, ≈ 170 minor faults and one 0.7 ms trim a second. A baseline read
 * later (at the check after a trim) stops the idle trims but leaves an idle daemon at ≈ 24 MiB instead of ≈ 18,
 * and a check every 250 ms costs 0.6 points of CPU busy for 1 MiB of RSS median (docs/memory.md, sixth pass).
 */
export const TRIM_EVERY_MS = 1000;
export const TRIM_GROWTH_BYTES = 2 * 1024 * 1024;
/**
 * Start-up: wiring, the HTTP endpoints and the first round fault in code that steady state never runs again, each
 * phase a few MiB, within milliseconds of each other; the peak RSS of an idle daemon is reached there. Trimming every
 * 5 ms for the first second keeps each phase from adding to the pages the previous one left (bench/busy.ts --idle,
 * with the trim at load: VmHWM 39.7 → 34.9 MiB against every 25 ms; docs/memory.md).
 */
export const EARLY_TRIM_EVERY_MS = 5;
export const EARLY_TRIMS = 200;

interface FfiModule {
  dlopen(name: string, symbols: Record<string, { args: readonly number[]; returns: number }>): { symbols: Record<string, (...args: unknown[]) => number> };
  FFIType: Record<"u64" | "i32", number>;
}
interface JscModule {
  heapSize(): number;
}
type BunGlobal = { gc(force?: boolean): void };

const builtin = <T>(id: string) => process.getBuiltinModule(id) as T | undefined;
const unref = (timer: unknown) => ((timer as { unref?: () => void }).unref?.(), timer);

/** madvise(2) from libc through bun:ffi, or why it is not available. */
function openMadvise(): ((start: bigint, length: bigint, advice: number) => number) | string {
  const ffi = builtin<FfiModule>("bun:ffi");
  if (!ffi) return "bun:ffi is not available";
  const lib = dlopenLibc((name) => ffi.dlopen(name, { madvise: { args: [ffi.FFIType.u64, ffi.FFIType.u64, ffi.FFIType.i32], returns: ffi.FFIType.i32 } }));
  if (typeof lib === "string") return lib;
  const madvise = lib.symbols.madvise!;
  return (start, length, advice) => madvise(start, length, advice);
}


/** The executable's path from /proc/self/exe, or why it cannot be read (a sandbox without /proc). */
function executablePath(): string {
  try {
    return readlinkSync("/proc/self/exe");
  } catch (error) {
    return `could not read /proc/self/exe (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * The compiled program's module graph (the `.bun` section: bytecode and source, read in place by the runtime and
 * never written) lies in the executable's writable data mapping, which the trim cannot drop whole. Its file range,
 * or none when the headers do not say (a binary built otherwise): then only the read-only mappings are trimmed.
 */
function moduleGraph(executable: string): FileRange[] {
  try {
    const found = findElfSection(fileReader(executable), ".bun");
    return typeof found === "string" ? [] : [found];
  } catch {
    return [];
  }
}

/**
 * The trim of this process's executable, opened once (madvise through bun:ffi, the executable's path), or why it
 * cannot run. The one opened by `trimAtLoad` is the one the upkeep uses later.
 */
let executableTrim: { run(): void } | string | undefined;

function openExecutableTrim(): { run(): void } | string {
  if (executableTrim !== undefined) return executableTrim;
  const madvise = process.platform === "linux" ? openMadvise() : `not on Linux (${process.platform})`;
  const executable = typeof madvise === "string" ? madvise : executablePath();
  if (typeof madvise === "string" || !executable.startsWith("/")) return (executableTrim = executable);
  const pagemap = fileReader("/proc/self/pagemap");
  const trim = createExecutableTrim({
    executable,
    readSmaps: () => readFileSync("/proc/self/smaps", "utf8"),
    madvise,
    sections: moduleGraph(executable),
    readPagemap: (first, count) => pagemap(first * 8, count * 8),
  });
  return (executableTrim = {
    run() {
      try {
        trim.trim();
      } catch {
        // /proc unreadable (a hardened sandbox): nothing to trim, nothing to tell every second.
      }
    },
  });
}

/**
 * One trim as the program loads, before most of its modules are evaluated (load-trim.ts). By then the runtime's
 * start and the loading of the bundle have faulted in ≈ 25 MiB of the executable; evaluating ddnsd's modules and
 * wiring the daemon would add ≈ 8 MiB more on top of them before the upkeep's first trim, and that sum was the idle
 * daemon's peak (docs/memory.md). Nothing under Deno, and nothing said: the upkeep says it once if the trim cannot run.
 */
export function trimAtLoad(): void {
  if (typeof (globalThis as { Bun?: unknown }).Bun === "undefined") return;
  const trim = openExecutableTrim();
  if (typeof trim !== "string") trim.run();
}

/** Starts the upkeep; returns `stop`. */
export type { MemoryUpkeepWorld };

export function startMemoryUpkeepBun(world: MemoryUpkeepWorld): () => void {
  const { debug } = world;
  const stops: Array<() => void> = [];
  const jsc = builtin<JscModule>("bun:jsc");
  const bun = (globalThis as unknown as { Bun?: BunGlobal }).Bun;
  if (jsc && bun) {
    const pacer = createGcPacer({
      heapSize: () => jsc.heapSize(),
      collect: () => bun.gc(true),
      setInterval: (fn, ms) => unref(world.setInterval(fn, ms)),
      clearInterval: world.clearInterval,
      everyMs: GC_CHECK_EVERY_MS,
      budgetBytes: GC_BUDGET_BYTES,
    });
    stops.push(() => pacer.stop());
  }
  const trim = openExecutableTrim();
  if (typeof trim === "string") debug(`Memory: the executable's start-up pages stay mapped: ${trim}`);
  else {
    const rss = () => process.memoryUsage().rss;
    let afterTrim = 0;
    const run = () => (trim.run(), (afterTrim = rss()));
    run();
    let early = 0;
    const earlyTimer = unref(world.setInterval(() => {
      run();
      if (++early >= EARLY_TRIMS) world.clearInterval(earlyTimer);
    }, EARLY_TRIM_EVERY_MS));
    const timer = unref(world.setInterval(() => void (rss() - afterTrim > TRIM_GROWTH_BYTES && run()), TRIM_EVERY_MS));
    stops.push(() => (world.clearInterval(earlyTimer), world.clearInterval(timer)));
  }
  return () => {
    for (const stop of stops) stop();
  };
}
