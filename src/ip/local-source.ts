import type { Family } from "../core/family.ts";
import type { Logger } from "../log/logger.ts";
import { createInterfaceSource, type NetworkInterfaces } from "./interface/interface-source.ts";
import { createNetlinkSource } from "./netlink/netlink-source.ts";
import type { NetlinkRuntimeResult } from "./netlink/runtime-types.ts";
import type { IpSource } from "./types.ts";

/**
 * Builds the source for `DDNS_IP_SOURCE_TYPE=netlink` or `interface`. With `netlink`, it first checks that netlink
 * works here (Linux, libc loads, Deno has --allow-ffi, the socket binds and answers a dump) and otherwise falls
 * back to the `interface` source with one warning that says why.
 */
export interface LocalSourceSettings {
  kind: "netlink" | "interface";
  /** The interface whose addresses are published (DDNS_IP_SOURCE_INTERFACE). */
  interface: string;
  families: readonly Family[];
  allowPrivate: boolean;
  /** netlink: a full dump this often as a safety net (DDNS_POLL_INTERVAL). */
  resyncMs: number;
}

export interface LocalSourceWorld {
  /** `createNetlinkRuntime` from src/runtime/netlink/runtime-bun.ts or runtime-deno.ts, for the running runtime. */
  createNetlinkRuntime: () => NetlinkRuntimeResult;
  /** `os.networkInterfaces` (node:os). */
  networkInterfaces: NetworkInterfaces;
  /** A millisecond clock (`performance.now` or `Date.now`); address lifetimes count down with it. */
  now: () => number;
}

export async function createLocalSource(settings: LocalSourceSettings, log: Logger, world: LocalSourceWorld): Promise<IpSource> {
  const interfaceName = settings.interface;
  const common = { interfaceName, allowPrivate: settings.allowPrivate, log, families: [...settings.families] };
  const polling = () => createInterfaceSource({ ...common, networkInterfaces: world.networkInterfaces });
  if (settings.kind !== "netlink") return polling();

  const runtime = world.createNetlinkRuntime();
  const unavailable = await whyNetlinkUnavailable(runtime);
  if (unavailable !== undefined || "unavailable" in runtime) {
    log.warn(`Netlink is unavailable (${unavailable}); falling back to the interface source, which polls the interface list and cannot see address flags`, {
      interface: interfaceName,
    });
    return polling();
  }
  return createNetlinkSource({ ...common, runtime, now: world.now, resyncIntervalMs: settings.resyncMs });
}

/**
 * Why netlink cannot be used, or `undefined` when it can: the runtime's own reason (non-Linux, dlopen failed, Deno
 * without --allow-ffi), else a trial run — open the socket, bind it to the address groups and take one dump.
 */
export async function whyNetlinkUnavailable(runtime: NetlinkRuntimeResult, timeoutMs = 3000): Promise<string | undefined> {
  if ("unavailable" in runtime) return runtime.unavailable;
  let settle: (reason: string | undefined) => void = () => {};
  const outcome = new Promise<string | undefined>((resolve) => (settle = resolve));
  const stream = runtime.open({ resyncMs: 0, dumpDeadlineMs: timeoutMs }, {
    events: () => {},
    overflow: () => {},
    dump: () => settle(undefined),
    error: (message) => settle(message),
  });
  const timer = setTimeout(() => settle(`the netlink socket gave no answer within ${timeoutMs} ms`), timeoutMs);
  const reason = await outcome;
  clearTimeout(timer);
  await stream.close();
  return reason;
}
