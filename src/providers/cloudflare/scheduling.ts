/**
 * How the provider spreads its work: bounded concurrency (zones in parallel, but never a flood against one
 * rate-limited API) and packing record plans into batches without splitting one record across two batches.
 */

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
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

/**
 * Packs items into chunks of at most `limit` operations, each item whole. An item bigger than `limit` alone
 * is returned in `oversized` (the caller sends it another way).
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
