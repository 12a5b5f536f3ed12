/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds: delta-seconds or an HTTP date; `undefined` when absent or
 * unreadable. Shared by every HTTP provider so that they all honour a service's request to slow down alike.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * How long a 429 asks to wait: its `Retry-After`, else the epoch second in a reset header (`X-RateLimit-Reset`,
 * `RateLimit-Reset` as DigitalOcean, Hetzner, DNSimple and Name.com send it), at least a second; undefined when
 * the answer says neither.
 */
export function retryAfterOrReset(failure: { retryAfterMs?: number; headers?: Headers }, resetHeader: string, now: number): number | undefined {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  const reset = Number(failure.headers?.get(resetHeader));
  return reset > 0 ? Math.max(1000, reset * 1000 - now) : undefined;
}
