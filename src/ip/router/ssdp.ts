import { udpExchange } from "./udp-exchange.ts";
import { openSocket, type RouterQuery } from "./router-types.ts";

/**
 * SSDP discovery of the router's Internet Gateway Device (UPnP Device Architecture 1.1 §1.3): an `M-SEARCH` for each
 * WAN connection service ddnsd can ask, sent to the multicast group 239.255.255.250:1900 and also straight to the
 * router (unicast M-SEARCH, §1.3.2, answered even where multicast is filtered), and the first answer from the
 * router's own address that names a description URL on the router. Answers from other hosts — any device on the LAN
 * can answer an M-SEARCH — are ignored and counted: only the gateway is believed.
 */
export const SEARCH_TARGETS = [
  "urn:schemas-upnp-org:service:WANIPConnection:2",
  "urn:schemas-upnp-org:service:WANIPConnection:1",
  "urn:schemas-upnp-org:service:WANPPPConnection:1",
] as const;

/** An SSDP answer fits one datagram of a few hundred bytes; anything longer is not read. */
export const MAX_SSDP_BYTES = 2048;

export function encodeMSearch(searchTarget: string, host: string): Uint8Array {
  const text = [`M-SEARCH * HTTP/1.1`, `HOST: ${host}`, `MAN: "ssdp:discover"`, `MX: 1`, `ST: ${searchTarget}`, `USER-AGENT: ddnsd UPnP/1.1`, "", ""].join("\r\n");
  return new TextEncoder().encode(text);
}

export interface SsdpAnswer {
  location: string;
  searchTarget: string;
}

/**
 * Reads one datagram as the answer to our M-SEARCH: `HTTP/1.1 200 OK`, an `ST` we searched for, and a `LOCATION`
 * that is an http URL on `router` (any port). `undefined` for anything else. Bounded and never throws.
 */
export function parseSsdpAnswer(bytes: Uint8Array, router: string): SsdpAnswer | undefined {
  if (bytes.length > MAX_SSDP_BYTES) return undefined;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const lines = text.split("\r\n");
  if (!/^HTTP\/1\.[01] 200(?: |$)/.test(lines[0] ?? "")) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (headers.has(name)) return undefined;
    headers.set(name, line.slice(colon + 1).trim());
  }
  const searchTarget = headers.get("st");
  const location = headers.get("location");
  if (searchTarget === undefined || !(SEARCH_TARGETS as readonly string[]).includes(searchTarget)) return undefined;
  if (location === undefined || !isRouterUrl(location, router)) return undefined;
  return { location, searchTarget };
}

/** An `http:` URL whose host is the router's address (a description or control URL elsewhere is not believed). */
export function isRouterUrl(url: string, router: string): boolean {
  if (url.length > 512) return false;
  try {
    const u = new URL(url);
    return u.protocol === "http:" && u.hostname === router && u.username === "" && u.password === "";
  } catch {
    return false;
  }
}

export type Discovery = { ok: true; answer: SsdpAnswer } | { ok: false; reason: string };

/** Discovery within `budgetMs` (the protocol's share of the deadline, or what is left of it when rediscovering). */
export async function discoverGateway(q: RouterQuery, budgetMs: number): Promise<Discovery> {
  const socket = await openSocket(q);
  if ("reason" in socket) return { ok: false, reason: socket.reason };
  const router = { address: q.router, port: q.ports.ssdp };
  const unicast = (st: string) => encodeMSearch(st, `${q.router}:${q.ports.ssdp}`);
  const group = q.ssdpGroup;
  const multicast = group ? SEARCH_TARGETS.map((st) => ({ bytes: encodeMSearch(st, `${group.address}:${group.port}`), to: group })) : [];
  try {
    const result = await udpExchange({
      socket,
      to: router,
      anyPort: true,
      request: unicast(SEARCH_TARGETS[0]),
      alsoSend: [...SEARCH_TARGETS.slice(1).map((st) => ({ bytes: unicast(st), to: router })), ...multicast],
      accept: (bytes) => {
        const answer = parseSsdpAnswer(bytes, q.router);
        if (answer === undefined && bytes.length <= MAX_SSDP_BYTES && /LOCATION:/i.test(new TextDecoder().decode(bytes))) {
          q.ignored("an SSDP answer from the router whose LOCATION is not an http URL on the router");
        }
        return answer;
      },
      signal: q.signal,
      initialMs: q.timing.initialMs,
      budgetMs,
      clock: q.clock,
      ignored: (from) => q.ignored(`an SSDP answer from ${from.address}, not the router`),
    });
    if (!result.ok) return { ok: false, reason: `no UPnP gateway answered SSDP M-SEARCH from ${q.router} (${result.reason}; is UPnP enabled on the router?)` };
    return { ok: true, answer: result.value };
  } finally {
    socket.close();
  }
}
