import type { RecordType } from "../../core/family.ts";
import type { Logger } from "../../log/logger.ts";
import type { DnsTransport } from "../../dns/transport.ts";

/**
 * The provider contract. It speaks in record sets, not in any one service's resources, so that Cloudflare,
 * an RFC 2136 server, the PowerDNS API or a DynDNS2 service can each implement it in one file.
 *
 * `setRecords` makes each (name, type) hold exactly one address. It reads what it must, writes only what differs,
 * and reports per record. It never throws for a remote failure: each result says what happened.
 */
export interface RecordRequest {
  /** Normalised FQDN: lower case, punycode, no trailing dot, maybe a leading `*.`. */
  name: string;
  type: RecordType;
  /** The address the record must hold. */
  content: string;
  /**
   * The TTL a record ddnsd creates gets (and a set-replacing provider's replaced set); `auto` (or absent): the
   * provider's default for new records, the existing TTL otherwise. An existing record's TTL alone never causes a write.
   */
  ttl?: "auto" | number;
  /** Cloudflare's proxy flag for records ddnsd creates; existing records keep theirs. */
  proxied?: boolean;
  /** Written with every write ddnsd makes, where the provider stores comments (DDNS_RECORD_COMMENT). */
  comment?: string;
  /**
   * DDNS_MANAGED_RECORDS_COMMENT_REGEX: only the records whose comment matches are ddnsd's; every other record of the
   * name and type is left exactly as it is (record-plan.ts). Unset: every record of the name and type is ddnsd's.
   */
  managedComment?: RegExp;
  /**
   * DDNS_OWNER_ID: only the records an owner TXT of this owner names are ddnsd's (owner-registry.ts); ddnsd writes
   * that TXT beside every record it creates. Only on providers with `capabilities.ownerRegistry`.
   */
  ownerId?: string;
  /**
   * DDNS_OWNER_ADOPT, with `ownerId`: records of the name and type that no owner TXT of anyone names are adopted (their
   * owner TXT written) while this owner owns none of them — the first round of a migration.
   */
  ownerAdopt?: boolean;
}

/** A record of the name and type ddnsd left alone as not its own, and why (for /status and the state file). */
export interface LeftAlone {
  address: string;
  why: string;
}

export type FailureKind =
  /** The network or the service failed; retrying later may help (timeouts, resets, 5xx, unknown answers). */
  | "transient"
  /** The service asked us to slow down (HTTP 429, Cloudflare 10000/971…). */
  | "rate-limited"
  /** The secret was refused or lacks permission. Retrying without a config change will not help. */
  | "auth"
  /** The request cannot succeed as configured (no such zone, name not allowed…). */
  | "config";

export type RecordResult =
  | {
      ok: true;
      request: RecordRequest;
      /** `unchanged`: already right, nothing written. `planned`: dry run, a write was needed and skipped. */
      outcome: "created" | "updated" | "unchanged" | "planned";
      /** What the provider held before (empty when the record was missing or is write-only, e.g. DynDNS2). */
      previous: string[];
      /**
       * With DDNS_MANAGED_RECORDS_COMMENT_REGEX: the contents of the records of the name and type left alone because
       * their comment does not match (not ddnsd's). Absent when there are none.
       */
      notOwned?: string[];
      /** The same records with why each is not ddnsd's (`notOwned` in the same order). */
      leftAlone?: LeftAlone[];
    }
  | {
      ok: false;
      request: RecordRequest;
      kind: FailureKind;
      /**
       * The reason only, for the operator: what failed, quoted untrusted values, what to do next. No secrets, no
       * record name and no promise of a retry: the engine writes the headline (which records; "could not confirm"
       * when `unconfirmed`) and the delay it actually scheduled, once for every record that failed alike.
       */
      message: string;
      /** Milliseconds the service asked us to wait (Retry-After), when it said so. */
      retryAfterMs?: number;
      /** True when a write was sent but its outcome is unknown ("could not confirm"). */
      unconfirmed?: boolean;
      /** The provider will not send this record again until ddnsd restarts (a DynDNS2 fatal code): no next attempt. */
      final?: boolean;
      /** The whole set is not ddnsd's and was left alone (set-replacing APIs with the comment regex): its values, why. */
      leftAlone?: LeftAlone[];
    };

export interface SetOptions {
  signal: AbortSignal;
  /** Read as usual, but do not write; results say `planned` where a write would have happened. */
  dryRun: boolean;
}

/** What `deleteRecords` did for one request: the contents it deleted (in a dry run: would delete), or why not. */
export type DeleteResult =
  | {
      ok: true;
      request: RecordRequest;
      deleted: string[];
      /** Nothing deleted although the name holds records: why they are not this daemon's to delete (the reason only). */
      kept?: string;
    }
  | { ok: false; request: RecordRequest; message: string };

export interface DnsProvider {
  readonly type: string;
  /** True when the provider can read records back (Cloudflare, RFC 2136, PowerDNS); false for write-only APIs. */
  readonly canRead: boolean;
  setRecords(requests: RecordRequest[], options: SetOptions): Promise<RecordResult[]>;
  /**
   * DDNS_DELETE_ON_STOP: deletes exactly ddnsd's records of each (name, type) — those whose comment matches
   * `managedComment`, or without one the records holding `content` (the address ddnsd published) — and nothing
   * else. Absent where the provider cannot (the capability `cannotDelete` of its descriptor says why).
   */
  deleteRecords?(requests: RecordRequest[], options: SetOptions): Promise<DeleteResult[]>;
  close?(): Promise<void>;
}

/** Counting hook every provider reports its remote requests through (metrics). */
export type RequestObserver = (outcome: "ok" | "error" | "rate-limited" | "timeout") => void;

/** The world a provider instance gets from the wiring: `descriptor.create(settings, deps)`. */
export interface ProviderDeps {
  fetch: typeof fetch;
  log: Logger;
  now: () => number;
  random: () => number;
  /** The versioned User-Agent every request carries. */
  userAgent: string;
  /** Counts each remote request by outcome (metrics). */
  onRequest: RequestObserver;
  /** Deadline of one remote request; each provider has its own default (HTTP 10 s, a DNS attempt 5 s). */
  timeoutMs?: number;
  /** Where DNS-protocol providers (RFC 2136) send their messages; the default is node:dgram / node:net sockets. */
  dnsTransport?: DnsTransport;
}
