import type { Family, FamilyAddress } from "../core/family.ts";

/**
 * The update endpoint's view of whatever publishes the addresses: the engine in both the daemon (through the
 * `push` IP source and the scheduler, push-backend.ts) and the Worker (a round per update, round-backend.ts). The
 * endpoint itself (auth, lockout, parsing, answers) is the same code in both.
 */

/** What one host asks for: one address per family it names. */
export interface HostUpdate {
  host: string;
  addresses: FamilyAddress[];
}

/**
 * A host's result, as DynDNS2 knows it: `good` (a record was changed), `nochg` (every record already held the
 * address), `911` (a failure that may pass: provider down, rate limited, not confirmed in time), `dnserr` (the
 * provider refused: a token without permission, a zone that does not exist).
 */
export type HostOutcome = "good" | "nochg" | "911" | "dnserr";

/** Per family, how one record fared. */
export type RecordOutcome = "unchanged" | "changed" | "transient" | "refused";

export interface UpdateBackend {
  /** The families published; an address of another family in a request is ignored. */
  readonly families: readonly Family[];
  /** Whether `host` (normalised) may be updated through the endpoint. */
  allows(host: string): boolean;
  /**
   * What DDNS_UPDATE_RATE_LIMIT counts an update of `host` against: the records that update writes. The daemon
   * gives every host the same key (a push re-points every record, so rotating `hostname=` must not buy more
   * writes); the Worker writes only the named host, so each host is its own key.
   */
  rateLimitKey(host: string): string;
  /**
   * True when the host's records of every family in `addresses` are confirmed to hold those addresses already:
   * the endpoint answers `nochg` without asking the provider (and without counting against the rate limit).
   */
  confirmed(update: HostUpdate): boolean;
  /** Publishes the addresses; one outcome per update, in order. Never throws. */
  apply(updates: HostUpdate[], signal: AbortSignal): Promise<HostOutcome[]>;
  /**
   * After a `911`: milliseconds until the engine tries the host's failing records again (its backoff, or the
   * provider's Retry-After), sent as the answer's Retry-After; undefined when none waits.
   */
  retryAfterMs?(host: string): number | undefined;
}

/** A host's outcome from its records' outcomes: any refusal → `dnserr`, any other failure → `911`. */
export function combineOutcomes(records: RecordOutcome[]): HostOutcome {
  if (records.includes("refused")) return "dnserr";
  if (records.includes("transient")) return "911";
  if (records.includes("changed")) return "good";
  return "nochg";
}

/** "At most `count` within `windowMs`" (login failures before a lockout, updates that reach the provider). */
export interface CountWindow {
  count: number;
  windowMs: number;
}

/** The DynDNS2 update endpoint (`GET /nic/update`), served when DDNS_IP_SOURCE_TYPE=push (and by the Worker). */
export interface UpdateServerConfig {
  /** HTTP Basic credentials of the endpoint's own; never the provider token. The password is never printed. */
  username: string;
  password: string;
  /** Failed logins per client before it is locked out; the lockout lasts `windowMs`. */
  lockout: CountWindow;
  /** Updates that reach the provider (daemon: all names together; Worker: per name); more answer `abuse`. */
  rateLimit: CountWindow;
  /** Header holding the caller's address behind a reverse proxy; undefined → the socket peer (never a header). */
  clientIpHeader?: string;
}
