import type { Logger } from "../../log/logger.ts";
import type { Deadline, RouterClock } from "./deadline.ts";
import { sendError } from "./udp-exchange.ts";
import type { OpenUdp, UdpPeer, UdpSocket } from "./udp-types.ts";

/** The three ways ddnsd asks a router for its WAN address (DDNS_IP_SOURCE_ROUTER_PROTOCOLS). */
export type RouterProtocol = "pcp" | "natpmp" | "igd";

export const ROUTER_PROTOCOLS: readonly RouterProtocol[] = ["pcp", "natpmp", "igd"];

/** How each protocol is named in log lines. */
export const PROTOCOL_NAMES: Record<RouterProtocol, string> = { pcp: "PCP", natpmp: "NAT-PMP", igd: "UPnP IGD" };

export interface RouterPorts {
  /** NAT-PMP on the router (5351). */
  natpmp: number;
  /** PCP on the router (5351). */
  pcp: number;
  /** SSDP on the router and the multicast group (1900). */
  ssdp: number;
}

export const DEFAULT_PORTS: RouterPorts = { natpmp: 5351, pcp: 5351, ssdp: 1900 };

/** The SSDP multicast group (UPnP Device Architecture 1.1 §1.3.2). */
export const SSDP_GROUP = "239.255.255.250";

export interface RouterTiming {
  /** First retransmission after this long (RFC 6886 §3.1: 250 ms), doubling after. */
  initialMs: number;
  /** At most this long for one exchange or HTTP call (2 s). */
  budgetMs: number;
  /** The whole detection, every protocol and step included (5 s; deadline.ts). */
  deadlineMs?: number;
}

export const DEFAULT_TIMING: Required<RouterTiming> = { initialMs: 250, budgetMs: 2000, deadlineMs: 5000 };

/** What one protocol's client is handed for one detection. */
export interface RouterQuery {
  router: string;
  ports: RouterPorts;
  /** Where M-SEARCH goes besides the router itself; `undefined` sends only to the router. */
  ssdpGroup: UdpPeer | undefined;
  openUdp: OpenUdp;
  fetch: typeof fetch;
  userAgent: string;
  /** Unguessable bytes (crypto.getRandomValues): the PCP mapping nonce must not be guessable by others (RFC 6887 §11.1). */
  randomBytes: (n: number) => Uint8Array;
  timing: RouterTiming;
  clock: RouterClock;
  /** The detection's one deadline; later steps take `laterStepMs(q)` from it. */
  deadline: Deadline;
  /** The budget of this protocol's first exchange: its share of the deadline (Deadline.share). */
  openingMs: number;
  signal: AbortSignal;
  log: Logger;
  /** A datagram or URL from another host than the router was ignored (counted; said once at debug). */
  ignored: (what: string) => void;
}

/**
 * One protocol's answer: the external IPv4 address in dotted-quad form (not yet checked against the publishing
 * rules — the source does that), or why there is none in the operator's terms.
 */
export type RouterAnswer = { ok: true; address: string } | { ok: false; reason: string };

/** The budget of a step after a protocol's first answer: the time left, at most one exchange's budget. */
export const laterStepMs = (q: Pick<RouterQuery, "deadline" | "timing">): number => q.deadline.step(q.timing.budgetMs);

/** Opens a UDP socket (connected to `to` when given), or says why it could not. Never throws. */
export async function openSocket(q: Pick<RouterQuery, "openUdp">, to?: UdpPeer): Promise<UdpSocket | { reason: string }> {
  try {
    return await q.openUdp(to ? { connect: to } : {});
  } catch (error) {
    return { reason: `could not open a UDP socket${to ? ` to ${to.address}:${to.port}` : ""} (${sendError(error)})` };
  }
}
