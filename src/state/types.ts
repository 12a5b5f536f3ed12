import type { RecordType } from "../core/family.ts";
import type { HistoryEntry } from "./history-types.ts";

/** What the daemon last confirmed at the provider for one record; kept by `recordKey(record)`. */
export interface RecordState {
  /** The target (provider instance) that holds the record. */
  target: string;
  name: string;
  type: RecordType;
  content: string;
  /** Epoch milliseconds of the last confirmed write (or of the first confirmation). */
  changedAt: number;
  /** Epoch milliseconds of the last time the provider was read and found right. */
  verifiedAt: number;
  /** The records of the name and type left alone as not this daemon's at that read, and why (absent: none). */
  notOwned?: Array<{ address: string; why: string }>;
}

/**
 * The state store. `load` never throws for a bad file: the file store moves it aside and starts empty, with a
 * warning, so the next round rebuilds from the provider. `save` may throw; the engine reports it and retries.
 */
export interface StateStore {
  readonly type: "memory" | "file";
  load(): Promise<Map<string, RecordState>>;
  /** The history the last `load` read (newest first; empty before one, and for a file of an older format). */
  history(): HistoryEntry[];
  /** Writes the records and the history; without `history`, the last one loaded or saved is written again. */
  save(records: Map<string, RecordState>, history?: readonly HistoryEntry[]): Promise<void>;
}
