import { createMemoryLogger } from "../../src/log/logger.ts";
import type { DnsProvider, ProviderDeps } from "../../src/providers/kit/types.ts";
import { ALL_PROVIDERS } from "../../src/providers/registry.ts";

/**
 * Builds a provider the way the daemon does: the variables a user sets, parsed by the provider's descriptor, then
 * `create(settings, deps)` with a test world (real fetch and clock, a memory logger) that `world` may override.
 */
export function buildProvider(id: string, variables: Record<string, string | undefined>, world: Partial<ProviderDeps> = {}): DnsProvider {
  const descriptor = ALL_PROVIDERS.byId(id);
  if (!descriptor) throw new Error(`no provider ${id}`);
  const parsed = descriptor.parse(variables);
  if (!parsed.ok) throw new Error(`${parsed.issue.variable} ${parsed.issue.reason}`);
  const deps: ProviderDeps = {
    fetch: globalThis.fetch, log: createMemoryLogger(), now: Date.now, random: Math.random, userAgent: "ddnsd-test", onRequest: () => {}, ...world,
  };
  return ALL_PROVIDERS.create({ type: id, settings: parsed.settings }, deps);
}
