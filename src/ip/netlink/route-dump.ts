import {
  AF_INET, HOST_LITTLE_ENDIAN as LE, NLM_F_DUMP, NLM_F_REQUEST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY, RTA_TABLE,
  RTMSG_LEN, RTM_GETROUTE, RTM_NEWROUTE, RTN_UNICAST, RT_TABLE_MAIN,
} from "./constants.ts";
import { dumpTables, type DumpOptions } from "./dump.ts";
import { encodeMessage, linkDumpRequest } from "./encode.ts";
import { parseAttributes, parseMessages, splitMessages } from "./parse.ts";
import type { DumpResult, Syscalls } from "./runtime-types.ts";

/**
 * The IPv4 default route's gateway from rtnetlink (rtnetlink(7)): an RTM_GETROUTE dump of the IPv4 routes and an
 * RTM_GETLINK dump for the outgoing interface's name, on a socket of their own — what `ip -4 route show default`
 * reads. It needs no file access, so it works where /proc/net/route cannot be read (Deno 2 refuses /proc without
 * --allow-all). The default route is the main table's unicast route with destination length 0 and an RTA_GATEWAY;
 * of several (two uplinks), the lowest RTA_PRIORITY (the metric; absent is 0) wins. Pure but for `dumpRoutes`.
 */

/** `struct rtmsg`: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags (u32 at 8). */
export function encodeRtmsg(family: number): Uint8Array {
  const out = new Uint8Array(RTMSG_LEN);
  out[0] = family;
  return out;
}

/** Every IPv4 route (NLM_F_DUMP: the kernel answers with all tables; the main one is picked on reading). */
export const routeDumpRequest = (seq: number): Uint8Array =>
  encodeMessage({ type: RTM_GETROUTE, flags: NLM_F_REQUEST | NLM_F_DUMP, seq, body: encodeRtmsg(AF_INET) });

/** The links, then the IPv4 routes, within the deadline (the runtime adapters call this with their Syscalls). */
export function dumpRoutes(sys: Syscalls, options: DumpOptions): Promise<DumpResult> {
  return dumpTables(sys, [linkDumpRequest, routeDumpRequest], options);
}

export interface Ipv4Route {
  dstLen: number;
  table: number;
  type: number;
  gateway?: string;
  /** RTA_OIF, the outgoing interface's index. */
  oif?: number;
  /** RTA_PRIORITY, the route's metric; 0 when absent. */
  priority: number;
}

const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u32 = (b: Uint8Array | undefined) => (b && b.length >= 4 ? viewOf(b).getUint32(0, LE) : undefined);

/** The IPv4 routes in a dump answer; other families and malformed messages are skipped. Never throws. */
export function parseIpv4Routes(buf: Uint8Array): Ipv4Route[] {
  const routes: Ipv4Route[] = [];
  for (const m of splitMessages(buf).messages) {
    if (m.type !== RTM_NEWROUTE || m.payload.length < RTMSG_LEN || m.payload[0] !== AF_INET) continue;
    const { attrs, error } = parseAttributes(m.payload, RTMSG_LEN);
    if (error) continue;
    const gw = attrs.get(RTA_GATEWAY);
    const oif = u32(attrs.get(RTA_OIF));
    routes.push({
      dstLen: m.payload[1]!,
      table: u32(attrs.get(RTA_TABLE)) ?? m.payload[4]!,
      type: m.payload[7]!,
      ...(gw?.length === 4 ? { gateway: `${gw[0]}.${gw[1]}.${gw[2]}.${gw[3]}` } : {}),
      ...(oif !== undefined ? { oif } : {}),
      priority: u32(attrs.get(RTA_PRIORITY)) ?? 0,
    });
  }
  return routes;
}

export interface NetlinkGateway {
  address: string;
  /** The outgoing interface's name, when the dump named it. */
  interface?: string;
}

/** The default route's gateway in a links + routes dump, or `undefined` when there is no IPv4 default route. */
export function defaultGatewayOf(buf: Uint8Array): NetlinkGateway | undefined {
  let best: Ipv4Route | undefined;
  for (const r of parseIpv4Routes(buf)) {
    if (r.table !== RT_TABLE_MAIN || r.dstLen !== 0 || r.type !== RTN_UNICAST || r.gateway === undefined || r.gateway === "0.0.0.0") continue;
    if (best === undefined || r.priority < best.priority) best = r;
  }
  if (best?.gateway === undefined) return undefined;
  const name = best.oif === undefined ? undefined : linkNames(buf).get(best.oif);
  return { address: best.gateway, ...(name !== undefined ? { interface: name } : {}) };
}

function linkNames(buf: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of parseMessages(buf).events) if (e.kind === "link" && e.op === "new" && e.name !== undefined) names.set(e.index, e.name);
  return names;
}
