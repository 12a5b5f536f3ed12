import { RuntimeInitError } from "../core/errors.ts";

/**
 * The one shape both HTTP adapters share (serve-bun.ts, serve-deno.ts). Shared code receives a `Serve` and never
 * learns which runtime answers. `hostname` is a bare host: `127.0.0.1`, `0.0.0.0`, `::1` or `::` (no brackets).
 */
export interface ServeInfo {
  /** The peer's address when the runtime tells it. */
  remoteAddress?: string;
}

export type FetchHandler = (req: Request, info?: ServeInfo) => Response | Promise<Response>;

export interface ServeOptions {
  hostname: string;
  /** 0 asks the kernel for a free port; the handle's `port` says which. */
  port: number;
  fetch: FetchHandler;
}

export interface ServeHandle {
  /** The port actually bound. */
  port: number;
  /** Stops listening and ends open connections; resolves once the port is free again. Safe to call twice. */
  close(): Promise<void>;
}

export type Serve = (opts: ServeOptions) => Promise<ServeHandle>;

/** `host:port` as an operator writes it: IPv6 literals in brackets (`[::1]:8080`). */
export function formatHostPort(hostname: string, port: number): string {
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  return bare.includes(":") ? `[${bare}]:${port}` : `${bare}:${port}`;
}

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
