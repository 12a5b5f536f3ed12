import { createFetch } from "ofetch";
import { createRedactor } from "../../log/redact.ts";
import { parseRetryAfter } from "../shared/retry-after.ts";

/**
 * One plain-text GET through ofetch, as the DynDNS2 and DuckDNS protocols need: no retries (the engine owns
 * retrying), a per-request timeout combined with the caller's signal, and never a thrown error — a failure comes
 * back as a short reason that contains no URL query and no secret (DuckDNS sends its token in the query, and
 * runtimes put the whole request URL into their network error messages).
 */
export type TextAnswer =
  | { ok: true; status: number; body: string; retryAfterMs?: number }
  | { ok: false; failure: "timeout" | "aborted" | "unreachable"; detail: string };

export interface TextGetOptions {
  fetch: typeof fetch;
  userAgent: string;
  timeoutMs: number;
  now: () => number;
  /** Values that must never appear in a failure's `detail`. */
  secrets: string[];
}

export interface TextGetInit {
  signal: AbortSignal;
  headers?: Record<string, string>;
}

export type TextGet = (url: string, query: Record<string, string>, init: TextGetInit) => Promise<TextAnswer>;

/** Longest body kept for parsing; DynDNS2 and DuckDNS answers are a few short lines. */
const MAX_BODY = 4096;

export function createTextGet(options: TextGetOptions): TextGet {
  const $fetch = createFetch({ fetch: options.fetch });
  const redact = createRedactor(options.secrets);
  return async (url, query, init) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([init.signal, timeout]);
    try {
      const response = await $fetch.raw<string, "text">(url, {
        method: "GET",
        query,
        headers: { "User-Agent": options.userAgent, Accept: "text/plain", ...init.headers },
        signal,
        retry: false,
        ignoreResponseError: true,
        responseType: "text",
      });
      // Redacted before anything quotes it: a service or proxy that echoes the request (its query holds the DuckDNS
      // token) must not put the secret, or a cut-off piece of it, into a message.
      const body = typeof response._data === "string" ? redact(response._data).slice(0, MAX_BODY) : "";
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), options.now());
      return { ok: true, status: response.status, body, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    } catch (error) {
      if (init.signal.aborted) return { ok: false, failure: "aborted", detail: "the request was cancelled" };
      if (timeout.aborted) {
        return { ok: false, failure: "timeout", detail: `no answer within ${formatMs(options.timeoutMs)}` };
      }
      return { ok: false, failure: "unreachable", detail: redact(stripQueries(describeCause(error))) };
    }
  };
}

const formatMs = (ms: number) => (ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`);

/** The most specific one-line reason: the runtime's error behind ofetch's wrapper, with its code when it has one. */
function describeCause(error: unknown): string {
  const inner = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (!(inner instanceof Error)) return String(inner).split("\n")[0] ?? "";
  const code = (inner as { code?: unknown }).code;
  const message = inner.message.split("\n")[0] ?? inner.name;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Removes the query and fragment of every URL in `text`, so that a token in a query cannot leak. */
export function stripQueries(text: string): string {
  return text.replace(/(\bhttps?:\/\/[^\s"'<>?#]*)[?#][^\s"'<>)]*/gi, "$1");
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
