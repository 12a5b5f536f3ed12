import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { describeError, EXIT_OK, EXIT_RUNTIME } from "../errors.ts";
import { formatDuration } from "../config/durations.ts";
import { createScheduler } from "../engine/scheduler.ts";
import { closeComponents, type Components } from "./components.ts";

export interface HttpServerHandle {
  close(): Promise<void>;
}

export interface LifecycleDeps {
  config: Config;
  log: Logger;
  now: () => number;
  /** Builds the engine (phase 5 of the guide's startup); a throw here is a runtime init failure → exit 2. */
  init: () => Promise<Components>;
  /** Starts the HTTP endpoints, if configured; a throw is a runtime init failure → exit 2. */
  startHttp: (c: Components) => Promise<HttpServerHandle | undefined>;
  /** Resolves with the first SIGTERM/SIGINT. */
  shutdownSignal: Promise<string>;
}

/**
 * The daemon's life per the operations guide: startup phases in order, the signal wait, then a graceful shutdown
 * within DDNS_SHUTDOWN_TIMEOUT (exit 0) or the timeout error (exit 2). Transient errors never end it.
 */
export async function runDaemon(d: LifecycleDeps): Promise<number> {
  const { config, log } = d;
  log.info("Starting ddnsd daemon");
  log.info(`Configuration loaded: ${config.records.length} record(s)`);
  log.info(`IP source type: ${config.ipSource.type}`);
  log.info(`Provider type: ${config.provider.type}`);
  log.info(`State store type: ${config.state.type}`);
  for (const name of config.records) log.info(`Managing record: ${name}`);

  let components: Components;
  let http: HttpServerHandle | undefined;
  try {
    components = await d.init();
    http = await d.startHttp(components);
  } catch (error) {
    log.error(`Daemon error: ${describeError(error)}`);
    return EXIT_RUNTIME;
  }
  const c = components;
  const scheduler = createScheduler({
    runRound: (reason, signal) => c.reconciler.runRound(reason, signal),
    pollIntervalMs: config.pollIntervalMs,
    now: d.now,
    log,
    status: c.status,
  });
  log.info("Daemon initialized successfully");
  const loop = scheduler.start();
  if (c.source.watch) {
    c.source.watch((reason) => scheduler.trigger(reason)).catch((error) => {
      log.error(`The ${c.source.type} watcher stopped: ${describeError(error)}; polling every ${formatDuration(config.pollIntervalMs)} continues`);
    });
  }
  log.info("Ready to monitor IP changes");

  const signal = await d.shutdownSignal;
  log.info(`Received shutdown signal: ${signal}`);
  log.info("Shutting down daemon");
  const started = d.now();
  const shutdown = (async () => {
    await scheduler.stop();
    await loop;
    await c.reconciler.flush();
    await Promise.allSettled([closeComponents(c), http?.close()]);
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ending = await Promise.race([
    shutdown.then(
      () => "done" as const,
      (error) => {
        log.error(`Shutdown error: ${describeError(error)}`);
        return "failed" as const;
      },
    ),
    new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), config.shutdownTimeoutMs))),
  ]);
  clearTimeout(timer);
  c.metrics.shutdownSeconds.set((d.now() - started) / 1000);
  if (ending === "timeout") {
    log.error(`Shutdown error: Shutdown timeout after ${formatDuration(config.shutdownTimeoutMs)}`);
    return EXIT_RUNTIME;
  }
  if (ending === "failed") return EXIT_RUNTIME;
  log.info("Shutdown complete");
  return EXIT_OK;
}
