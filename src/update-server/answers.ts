import type { FamilyAddress } from "../core/family.ts";
import type { HostOutcome } from "./types.ts";

/**
 * The DynDNS2 answers the update endpoint gives. Per-host codes come one line per requested host, in request
 * order; request-level codes (`badauth`, `badagent`, `numhost`, a missing hostname, a lockout) are one line.
 *
 * HTTP status: 200 for every DynDNS2 code a client must read from the body (ddclient and routers treat any other
 * status as "no answer"), except `badauth` (401 with a Basic challenge, so that clients which only send
 * credentials when challenged — wget, uclient-fetch — can log in), `badagent` (405), and `badrequest` (400):
 * ddnsd's own line for a query it cannot use (an address that is malformed or may not be published).
 */
export interface EdgeAnswer {
  status: number;
  lines: string[];
  headers: Record<string, string>;
}

export const REALM = "ddnsd";

/** Every per-host line: `good`/`nochg` carry the addresses (IPv4 first, comma-separated, as `myip` takes them). */
export type HostLine = HostOutcome | "nohost" | "notfqdn" | "abuse";

export function hostLine(code: HostLine, addresses: FamilyAddress[] = []): string {
  if (code !== "good" && code !== "nochg") return code;
  const text = [...addresses].sort((a, b) => a.family - b.family).map((a) => a.address).join(",");
  return text ? `${code} ${text}` : code;
}

const answer = (status: number, lines: string[], headers: Record<string, string> = {}): EdgeAnswer => ({ status, lines, headers });
const retryAfter = (ms: number) => ({ "Retry-After": String(Math.max(1, Math.ceil(ms / 1000))) });

export const answers = {
  hosts: (lines: string[], retryAfterMs?: number) => answer(200, lines, retryAfterMs === undefined ? {} : retryAfter(retryAfterMs)),
  badauth: () => answer(401, ["badauth"], { "WWW-Authenticate": `Basic realm="${REALM}", charset="UTF-8"` }),
  badagent: () => answer(405, ["badagent"], { Allow: "GET" }),
  /** The client is locked out after repeated failed logins; the same answer whatever credentials it sends now. */
  lockedOut: (retryAfterMs: number) => answer(200, ["abuse"], retryAfter(retryAfterMs)),
  notfqdn: () => answer(200, ["notfqdn"]),
  numhost: () => answer(200, ["numhost"]),
  badrequest: () => answer(400, ["badrequest"]),
  /** The endpoint cannot work at all (a Worker with a configuration error). */
  unavailable: () => answer(500, ["911"]),
};

/** Plain text, one line each, never cached; `HEAD`-safe (the body is just text). */
export function toResponse(a: EdgeAnswer): Response {
  return new Response(`${a.lines.join("\n")}\n`, {
    status: a.status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...a.headers },
  });
}
