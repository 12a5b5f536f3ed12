/**
 * How one call through the kit's HTTP client ends. Every provider reads the same shape, so a 429, a 5xx, an HTML
 * page, a redirect, an oversized body or a timeout is sorted once (http-client.ts) and explained once
 * (explain-failure.ts), with each provider free to say it in its service's words.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type HttpFailureReason =
  /** The request's own deadline passed (connecting, waiting, or while the body trickled in). */
  | "timeout"
  /** The caller's signal was aborted (shutdown, the round's deadline). */
  | "aborted"
  /** Nothing listened: the request was not sent. */
  | "refused"
  /** Any other transport failure (reset, DNS, TLS). */
  | "network"
  /** The body passed the client's byte cap (counted while it streamed; nothing more was read). */
  | "too-large"
  /** The body was compressed although identity was asked for; it was not read (see src/net/read-capped.ts). */
  | "encoding"
  /** A redirect that is not followed: to another origin, too many, `303` after a write, or without a Location. */
  | "redirect"
  /** An HTTP status outside 2xx (the body, redacted, is in `body`). */
  | "http"
  /** A JSON client received an HTML page (an outage page, a captive portal, a proxy). */
  | "html"
  /** A JSON client received a 2xx body that is not JSON. */
  | "invalid-json";

export type RedirectProblem = "other-origin" | "too-many" | "see-other" | "no-location";

export interface HttpFailure {
  reason: HttpFailureReason;
  method: HttpMethod;
  /** The request's URL as shown to operators: origin and path, `?…` for a query. */
  url: string;
  /** HTTP status, when an answer came. */
  status?: number;
  headers?: Headers;
  /** The answer's text, with every secret redacted before anything could cut it. */
  body?: string;
  /** The answer as JSON (every string in it redacted), when a JSON client got a JSON error body. */
  json?: unknown;
  /** What `Retry-After` asked for, in milliseconds. */
  retryAfterMs?: number;
  /** True when a write may have taken effect although its answer was lost or unusable ("could not confirm"). */
  mayHaveArrived: boolean;
  /** Transport failures: one line in the runtime's words, without URL queries or secrets. */
  detail?: string;
  /** `network`: the connection was reset or closed before a whole answer came. */
  reset?: boolean;
  /** `timeout`: the deadline that passed. */
  timeoutMs?: number;
  /** `too-large`: the cap that was passed. */
  limit?: number;
  /** `encoding`: the Content-Encoding that was refused. */
  encoding?: string;
  /** `redirect`: why it was not followed, and where it pointed (shown like `url`). */
  redirect?: RedirectProblem;
  location?: string;
}

export interface HttpSuccess {
  ok: true;
  status: number;
  headers: Headers;
}

export type HttpResult<T> = (HttpSuccess & T) | { ok: false; failure: HttpFailure };

export type TextResult = HttpResult<{ text: string }>;
export type JsonResult<T> = HttpResult<{ json: T | undefined }>;
