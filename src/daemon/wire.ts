import type { Config, TargetConfig } from "../config/types.ts";
import { ConfigError } from "../core/errors.ts";
import type { Logger } from "../log/logger.ts";
import { createDaemonMetrics, type DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { primeSeries } from "../metrics/initial-series.ts";
import { createStatusBoard, type StatusBoard } from "../engine/status-board.ts";
import { createReconciler } from "../engine/reconciler.ts";
import { recordTypeOf } from "../core/family.ts";
import { type IpSource } from "../ip/types.ts";
import { isPushSource } from "../ip/push/push-source.ts";
import { restorePushSource } from "../update-server/stored-addresses.ts";
import type { DnsProvider, ProviderDeps } from "../providers/kit/types.ts";
import type { ProviderSettings } from "../providers/registry.ts";
import { USER_AGENT } from "../core/version.ts";
import { createMemoryStore } from "../state/memory-store.ts";
import { createFileStore, type StateFs } from "../state/file-store.ts";
import type { StateStore } from "../state/types.ts";
import { VERSION } from "../core/version.ts";

/** The outside world, as main.ts hands it in. Nothing below reads globals. */
export interface World {
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  fs: StateFs;
  runtime: string;
  rss: () => number;
  /** Log lines dropped so far because stdout was not being read (src/log/bounded-writer.ts). */
  logLinesDropped?: () => number;
  startTimeSeconds: number;
  createProvider: (provider: ProviderSettings, deps: ProviderDeps) => DnsProvider;
  /** Builds the configured IP source(s); may fall back (e.g. netlink → interface) with a warning. */
  createIpSources: (config: Config, log: Logger) => Promise<{ source: IpSource; fallback?: IpSource }>;
}

export interface Components {
  metrics: DaemonMetrics;
  status: StatusBoard;
  source: IpSource;
  fallback?: IpSource;
  provider: DnsProvider;
  store: StateStore;
  reconciler: ReturnType<typeof createReconciler>;
}

export type Prepared = Pick<Components, "metrics" | "status" | "provider" | "store">;

/** Until the engine keeps several targets: the configuration's one target (several are refused at start). */
export function soleTarget(config: Config): TargetConfig {
  if (config.targets.length !== 1) {
    throw new ConfigError("DDNS_CONFIG_FILE", `DDNS_CONFIG_FILE has ${config.targets.length} targets; this build keeps one target only.`);
  }
  return config.targets[0]!;
}

/** With DDNS_IP_VERSIONS unset, both families are tried but neither is required until it is detected. */
const optionalFamilies = (config: Config) => (config.ipVersionsExplicit ? [] : config.ipVersions);

/**
 * The synchronous part of wiring: metrics, status, provider and store. Runs before any async work, so a provider
 * that refuses its settings (a ConfigError) is still a configuration error (exit 1).
 */
export function prepareComponents(config: Config, world: World, log: Logger): Prepared {
  const metrics = createDaemonMetrics({ version: VERSION, runtime: world.runtime, startTimeSeconds: world.startTimeSeconds, rss: world.rss, ...(world.logLinesDropped ? { logLinesDropped: world.logLinesDropped } : {}) });
  const target = soleTarget(config);
  const managed = config.ipVersions.flatMap((f) => target.records.map((r) => ({ name: r.name, type: recordTypeOf(f) })));
  metrics.recordsManaged.set(managed.length);
  primeSeries(metrics, { families: config.ipVersions, records: managed, provider: target.provider.type });
  const status = createStatusBoard({
    version: VERSION,
    runtime: world.runtime,
    now: world.now,
    families: config.ipVersions,
    optionalFamilies: optionalFamilies(config),
    records: managed,
    staleAfterMs: 3 * config.pollIntervalMs + 60_000,
  });
  const provider = world.createProvider(target.provider, {
    fetch: world.fetch,
    log,
    now: world.now,
    random: world.random,
    userAgent: USER_AGENT,
    onRequest: (outcome) => metrics.providerRequests.inc({ provider: target.provider.type, outcome }),
    legacyDefaults: { ttl: target.defaults.ttl, proxied: target.defaults.proxied ?? false },
  });
  const store =
    config.state.type === "file"
      ? createFileStore({ path: config.state.path!, fs: world.fs, log, now: world.now })
      : createMemoryStore();
  return { metrics, status, provider, store };
}

/** The async part (phase 5 of the guide): IP sources and the stored state. A throw here is a runtime error (exit 2). */
export async function startComponents(config: Config, world: World, log: Logger, p: Prepared, dryRun: boolean): Promise<Components> {
  const { source, fallback } = await world.createIpSources(config, log);
  const reconciler = createReconciler({
    records: soleTarget(config).records.map((r) => r.name),
    families: config.ipVersions,
    optionalFamilies: optionalFamilies(config),
    source,
    ...(fallback ? { fallback } : {}),
    provider: p.provider,
    store: p.store,
    log,
    metrics: p.metrics,
    status: p.status,
    now: world.now,
    random: world.random,
    verifyIntervalMs: config.verifyIntervalMs,
    dryRun,
  });
  await reconciler.init();
  // A router never re-pushes an unchanged address: after a restart the push source starts from the stored ones.
  if (isPushSource(source)) restorePushSource(source, p.status, { records: soleTarget(config).records.map((r) => r.name), families: config.ipVersions, allowPrivate: config.allowPrivate }, log);
  // The push source answers the update endpoint from the round's result: tell it when each round has ended.
  const runRound: typeof reconciler.runRound = isPushSource(source)
    ? (reason, signal, options) => reconciler.runRound(reason, signal, options).finally(() => source.roundDone())
    : reconciler.runRound;
  return { ...p, source, ...(fallback ? { fallback } : {}), reconciler: { ...reconciler, runRound } };
}

/** Releases what the components hold (sources' watchers, provider connections), ignoring individual failures. */
export async function closeComponents(c: Components): Promise<void> {
  await Promise.allSettled([c.source.close?.(), c.fallback?.close?.(), c.provider.close?.()]);
}
