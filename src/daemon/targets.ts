import type { Config, TargetConfig } from "../config/types.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import type { DnsProvider, ProviderDeps } from "../providers/kit/types.ts";
import type { DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { primeSeries } from "../metrics/initial-series.ts";
import { expandRecords, type ManagedRecord } from "../engine/desired.ts";
import { recordNaming, type RecordNaming } from "../engine/record-naming.ts";

/** The records the engine keeps and how the operator sees them, from the configured targets. */
export interface ManagedSet {
  records: ManagedRecord[];
  /** With several targets, lines, labels and reasons name each record's target. */
  naming: RecordNaming;
}

export function managedSet(config: Pick<Config, "targets" | "ipVersions">): ManagedSet {
  return { records: expandRecords(config.targets, config.ipVersions), naming: recordNaming(config.targets.length > 1) };
}

/** The labels of a target's `ddns_provider_requests_total` series (without `outcome`). */
const providerLabels = (target: TargetConfig, naming: RecordNaming): Record<string, string> =>
  naming.several ? { target: target.id, provider: target.provider.type } : { provider: target.provider.type };

/**
 * One provider per target, by target id: the descriptor's `create` with the target's settings (secrets included)
 * and the world; its requests are counted per target. A ConfigError from `create` is a configuration error.
 */
export function createProviders(
  targets: readonly TargetConfig[],
  catalogue: Pick<Catalogue, "create">,
  deps: Omit<ProviderDeps, "onRequest">,
  metrics: DaemonMetrics,
  naming: RecordNaming,
): Map<string, DnsProvider> {
  return new Map(
    targets.map((t) => {
      const labels = providerLabels(t, naming);
      return [t.id, catalogue.create(t.provider, { ...deps, onRequest: (outcome) => metrics.providerRequests.inc({ ...labels, outcome }) })];
    }),
  );
}

/** Every series that exists from the start (at 0), with the label sets of this configuration. */
export function primeTargetSeries(metrics: DaemonMetrics, config: Pick<Config, "targets" | "ipVersions">, set: ManagedSet): void {
  metrics.recordsManaged.set(set.records.length);
  primeSeries(metrics, {
    families: config.ipVersions,
    records: set.records.map((r) => ({ type: r.type, labels: set.naming.labels(r) })),
    providers: config.targets.map((t) => providerLabels(t, set.naming)),
    notOwned: [...new Map(set.records.map((r) => { const l = set.naming.typeLabels(r); return [JSON.stringify(l), l] as const; })).values()],
  });
}
