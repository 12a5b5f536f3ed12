import ipaddr from "ipaddr.js";

/**
 * Who is calling the update endpoint. The address serves twice: as the lockout key, and as the address to publish
 * when a request has no `myip`. Each deployment says where it comes from:
 *
 * - the daemon: the socket peer, as the runtime's serve adapter hands it in (`ServeInfo.remoteAddress`, passed to
 *   hono as its env). Never a header, unless the operator names one (DDNS_UPDATE_CLIENT_IP_HEADER, behind a
 *   reverse proxy that sets it);
 * - the Worker: `CF-Connecting-IP`, which Cloudflare's edge sets and a client cannot override.
 */
export type ClientAddressOf = (req: Request, env: unknown) => string | undefined;

/** Canonical text; an IPv4-mapped IPv6 peer (`::ffff:198.51.100.7`, from a dual-stack listener) becomes IPv4. */
export function canonicalClient(text: string | null | undefined): string | undefined {
  const t = text?.trim();
  if (!t || !ipaddr.isValid(t) || t.includes("%")) return undefined;
  return ipaddr.process(t).toString();
}

/**
 * The lockout key: the IPv4 address, or the IPv6 /64 (one subscriber usually holds a whole /64, so counting
 * single addresses would let a guesser rotate through it). Unknown callers share one key.
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return "unknown";
  const a = ipaddr.parse(address);
  if (a.kind() === "ipv4") return address;
  const parts = (a as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** The socket peer, from the `ServeInfo` the daemon's serve adapters pass as hono's env. */
export const fromSocketPeer: ClientAddressOf = (_req, env) =>
  canonicalClient((env as { remoteAddress?: string } | undefined)?.remoteAddress);

/**
 * A header set by a trusted reverse proxy. For a list (`X-Forwarded-For: client, proxy1`) the last entry is the
 * one the nearest proxy added; entries before it are whatever the client sent and are never trusted.
 */
export function fromHeader(name: string): ClientAddressOf {
  return (req) => {
    const value = req.headers.get(name);
    if (!value) return undefined;
    const last = value.split(",").pop();
    return canonicalClient(last?.trim().replace(/^\[(.*)\]$/, "$1"));
  };
}

/** Workers: the address Cloudflare's edge saw. */
export const fromCloudflareEdge: ClientAddressOf = fromHeader("CF-Connecting-IP");
