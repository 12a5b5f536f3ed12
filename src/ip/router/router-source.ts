import type { Logger } from "../../log/logger.ts";
import { checkPublishable, parseAddress } from "../../core/address-rules.ts";
import type { Family } from "../../core/family.ts";
import type { Detection, IpSource } from "../types.ts";
import type { NetlinkRuntimeResult } from "../netlink/runtime-types.ts";
import { startDeadline, SYSTEM_CLOCK, type RouterClock } from "./deadline.ts";
import { findRouter, type GatewayWorld } from "./gateway.ts";
import { createIgdClient } from "./igd.ts";
import { askNatPmp } from "./nat-pmp.ts";
import { askPcp } from "./pcp-exchange.ts";
import { DEFAULT_PORTS, DEFAULT_TIMING, PROTOCOL_NAMES, SSDP_GROUP, type RouterAnswer, type RouterPorts, type RouterProtocol, type RouterQuery, type RouterTiming } from "./router-types.ts";
import type { OpenUdp, UdpPeer } from "./udp-types.ts";

/**
 * `DDNS_IP_SOURCE_TYPE=router` (IPv4 only): asks the router — DDNS_IP_SOURCE_ROUTER_ADDRESS, else the default
 * gateway — for its WAN address over the protocols of DDNS_IP_SOURCE_ROUTER_PROTOCOLS in their order. The one that
 * answered is remembered and asked first next time; when it stops answering and another does, the switch is one
 * warning. Only the router's own answers are believed (see udp-exchange.ts, ssdp.ts, igd-description.ts); others are
 * counted and said once at debug. The source polls like http (DDNS_POLL_INTERVAL; it has no `watch`). A whole
 * detection — the gateway lookup and every protocol — has one deadline (5 s, deadline.ts).
 *
 * A private or CGNAT answer means double NAT: the router is itself behind a NAT. That, another unpublishable answer
 * (0.0.0.0: no WAN address yet) and no answer at all is a failed detection marked `wantsFallback`, so that with
 * DDNS_IP_SOURCE_HTTP_FALLBACK=true the engine asks the http source (said once per situation); without it, the
 * failure names the variable to set.
 */
export interface RouterSourceDeps {
  /** DDNS_IP_SOURCE_ROUTER_ADDRESS. */
  address?: string;
  /** DDNS_IP_SOURCE_ROUTER_PROTOCOLS, in the order tried. */
  protocols: readonly RouterProtocol[];
  httpFallback: boolean;
  allowPrivate: boolean;
  openUdp: OpenUdp;
  fetch: typeof fetch;
  /** The netlink runtime, for the default gateway (RTM_GETROUTE) where /proc/net/route cannot be read (Deno). */
  netlink?: () => NetlinkRuntimeResult;
  /** Reads /proc/net/route (the default gateway's first source). */
  readFile: (path: string) => Promise<string>;
  randomBytes: (n: number) => Uint8Array;
  userAgent: string;
  log: Logger;
  /** Tests: the routers' ports (5351, 5351, 1900) and the SSDP group (`null`: M-SEARCH only to the router). */
  ports?: Partial<RouterPorts>;
  ssdpGroup?: UdpPeer | null;
  timing?: RouterTiming;
  /** The deadline's clock and timers (tests drive them). */
  clock?: RouterClock;
}

/** How long the gateway lookup over netlink may take of the detection's deadline. */
const ROUTE_DUMP_MS = 1000;

export interface RouterSource extends IpSource {
  /** How many datagrams or URLs from other hosts than the router were ignored. */
  ignoredCount(): number;
}

