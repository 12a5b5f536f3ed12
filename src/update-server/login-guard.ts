import type { UpdateServerConfig } from "./types.ts";
import type { Logger } from "../log/logger.ts";
import { createCredentialCheck, parseAuthorization, type CredentialCheck } from "./basic-auth.ts";
import { clientKey, type ClientAddressOf } from "./client-address.ts";
import { createLockout } from "./limits.ts";
import { createRefusalLog } from "./refusal-log.ts";

/**
 * The one login of the update credentials (DDNS_UPDATE_USERNAME / _PASSWORD): the DynDNS2 endpoint and, in push
 * mode, the daemon's status answers (src/http/app.ts) check through the same guard, so they share one lockout per
 * client and one set of log lines. In this order:
 *   locked out → `locked` (whatever is sent) → no `Authorization` → `challenge` (not a failure, not logged) →
 *   no attempt left (every remaining one is being checked) → `locked` → unreadable header or wrong credentials →
 *   `refused` (a failure) → `ok` (the client's failures are cleared).
 * The attempt is reserved before the digest is awaited (limits.ts), so parallel requests cannot outrun the count.
 */
export type LoginVerdict =
  | { ok: true }
  | { ok: false; refusal: "challenge" | "refused" }
  | { ok: false; refusal: "locked"; retryAfterMs: number };

export interface LoginGuard {
  /** `caller`: the client's canonical address (client-address.ts), undefined when unknown. */
  check(authorization: string | null, caller: string | undefined): Promise<LoginVerdict>;
}

export interface LoginGuardDeps {
  settings: Pick<UpdateServerConfig, "username" | "password" | "lockout">;
  log: Logger;
  now: () => number;
  /** The credential check; default: SHA-256 over Web Crypto (basic-auth.ts). Tests pass one that counts. */
  credentials?: CredentialCheck;
}

export function createLoginGuard(deps: LoginGuardDeps): LoginGuard {
  const credentials = deps.credentials ?? createCredentialCheck({ username: deps.settings.username, password: deps.settings.password });
  const lockout = createLockout({ policy: deps.settings.lockout, now: deps.now });
  const refusals = createRefusalLog({ log: deps.log, now: deps.now, lockout: deps.settings.lockout });

  return {
    async check(authorization, caller) {
      refusals.sweep();
      const key = clientKey(caller);
      const client = caller ?? "an unknown address";
      const locked = lockout.lockedFor(key);
      if (locked > 0) {
        refusals.refused(key, client);
        return { ok: false, refusal: "locked", retryAfterMs: locked };
      }
      const parsed = parseAuthorization(authorization);
      if (parsed.kind === "missing") return { ok: false, refusal: "challenge" };
      // Synchronously, before any await: the attempt counts from here on.
      const reserved = lockout.reserve(key);
      if (!reserved.ok) {
        refusals.refused(key, client);
        return { ok: false, refusal: "locked", retryAfterMs: reserved.retryAfterMs };
      }
      let good = false;
      try {
        good = parsed.kind === "basic" && (await credentials.verify(parsed.credentials));
      } finally {
        if (good) {
          lockout.success(key);
          refusals.succeeded(key);
        } else {
          const { lockedNow, failures } = lockout.failure(key);
          refusals.failed(key, client, parsed.kind === "basic" ? "wrong credentials" : "an unreadable Authorization header", failures, lockedNow);
        }
      }
      return good ? { ok: true } : { ok: false, refusal: "refused" };
    },
  };
}

/** The guard over a whole request: the caller's address taken as the deployment says (client-address.ts). */
export type RequestLogin = (req: Request, env: unknown) => Promise<LoginVerdict>;

export const requestLogin = (guard: LoginGuard, clientAddress: ClientAddressOf): RequestLogin => (req, env) =>
  guard.check(req.headers.get("Authorization"), clientAddress(req, env));
