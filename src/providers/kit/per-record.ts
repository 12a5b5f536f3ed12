import type { DnsProvider, RecordRequest, RecordResult, SetOptions } from "./types.ts";
import { internalError } from "./answer.ts";

/**
 * The runner every template uses: at most `concurrency` records in flight, exactly one result per request in the
 * caller's order, a throw turned into that record's internal-error result (never across the provider boundary),
 * and a cancelled round reported per record instead of started.
 */
export interface PerRecordOptions {
  signal: AbortSignal;
  concurrency?: number;
}

export async function runPerRecord<T extends { request: RecordRequest }>(
  items: readonly T[],
  options: PerRecordOptions,
  fn: (item: T, index: number) => Promise<RecordResult>,
): Promise<RecordResult[]> {
  const results = new Array<RecordResult>(items.length);
  await mapLimit(items, options.concurrency ?? 4, async (item, index) => {
    if (options.signal.aborted) {
      results[index] = { ok: false, request: item.request, kind: "transient", message: "the round was cancelled before this record was reached" };
      return;
    }
    try {
      const result = await fn(item, index);
      results[index] = result ?? internalError(item.request, new Error("no result"));
    } catch (error) {
      results[index] = internalError(item.request, error);
    }
  });
  return results;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  return results;
}

/** Groups items by a key, keeping first-seen order of keys and input order within each group. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Packs items into chunks of at most `limit` operations, each item whole. An item bigger than `limit` alone is
 * returned in `oversized` (the caller sends it another way).
 */
export function packChunks<T>(items: readonly T[], size: (item: T) => number, limit: number): { chunks: T[][]; oversized: T[] } {
  const chunks: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const n = size(item);
    if (n > limit) {
      oversized.push(item);
      continue;
    }
    if (used + n > limit && current.length > 0) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += n;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, oversized };
}

/**
 * A template's `setRecords` as a DnsProvider: one result per request in the caller's order, a missing one and a
 * throw reported per record as an internal error, never across the provider boundary.
 */
export function guardedProvider(
  type: string,
  canRead: boolean,
  setRecords: (requests: RecordRequest[], options: SetOptions, results: RecordResult[]) => Promise<void>,
): DnsProvider {
  return {
    type,
    canRead,
    async setRecords(requests, options) {
      const results = new Array<RecordResult>(requests.length);
      try {
        await setRecords(requests, options, results);
      } catch (error) {
        return requests.map((request) => internalError(request, error));
      }
      return requests.map((request, i) => results[i] ?? internalError(request, new Error("no result")));
    },
  };
}
