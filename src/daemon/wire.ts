import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { createDaemonMetrics, type DaemonMetrics } from "../metrics/daemon-metrics.ts";
import { createStatusBoard, type StatusBoard } from "../engine/status-board.ts";
import { createReconciler, type Reconciler } from "../engine/reconciler.ts";
import type { ManagedRecord } from "../engine/desired.ts";
import type { IpSource } from "../ip/types.ts";
import { isPushSource } from "../ip/push/push-source.ts";
import { restorePushSource } from "../update-server/stored-addresses.ts";
import { createPushEndpoint } from "../update-server/push-backend.ts";
import type { DnsProvider } from "../providers/kit/types.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import { ALL_PROVIDERS } from "../providers/registry.ts";
import { USER_AGENT, VERSION } from "../core/version.ts";
import { createMemoryStore } from "../state/memory-store.ts";
import { createFileStore } from "../state/file-store.ts";
import type { StateStore } from "../state/types.ts";
import { createApp } from "../http/app.ts";
import { formatHostPort, type ServeHandle } from "../http/serve-types.ts";
import type { Platform } from "./platform.ts";
import { createIpSources } from "./ip-sources.ts";
import { createProviders, managedSet, primeTargetSeries } from "./targets.ts";
import { createDaemonNotifier, NOTIFY_TIMEOUT_MS } from "./notifier.ts";
import { smtpChannelFactory } from "../notify/smtp-session.ts";
import type { Notifier } from "../notify/types.ts";
import type { Endpoints } from "../notify/services/service-types.ts";

export interface WireOptions {
  log: Logger;
  /** `--dry-run`: providers are read, never written. */
  dryRun: boolean;
  /** Log lines dropped so far because stdout was not being read (src/log/bounded-writer.ts). */
  logLinesDropped?: () => number;
  /** The providers this build offers; default every provider (tests pass their own). */
  providers?: Pick<Catalogue, "create">;
  /** How long an update through /nic/update may take before it is answered 911 (tests shorten it). */
  updateBudgetMs?: number;
  /** The secret redactor of the log lines (src/log/redact.ts), for /status and the status page. */
  redact?: (text: string) => string;
  /** Origins of the notification services with a fixed host (tests point them at fakes). */
  notifyEndpoints?: Endpoints;
  /** Extra CA certificates (PEM) trusted by SMTP sessions (tests with a local server). */
  smtpCa?: string;
}

export interface Components {
  metrics: DaemonMetrics;
  status: StatusBoard;
  records: readonly ManagedRecord[];
  /** Each target's provider, by target id. */
  providers: ReadonlyMap<string, DnsProvider>;
  store: StateStore;
  source: IpSource;
  fallback?: IpSource;
  reconciler: Reconciler;
  /** Notification channels and heartbeats (a no-op without any configured). */
  notifier: Notifier;
}

/** The daemon, wired: what exists before start, and the two asynchronous steps of the guide's phase 5. */
export interface WiredDaemon {
  metrics: DaemonMetrics;
  status: StatusBoard;
  notifier: Notifier;
  /** IP sources and the stored state; a throw is a runtime error (exit 2). */
  start(): Promise<Components>;
  /** The HTTP endpoints (and /nic/update with the push source), when DDNS_HTTP_ADDR is not off. */
  startHttp(c: Components): Promise<ServeHandle | undefined>;
}

/** With DDNS_IP_VERSIONS unset, both families are tried but neither is required until it is detected. */
const optionalFamilies = (config: Config) => (config.ipVersionsExplicit ? [] : config.ipVersions);

/**
 * The one wiring function: from the configuration and the platform to the running daemon. Everything that can
 * refuse the configuration happens here, synchronously, before any async work — a provider whose settings can
 * never work throws its ConfigError now (exit 1). Every target's secrets go to its provider and nowhere else:
 * `createProviders` hands each target's settings to its descriptor's `create`.
 */
