import { describeSize } from "../../net/read-capped.ts";
import type { FailureKind, RequestObserver } from "./types.ts";
import type { HttpFailure, HttpResult } from "./http-types.ts";

/**
 * The generic meaning of a failed call for the engine and the operator: its FailureKind, what happened and what to
 * do. A provider names its service (`Cloudflare`, `the PowerDNS API`) and overrides the cases its service words
 * better (Cloudflare's error codes, PowerDNS's error text); everything else reads the same for every provider.
 * No text here promises a retry: whether one comes is the engine's to say.
 */
export interface ServiceWords {
  /** How the service is named in a sentence: "Cloudflare", "the PowerDNS API", "DuckDNS". */
  service: string;
  /** Where its address is configured (default DDNS_PROVIDER_API_URL). */
  urlVariable?: string;
  /** Where its secret is configured (default DDNS_PROVIDER_API_TOKEN). */
  secretVariable?: string;
}

export interface Explanation {
  kind: FailureKind;
  /** What happened, e.g. `the PowerDNS API at "…" redirected to "…" (HTTP 307)`. */
  what: string;
  /** What the operator can do about it, when anything. */
  fix?: string;
  /** `what; fix`, for providers that take the sentence whole. */
  reason: string;
  retryAfterMs?: number;
  /** A write was sent and its outcome is unknown ("could not confirm"). */
  unconfirmed: boolean;
}

const q = (text: string) => JSON.stringify(text);

/** Untrusted text for a message: redacted already by the client, so it is cut here only after redaction. */
export function quoteBody(text: string, max = 120): string {
  const line = text.trim().split(/\r?\n/)[0] ?? "";
  return q(line.length > max ? `${line.slice(0, max)}…` : line);
}

/** `10 s`, `2 s`; below a second in tenths (`0.3 s`), so a short deadline is not shown longer than it was. */
const seconds = (ms: number) => (ms >= 1000 ? `${Math.ceil(ms / 1000)} s` : `${Math.max(1, Math.round(ms / 100)) / 10} s`);

function explainParts(f: HttpFailure, w: Required<ServiceWords>, account?: string): Pick<Explanation, "kind" | "what" | "fix"> {
  const { service } = w;
  const at = `${service} at ${q(f.url)}`;
  const status = `HTTP ${f.status ?? 0}`;
  switch (f.reason) {
    case "timeout":
      return { kind: "transient", what: `${service} did not answer within ${seconds(f.timeoutMs ?? 0)}` };
    case "aborted":
      return { kind: "transient", what: `the request to ${service} was cancelled before it finished (shutdown or the round's deadline)` };
    case "refused":
      return { kind: "transient", what: `could not connect to ${at} (connection refused)`, fix: `check ${w.urlVariable} and the network` };
    case "network":
      return { kind: "transient", what: `the connection to ${service} failed (${f.reset ? "connection reset" : q(f.detail ?? "")})` };
    case "too-large":
      return { kind: "transient", what: `${service} answered ${status} with more than ${describeSize(f.limit ?? 0)}`, fix: `ddnsd reads no more than that; if this persists, check ${w.urlVariable}` };
    case "encoding":
      return {
        kind: "transient",
        what: `${service} answered ${status} compressed (Content-Encoding ${q(f.encoding ?? "")})`,
        fix: `ddnsd asks for uncompressed answers and does not inflate one; check ${w.urlVariable}, or the proxy in front of the service`,
      };
    case "redirect":
      return explainRedirect(f, w, at, status);
    case "html":
      // A login or rate-limit page says what its status says.
      if ([401, 403, 429].includes(f.status ?? 0)) return explainStatus({ ...f, body: "" }, w, status);
      return { kind: "transient", what: `${service} answered ${status} with an HTML page instead of JSON (an outage, or a proxy in the way)` };
    case "invalid-json":
      return { kind: "transient", what: `${service} answered ${status} with something that is not JSON`, fix: `if this persists, check ${w.urlVariable}` };
    case "http":
      return explainStatus(f, w, status, account);
  }
}

function explainRedirect(f: HttpFailure, w: Required<ServiceWords>, at: string, status: string): Pick<Explanation, "kind" | "what" | "fix"> {
  const to = q(f.location ?? "");
  switch (f.redirect) {
    case "other-origin":
      return { kind: "config", what: `${at} redirected to ${to} (${status})`, fix: `ddnsd does not follow redirects to another origin with credentials: set ${w.urlVariable} to the final address` };
    case "too-many":
      return { kind: "config", what: `${at} kept redirecting (last to ${to}, ${status})`, fix: `set ${w.urlVariable} to the final address` };
    case "see-other":
      return { kind: "transient", what: `${at} answered the ${f.method} with a redirect to ${to} (${status}), so its outcome is unknown` };
    default:
      return { kind: "transient", what: `${at} answered ${status}, a redirect without a usable Location`, fix: `check ${w.urlVariable}` };
  }
}

function explainStatus(f: HttpFailure, w: Required<ServiceWords>, status: string, account?: string): Pick<Explanation, "kind" | "what" | "fix"> {
  const code = f.status ?? 0;
  const quoted = f.body !== undefined && f.body.trim() !== "" ? `${status}: ${quoteBody(f.body)}` : status;
  const said = account === undefined ? quoted : account === "" ? status : `${status}, ${account}`;
  // A service that says no inside a 2xx (an envelope with `success: false`), for a reason ddnsd does not know.
  if (code >= 200 && code < 300) return { kind: "transient", what: `${w.service} reported a failure (${said})` };
  if (code === 401 || code === 403) return { kind: "auth", what: `${w.service} refused the credentials (${said})`, fix: `check ${w.secretVariable}` };
  if (code === 429) return { kind: "rate-limited", what: `${w.service} asked ddnsd to slow down (${said})` };
  if (code === 408 || code >= 500) return { kind: "transient", what: `${w.service} failed (${said})` };
  return { kind: "config", what: `${w.service} refused the request (${said})`, fix: `check the records and ${w.urlVariable}` };
}

/**
 * `account`: the service's own account of an error answer (`code 10001 "busy"`, from its error envelope), shown in
 * place of the quoted body; an empty one shows the status alone (the envelope said nothing more).
 */
export function explainHttpFailure(failure: HttpFailure, words: ServiceWords, account?: string): Explanation {
  const w: Required<ServiceWords> = { urlVariable: "DDNS_PROVIDER_API_URL", secretVariable: "DDNS_PROVIDER_API_TOKEN", ...words };
  const parts = explainParts(failure, w, account);
  const explanation: Explanation = { ...parts, reason: parts.fix ? `${parts.what}; ${parts.fix}` : parts.what, unconfirmed: failure.mayHaveArrived };
  if (failure.retryAfterMs !== undefined) explanation.retryAfterMs = failure.retryAfterMs;
  return explanation;
}

/** How a call counts in the request metrics. */
export function observedOutcome(result: HttpResult<object>): Parameters<RequestObserver>[0] {
  if (result.ok) return "ok";
  if (result.failure.reason === "timeout") return "timeout";
  return result.failure.status === 429 ? "rate-limited" : "error";
}
