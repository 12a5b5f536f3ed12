import { explainHttpFailure } from "../kit/explain-failure.ts";
import type { FailureKind } from "../kit/types.ts";
import type { ApiFailure, CfError } from "./api-types.ts";
import { allCodes } from "./envelope.ts";

/**
 * Turns one failed Cloudflare call into what the operator reads: the failure kind, and a reason that says what
 * went wrong (Cloudflare's own words quoted, never trusted) and what to do about it. A reason never promises a
 * retry or its delay: the engine states the delay it actually scheduled (from `retryAfterMs` when there is one).
 * Codes from Cloudflare's API documentation and the answers operators report.
 */

export interface Explanation {
  kind: FailureKind;
  reason: string;
  retryAfterMs?: number;
}

const TOKEN_FIX = 'give the API token the permissions "Zone:Read" and "DNS:Edit" for this zone';

/** Quotes untrusted text for a message: JSON string syntax, at most `max` characters. */
export function quote(text: string, max = 120): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** `code 9109 "Invalid access token"`, chains included: `code 1004 "DNS Validation Error" (9005 "…")`. */
export function describeCodes(errors: CfError[]): string {
  const one = (e: CfError): string => {
    const chain = e.error_chain?.length ? ` (${e.error_chain.map((c) => `${c.code} ${quote(c.message, 80)}`).join(", ")})` : "";
    return `${e.code} ${quote(e.message, 80)}${chain}`;
  };
  if (errors.length === 0) return "no error code";
  return `code ${errors.slice(0, 3).map(one).join("; ")}`;
}

function fromCodes(f: ApiFailure, codes: number[], said: string): Explanation | undefined {
  const has = (...c: number[]) => c.some((x) => codes.includes(x));
  if (has(9109)) {
    return { kind: "auth", reason: `Cloudflare refused the API token (${said}); check DDNS_PROVIDER_API_TOKEN: the token may be mistyped, expired, revoked or limited to other client addresses` };
  }
  if (has(9106)) return { kind: "auth", reason: `Cloudflare received no API token (${said}); set DDNS_PROVIDER_API_TOKEN or DDNS_PROVIDER_API_TOKEN_FILE` };
  if (has(6003, 6100, 6101, 6102, 6103, 6111)) {
    return { kind: "auth", reason: `Cloudflare could not read the API token (${said}); check DDNS_PROVIDER_API_TOKEN for stray characters, and use an API token, not the Global API Key` };
  }
  if (has(1000, 1001)) return { kind: "auth", reason: `Cloudflare rejected the API token (${said}); create a user API token and ${TOKEN_FIX}` };
  if (has(971) || f.status === 429) {
    const explanation: Explanation = {
      kind: "rate-limited",
      reason: `Cloudflare is rate-limiting requests (${said}); every client of this Cloudflare user shares 1200 requests per 5 minutes`,
    };
    if (f.retryAfterMs !== undefined) explanation.retryAfterMs = f.retryAfterMs;
    return explanation;
  }
  if (has(10000)) return { kind: "auth", reason: `Cloudflare refused the request (${said}); ${TOKEN_FIX}` };
  if (has(81053, 81054, 81055)) {
    return { kind: "config", reason: `Cloudflare refused because a CNAME record holds this name (${said}); delete the CNAME record or remove the name from DDNS_RECORDS` };
  }
  if (has(81057, 81058)) {
    return { kind: "transient", reason: `Cloudflare reports that the record already exists (${said}); someone else probably created it at the same moment (it is read back before the next write)` };
  }
  if (has(81044) || (f.status === 404 && codes.length === 0)) {
    return { kind: "transient", reason: `the record no longer exists at Cloudflare (${said}); it was probably deleted by hand (the records are read again before the next write)` };
  }
  if (has(7000, 7003, 1003)) {
    return { kind: "transient", reason: `Cloudflare does not know the zone or record (${said}); the zone may have been removed or added again (it is looked up again before the next write); if this persists, check DDNS_PROVIDER_API_URL` };
  }
  if (has(9021) || /\bttl\b/i.test(said)) return { kind: "config", reason: `Cloudflare refused the record's TTL (${said}); set DDNS_RECORD_TTL to auto or to a number of seconds Cloudflare accepts (60 to 86400)` };
  if (has(9041)) return { kind: "config", reason: `Cloudflare cannot proxy this record (${said}); set DDNS_RECORD_PROXIED=false` };
  if (has(9005, 9006)) return { kind: "config", reason: `Cloudflare refused the address (${said}); if the address is a valid public address, please report this as a ddnsd bug` };
  if (has(1004)) return { kind: "config", reason: `Cloudflare refused the record as invalid (${said}); check the record name and DDNS_RECORD_TTL / DDNS_RECORD_PROXIED` };
  return undefined;
}

