import type { ProviderDescriptor } from "./descriptor.ts";
import type { DnsProvider, ProviderDeps } from "./types.ts";

/**
 * The providers a build offers, looked up by id. The daemon gets every provider (src/providers/registry.ts); the
 * Worker gets only the HTTP ones it can run. config/ receives a catalogue and knows no provider by name.
 */
// biome-ignore lint: descriptors of any settings
type AnyProviderDescriptor = ProviderDescriptor<any>;

export interface Catalogue<D extends AnyProviderDescriptor = AnyProviderDescriptor> {
  readonly list: readonly D[];
  readonly ids: readonly string[];
  byId(id: string): D | undefined;
  /** Builds a target's provider from its settings (a ConfigError for impossible settings). */
  create(target: { type: string; settings: unknown }, deps: ProviderDeps): DnsProvider;
}

export function createCatalogue<D extends AnyProviderDescriptor>(list: readonly D[]): Catalogue<D> {
  const byId = new Map<string, D>(list.map((d) => [d.id, d]));
  return {
    list,
    ids: list.map((d) => d.id),
    byId: (id) => byId.get(id),
    create(target, deps) {
      const descriptor = byId.get(target.type);
      if (!descriptor) throw new Error(`no provider ${JSON.stringify(target.type)} in this build`);
      return descriptor.create(target.settings, deps);
    },
  };
}
