import { formatDuration } from "../core/durations.ts";
import type { UpdateServerConfig } from "./types.ts";
import type { Logger } from "../log/logger.ts";
import { answers, hostLine, type EdgeAnswer } from "./answers.ts";
import type { CredentialCheck } from "./basic-auth.ts";
import { createHostLimiter } from "./limits.ts";
import { createLoginGuard, type LoginGuard } from "./login-guard.ts";
import type { HostUpdate, UpdateBackend } from "./types.ts";
import { parseAddresses, parseHostnames } from "./update-query.ts";

/**
 * One DynDNS2 update request, start to end, in this order:
 *   method (GET only → else `badagent`) → the login (login-guard.ts: locked out or no attempt left → `abuse`,
 *   whatever the credentials; no header → the `badauth` challenge, not a failure; wrong → `badauth`) → hostnames
 *   (none → `notfqdn`, too many → `numhost`) → per host: not a name → `notfqdn`, not configured → `nohost` →
 *   addresses (unusable → `badrequest`) → per host: already confirmed → `nochg`, over the rate limit → `abuse`,
 *   else the backend publishes → `good` / `nochg` / `911` (Retry-After while the engine backs it off) / `dnserr`.
 * Authentication comes first, so that an unauthenticated caller learns nothing about the configured hosts.
 */
export interface UpdateRequest {
  method: string;
  authorization: string | null;
  query: URLSearchParams;
  /** The caller's address (see client-address.ts), canonical; undefined when unknown. */
  caller: string | undefined;
  signal: AbortSignal;
}

export interface UpdateHandlerDeps {
  settings: Pick<UpdateServerConfig, "username" | "password" | "lockout" | "rateLimit">;
  backend: UpdateBackend;
  allowPrivate: boolean;
  log: Logger;
  now: () => number;
  /** The login shared with other guarded answers (the daemon's status in push mode); default: one of its own. */
  guard?: LoginGuard;
  /** For the default guard: the credential check (tests pass one that counts). */
  credentials?: CredentialCheck;
}

export type UpdateHandler = (req: UpdateRequest) => Promise<EdgeAnswer>;

export function createUpdateHandler(deps: UpdateHandlerDeps): UpdateHandler {
  const { log, backend } = deps;
  const guard = deps.guard ?? createLoginGuard({ settings: deps.settings, log, now: deps.now, ...(deps.credentials ? { credentials: deps.credentials } : {}) });
  const limiter = createHostLimiter({ policy: deps.settings.rateLimit, now: deps.now });
  const limitText = `${deps.settings.rateLimit.count} updates per ${formatDuration(deps.settings.rateLimit.windowMs)}`;
  /** The rate limit is logged once when it starts refusing, not once per refused update (until one passes again). */
  let limiting = false;

  return async function handle(req) {
    const client = req.caller ?? "an unknown address";
    if (req.method !== "GET") return answers.badagent();
    const login = await guard.check(req.authorization, req.caller);
    if (!login.ok) return login.refusal === "locked" ? answers.lockedOut(login.retryAfterMs) : answers.badauth();

    const hosts = parseHostnames(req.query);
    if (!hosts.ok) {
      log.info(`Update from ${client}: ${hosts.code}`, { client });
      return hosts.code === "numhost" ? answers.numhost() : answers.notfqdn();
    }
    let retryAfter: number | undefined;
    const lines: string[] = hosts.hosts.map((h) => (h.name === undefined ? hostLine("notfqdn") : backend.allows(h.name) ? "" : hostLine("nohost")));
    const wanted = [...new Set(hosts.hosts.flatMap((h, i) => (lines[i] === "" ? [h.name!] : [])))];
    if (wanted.length > 0) {
      const parsed = parseAddresses(req.query, req.caller, { families: backend.families, allowPrivate: deps.allowPrivate });
      if (!parsed.ok) {
        log.warn(`Update endpoint: refused an update from ${client}: ${parsed.reason}`, { client });
        return answers.badrequest();
      }
      if (parsed.ignored.length > 0) log.debug(`Update from ${client}: ignored ${parsed.ignored.map((a) => a.address).join(", ")} (family not managed)`);
      const published = await publish(wanted, parsed.addresses, req.signal);
      hosts.hosts.forEach((h, i) => {
        if (lines[i] === "") lines[i] = published.lines.get(h.name!)!;
      });
      retryAfter = published.retryAfterMs;
    }
    const summary = hosts.hosts.map((h, i) => `${h.name ?? JSON.stringify(h.raw)}: ${lines[i]}`).join("; ");
    log.info(`Update from ${client}: ${summary}`, { client });
    return answers.hosts(lines, retryAfter);
  };

  /**
   * Per host: confirmed → nochg; the rest are one update per rate-limit key (backend.rateLimitKey: the daemon's
   * push re-points every record, so a request is one update whatever it names) → over the limit → abuse; what
   * passes goes to the backend together.
   */
  async function publish(names: string[], addresses: HostUpdate["addresses"], signal: AbortSignal) {
    const result = new Map<string, string>();
    let retryAfterMs: number | undefined;
    const pending: HostUpdate[] = [];
    const taken = new Map<string, ReturnType<typeof limiter.take>>();
    for (const host of names) {
      const update = { host, addresses };
      if (backend.confirmed(update)) {
        result.set(host, hostLine("nochg", addresses));
        continue;
      }
      const key = backend.rateLimitKey(host);
      const take = taken.get(key) ?? limiter.take(key);
      taken.set(key, take);
      if (take.ok) pending.push(update);
      else {
        retryAfterMs = Math.max(retryAfterMs ?? 0, take.retryAfterMs);
        result.set(host, hostLine("abuse"));
      }
    }
    const refused = names.filter((h) => result.get(h) === "abuse");
    if (refused.length > 0 && !limiting) {
      log.warn(`Update endpoint: over the rate limit of ${limitText}; answered abuse to ${refused.join(", ")} (until an update passes again, further refusals are logged at debug)`);
    } else if (refused.length > 0) log.debug(`Update endpoint: over the rate limit of ${limitText}; answered abuse to ${refused.join(", ")}`);
    if (pending.length > 0) limiting = false;
    else if (refused.length > 0) limiting = true;
    if (pending.length > 0) {
      const outcomes = await backend.apply(pending, signal);
      pending.forEach((u, i) => {
        const outcome = outcomes[i] ?? "911";
        result.set(u.host, hostLine(outcome, addresses));
        // A host whose records wait for the engine's retry: the client is told when (a push sooner changes nothing).
        const wait = outcome === "911" ? backend.retryAfterMs?.(u.host) : undefined;
        if (wait !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, wait);
      });
    }
    return { lines: result, retryAfterMs };
  }
}
