import * as fsp from "node:fs/promises";
import { networkInterfaces } from "node:os";
import process from "node:process";
import type { Platform } from "../daemon/platform.ts";
import { serveBun } from "./serve-bun.ts";
import { serveDeno } from "./serve-deno.ts";
import { createStdoutWriterBun } from "./stdout-bun.ts";
import { createStdoutWriterDeno } from "./stdout-deno.ts";
import { createNetlinkRuntime as createBunNetlink } from "./netlink/runtime-bun.ts";
import { createNetlinkRuntime as createDenoNetlink } from "./netlink/runtime-deno.ts";
import { listenToSignals } from "./signals.ts";
import { readSecretFile } from "./read-secret-file.ts";
import { createPathAccess } from "./path-access.ts";
import { startMemoryUpkeepBun } from "./memory-upkeep-bun.ts";
import { openUdpSocket } from "./udp-socket.ts";

/** The one place that tells the runtimes apart. */
export const RUNTIME: "bun" | "deno" = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined" ? "bun" : "deno";

/** The daemon's world on this runtime (see src/daemon/platform.ts). */
export function createPlatform(): Platform {
  const bun = RUNTIME === "bun";
  return {
    runtime: RUNTIME,
    fetch: globalThis.fetch.bind(globalThis),
    now: Date.now,
    monotonic: () => performance.now(),
    random: Math.random,
    fs: fsp,
    serve: bun ? serveBun : serveDeno,
    listenToSignals,
    netlink: bun ? () => createBunNetlink() : () => createDenoNetlink(),
    networkInterfaces,
    openUdp: openUdpSocket,
    writeStdout: bun ? createStdoutWriterBun() : createStdoutWriterDeno(),
    readSecretFile,
    pathAccess: createPathAccess,
    rss: () => process.memoryUsage().rss,
    startTimeSeconds: Math.round(Date.now() / 1000 - process.uptime()),
    startMemoryUpkeep: bun ? startMemoryUpkeepBun : () => () => {},
  };
}
