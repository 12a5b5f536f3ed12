import { networkInterfaces } from "node:os";
import { serveBun } from "./serve-bun.ts";
import { serveDeno } from "./serve-deno.ts";
import type { Serve } from "./serve-types.ts";
import { createStdoutWriterBun } from "./stdout-bun.ts";
import { createStdoutWriterDeno } from "./stdout-deno.ts";
import type { SourceWorld } from "../ip/create-sources.ts";
import { createLocalSource } from "../ip/local-source.ts";
import { createNetlinkRuntime as createBunNetlink } from "./netlink/runtime-bun.ts";
import { createNetlinkRuntime as createDenoNetlink } from "./netlink/runtime-deno.ts";
import { startMemoryUpkeepBun, type MemoryUpkeepWorld } from "./memory-upkeep-bun.ts";

/** The one place that tells the runtimes apart; everything runtime-specific is chosen here for main.ts. */
export const RUNTIME: "bun" | "deno" = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined" ? "bun" : "deno";

export interface RuntimeAdapter {
  serve: Serve;
  /** One asynchronous write to fd 1 (the log's way out, through src/log/bounded-writer.ts). */
  writeStdout: (bytes: Uint8Array) => Promise<number>;
  /** Runtime-specific IP source factories (netlink through bun:ffi in a Worker, or Deno.dlopen). */
  sourceWorld: Omit<SourceWorld, "fetch">;
  /**
   * The daemon's memory upkeep (Bun: GC pacing and the executable trim, memory-upkeep-bun.ts; Deno: nothing).
   * Its world says what could not run (once) and gives the timers. Returns `stop`.
   */
  startMemoryUpkeep: (world: MemoryUpkeepWorld) => () => void;
}

export function runtimeAdapter(): RuntimeAdapter {
  return {
    serve: RUNTIME === "bun" ? serveBun : serveDeno,
    writeStdout: RUNTIME === "bun" ? createStdoutWriterBun() : createStdoutWriterDeno(),
    startMemoryUpkeep: RUNTIME === "bun" ? startMemoryUpkeepBun : () => () => {},
    sourceWorld: {
      createInterfaceSource: (config, log) =>
        createLocalSource(config, log, {
          createNetlinkRuntime: RUNTIME === "bun" ? () => createBunNetlink() : () => createDenoNetlink(),
          networkInterfaces,
          now: () => performance.now(),
        }),
    },
  };
}
