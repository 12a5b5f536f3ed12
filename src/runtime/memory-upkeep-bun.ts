import { readFileSync, readlinkSync } from "node:fs";
import process from "node:process";
import { createExecutableTrim } from "./executable-trim.ts";
import { createGcPacer } from "./gc-pacer.ts";

/**
 * The daemon's memory upkeep under Bun, started by `run` (src/main.ts): the GC pacer (gc-pacer.ts) and, on Linux,
 * the executable trim (executable-trim.ts) — once at once, before the first round, then every TRIM_EVERY_MS. Both
 * are settings of the binary itself, with no environment variable, so systemd, compose and Kubernetes all get them.
 *
 * `bun:jsc` and `bun:ffi` are reached through `process.getBuiltinModule`, called only here and only under Bun: no
 * file that Deno loads imports a `bun:` module, and Bun's bundler has nothing to resolve (both are built in).
 * Timers are unref'd: they never keep the process alive.
 */

export const GC_CHECK_EVERY_MS = 500;
export const GC_BUDGET_BYTES = 1024 * 1024;
export const TRIM_EVERY_MS = 5000;

const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];

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
  const failures: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      const lib = ffi.dlopen(name, { madvise: { args: [ffi.FFIType.u64, ffi.FFIType.u64, ffi.FFIType.i32], returns: ffi.FFIType.i32 } });
      const madvise = lib.symbols.madvise!;
      return (start, length, advice) => madvise(start, length, advice);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return `could not load the C library (${failures.join("; ")})`;
}

/** Starts the upkeep; returns `stop`. `debug` hears, once, what runs and what could not. */
export function startMemoryUpkeepBun(debug: (line: string) => void): () => void {
  const stops: Array<() => void> = [];
  const jsc = builtin<JscModule>("bun:jsc");
  const bun = (globalThis as unknown as { Bun?: BunGlobal }).Bun;
  if (jsc && bun) {
    const pacer = createGcPacer({
      heapSize: () => jsc.heapSize(),
      collect: () => bun.gc(true),
      setInterval: (fn, ms) => unref(setInterval(fn, ms)),
      clearInterval: (t) => clearInterval(t as ReturnType<typeof setInterval>),
      everyMs: GC_CHECK_EVERY_MS,
      budgetBytes: GC_BUDGET_BYTES,
    });
    stops.push(() => pacer.stop());
  }
  const madvise = process.platform === "linux" ? openMadvise() : `not on Linux (${process.platform})`;
  if (typeof madvise === "string") debug(`Memory: the executable's start-up pages stay mapped: ${madvise}`);
  else {
    const executable = readlinkSync("/proc/self/exe");
    const trim = createExecutableTrim({ executable, readSmaps: () => readFileSync("/proc/self/smaps", "utf8"), madvise });
    const run = () => {
      try {
        trim.trim();
      } catch {
        // /proc unreadable (a hardened sandbox): nothing to trim, nothing to tell every 10 s.
      }
    };
    run();
    const timer = setInterval(run, TRIM_EVERY_MS);
    unref(timer);
    stops.push(() => clearInterval(timer));
  }
  return () => {
    for (const stop of stops) stop();
  };
}
