import { bareHostname, listenError } from "./serve-common.ts";
import type { Serve, ServeHandle } from "../http/serve-types.ts";

/** The part of Bun's `Server` the adapter uses (spelled out, so the parameters stay typed wherever Bun's are absent). */
type PeerLookup = { requestIP(req: Request): { address: string } | null };
type BunServer = { port?: number; stop(closeActive: boolean): Promise<void> };
type BunServe = (options: {
  hostname: string;
  port: number;
  development: boolean;
  reusePort: boolean;
  fetch(req: Request, server: PeerLookup): Response | Promise<Response>;
  error(): Response;
}) => BunServer;
/** `Bun.serve`, reached through globalThis so that `deno check` of the same tree needs no Bun type definitions. */
const bunServe = (): BunServe => (globalThis as unknown as { Bun: { serve: BunServe } }).Bun.serve;

/**
 * The HTTP adapter for Bun: `Bun.serve`, which throws synchronously when it cannot bind (EADDRINUSE, EACCES…);
 * that becomes a RuntimeInitError naming the address. Only main code running on Bun imports this file.
 */
export const serveBun: Serve = async (opts) => {
  const hostname = bareHostname(opts.hostname);
  let server: BunServer;
  try {
    server = bunServe()({
      hostname,
      port: opts.port,
      development: false,
      // Stated, not left to the default: a second daemon on the same port must fail, never share it.
      reusePort: false,
      // The socket peer goes to the app as `ServeInfo` (hono's env): the update endpoint's caller address.
      fetch: (req: Request, srv: PeerLookup) => opts.fetch(req, { remoteAddress: srv.requestIP(req)?.address }),
      // A handler that throws answers a bare 500: no stack, no message, nothing that could carry a secret.
      error: () => new Response("internal error", { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } }),
    });
  } catch (error) {
    throw listenError(hostname, opts.port, error);
  }
  const port = server.port ?? opts.port;
  let closing: Promise<void> | undefined;
  const handle: ServeHandle = {
    port,
    close: () => (closing ??= server.stop(true).then(() => undefined)),
  };
  return handle;
};
