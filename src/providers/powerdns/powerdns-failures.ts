import { explainHttpFailure } from "../kit/explain-failure.ts";
import type { FailureKind } from "../kit/types.ts";
import type { ApiFailure } from "./powerdns-api.ts";

export interface Failure {
  ok: false;
  kind: FailureKind;
  message: string;
  retryAfterMs?: number;
  unconfirmed?: boolean;
}

const q = (value: string) => JSON.stringify(value);

/** What the provider was doing, for the message: "listing zones", "reading the rrset", "replacing the rrset". */
export interface Action {
  what: string;
  api: string;
  /** The zone involved, when there is one (a 404 then means that zone). */
  zone?: string;
  /** True for the PATCH: a timeout then leaves the outcome unknown. */
  write?: boolean;
}

/**
 * Maps an API failure to one operator-facing result (no secret: the key is only ever a header). The message is the
 * reason only: the engine names the record, says "could not confirm" for `unconfirmed` and states the next attempt.
 */
export function apiFailure(failure: ApiFailure, action: Action): Failure {
  const at = `the PowerDNS API at ${q(action.api)}`;
  if (failure.reason === "aborted") {
    return action.write
      ? { ok: false, kind: "transient", message: `${action.what} was cancelled after the request was sent; the change may or may not have been applied`, unconfirmed: true }
      : { ok: false, kind: "transient", message: `${action.what} was cancelled before it finished` };
  }
  if (failure.reason === "timeout") {
    const message = `${at} did not answer in time while ${action.what} (${failure.detail})`;
    return action.write ? { ok: false, kind: "transient", message, unconfirmed: true } : { ok: false, kind: "transient", message };
  }
  if (failure.reason === "network") {
    return { ok: false, kind: "transient", message: `could not reach ${at} while ${action.what} (${failure.detail}); check DDNS_PROVIDER_API_URL and that pdns_server runs with api=yes and webserver=yes` };
  }
  if (failure.reason === "kit") {
    const e = explainHttpFailure(failure.http, { service: "the PowerDNS API" });
    const unconfirmed = action.write === true && e.unconfirmed;
    const prefix = unconfirmed ? `could not confirm ${action.what}: ` : "";
    const message = `${prefix}${e.what} while ${action.what}${e.fix ? `; ${e.fix}` : ""}.`;
    return { ok: false, kind: e.kind, message, ...(unconfirmed ? { unconfirmed: true } : {}) };
  }
  if (failure.reason !== "http") {
    return { ok: false, kind: "transient", message: `${at} gave an unexpected answer while ${action.what} (${failure.detail})` };
  }
  const { status, detail } = failure;
  const said = detail ? `: ${q(detail)}` : "";
  if (status === 401 || status === 403) {
    return { ok: false, kind: "auth", message: `${at} refused the API key (HTTP ${status}) while ${action.what}; check DDNS_PROVIDER_API_TOKEN against api-key in pdns.conf` };
  }
  if (status === 404) {
    const missing = action.zone ? `zone ${q(action.zone)}` : "the server id";
    return { ok: false, kind: "config", message: `${at} does not know ${missing} (HTTP 404) while ${action.what}; check DDNS_POWERDNS_SERVER_ID and that the zone exists` };
  }
  if (status === 429) {
    const rateLimited: Failure = { ok: false, kind: "rate-limited", message: `${at} asked to slow down (HTTP 429) while ${action.what}` };
    return failure.retryAfterMs === undefined ? rateLimited : { ...rateLimited, retryAfterMs: failure.retryAfterMs };
  }
  if (status >= 500) {
    const unconfirmed = action.write ? { unconfirmed: true } : {};
    return { ok: false, kind: "transient", message: `${at} failed (HTTP ${status}${said}) while ${action.what}`, ...unconfirmed };
  }
  return { ok: false, kind: "config", message: `${at} rejected ${action.what} (HTTP ${status}${said}); fix the record or the zone on the server` };
}
