import { describeSize } from "../../net/read-capped.ts";
import { stripQueries } from "../../net/transport-error.ts";
import { explainHttpFailure } from "./explain-failure.ts";
import { createHttpClient } from "./http-client.ts";
import type { HttpFailure } from "./http-types.ts";

/**
 * One plain-text GET as the DynDNS2 and DuckDNS protocols need, on the kit's HTTP client (timeout joined with the
 * caller's signal, byte cap, no redirect to another origin, redaction). Any HTTP status is an answer here (these
 * protocols put their verdict in the body, whatever the status), so only a missing or unusable answer is a failure,
 * with a short reason that contains no URL query and no secret (DuckDNS sends its token in the query, and runtimes
 * put the whole request URL into their network error messages).
 */
export type TextAnswer =
  | { ok: true; status: number; body: string; retryAfterMs?: number }
  | {
      ok: false;
      /** `unreachable`: nothing was processed (refused, a network failure, a redirect not followed); the rest leave
       *  the update's outcome unknown. */
      failure: "timeout" | "aborted" | "unreachable" | "too-large" | "encoding";
      detail: string;
    };

export interface TextGetOptions {
  fetch: typeof fetch;
  userAgent: string;
  timeoutMs: number;
  now: () => number;
  /** Values that must never appear in a failure's `detail`. */
  secrets: string[];
  /** What the service is called in a reason (default "the service"). */
  service?: string;
}

export interface TextGetInit {
  signal: AbortSignal;
  headers?: Record<string, string>;
}

export type TextGet = (url: string, query: Record<string, string>, init: TextGetInit) => Promise<TextAnswer>;

/** Longest body kept for parsing (cut after redaction); DynDNS2 and DuckDNS answers are a few short lines. */
const MAX_BODY = 4096;
/** Longest body read at all: room for an error page, which is then reported by its first line. */
const MAX_BYTES = 256 * 1024;

const formatMs = (ms: number) => (ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`);

function toAnswer(f: HttpFailure, o: TextGetOptions): TextAnswer {
  switch (f.reason) {
    case "http":
      return { ok: true, status: f.status ?? 0, body: (f.body ?? "").slice(0, MAX_BODY), ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }) };
    case "aborted":
      return { ok: false, failure: "aborted", detail: "the request was cancelled" };
    case "timeout":
      return { ok: false, failure: "timeout", detail: `no answer within ${formatMs(o.timeoutMs)}` };
    case "too-large":
      return { ok: false, failure: "too-large", detail: `the answer (HTTP ${f.status}) was larger than ${describeSize(f.limit ?? 0)}` };
    case "encoding":
      return { ok: false, failure: "encoding", detail: `the answer (HTTP ${f.status}) was compressed (Content-Encoding ${JSON.stringify(f.encoding ?? "")}) although ddnsd asked for none` };
    case "redirect":
      return { ok: false, failure: "unreachable", detail: explainHttpFailure(f, { service: o.service ?? "the service" }).reason };
    default:
      return { ok: false, failure: "unreachable", detail: stripQueries(f.detail ?? f.reason) };
  }
}

export function createTextGet(options: TextGetOptions): TextGet {
  const client = createHttpClient({ fetch: options.fetch, userAgent: options.userAgent, timeoutMs: options.timeoutMs, maxBytes: MAX_BYTES, secrets: options.secrets, now: options.now });
  return async (url, query, init) => {
    const result = await client.text(url, { query, signal: init.signal, headers: { Accept: "text/plain", ...init.headers } });
    if (!result.ok) return toAnswer(result.failure, options);
    return { ok: true, status: result.status, body: result.text.slice(0, MAX_BODY) };
  };
}

/** `scheme://host[:port]/path` of a URL, for messages: never the query (it may hold a token). */
export function describeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return stripQueries(url);
  }
}