export function createRouterSource(deps: RouterSourceDeps): RouterSource {
  const ports = { ...DEFAULT_PORTS, ...deps.ports };
  const ssdpGroup = deps.ssdpGroup === null ? undefined : (deps.ssdpGroup ?? { address: SSDP_GROUP, port: ports.ssdp });
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const clock = deps.clock ?? SYSTEM_CLOCK;
  let netlink: NetlinkRuntimeResult | undefined;
  const gatewayWorld = (deadlineMs: number): GatewayWorld => ({
    deadlineMs,
    readFile: deps.readFile,
    dumpRoutes: async (ms) => {
      netlink ??= deps.netlink?.() ?? { unavailable: "no netlink runtime was given" };
      return "unavailable" in netlink ? { ok: false, error: netlink.unavailable } : netlink.dumpRoutes({ deadlineMs: ms });
    },
  });
  const igd = createIgdClient();
  const ask: Record<RouterProtocol, (q: RouterQuery) => Promise<RouterAnswer>> = { pcp: askPcp, natpmp: askNatPmp, igd: igd.ask };
  let remembered: RouterProtocol | undefined;
  /** Whether the router's first publishable answer has been said (once, at info). */
  let announced = false;
  let ignored = 0;
  /** The situation of the last failed detection, while they fail in a row. */
  let lastSituation: string | undefined;

  const noted = (what: string) => {
    ignored += 1;
    if (ignored === 1) deps.log.debug(`Router source: ignored ${what}; only the router's own answers are believed (later ones are counted, not logged)`);
  };

  /**
   * A failed detection that the fallback may answer. Said once per situation (no router, no answer, double NAT): with
   * the fallback at info, as ddnsd turns to http; without it, the engine warns when a failure streak starts, and the
   * source warns itself only when the situation changes within a streak.
   */
  const fail = (error: string, situation: string, hint = true): Detection => {
    const previous = lastSituation;
    lastSituation = situation;
    if (deps.httpFallback) {
      if (previous !== situation) deps.log.info(`${capitalize(error)}; asking the http source (DDNS_IP_SOURCE_HTTP_FALLBACK=true)`);
      return { ok: false, family: 4, error, wantsFallback: true };
    }
    const line = hint ? `${error}; set DDNS_IP_SOURCE_HTTP_FALLBACK=true to ask the http source instead` : error;
    if (previous !== undefined && previous !== situation) deps.log.warn(`Still no IPv4 address: ${line}`);
    return { ok: false, family: 4, error: line, wantsFallback: true };
  };

  /** A router answer that may not be published: double NAT (private, CGNAT), no WAN address yet, or anything else. */
  function unpublishable(router: string, address: string, name: string, why: string): Detection {
    const range = parseAddress(address)!.range;
    if (range === "unspecified") return fail(`the router ${router} reports ${address} over ${name}: it has no WAN address yet (is the uplink down?)`, "no-wan");
    if (range !== "carrierGradeNat" && range !== "private") return fail(`the router ${router} answers over ${name}, but ${why}`, "unpublishable");
    const kind = range === "carrierGradeNat" ? "a CGNAT (100.64.0.0/10) address" : "a private (RFC 1918) address";
    return fail(
      `the router ${router} reports ${address} over ${name}, ${kind}: double NAT — the router is itself behind another NAT (often the carrier's), so this is not the public address`,
      "double-nat",
    );
  }

  async function detect(family: Family, signal: AbortSignal): Promise<Detection> {
    if (family !== 4) return { ok: false, family, error: "the router source reads only IPv4 (IGD has no useful IPv6 answer); set DDNS_IP_SOURCE_TYPE_V6=netlink or http" };
    const deadline = startDeadline(timing.deadlineMs, clock);
    const router = await findRouter(deps.address, gatewayWorld(Math.min(ROUTE_DUMP_MS, deadline.left())));
    if (!router.ok) return fail(router.reason, "no-router", false);
    const base = { router: router.address, ports, ssdpGroup, openUdp: deps.openUdp, fetch: deps.fetch, userAgent: deps.userAgent, randomBytes: deps.randomBytes, timing, clock, deadline, signal, log: deps.log, ignored: noted };
    const order = remembered ? [remembered, ...deps.protocols.filter((p) => p !== remembered)] : [...deps.protocols];
    const reasons: string[] = [];
    let firstReason: string | undefined;
    for (const [i, protocol] of order.entries()) {
      if (signal.aborted) return { ok: false, family, error: "detection was cancelled" };
      const name = PROTOCOL_NAMES[protocol];
      const openingMs = deadline.share(order.length - i, timing.budgetMs);
      if (openingMs <= 0) {
        reasons.push(`${name}: not asked (the detection's ${deadline.totalMs / 1000}s deadline had passed)`);
        continue;
      }
      const q: RouterQuery = { ...base, openingMs };
      const answer = await ask[protocol](q);
      if (!answer.ok || parseAddress(answer.address)?.family !== 4) {
        const reason = answer.ok ? `gave ${JSON.stringify(answer.address.slice(0, 40))}, which is not an IPv4 address` : answer.reason;
        reasons.push(`${name}: ${reason}`);
        firstReason ??= reason;
        deps.log.debug(`Router ${router.address} gave no address over ${name}: ${reason}`);
        continue;
      }
      if (remembered !== undefined && remembered !== protocol) {
        deps.log.warn(`Router ${router.address} no longer answers over ${PROTOCOL_NAMES[remembered]} (${firstReason ?? "no answer"}); using ${name} instead`);
      }
      remembered = protocol;
      const verdict = checkPublishable(answer.address, 4, { allowPrivate: deps.allowPrivate });
      // An answer that cannot be published is said in one line (what the router reports and what it means).
      if (!verdict.ok) return unpublishable(`${router.address} (${router.how})`, answer.address, name, verdict.reason);
      if (!announced) deps.log.info(`Router ${router.address} (${router.how}) answers over ${name}`);
      announced = true;
      lastSituation = undefined;
      return { ok: true, family, address: verdict.address, source: `router ${router.address} (${name})` };
    }
    const tried = order.map((p) => PROTOCOL_NAMES[p]).join(", ");
    return fail(`the router ${router.address} (${router.how}) gave no address over ${tried} (${reasons.join("; ")})`, "no-answer");
  }

  return { type: "router", detect, ignoredCount: () => ignored };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
