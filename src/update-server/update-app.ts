import { Hono } from "hono";
import type { UpdateServerConfig } from "./types.ts";
import type { Logger } from "../log/logger.ts";
import { toResponse } from "./answers.ts";
import type { CredentialCheck } from "./basic-auth.ts";
import type { ClientAddressOf } from "./client-address.ts";
import type { LoginGuard } from "./login-guard.ts";
import type { UpdateBackend } from "./types.ts";
import { createUpdateHandler } from "./update-handler.ts";

/**
 * The DynDNS2 update endpoint as a hono sub-app: `/nic/update`, the path every DynDNS2 client defaults to
 * (ddclient's `script`, routers' "dyndns" presets). The daemon mounts it into its app (src/http/app.ts) when the
 * push source is on; the Worker serves it as its main route (src/daemon/worker-app.ts). Nothing here knows which.
 */
export const UPDATE_PATH = "/nic/update";

/** An update gets this long to reach the provider before the answer is `911` (clients wait ~30–60 s). */
export const DEFAULT_BUDGET_MS = 25_000;

export interface UpdateAppDeps {
  settings: Pick<UpdateServerConfig, "username" | "password" | "lockout" | "rateLimit">;
  backend: UpdateBackend;
  allowPrivate: boolean;
  /** Where the caller's address comes from (socket peer, a trusted header, CF-Connecting-IP). */
  clientAddress: ClientAddressOf;
  log: Logger;
  now: () => number;
  budgetMs?: number;
  /** The login shared with the daemon's guarded status answers (push mode); default: one of the endpoint's own. */
  guard?: LoginGuard;
  /** For the default guard: the credential check (tests pass one that counts). */
  credentials?: CredentialCheck;
}

export function createUpdateApp(deps: UpdateAppDeps): Hono {
  const handle = createUpdateHandler(deps);
  const budgetMs = deps.budgetMs ?? DEFAULT_BUDGET_MS;
  const app = new Hono();
  app.all(UPDATE_PATH, async (c) => {
    // The provider's work is bounded by the budget, not by the client's connection: a router that gives up early
    // must not leave a write half done ("could not confirm").
    const answer = await handle({
      method: c.req.method,
      authorization: c.req.header("Authorization") ?? null,
      query: new URL(c.req.url).searchParams,
      caller: deps.clientAddress(c.req.raw, c.env),
      signal: AbortSignal.timeout(budgetMs),
    });
    return toResponse(answer);
  });
  return app;
}
