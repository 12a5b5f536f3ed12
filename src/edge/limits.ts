import type { CountWindow } from "../config/types.ts";

/**
 * Counts events per key over a sliding time window (failed logins per client, changes per host). Memory stays
 * bounded: a key keeps at most `limit` timestamps, and past `maxKeys` keys the least recently touched is dropped
 * (an attacker rotating addresses can only push out old entries, never grow the map).
 */
export interface SlidingWindow {
  /** Events of `key` within the window ending at `now`. */
  count(key: string, now: number): number;
  /** Records an event; returns the count including it. */
  add(key: string, now: number): number;
  /** Milliseconds until the oldest counted event of `key` leaves the window (0 when none is counted). */
  waitMs(key: string, now: number): number;
  clear(key: string): void;
}

export interface SlidingWindowOptions {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}

export function createSlidingWindow(options: SlidingWindowOptions): SlidingWindow {
  const maxKeys = options.maxKeys ?? 10_000;
  const events = new Map<string, number[]>();

  const live = (key: string, now: number): number[] => {
    const list = (events.get(key) ?? []).filter((t) => now - t < options.windowMs);
    if (list.length === 0) events.delete(key);
    return list;
  };

  return {
    count: (key, now) => live(key, now).length,
    add(key, now) {
      const list = live(key, now);
      list.push(now);
      while (list.length > options.limit) list.shift();
      events.delete(key); // re-inserted last: the Map's order is least recently touched first
      events.set(key, list);
      while (events.size > maxKeys) events.delete(events.keys().next().value!);
      return list.length;
    },
    waitMs(key, now) {
      const oldest = live(key, now)[0];
      return oldest === undefined ? 0 : Math.max(0, oldest + options.windowMs - now);
    },
    clear: (key) => void events.delete(key),
  };
}

/**
 * Per-client lockout after repeated failed logins: `attempts` failures within `windowMs` lock the client out for
 * `windowMs`. While locked, every request of that client gets the same answer whatever it sends, so guessing
 * cannot go on behind the lockout. A successful login clears the client's failures.
 */
export interface Lockout {
  /** Milliseconds the client stays locked out; 0 when it is not. */
  lockedFor(client: string): number;
  /** Counts a failed login; says whether this one started a lockout, and how many failures are counted. */
  failure(client: string): { lockedNow: boolean; failures: number };
  success(client: string): void;
}

export interface LockoutDeps {
  policy: CountWindow;
  now: () => number;
  maxClients?: number;
}

export function createLockout(deps: LockoutDeps): Lockout {
  const { count: attempts, windowMs } = deps.policy;
  const failures = createSlidingWindow({ limit: attempts, windowMs, ...(deps.maxClients ? { maxKeys: deps.maxClients } : {}) });
  const lockedUntil = new Map<string, number>();
  const maxClients = deps.maxClients ?? 10_000;

  function lockedFor(client: string): number {
    const until = lockedUntil.get(client);
    if (until === undefined) return 0;
    const left = until - deps.now();
    if (left > 0) return left;
    lockedUntil.delete(client);
    return 0;
  }

  return {
    lockedFor,
    failure(client) {
      const n = failures.add(client, deps.now());
      if (n < attempts) return { lockedNow: false, failures: n };
      failures.clear(client);
      lockedUntil.set(client, deps.now() + windowMs);
      while (lockedUntil.size > maxClients) lockedUntil.delete(lockedUntil.keys().next().value!);
      return { lockedNow: true, failures: n };
    },
    success: (client) => failures.clear(client),
  };
}

/**
 * The per-host rate limit: at most `count` updates that reach the provider per host within `windowMs`. A `nochg`
 * (the records already hold the address) costs nothing and is never limited; a host over its limit is answered
 * `abuse` until the oldest counted update leaves the window.
 */
export interface HostLimiter {
  /** Takes one update for `host` if the limit allows; otherwise says how long to wait. */
  take(host: string): { ok: true } | { ok: false; retryAfterMs: number };
}

export function createHostLimiter(deps: { policy: CountWindow; now: () => number }): HostLimiter {
  const window = createSlidingWindow({ limit: deps.policy.count, windowMs: deps.policy.windowMs });
  return {
    take(host) {
      const now = deps.now();
      if (window.count(host, now) >= deps.policy.count) return { ok: false, retryAfterMs: window.waitMs(host, now) };
      window.add(host, now);
      return { ok: true };
    },
  };
}
