import { createHttpClient } from "../providers/kit/http-client.ts";
import type { HttpFailure } from "../providers/kit/http-types.ts";
import type { Call, CallResult, ParsedService } from "./services/service-types.ts";
import type { Channel, SendResult } from "./types.ts";

/**
 * A notification service as a channel: its requests go through the kit's HTTP client (one deadline per request,
 * capped answers, redirects only within the origin, every secret redacted from what comes back).
 */
export interface HttpChannelDeps {
  fetch: typeof fetch;
  userAgent: string;
  now: () => number;
  /** Deadline of one request. */
  timeoutMs: number;
}

/** One line, in the reader's words, never quoting a URL's query. */
export function describeHttpFailure(f: HttpFailure): string {
  if (f.reason === "http") return `HTTP ${f.status}${f.body ? `: ${JSON.stringify(f.body.slice(0, 120))}` : ""}`;
  if (f.reason === "timeout") return `no answer within ${Math.round((f.timeoutMs ?? 0) / 1000)}s`;
  if (f.reason === "refused") return "connection refused";
  if (f.reason === "redirect") return `a redirect that is not followed (${f.redirect ?? "?"})`;
  if (f.reason === "aborted") return "cancelled (shutting down)";
  return `${f.reason}${f.detail ? ` (${f.detail})` : ""}`;
}

const isTransient = (f: HttpFailure) => f.reason !== "http" || f.status === undefined || f.status >= 500 || f.status === 429 || f.status === 408;

export function createHttpCall(deps: HttpChannelDeps, secrets: readonly string[], signal: AbortSignal): Call {
  const client = createHttpClient({ fetch: deps.fetch, userAgent: deps.userAgent, timeoutMs: deps.timeoutMs, now: deps.now, secrets, maxRedirects: 0, maxBytes: 64 * 1024 });
  return async (request): Promise<CallResult> => {
    const r = await client.text(request.url, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }), signal, write: true });
    if (r.ok) return { ok: true, status: r.status, text: r.text };
    return { ok: false, problem: describeHttpFailure(r.failure), transient: isTransient(r.failure), ...(r.failure.status === undefined ? {} : { status: r.failure.status }) };
  };
}

export function createServiceChannel(service: ParsedService, label: string, deps: HttpChannelDeps): Channel {
  return {
    label,
    display: service.display,
    kind: "service",
    async send(delivery, signal): Promise<SendResult> {
      if (delivery.kind !== "message") return { ok: true };
      const r = await service.deliver(delivery.message, createHttpCall(deps, service.secrets, signal));
      return r.ok ? { ok: true } : { ok: false, problem: r.problem, transient: r.transient };
    },
  };
}
