import type { RecordRequest } from "./types.ts";
import type { HeldRecord } from "./record-plan.ts";

/**
 * Record ids (and what they hold) learned from reads and writes, so that an address change for a known record
 * costs one write and no read. An entry is trusted only when it says a write is needed; an entry saying "already
 * right" is verified by a read (a record edited by hand gets repaired). Dropped whenever its truth is in doubt
 * (a stale id, an unconfirmed write).
 */
export interface RecordCache {
  get(request: RecordRequest): { zone: string; held: HeldRecord[] } | undefined;
  set(request: RecordRequest, zone: string, held: readonly HeldRecord[]): void;
  drop(request: RecordRequest): void;
  dropZone(zone: string): void;
}

/** With DDNS_OWNER_ID the marks (`owned`) are one owner's: each owner has entries of its own. */
const keyOf = (r: { name: string; type: string; ownerId?: string }) => `${r.type} ${r.name}${r.ownerId === undefined ? "" : ` owner=${r.ownerId}`}`;

export function createRecordCache(): RecordCache {
  const entries = new Map<string, { zone: string; held: HeldRecord[] }>();
  return {
    get: (request) => entries.get(keyOf(request)),
    set: (request, zone, held) => void entries.set(keyOf(request), { zone, held: held.map((r) => ({ ...r })) }),
    drop: (request) => void entries.delete(keyOf(request)),
    dropZone(zone) {
      for (const [key, entry] of entries) if (entry.zone === zone) entries.delete(key);
    },
  };
}
