import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { USER_AGENT, VERSION } from "../core/version.ts";
import type { Catalogue } from "../providers/kit/catalogue.ts";
import { createPushSource } from "../ip/push/push-source.ts";
import { createDaemonMetrics } from "../metrics/daemon-metrics.ts";
import { createStatusBoard } from "../engine/status-board.ts";
import { createReconciler } from "../engine/reconciler.ts";
import { createMemoryStore } from "../state/memory-store.ts";
import { createRoundBackend } from "../update-server/round-backend.ts";
import type { UpdateBackend } from "../update-server/types.ts";
import { createProviders, managedSet } from "./targets.ts";
import { createDaemonNotifier } from "./notifier.ts";

/**
 * The update endpoint's backend in the Worker: the daemon's engine (reconciler, backoff, per-target providers) over
 * a push source and a memory store that lives as long as the isolate. Each accepted update is one round for the
 * hosts it names (round-backend.ts); metrics and the status board exist for the engine but are served nowhere.
 */
export function createWorkerBackend(
  config: Config,
  world: { fetch: typeof fetch; now: () => number; log: Logger; random?: () => number; waitUntil?: (work: Promise<void>) => void },
  catalogue: Pick<Catalogue, "create">,
): UpdateBackend {
  const { log, now } = world;
  const random = world.random ?? Math.random;
  const set = managedSet(config);
  const metrics = createDaemonMetrics({ version: VERSION, runtime: "workerd", startTimeSeconds: Math.round(now() / 1000), rss: () => 0 });
  const status = createStatusBoard({
    version: VERSION,
    runtime: "workerd",
    now,
    families: config.ipVersions,
    optionalFamilies: [],
    records: set.records,
    naming: set.naming,
    staleAfterMs: 3 * config.pollIntervalMs + 60_000,
  });
  const providers = createProviders(config.targets, catalogue, { fetch: world.fetch, log, now, random, userAgent: USER_AGENT }, metrics, set.naming);
  const source = createPushSource({ now });
  // The same seam as the daemon: an update that changes a record is a message; each update round is a heartbeat.
  const notifier = createDaemonNotifier(config.notify, { fetch: world.fetch, now, log, metrics, ...(world.waitUntil ? { waitUntil: world.waitUntil } : {}) });
  const reconciler = createReconciler({
    records: set.records,
    families: config.ipVersions,
    source,
    providers,
    store: createMemoryStore(),
    log,
    metrics,
    status,
    now,
    random,
    verifyIntervalMs: config.verifyIntervalMs,
    dryRun: false,
    naming: set.naming,
    notifier,
    allowPrivate: config.allowPrivate,
  });
  // A memory store loads at once; the first update waits for it all the same.
  const ready = reconciler.init();
  const engine = {
    async runRound(...args: Parameters<typeof reconciler.runRound>) {
      await ready;
      return reconciler.runRound(...args);
    },
    holds: reconciler.holds,
    pending: reconciler.pending,
  };
  return createRoundBackend({ source, engine, records: set.records, families: config.ipVersions, allowPrivate: config.allowPrivate, now });
}
