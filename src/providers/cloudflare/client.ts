import { ofetch } from "ofetch";
import type { Logger } from "../../log/logger.ts";
import type { RequestObserver } from "../types.ts";
import type { ApiAnswer, ApiFailure } from "./api-types.ts";
import { allCodes, readEnvelope } from "./envelope.ts";
import { parseRetryAfter, type RateLimiter } from "./rate-limiter.ts";

/**
 * The Cloudflare v4 API client: ofetch with `Authorization: Bearer`, no automatic retries (the engine retries),
 * a per-request timeout joined with the caller's signal, the client-side rate limiter, and the envelope check on
 * every answer. It never throws: each call ends in `{ ok: true, result }` or `{ ok: false, failure }`.
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
  now: () => number;
}

/** Bearer tokens are visible ASCII; anything else cannot be put in a header (a pasted newline, a space). */
const SENDABLE_TOKEN = /^[\x21-\x7e]+$/;

function errorChain(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error) {
      messages.push(`${(current as { code?: unknown }).code ?? ""} ${current.message}`);
      current = current.cause;
    } else {
      messages.push(String(current));
      break;
    }
  }
  return messages;
}

function transportFailure(error: unknown, isWrite: boolean, timedOut: boolean, aborted: boolean, timeoutMs: number): ApiFailure {
  const chain = errorChain(error).join(" | ");
  if (aborted) return { reason: "aborted", errors: [], mayHaveArrived: isWrite, detail: "cancelled" };
  if (timedOut) return { reason: "timeout", errors: [], mayHaveArrived: isWrite, detail: `no answer within ${timeoutMs / 1000} s` };
  // Bun: ECONNREFUSED; Deno: "Connection refused (os error 111)". Nothing was sent in that case.
  if (/ECONNREFUSED|connection refused|unable to connect/i.test(chain)) {
    return { reason: "refused", errors: [], mayHaveArrived: false, detail: "connection refused" };
  }
  const detail = /ECONNRESET|closed unexpectedly|connection reset/i.test(chain) ? "connection reset" : "connection failed";
  return { reason: "network", errors: [], mayHaveArrived: isWrite, detail };
}

export function createCloudflareClient(deps: ClientDeps): CloudflareClient {
  const api = ofetch.create(
    {
      baseURL: deps.baseUrl.replace(/\/+$/, ""),
      retry: 0,
      ignoreResponseError: true,
      responseType: "text",
    },
    { fetch: deps.fetch },
  );

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
      const timeout = AbortSignal.timeout(deps.timeoutMs);
      const started = deps.now();
      let answer: ApiAnswer<T>;
      try {
        const response = await api.raw<string, "text">(path, {
          method,
          query: init.query,
          body: init.body,
          headers: { Authorization: `Bearer ${deps.token}`, Accept: "application/json" },
          signal: AbortSignal.any([init.signal, timeout]),
        });
        deps.limiter.observe(response.headers, response.status);
        answer = readEnvelope<T>(response.status, response.headers.get("content-type") ?? "", response._data ?? "", isWrite);
        if (!answer.ok && response.status === 429) {
          const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), deps.now());
          if (retryAfterMs !== undefined) answer.failure.retryAfterMs = retryAfterMs;
        }
      } catch (error) {
        answer = { ok: false, failure: transportFailure(error, isWrite, timeout.aborted, init.signal.aborted, deps.timeoutMs) };
      }
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
