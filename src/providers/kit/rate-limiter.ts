import { parseRetryAfter } from "./retry-after.ts";

/**
 * A client-side request budget, for services that refuse everything for a while once a quota is passed
 * (Cloudflare: 1200 requests per 5 minutes per user, all its tokens and the dashboard together). It keeps a sliding
 * window per quota policy, pauses when the service says so — `Retry-After` on a 429, or the IETF RateLimit header
 * fields (`RateLimit: "default";r=0;t=30`) — and learns the service's own policies from `RateLimit-Policy:
 * "burst";q=100;w=60`. A short wait is waited out; a longer one is reported back (`retryAfterMs`), so the engine
 * retries later instead of blocking a round for minutes. `createRestApi(deps, { limiter })` puts every call through it.
 */

export type Admission = { ok: true } | { ok: false; retryAfterMs: number } | { ok: false; aborted: true };

export interface RateLimiter {
  acquire(signal: AbortSignal): Promise<Admission>;
  /** Feeds what an answer said about the budget (headers on every answer; `Retry-After` with 429). */
  observe(headers: Headers, status: number): void;
}

export interface RateLimiterDeps {
  /** Requests allowed per `windowMs` (the service's documented quota). */
  limit: number;
  windowMs: number;
  /** Longest wait in line before answering `retryAfterMs` instead. */
  maxWaitMs: number;
  now: () => number;
}

interface Policy {
  quota: number;
  windowMs: number;
}

/** Items of a structured-field list such as `"default";r=50;t=30, "burst";q=100;w=60`. */
export function parseRateLimitItems(value: string | null): Array<{ name: string; params: Record<string, number> }> {
  if (!value) return [];
  return value.split(",").flatMap((item) => {
    const [rawName, ...rest] = item.split(";").map((p) => p.trim());
    if (!rawName) return [];
    const params: Record<string, number> = {};
    for (const part of rest) {
      const [key, raw] = part.split("=");
      const n = Number(raw);
      if (key && Number.isFinite(n)) params[key.trim()] = n;
    }
    return [{ name: rawName.replace(/^"|"$/g, ""), params }];
  });
}

/** Waits `ms`; resolves false as soon as the signal fires (the rrset template's confirm polls use it too). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function createRateLimiter(deps: RateLimiterDeps): RateLimiter {
  const policies = new Map<string, Policy>([["client", { quota: deps.limit, windowMs: deps.windowMs }]]);
  let sent: number[] = [];
  let pausedUntil = 0;

  function waitNeeded(now: number): number {
    let wait = Math.max(0, pausedUntil - now);
    for (const policy of policies.values()) {
      const inWindow = sent.filter((t) => t > now - policy.windowMs);
      if (inWindow.length >= policy.quota) {
        const oldest = inWindow[inWindow.length - policy.quota] ?? now;
        wait = Math.max(wait, oldest + policy.windowMs - now);
      }
    }
    return wait;
  }

  return {
    async acquire(signal) {
      for (;;) {
        const now = deps.now();
        const longest = Math.max(...[...policies.values()].map((p) => p.windowMs));
        sent = sent.filter((t) => t > now - longest);
        const wait = waitNeeded(now);
        if (wait <= 0) {
          sent.push(now);
          return { ok: true };
        }
        if (wait > deps.maxWaitMs) return { ok: false, retryAfterMs: wait };
        if (!(await sleep(wait, signal))) return { ok: false, aborted: true };
      }
    },
    observe(headers, status) {
      const now = deps.now();
      for (const { name, params } of parseRateLimitItems(headers.get("ratelimit-policy"))) {
        const { q, w } = params;
        if (q !== undefined && w !== undefined && q > 0 && w > 0) policies.set(`server:${name}`, { quota: q, windowMs: w * 1000 });
      }
      for (const { params } of parseRateLimitItems(headers.get("ratelimit"))) {
        if (params.r !== undefined && params.r <= 0 && params.t !== undefined) pausedUntil = Math.max(pausedUntil, now + params.t * 1000);
      }
      if (status === 429) {
        const retry = parseRetryAfter(headers.get("retry-after"), now);
        if (retry !== undefined) pausedUntil = Math.max(pausedUntil, now + retry);
      }
    },
  };
}
