import { RuntimeInitError } from "../core/errors.ts";
import { formatHostPort } from "../http/serve-types.ts";

/** What both HTTP adapters (serve-bun.ts, serve-deno.ts) share: host spelling and the listen failure's wording. */
/** The runtimes want IPv6 literals bare; accept `[::1]` too, in case a caller kept the brackets. */
export const bareHostname = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

const REASONS: Record<string, string> = {
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available on this host",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EPERM: "permission denied",
  AddrInUse: "address already in use",
  AddrNotAvailable: "address not available on this host",
  PermissionDenied: "permission denied (ports below 1024 need privileges)",
};

/**
 * Turns a runtime's listen failure into the operator's message: `Could not listen on 127.0.0.1:8080: address
 * already in use` (exit 2 through RuntimeInitError). Unknown failures keep their first line.
 */
export function listenError(hostname: string, port: number, cause: unknown): RuntimeInitError {
  const c = (cause ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const key = [c.code, c.name].find((k): k is string => typeof k === "string" && k in REASONS);
  const detail = key ? REASONS[key] : String(c.message ?? cause).split("\n")[0];
  return new RuntimeInitError("E_HTTP_LISTEN", `Could not listen on ${formatHostPort(hostname, port)}: ${detail}`, { cause });
}
