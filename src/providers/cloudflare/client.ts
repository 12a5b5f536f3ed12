import type { Logger } from "../../log/logger.ts";
import { createHttpClient } from "../kit/http-client.ts";
import { DEFAULT_USER_AGENT } from "../kit/user-agent.ts";
import type { RequestObserver } from "../kit/types.ts";
import type { ApiAnswer } from "./api-types.ts";
import { allCodes, readEnvelope } from "./envelope.ts";
import type { RateLimiter } from "./rate-limiter.ts";

/**
 * The Cloudflare v4 API client: the kit's HTTP client (timeout joined with the caller's signal, byte cap, no
 * redirects to another origin, redaction) with `Authorization: Bearer`, the client-side rate limiter, and the
 * envelope check on every answer. It never throws: each call ends in `{ ok: true, result }` or `{ ok: false, failure }`.
 */

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface CallInit {
  query?: Record<string, string | number>;
  body?: object;
  signal: AbortSignal;
}

export interface CloudflareClient {
  call<T>(method: Method, path: string, init: CallInit): Promise<ApiAnswer<T>>;
}

export interface ClientDeps {
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  onRequest: RequestObserver;
  log: Logger;
  limiter: RateLimiter;
  timeoutMs: number;
  /** Byte cap of one answer. */
  maxBytes: number;
  userAgent?: string;
  now: () => number;
}

/** Bearer tokens are visible ASCII; anything else cannot be put in a header (a pasted newline, a space). */
const SENDABLE_TOKEN = /^[\x21-\x7e]+$/;

export function createCloudflareClient(deps: ClientDeps): CloudflareClient {
  const http = createHttpClient({
    fetch: deps.fetch,
    baseUrl: deps.baseUrl,
    userAgent: deps.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: deps.timeoutMs,
    maxBytes: deps.maxBytes,
    headers: { Authorization: `Bearer ${deps.token}` },
    secrets: [deps.token],
    now: deps.now,
  });

  function report(answer: ApiAnswer<unknown>): void {
    if (answer.ok) return deps.onRequest("ok");
    const f = answer.failure;
    if (f.reason === "timeout") return deps.onRequest("timeout");
    if (f.status === 429 || allCodes(f.errors).includes(971)) return deps.onRequest("rate-limited");
    deps.onRequest("error");
  }

  return {
    async call<T>(method: Method, path: string, init: CallInit): Promise<ApiAnswer<T>> {
      const isWrite = method !== "GET";
      if (!SENDABLE_TOKEN.test(deps.token)) {
        return { ok: false, failure: { reason: "bad-token", errors: [], mayHaveArrived: false } };
      }
      const admission = await deps.limiter.acquire(init.signal);
      if (!admission.ok) {
        if ("aborted" in admission) return { ok: false, failure: { reason: "aborted", errors: [], mayHaveArrived: false, detail: "cancelled" } };
        return { ok: false, failure: { reason: "local-rate-limit", errors: [], mayHaveArrived: false, retryAfterMs: admission.retryAfterMs } };
      }
      const started = deps.now();
      const result = await http.json<unknown>(path, { method, query: init.query, body: init.body, signal: init.signal });
      const headers = result.ok ? result.headers : result.failure.headers;
      const status = result.ok ? result.status : result.failure.status;
      if (headers && status !== undefined) deps.limiter.observe(headers, status);
      const answer = readEnvelope<T>(result, isWrite, deps.timeoutMs);
      report(answer);
      deps.log.debug("Cloudflare API request", {
        method,
        path,
        ms: deps.now() - started,
        result: answer.ok ? "ok" : answer.failure.reason,
        status: answer.ok ? undefined : answer.failure.status,
        codes: answer.ok ? undefined : allCodes(answer.failure.errors).join(",") || undefined,
      });
      return answer;
    },
  };
}
