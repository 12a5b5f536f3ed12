import { parseAddress } from "../../core/address-rules.ts";
import type { RecordRequest } from "../kit/types.ts";

/**
 * What one record needs, decided from what Cloudflare holds for its (name, type): nothing, a PATCH of one
 * record's content, a POST, and the deletion of duplicates. Pure; the provider executes it.
 */

export interface HeldRecord {
  id: string;
  content: string;
}

export interface RecordPlan {
  request: RecordRequest;
  zoneId: string;
  zoneName: string;
  /** What Cloudflare held before (every duplicate's content). */
  previous: string[];
  /** The record that stays (absent when one must be created). */
  keep?: HeldRecord;
  /** The kept record's content must change. */
  patch: boolean;
  /** No record exists: create one. */
  post: boolean;
  /** Duplicates to remove. */
  deletes: string[];
  /** The plan was made from the id cache, not from a fresh read. */
  fromCache: boolean;
}

/** Address equality that ignores spelling (`2001:db8::1` = `2001:0db8:0:0::1`). */
export function sameAddress(a: string, b: string): boolean {
  const pa = parseAddress(a);
  const pb = parseAddress(b);
  return pa && pb ? pa.address === pb.address : a.trim() === b.trim();
}

export function planRecord(
  request: RecordRequest,
  zone: { zoneId: string; zoneName: string },
  held: HeldRecord[],
  fromCache: boolean,
): RecordPlan {
  const base = { request, ...zone, previous: held.map((r) => r.content), fromCache };
  if (held.length === 0) return { ...base, patch: false, post: true, deletes: [] };
  // Prefer a record that already holds the address: then only the duplicates go.
  const keep = held.find((r) => sameAddress(r.content, request.content)) ?? held[0]!;
  return {
    ...base,
    keep,
    patch: !sameAddress(keep.content, request.content),
    post: false,
    deletes: held.filter((r) => r.id !== keep.id).map((r) => r.id),
  };
}

export const needsWrite = (p: RecordPlan): boolean => p.patch || p.post || p.deletes.length > 0;

export const operationCount = (p: RecordPlan): number => (p.patch ? 1 : 0) + (p.post ? 1 : 0) + p.deletes.length;

/** The record cache's key. */
export const recordKey = (r: { name: string; type: string }): string => `${r.type} ${r.name}`;

/**
 * Record ids learned from earlier reads and writes, so that an address change for a known record costs one
 * PATCH and no read. An entry is dropped whenever its truth is in doubt (a stale id, an unconfirmed write).
 */
export interface RecordCache {
  get(request: RecordRequest): { zoneId: string; records: HeldRecord[] } | undefined;
  set(request: RecordRequest, zoneId: string, records: HeldRecord[]): void;
  drop(request: RecordRequest): void;
  dropZone(zoneId: string): void;
}

export function createRecordCache(): RecordCache {
  const entries = new Map<string, { zoneId: string; records: HeldRecord[] }>();
  return {
    get: (request) => entries.get(recordKey(request)),
    set: (request, zoneId, records) => void entries.set(recordKey(request), { zoneId, records: records.map((r) => ({ ...r })) }),
    drop: (request) => void entries.delete(recordKey(request)),
    dropZone(zoneId) {
      for (const [key, entry] of entries) if (entry.zoneId === zoneId) entries.delete(key);
    },
  };
}
