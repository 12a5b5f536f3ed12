import type { LegacyProviderConfig as ProviderConfig } from "../../../src/providers/kit/types.ts";
import { createMemoryLogger } from "../../../src/log/logger.ts";
import type { RequestObserver } from "../../../src/providers/kit/types.ts";
import type { LegacyProviderDeps, RecordRequest, RecordResult, SetOptions } from "../../../src/providers/kit/types.ts";

/**
 * Test wiring for write-only HTTP providers: injected deps with a memory logger (that redacts nothing, so a leaked
 * secret stays visible to assertions), a settable clock, and the request observations the provider reported.
 */
export interface Harness {
  deps: LegacyProviderDeps;
  log: ReturnType<typeof createMemoryLogger>;
  observed: Array<Parameters<RequestObserver>[0]>;
  clock: { now: number; advance(ms: number): void };
}

export function createHarness(provider: ProviderConfig): Harness {
  const log = createMemoryLogger("trace");
  const observed: Harness["observed"] = [];
  const clock = {
    now: Date.UTC(2025, 0, 1, 12, 0, 0),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const deps: LegacyProviderDeps = {
    provider,
    ttl: "auto",
    proxied: false,
    fetch: globalThis.fetch,
    log,
    onRequest: (outcome) => observed.push(outcome),
    now: () => clock.now,
  };
  return { deps, log, observed, clock };
}

export const liveOptions = (): SetOptions => ({ signal: AbortSignal.timeout(10_000), dryRun: false });
export const dryRunOptions = (): SetOptions => ({ signal: AbortSignal.timeout(10_000), dryRun: true });

export const a = (name: string, content: string): RecordRequest => ({ name, type: "A", content });
export const aaaa = (name: string, content: string): RecordRequest => ({ name, type: "AAAA", content });

/** The one result of a one-request call. */
export function only(results: RecordResult[]): RecordResult {
  if (results.length !== 1 || !results[0]) throw new Error(`expected one result, got ${results.length}`);
  return results[0];
}

/** A compact view of results for table assertions. */
export function summary(result: RecordResult): { ok: boolean; outcome?: string; kind?: string; message?: string } {
  return result.ok ? { ok: true, outcome: result.outcome } : { ok: false, kind: result.kind, message: result.message };
}

/** Short unique suffix so that names from different setups never collide. */
let counter = 0;
export function uniqueLabel(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}-${Math.random().toString(36).slice(2, 7)}`;
}
