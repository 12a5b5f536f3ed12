/**
 * Exponential backoff with jitter for a record whose update failed: 5 s, 10 s, 20 s … capped at 5 minutes, each
 * spread ±20 % so that many records (or many daemons behind one NAT) do not retry in lockstep. A provider's
 * Retry-After wins when it asks for longer.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 300_000 };

export function backoffDelay(failures: number, random: () => number, policy = DEFAULT_BACKOFF, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.round(raw * (0.8 + 0.4 * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}
