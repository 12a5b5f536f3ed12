import type { Family, RecordType } from "../core/family.ts";

/**
 * One event of the daemon's history (`/status`'s `history`, the status page's timeline): a detected address that
 * differs from the last one recorded, or a record the provider was asked to change. Times are epoch milliseconds,
 * as in the state file. Messages are stored as the engine wrote them (the providers' reasons, which name no
 * secret); every answer redacts them again on the way out.
 */
export type HistoryEntry = AddressChange | RecordChange;

export interface AddressChange {
  at: number;
  kind: "address";
  family: Family;
  /** The address recorded before; null for the first one ever recorded. */
  from: string | null;
  to: string;
  /** Where it was detected (the source's own description, e.g. `http https://1.1.1.1/cdn-cgi/trace`). */
  source: string | null;
}

export type RecordChangeResult = "created" | "updated" | "failed";

export interface RecordChange {
  at: number;
  kind: "record";
  /** The target (provider instance) that holds the record, as in the state file and `/status`. */
  target: string;
  name: string;
  type: RecordType;
  /** What the record held before, as far as known (the provider's answer or the stored state); null if nothing. */
  from: string | null;
  to: string;
  result: RecordChangeResult;
  /** The reason of a failed update; null otherwise. */
  error: string | null;
}
