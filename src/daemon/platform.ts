import type { Serve } from "../http/serve-types.ts";
import type { StateFs } from "../state/file-store.ts";
import type { NetlinkRuntimeResult } from "../ip/netlink/runtime-types.ts";
import type { NetworkInterfaces } from "../ip/interface/interface-source.ts";
import type { SecretFileReader } from "../config/secret-file.ts";
import type { PathAccess } from "../config/state-path.ts";
import type { SignalName } from "./signal-policy.ts";
import type { OpenUdp } from "../ip/router/udp-types.ts";

/**
 * Everything of the outside world the daemon uses, handed in by the entry point: built once in
 * src/runtime/platform.ts (the only place that tells Bun from Deno), faked in tests. Nothing in src/ below the
 * entry points reads a global for any of these.
 */
export interface Platform {
  runtime: "bun" | "deno";
  fetch: typeof fetch;
  /** Wall clock, epoch milliseconds. */
  now: () => number;
  /** Monotonic milliseconds (address lifetimes count down with it). */
  monotonic: () => number;
  random: () => number;
  /** node:fs/promises, as the state file needs it. */
  fs: StateFs;
  serve: Serve;
  /** Subscribes to process signals (what they mean is daemon/signal-policy.ts's business). */
  listenToSignals: (signals: readonly SignalName[], handler: (signal: SignalName) => void) => () => void;
  /** The netlink socket runtime of this runtime (bun:ffi in a Worker, or Deno.dlopen), or why there is none. */
  netlink: () => NetlinkRuntimeResult;
  /** `os.networkInterfaces`. */
  networkInterfaces: NetworkInterfaces;
  /** A UDP socket (node:dgram, src/runtime/udp-socket.ts): the router source's NAT-PMP, PCP and SSDP. */
  openUdp: OpenUdp;
  /** One asynchronous write to fd 1 (the log's way out, through src/log/bounded-writer.ts). */
  writeStdout: (bytes: Uint8Array) => Promise<number>;
  /** Reads a secret file (`*_FILE`, DDNS_CONFIG_FILE): regular files only, bounded, synchronous. */
  readSecretFile: SecretFileReader;
  /** The state path's checks before start (exists, writable, owner). */
  pathAccess: () => PathAccess;
  /** Resident memory in bytes. */
  rss: () => number;
  /** When the process started, in epoch seconds. */
  startTimeSeconds: number;
  /**
   * The daemon's memory upkeep (Bun: GC pacing and the executable trim, src/runtime/memory-upkeep-bun.ts; Deno:
   * nothing). Its world says, once, what could not run, and gives the timers. Returns `stop`.
   */
  startMemoryUpkeep: (world: MemoryUpkeepWorld) => () => void;
}

export interface MemoryUpkeepWorld {
  debug: (line: string) => void;
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (timer: unknown) => void;
}
