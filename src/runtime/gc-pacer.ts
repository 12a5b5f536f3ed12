/**
 * Paces the JavaScript garbage collector by heap growth: every `everyMs`, when the heap has grown by more than
 * `budgetBytes` since the last collection, one full synchronous collection (which also returns the allocator's
 * free pages to the system).
 *
 * Why: JavaScriptCore sizes its heap for throughput — with a round's worth of garbage (a 1000-record change builds
 * and parses ~10 batch bodies) it lets the heap grow to 12–19 MiB before it collects, for ~3 MiB that are live.
 * A daemon that does a round every few seconds and sleeps in between can afford a ~2 ms collection after the work
 * instead: the heap stays within the live size plus the budget. Idle, the heap does not grow and nothing runs
 * but the check (a counter read). docs/memory.md has the figures.
 */

export interface GcPacerDeps {
  /** Bytes of the JavaScript heap now (bun:jsc `heapSize()`). */
  heapSize: () => number;
  /** A full, synchronous collection (`Bun.gc(true)`). */
  collect: () => void;
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (timer: unknown) => void;
  everyMs: number;
  budgetBytes: number;
}

export interface GcPacer {
  /** One check now: collects when the heap grew past the budget; returns whether it did. */
  check(): boolean;
  stop(): void;
}

export function createGcPacer(deps: GcPacerDeps): GcPacer {
  let baseline = deps.heapSize();
  const check = () => {
    const size = deps.heapSize();
    baseline = Math.min(baseline, size); // the collector's own collections count too
    if (size - baseline <= deps.budgetBytes) return false;
    deps.collect();
    baseline = deps.heapSize();
    return true;
  };
  const timer = deps.setInterval(check, deps.everyMs);
  return { check, stop: () => deps.clearInterval(timer) };
}
