import type { MiddlewareHandler } from "hono";
import type { StatusBoard } from "../engine/status-board.ts";
import { REALM } from "../update-server/answers.ts";
import { UPDATE_PATH } from "../update-server/update-app.ts";
import type { RequestLogin } from "../update-server/login-guard.ts";

/**
 * Push mode's access rule for the daemon's listener, which then faces the routers (often the LAN, or more): the
 * answers that name records and addresses need the update credentials (DDNS_UPDATE_USERNAME / _PASSWORD, HTTP
 * Basic), through the endpoint's own login, so a guess here counts against the same lockout as one on
 * /nic/update.
 *
 * - `/healthz`: open (container health checks, `ddnsd healthcheck`); its answer names nothing.
 * - `/readyz` without an `Authorization` header: the status code (200/503) with a bare `ok` / `not ready`, for
 *   probes that cannot send credentials; never locked out, since it reveals nothing. With a header it is checked
 *   like the rest, and a good login gets the full reason naming the records.
 * - `/nic/update`: checks its own login (DynDNS2 answers).
 * - everything else (`/status`, `/metrics`, any other path): 401 with the Basic challenge without valid
 *   credentials, 429 with `Retry-After` while the client is locked out.
 */
export const UNAUTHORIZED_BODY = "authentication required: send the update credentials (HTTP Basic)";
export const LOCKED_BODY = "too many failed logins from this address; try again later";

export function guardedAccess(login: RequestLogin, status: Pick<StatusBoard, "readiness">): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (path === "/healthz" || path === UPDATE_PATH) return next();
    if (path === "/readyz" && !c.req.header("Authorization")) {
      const ready = status.readiness().ok;
      return c.text(ready ? "ok" : "not ready", ready ? 200 : 503);
    }
    const verdict = await login(c.req.raw, c.env);
    if (verdict.ok) return next();
    if (verdict.refusal === "locked") {
      return c.text(LOCKED_BODY, 429, { "Retry-After": String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))) });
    }
    return c.text(UNAUTHORIZED_BODY, 401, { "WWW-Authenticate": `Basic realm="${REALM}", charset="UTF-8"` });
  };
}
