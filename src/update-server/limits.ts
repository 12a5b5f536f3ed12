import type { CountWindow } from "./types.ts";

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
 *
 * A credential check is reserved *before* it starts (`reserve`, synchronous) and settled when it ends (`failure`
 * or `success`): checks still running count against the limit, so however many requests arrive at once, a client
 * gets at most `attempts` checks per window (a lockout read before an awaited digest and written after it let
 * 300 parallel guesses through).
 */
export interface Lockout {
  /** Milliseconds the client stays locked out; 0 when it is not. */
  lockedFor(client: string): number;
  /**
   * Takes one credential check for `client`, or says how long to wait: locked out, or every remaining attempt is
   * already being checked. Each reservation is settled with `failure` or `success`.
   */
  reserve(client: string): { ok: true } | { ok: false; retryAfterMs: number };
  /** Settles a reservation as a failed login; says whether this one started a lockout, and how many are counted. */
  failure(client: string): { lockedNow: boolean; failures: number };
  /** Settles a reservation as a good login: the client's failures are cleared. */
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
  /** Checks reserved and not settled yet, per client (an entry lives only while a check runs). */
  const inFlight = new Map<string, number>();
  const maxClients = deps.maxClients ?? 10_000;

  function lockedFor(client: string): number {
    const until = lockedUntil.get(client);
    if (until === undefined) return 0;
    const left = until - deps.now();
    if (left > 0) return left;
    lockedUntil.delete(client);
    return 0;
  }

  const settle = (client: string) => {
    const n = (inFlight.get(client) ?? 0) - 1;
    if (n > 0) inFlight.set(client, n);
    else inFlight.delete(client);
  };

  return {
    lockedFor,
    reserve(client) {
      const locked = lockedFor(client);
      if (locked > 0) return { ok: false, retryAfterMs: locked };
      const now = deps.now();
      const running = inFlight.get(client) ?? 0;
      if (failures.count(client, now) + running >= attempts) return { ok: false, retryAfterMs: Math.max(1000, failures.waitMs(client, now)) };
      inFlight.set(client, running + 1);
      return { ok: true };
    },
    failure(client) {
      settle(client);
      const n = failures.add(client, deps.now());
      if (n < attempts) return { lockedNow: false, failures: n };
      failures.clear(client);
      lockedUntil.set(client, deps.now() + windowMs);
      while (lockedUntil.size > maxClients) lockedUntil.delete(lockedUntil.keys().next().value!);
      return { lockedNow: true, failures: n };
    },
    success(client) {
      settle(client);
      failures.clear(client);
    },
  };
}

/**
 * The update rate limit: at most `count` updates that reach the provider per key within `windowMs`. The key is
 * what one update writes (UpdateBackend.rateLimitKey): in the daemon every push re-points every record, so all
 * names share one key; in the Worker each name is its own. A `nochg` (the records already hold the address) costs
 * nothing and is never limited; over the limit is answered `abuse` until the oldest counted update leaves the window.
 */
export interface HostLimiter {
  /** Takes one update for `key` if the limit allows; otherwise says how long to wait. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number };
}

export function createHostLimiter(deps: { policy: CountWindow; now: () => number }): HostLimiter {
  const window = createSlidingWindow({ limit: deps.policy.count, windowMs: deps.policy.windowMs });
  return {
    take(key) {
      const now = deps.now();
      if (window.count(key, now) >= deps.policy.count) return { ok: false, retryAfterMs: window.waitMs(key, now) };
      window.add(key, now);
      return { ok: true };
    },
  };
}
