import type { RecordRequest } from "./types.ts";
import type { Answer } from "./answer.ts";
import type { WrittenType } from "./record-plan.ts";
import type { Zone, ZoneFinder } from "./zone-finder.ts";

/**
 * What a set-replacing API gives the template (rrset-provider.ts) and its deleter (rrset-delete.ts): one place for
 * both, so neither re-declares the other's part.
 */
export interface Rrset {
  values: string[];
  ttl?: number;
  comment?: string;
}

export interface RrsetChange {
  request: RecordRequest;
  name: string;
  /** TXT only for the owner TXT set of DDNS_OWNER_ID, written with the set it claims. */
  type: WrittenType;
  ttl: number;
  values: string[];
  /** The request's comment (DDNS_RECORD_COMMENT), for APIs that store one per set. */
  comment?: string;
  /** What the set held before (undefined: it did not exist). */
  previous?: Rrset;
}

export interface RrsetApi<Z extends Zone, H = unknown> {
  readonly service: string;
  readonly zones: ZoneFinder<Z>;
  readonly zoneFix: string;
  /** The TTL of a new set with `auto`: one number, or one per zone (a zone's own default or minimum). */
  readonly defaultTtl: number | ((zone: Z) => number);
  /** Sets per write request; 1 (the default) writes each set on its own. */
  readonly maxPerWrite?: number;
  /** The set of (name, type); TXT only where the descriptor says `ownerRegistry` (values as the service spells them). */
  read(zone: Z, name: string, type: WrittenType, signal: AbortSignal): Promise<Answer<Rrset | undefined>>;
  /** How the service wants a TXT value written (default: the text as it is; PowerDNS wants it in double quotes). */
  txtValue?(text: string): string;
  /** Writes the changes (all of one zone); may return a handle of an asynchronous change for `confirm`. */
  write(zone: Z, changes: RrsetChange[], signal: AbortSignal): Promise<Answer<H | void>>;
  /** Asks whether an asynchronous change has been applied. */
  confirm?(handle: H, signal: AbortSignal): Promise<Answer<"done" | "pending">>;
  /**
   * `write` also takes a change with no values: it deletes the set (`previous` = the set as read; conditional on it
   * where the API can be, a set changed meanwhile answering `conflict`). Enables DDNS_DELETE_ON_STOP (rrset-delete.ts).
   */
  readonly deletesSets?: boolean;
}
