import { defaultGatewayOf } from "../netlink/route-dump.ts";
import type { DumpResult } from "../netlink/runtime-types.ts";

/**
 * The router to ask when DDNS_IP_SOURCE_ROUTER_ADDRESS is not set: the gateway of the IPv4 default route, from
 * /proc/net/route (read through the injected `readFile`), or where it cannot be read, over netlink (route-dump.ts). Its lines are whitespace-separated
 * columns `Iface Destination Gateway Flags RefCnt Use Metric Mask …`, addresses as 8 hex digits in host (little-endian)
 * byte order. A default route is destination 0 with mask 0, flags RTF_UP (1) and RTF_GATEWAY (2); of several, the
 * lowest metric wins. Pure parsing; never throws.
 */
export const ROUTE_FILE = "/proc/net/route";

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

export interface DefaultGateway {
  address: string;
  interface: string;
}

export function parseDefaultGateway(text: string): DefaultGateway | undefined {
  let best: (DefaultGateway & { metric: number }) | undefined;
  for (const line of text.split("\n").slice(1, 1025)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 8) continue;
    const [iface, destination, gateway, flags, , , metric, mask] = cols as [string, string, string, string, string, string, string, string];
    if (!/^[0-9A-Fa-f]{8}$/.test(gateway) || !/^[0-9A-Fa-f]{1,4}$/.test(flags)) continue;
    const f = parseInt(flags, 16);
    if (destination !== "00000000" || mask !== "00000000" || (f & (RTF_UP | RTF_GATEWAY)) !== (RTF_UP | RTF_GATEWAY)) continue;
    const address = littleEndianIpv4(gateway);
    if (address === "0.0.0.0") continue;
    const m = /^\d{1,10}$/.test(metric) ? Number(metric) : Number.MAX_SAFE_INTEGER;
    if (best === undefined || m < best.metric) best = { address, interface: iface, metric: m };
  }
  return best && { address: best.address, interface: best.interface };
}

function littleEndianIpv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join(".");
}

export type GatewayLookup = { ok: true; address: string; how: string } | { ok: false; reason: string };

export interface GatewayWorld {
  /** A links + routes dump over netlink (src/ip/netlink/route-dump.ts), or why there is none here; asked only when /proc/net/route cannot be read. */
  dumpRoutes: (deadlineMs: number) => Promise<DumpResult>;
  /** Reads /proc/net/route (the first choice). */
  readFile: (path: string) => Promise<string>;
  deadlineMs: number;
}

const SET_IT = "set DDNS_IP_SOURCE_ROUTER_ADDRESS to the router's LAN address";

/**
 * The router to ask: the configured address, else the default route's gateway — from /proc/net/route (one small
 * read), else over netlink (RTM_GETROUTE: Deno refuses /proc without --allow-all but allows netlink with
 * --allow-ffi; on Bun it loads libc through bun:ffi, which the one small read does not need, so it is the second
 * choice) — else why there is none, saying what to set. Never throws.
 */
export async function findRouter(configured: string | undefined, world: GatewayWorld): Promise<GatewayLookup> {
  if (configured !== undefined) return { ok: true, address: configured, how: "DDNS_IP_SOURCE_ROUTER_ADDRESS" };
  let found: { address: string; interface?: string } | undefined;
  try {
    found = parseDefaultGateway(await world.readFile(ROUTE_FILE));
  } catch (error) {
    const dumped = await world.dumpRoutes(world.deadlineMs);
    if (!dumped.ok) return { ok: false, reason: `no router to ask: the default gateway could not be read (${ROUTE_FILE}: ${readError(error)}; netlink: ${dumped.error}); ${SET_IT}` };
    found = defaultGatewayOf(dumped.messages);
  }
  if (!found) return { ok: false, reason: `no router to ask: this host has no IPv4 default route; ${SET_IT}` };
  return { ok: true, address: found.address, how: found.interface === undefined ? "the default gateway" : `the default gateway on ${found.interface}` };
}

/** ENOENT, EACCES, Deno's NotCapable…: the error's code or name, never its (long, runtime-specific) message. */
function readError(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown } | undefined;
  const word = typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "";
  return /^[A-Za-z_]{2,32}$/.test(word) && word !== "Error" ? `could not be read (${word})` : "could not be read";
}
