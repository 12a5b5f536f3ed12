import type { FailureKind } from "../providers/kit/types.ts";

/**
 * When a record whose update failed is tried again, and how far the backoff has climbed.
 *
 * - A service that says when (`Retry-After`, or a provider's own pause such as DynDNS2's `911`) gets exactly that
 *   delay (at least 1 s, at most 1 h). A rate-limit answer with Retry-After does not climb the backoff: the service
 *   told us the cure, so the next ordinary failure starts where the backoff stood.
 * - A transient failure (timeouts, resets, 5xx): 1 s, 2 s, 4 s … capped at 5 minutes, so that a short fault costs
 *   seconds, not minutes (four in a row: ~15 s), while an outage is asked at most every 5 minutes.
 * - A refusal (`auth`, `config`) will not go away without a change on the operator's side: 30 s, 1 min … 5 min.
 * - A rate-limit answer without Retry-After climbs like a transient failure, but waits at least 1 minute.
 *
 * Computed delays are spread ±20 % (so that many daemons behind one NAT do not retry in lockstep) and rounded to
 * whole seconds; one `jitter` draw serves every record of a round, so records failing alike are retried together.
 */
export interface BackoffPolicy {
  transientBaseMs: number;
  refusedBaseMs: number;
  maxMs: number;
  rateLimitedMinMs: number;
  minDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  transientBaseMs: 1_000,
  refusedBaseMs: 30_000,
  maxMs: 300_000,
  rateLimitedMinMs: 60_000,
  minDelayMs: 1_000,
  maxRetryAfterMs: 3_600_000,
};

export interface RetryPlan {
  /** Milliseconds until the next attempt. */
  delayMs: number;
  /** The backoff level after this failure (the number of failures that climbed it). */
  level: number;
}

export function planRetry(
  failure: { kind: FailureKind; retryAfterMs?: number },
  previousLevel: number,
  jitter: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): RetryPlan {
  if (failure.retryAfterMs !== undefined) {
    const delayMs = Math.min(policy.maxRetryAfterMs, Math.max(policy.minDelayMs, failure.retryAfterMs));
    return { delayMs, level: failure.kind === "rate-limited" ? previousLevel : previousLevel + 1 };
  }
  const level = previousLevel + 1;
  const base = failure.kind === "auth" || failure.kind === "config" ? policy.refusedBaseMs : policy.transientBaseMs;
  const raw = Math.min(policy.maxMs, base * 2 ** Math.min(level - 1, 30));
  const spread = Math.round((raw * (0.8 + 0.4 * jitter)) / 1000) * 1000;
  const floor = failure.kind === "rate-limited" ? policy.rateLimitedMinMs : policy.minDelayMs;
  return { delayMs: Math.max(floor, spread), level };
}
