import { formatDuration } from "../core/durations.ts";
import type { Logger } from "../log/logger.ts";

/**
 * The log lines of refused logins, bounded however hard a client tries. Every refused login is accounted for,
 * but each distinct problem is written once per client and window, not once per request:
 *
 * - a failed check (wrong credentials, an unreadable `Authorization` header): one line per problem, with how many
 *   failures the lockout allows; repeats within the window are counted, not logged;
 * - the lockout starting: one line;
 * - requests refused without a check (locked out, or every remaining attempt already being checked): counted, and
 *   summed up in one line when the lockout ends (written with the first login attempt after its end, from any
 *   client: no timer runs for it), or when a good login ends the streak.
 *
 * 300 parallel guesses from one address therefore write three lines, not 300. Memory is bounded like the lockout's.
 */
export type LoginProblem = "wrong credentials" | "an unreadable Authorization header";

export interface RefusalLog {
  /** A credential check failed; `failures` as the lockout counts them, `lockedNow` when this one locked the client. */
  failed(key: string, client: string, problem: LoginProblem, failures: number, lockedNow: boolean): void;
  /** A request was refused without a check. */
  refused(key: string, client: string): void;
  /** A good login: the client's streak ends (its refusals, if any, are summed up). */
  succeeded(key: string): void;
  /** Sums up lockouts that have ended; called with every request. */
  sweep(): void;
}

export interface RefusalLogDeps {
  log: Logger;
  now: () => number;
  lockout: { count: number; windowMs: number };
  maxClients?: number;
}

interface Streak {
  client: string;
  /** Problems already written in this window, and when the window began. */
  logged: Set<LoginProblem>;
  since: number;
  /** Requests refused without a check since the streak began. */
  refused: number;
}

export function createRefusalLog(deps: RefusalLogDeps): RefusalLog {
  const { log } = deps;
  const { count: attempts, windowMs } = deps.lockout;
  const maxClients = deps.maxClients ?? 10_000;
  const streaks = new Map<string, Streak>();
  /** Lockouts in the order they end (one window each, so insertion order is end order). */
  const locks = new Map<string, number>();
  const lockFor = formatDuration(windowMs);

  function streak(key: string, client: string): Streak {
    let s = streaks.get(key);
    if (!s) {
      s = { client, logged: new Set(), since: deps.now(), refused: 0 };
      streaks.set(key, s);
      while (streaks.size > maxClients) streaks.delete(streaks.keys().next().value!);
    }
    return s;
  }

  function end(key: string): void {
    const s = streaks.get(key);
    streaks.delete(key);
    locks.delete(key);
    if (!s) return;
    if (s.refused > 0) log.warn(`Update endpoint: the lockout of ${s.client} has ended; it refused ${s.refused} requests while it lasted`, { client: s.client });
    else log.info(`Update endpoint: the lockout of ${s.client} has ended`, { client: s.client });
  }

  return {
    failed(key, client, problem, failures, lockedNow) {
      const s = streak(key, client);
      const now = deps.now();
      if (lockedNow) {
        log.warn(`Update endpoint: locked out ${client} for ${lockFor} after ${failures} failed logins`, { client });
        locks.delete(key);
        locks.set(key, now + windowMs);
        while (locks.size > maxClients) locks.delete(locks.keys().next().value!);
        return;
      }
      if (failures === 1 || now - s.since >= windowMs) {
        s.logged.clear();
        s.since = now;
      }
      if (s.logged.has(problem)) return;
      s.logged.add(problem);
      log.warn(`Update endpoint: refused a login from ${client}: ${problem} (failure ${failures} of ${attempts} before a ${lockFor} lockout; repeats are counted, not logged)`, { client });
    },
    refused(key, client) {
      streak(key, client).refused += 1;
    },
    succeeded(key) {
      const s = streaks.get(key);
      streaks.delete(key);
      if (s && s.refused > 0) {
        log.warn(`Update endpoint: refused ${s.refused} requests from ${s.client} while its remaining login attempts were being checked`, { client: s.client });
      }
    },
    sweep() {
      const now = deps.now();
      for (const [key, until] of locks) {
        if (until > now) break;
        end(key);
      }
    },
  };
}
