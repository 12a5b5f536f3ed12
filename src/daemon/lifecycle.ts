import type { Config } from "../config/types.ts";
import type { Logger } from "../log/logger.ts";
import { describeError, EXIT_OK, EXIT_RUNTIME } from "../core/errors.ts";
import { formatDuration } from "../core/durations.ts";
import { createScheduler } from "../engine/scheduler.ts";
import { closeComponents, NOTIFY_CLOSE_MS, type Components } from "./wire.ts";
import { describeSources } from "../config/source-types.ts";

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
  /** Resolves with the first shutdown signal (SIGTERM, SIGINT…). */
  shutdownSignal: Promise<string>;
  /** The exit code of a graceful shutdown started by that signal (default 0). */
  shutdownExitCode?: (signal: string) => number;
  /** Receives the loop's "check now" (for SIGHUP) once the loop runs, and undefined when the shutdown begins. */
  setCheck?: (check: ((reason: string) => void) | undefined) => void;
}

/**
 * The daemon's life per the operations guide: startup phases in order, the signal wait, then a graceful shutdown
 * within DDNS_SHUTDOWN_TIMEOUT (exit 0) or the timeout error (exit 2). Transient errors never end it.
 */
export async function runDaemon(d: LifecycleDeps): Promise<number> {
  const { config, log } = d;
  log.info("Starting ddnsd daemon");
  const several = config.targets.length > 1;
  log.info(`Configuration loaded: ${config.targets.reduce((n, t) => n + t.records.length, 0)} record(s)`);
  log.info(`IP source type: ${describeSources(config.ipSource.byFamily)}`);
  log.info(`Provider type: ${[...new Set(config.targets.map((t) => t.provider.type))].join(", ")}`);
  log.info(`State store type: ${config.state.type}`);
  for (const t of config.targets) for (const r of t.records) log.info(`Managing record: ${r.name}${several ? ` (target ${t.id})` : ""}`);

  const starting = (async () => {
    const components = await d.init();
    return { components, http: await d.startHttp(components) };
  })();
  // A signal while starting (a state file on a hung mount, a slow source) must not wait for the start to finish.
  const early = await Promise.race([starting.then(() => undefined, () => undefined), d.shutdownSignal]);
  if (early !== undefined) return stopWhileStarting(d, early, starting);
  let started: Awaited<typeof starting>;
  try {
    started = await starting;
  } catch (error) {
    log.error(`Daemon error: ${describeError(error)}`);
    return EXIT_RUNTIME;
  }
  const { components: c, http } = started;
  c.notifier.started();
  const scheduler = createScheduler({
    runRound: (reason, signal) => c.reconciler.runRound(reason, signal),
    pollIntervalMs: config.pollIntervalMs,
    now: d.now,
    log,
    status: c.status,
  });
  log.info("Daemon initialized successfully");
  const loop = scheduler.start();
  d.setCheck?.((reason) => scheduler.trigger(reason));
  if (c.source.watch) {
    c.source.watch((reason) => scheduler.trigger(reason)).catch((error) => {
      log.error(`The ${c.source.type} watcher stopped: ${describeError(error)}; polling every ${formatDuration(config.pollIntervalMs)} continues`);
    });
  }
  log.info("Ready to monitor IP changes");

  const signal = await d.shutdownSignal;
  d.setCheck?.(undefined);
  log.info(`Received shutdown signal: ${signal}`);
  log.info("Shutting down daemon");
  const stopping = d.now();
  c.notifier.stopping();
  const shutdown = (async () => {
    await scheduler.stop();
    await loop;
    await c.reconciler.flush();
    // Within the shutdown budget: past it the exit is 2 with the guide's line anyway, and the requests are cut.
    if (config.deleteOnStop) await c.reconciler.deleteManaged(AbortSignal.timeout(config.shutdownTimeoutMs));
    // Queued notifications get a small part of the budget: a slow webhook never makes the shutdown time out.
    await Promise.allSettled([closeComponents(c, Math.min(NOTIFY_CLOSE_MS, config.shutdownTimeoutMs / 4)), http?.close()]);
  })();
  return finishWithin(d, signal, shutdown, () => c.metrics.shutdownSeconds.set((d.now() - stopping) / 1000));
}

/**
 * The graceful shutdown's budget: the signal's exit code (0, or 2 for SIGXCPU) when `work` ends in time, 2 (with the
 * guide's error line) otherwise.
 */
async function finishWithin(d: LifecycleDeps, signal: string, work: Promise<void>, measure: () => void = () => {}): Promise<number> {
  const { config, log } = d;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ending = await Promise.race([
    work.then(
      () => "done" as const,
      (error) => {
        log.error(`Shutdown error: ${describeError(error)}`);
        return "failed" as const;
      },
    ),
    new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), config.shutdownTimeoutMs))),
  ]);
  clearTimeout(timer);
  measure();
  if (ending === "timeout") {
    log.error(`Shutdown error: Shutdown timeout after ${formatDuration(config.shutdownTimeoutMs)}`);
    return EXIT_RUNTIME;
  }
  if (ending === "failed") return EXIT_RUNTIME;
  log.info("Shutdown complete");
  return d.shutdownExitCode?.(signal) ?? EXIT_OK;
}

/** A shutdown signal before the daemon was up: wait (within the budget) for the start to end, then release it. */
function stopWhileStarting(d: LifecycleDeps, signal: string, starting: Promise<{ components: Components; http?: HttpServerHandle }>): Promise<number> {
  d.log.info(`Received shutdown signal: ${signal}`);
  d.log.info("Shutting down daemon");
  const release = starting.then(
    async ({ components, http }) => void (await Promise.allSettled([closeComponents(components), http?.close()])),
    (error) => Promise.reject(new Error(`the daemon failed while starting: ${describeError(error)}`)),
  );
  return finishWithin(d, signal, release);
}
