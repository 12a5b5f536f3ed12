/**
 * The one shape both HTTP adapters share (src/runtime/serve-bun.ts, serve-deno.ts). Shared code receives a `Serve` and never
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
