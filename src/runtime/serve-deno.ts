import { bareHostname, listenError } from "./serve-common.ts";
import type { Serve, ServeHandle } from "../http/serve-types.ts";

/**
 * The HTTP adapter for Deno: `Deno.serve`, quiet (no "Listening on" banner), stopped through an AbortSignal.
 * `Deno.serve` throws synchronously when it cannot bind (`Deno.errors.AddrInUse`…); that becomes a RuntimeInitError
 * naming the address. tsc sees the Deno API through types/deno-serve.d.ts; `deno check` through its own lib.
 */
export const serveDeno: Serve = async (opts) => {
  const hostname = bareHostname(opts.hostname);
  const abort = new AbortController();
  const server = (() => {
    try {
      return Deno.serve(
        {
          hostname,
          port: opts.port,
          signal: abort.signal,
          onListen: () => {},
          // A handler that throws answers a bare 500: no stack, no message, nothing that could carry a secret.
          onError: () => new Response("internal error", { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } }),
        },
        // The socket peer goes to the app as `ServeInfo` (hono's env): the update endpoint's caller address.
        (req, info) => opts.fetch(req, { remoteAddress: info.remoteAddr.hostname }),
      );
    } catch (error) {
      throw listenError(hostname, opts.port, error);
    }
  })();
  let closing: Promise<void> | undefined;
  const handle: ServeHandle = {
    port: server.addr.port,
    close: () => {
      closing ??= (async () => {
        abort.abort();
        await server.finished;
      })();
      return closing;
    },
  };
  return handle;
};