export function wire(config: Config, platform: Platform, options: WireOptions): WiredDaemon {
  const { log } = options;
  const metrics = createDaemonMetrics({
    version: VERSION,
    runtime: platform.runtime,
    startTimeSeconds: platform.startTimeSeconds,
    rss: platform.rss,
    ...(options.logLinesDropped ? { logLinesDropped: options.logLinesDropped } : {}),
  });
  const set = managedSet(config);
  primeTargetSeries(metrics, config, set);
  const status = createStatusBoard({
    version: VERSION,
    runtime: platform.runtime,
    now: platform.now,
    families: config.ipVersions,
    optionalFamilies: optionalFamilies(config),
    records: set.records,
    naming: set.naming,
    staleAfterMs: 3 * config.pollIntervalMs + 60_000,
  });
  const deps = { fetch: platform.fetch, log, now: platform.now, random: platform.random, userAgent: USER_AGENT };
  const providers = createProviders(config.targets, options.providers ?? ALL_PROVIDERS, deps, metrics, set.naming);
  const smtp = smtpChannelFactory({ timeoutMs: NOTIFY_TIMEOUT_MS, now: platform.now, ...(options.smtpCa ? { ca: options.smtpCa } : {}) });
  const notifier = createDaemonNotifier(config.notify, { fetch: platform.fetch, now: platform.now, log, metrics, smtp, ...(options.notifyEndpoints ? { endpoints: options.notifyEndpoints } : {}) });
  const targets = config.targets.map((t) => t.id);
  const store =
    config.state.type === "file"
      ? createFileStore({ path: config.state.path!, fs: platform.fs, log, now: platform.now, targets })
      : createMemoryStore();

  async function start(): Promise<Components> {
    const { source, fallback } = await createIpSources(config, log, platform);
    const reconciler = createReconciler({
      records: set.records,
      families: config.ipVersions,
      optionalFamilies: optionalFamilies(config),
      source,
      ...(fallback ? { fallback } : {}),
      providers,
      store,
      log,
      metrics,
      status,
      now: platform.now,
      random: platform.random,
      verifyIntervalMs: config.verifyIntervalMs,
      dryRun: options.dryRun,
      naming: set.naming,
      notifier,
      allowPrivate: config.allowPrivate,
    });
    await reconciler.init();
    const c: Components = { metrics, status, records: set.records, providers, store, source, ...(fallback ? { fallback } : {}), reconciler, notifier };
    if (!isPushSource(source)) return c;
    // A router never re-pushes an unchanged address: after a restart the push source starts from the stored ones.
    restorePushSource(source, status, { records: set.records, families: config.ipVersions, allowPrivate: config.allowPrivate }, log);
    // The push source answers the update endpoint from the round's result: tell it when each round has ended.
    const runRound: Reconciler["runRound"] = (reason, signal, roundOptions) => reconciler.runRound(reason, signal, roundOptions).finally(() => source.roundDone());
    return { ...c, reconciler: { ...reconciler, runRound } };
  }

  async function startHttp(c: Components): Promise<ServeHandle | undefined> {
    if (!config.http) return undefined;
    const push = config.updateServer && isPushSource(c.source) ? c.source : undefined;
    const edge = push
      ? createPushEndpoint({
          config: { records: c.records, ipVersions: config.ipVersions, allowPrivate: config.allowPrivate },
          edge: config.updateServer!,
          source: push,
          status: c.status,
          pending: c.reconciler.pending,
          log,
          now: platform.now,
          ...(options.updateBudgetMs === undefined ? {} : { budgetMs: options.updateBudgetMs }),
        })
      : undefined;
    const app = createApp({ status: c.status, metrics: c.metrics, version: VERSION, runtime: platform.runtime, now: platform.now, ...(options.redact ? { redact: options.redact } : {}), ...(edge ? { edge: edge.app, login: edge.login } : {}) });
    const server = await platform.serve({ hostname: config.http.host, port: config.http.port, fetch: app.fetch });
    log.info(`HTTP endpoints listening on ${formatHostPort(config.http.host, server.port)}`);
    if (edge) log.info(`DynDNS2 update endpoint: http://${formatHostPort(config.http.host, server.port)}/nic/update`);
    return server;
  }

  return { metrics, status, notifier, start, startHttp };
}

/** How long queued notifications may hold up the end of the process, at most. */
export const NOTIFY_CLOSE_MS = 2000;

/**
 * Releases what the components hold (sources' watchers, provider connections, the notification queues after at most
 * `notifyBudgetMs`), ignoring individual failures.
 */
export async function closeComponents(c: Components, notifyBudgetMs = NOTIFY_CLOSE_MS): Promise<void> {
  await Promise.allSettled([c.source.close?.(), c.fallback?.close?.(), ...[...c.providers.values()].map((p) => p.close?.()), c.notifier.close(notifyBudgetMs)]);
}
