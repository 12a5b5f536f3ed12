/**
 * The sliver of Deno's API that src/runtime/serve-deno.ts uses, so that `tsc` (which knows Bun's types, not Deno's)
 * can check that file. `deno check` never sees this file (nothing imports it) and uses its own lib instead.
 * Every name below is either new to the `Deno` namespace or an overload, so even a checker that loads both this
 * file and Deno's lib merges them without a conflict.
 */
declare namespace Deno {
  interface DdnsdServeAddr {
    hostname: string;
    port: number;
  }

  interface DdnsdServeServer {
    readonly addr: DdnsdServeAddr;
    /** Resolves once the server has stopped (after `signal` aborts or `shutdown()`). */
    readonly finished: Promise<void>;
    shutdown(): Promise<void>;
  }

  interface DdnsdServeOptions {
    hostname?: string;
    port?: number;
    signal?: AbortSignal;
    onListen?: (addr: DdnsdServeAddr) => void;
    onError?: (error: unknown) => Response | Promise<Response>;
  }

  function serve(
    options: DdnsdServeOptions,
    handler: (req: Request, info: { remoteAddr: DdnsdServeAddr }) => Response | Promise<Response>,
  ): DdnsdServeServer;
}
