import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider, ProviderDeps, RecordRequest } from "../../src/providers/kit/types.ts";

/**
 * What the provider tests share: the test world a provider is created with (real fetch and clock, a memory logger
 * at debug level, so a test can read the provider's debug lines), one `setRecords` call with a 5 s deadline, and an
 * A record request.
 */
export const deps = (): ProviderDeps => ({ fetch, log: createMemoryLogger("debug"), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {} });
export const set = (p: DnsProvider, requests: RecordRequest[], signal = AbortSignal.timeout(5_000)) => p.setRecords(requests, { signal, dryRun: false });
export const a = (name: string, content: string, more: Partial<RecordRequest> = {}): RecordRequest => ({ name, type: "A", content, ...more });