export function explainFailure(f: ApiFailure): Explanation {
  switch (f.reason) {
    case "bad-token":
      return { kind: "auth", reason: "the API token contains spaces, line breaks or other characters an HTTP header cannot carry; check DDNS_PROVIDER_API_TOKEN (or the file named by DDNS_PROVIDER_API_TOKEN_FILE)" };
    case "local-rate-limit":
      return {
        kind: "rate-limited",
        reason: "ddnsd held the request back to stay within Cloudflare's rate limit",
        retryAfterMs: f.retryAfterMs ?? 0,
      };
    case "aborted":
      return { kind: "transient", reason: "the request was cancelled before Cloudflare answered (shutdown or the round's deadline)" };
    case "timeout":
      return { kind: "transient", reason: `Cloudflare did not answer (${f.detail})` };
    case "refused":
      return { kind: "transient", reason: `could not connect to the Cloudflare API (connection refused); check DDNS_PROVIDER_API_URL and the network` };
    case "network":
      return { kind: "transient", reason: `the connection to Cloudflare failed (${f.detail})` };
    case "html":
      return { kind: "transient", reason: `Cloudflare answered HTTP ${f.status} with an HTML page instead of JSON (an outage, or a proxy in the way)` };
    case "invalid-json":
      return { kind: "transient", reason: `Cloudflare answered HTTP ${f.status} with something that is not a JSON API answer; if this persists, check DDNS_PROVIDER_API_URL` };
    case "too-large":
    case "encoding":
    case "redirect": {
      if (!f.http) break;
      const e = explainHttpFailure(f.http, { service: "Cloudflare" });
      return { kind: e.kind, reason: e.reason };
    }
    case "api":
    case "http":
      break;
  }
  const said = f.errors.length ? `HTTP ${f.status}, ${describeCodes(f.errors)}` : `HTTP ${f.status}`;
  const known = fromCodes(f, allCodes(f.errors), said);
  if (known) return known;
  const status = f.status ?? 0;
  if (status === 401 || status === 403) return { kind: "auth", reason: `Cloudflare refused the API token (${said}); ${TOKEN_FIX}` };
  if (status >= 500) return { kind: "transient", reason: `Cloudflare failed (${said})` };
  if (status >= 400) return { kind: "config", reason: `Cloudflare refused the request (${said}); if this persists, please report it as a ddnsd bug` };
  return { kind: "transient", reason: `Cloudflare reported a failure (${said})` };
}

/** The failure means a record id we used is gone: drop it and read again. */
export function isStaleRecord(f: ApiFailure): boolean {
  const codes = allCodes(f.errors);
  return codes.includes(81044) || codes.includes(7003) || (f.status === 404 && f.reason !== "html");
}

/** The failure means a zone id we used is gone (the zone was removed, or deleted and added again). */
export function isStaleZone(f: ApiFailure): boolean {
  const codes = allCodes(f.errors);
  return codes.includes(7003) || codes.includes(1003);
}

/** The batch endpoint is not available here (an API-compatible service, or an older API). */
export function isBatchRefused(f: ApiFailure): boolean {
  if (f.reason !== "api" && f.reason !== "http") return false;
  const codes = allCodes(f.errors);
  return f.status === 404 || f.status === 405 || f.status === 501 || codes.includes(7000) || codes.includes(7003);
}
