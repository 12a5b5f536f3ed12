import { createMemoryLogger } from "../../../src/log/logger.ts";
import { DEFAULT_USER_AGENT } from "../../../src/providers/kit/user-agent.ts";
import type { DnsProvider, ProviderDeps, RecordRequest, RecordResult, RequestObserver, SetOptions } from "../../../src/providers/kit/types.ts";
import { ALL_PROVIDERS } from "../../../src/providers/registry.ts";

/**
 * Test wiring for HTTP providers, built the way the daemon builds them: the variables a user sets, parsed by the
 * provider's descriptor, then `descriptor.create(settings, deps)`. The deps hold a memory logger (that redacts
 * nothing, so a leaked secret stays visible to assertions), a settable clock, and the request observations the
 * provider reported.
 */
export interface HarnessOptions {
  userAgent?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface Harness {
  deps: ProviderDeps;
  log: ReturnType<typeof createMemoryLogger>;
  observed: Array<Parameters<RequestObserver>[0]>;
  clock: { now: number; advance(ms: number): void };
  /** The provider `id` with these variables (unset ones left out), through its descriptor. */
  provider(id: string, variables: Record<string, string | undefined>): DnsProvider;
}

/** Builds provider `id` from raw variables through the registry, as config and wiring do; a settings issue throws. */
export function providerOf(id: string, variables: Record<string, string | undefined>, deps: ProviderDeps): DnsProvider {
  const descriptor = ALL_PROVIDERS.byId(id);
  if (!descriptor) throw new Error(`no provider ${id}`);
  const parsed = descriptor.parse(variables);
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  return ALL_PROVIDERS.create({ type: id, settings: parsed.settings }, deps);
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const log = createMemoryLogger("trace");
  const observed: Harness["observed"] = [];
  const clock = {
    now: Date.UTC(2025, 0, 1, 12, 0, 0),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const deps: ProviderDeps = {
    fetch: options.fetch ?? globalThis.fetch,
    log,
    now: () => clock.now,
    random: Math.random,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    onRequest: (outcome) => observed.push(outcome),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  return { deps, log, observed, clock, provider: (id, variables) => providerOf(id, variables, deps) };
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
