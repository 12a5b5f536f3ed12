/**
 * The composition root and the only place that touches the process: arguments, environment, stdout/stderr,
 * signals, the clock, fetch and the file system are read here and handed to factories.
 */
import process from "node:process";
import { writeSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { parseArgs } from "./cli/args.ts";
import { HELP_TEXT } from "./cli/help.ts";
import { providerLines } from "./cli/providers-list.ts";
import { loadConfig, loadHttpAddr, targetSecrets } from "./config/load-config.ts";
import { renderEffectiveConfig } from "./config/print-config.ts";
import { configErrorLines } from "./config/known-variables.ts";
import { checkStatePath } from "./config/state-path.ts";
import { readSecretFile } from "./runtime/read-secret-file.ts";
import { createPathAccess } from "./runtime/path-access.ts";
import { ConfigError, describeError, EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME } from "./core/errors.ts";
import { createLogger, type Logger } from "./log/logger.ts";
import { closeComponents, prepareComponents, startComponents, type World } from "./daemon/wire.ts";
import { runDaemon } from "./daemon/lifecycle.ts";
import { runOnce } from "./daemon/once.ts";
import { createIpSources } from "./ip/create-sources.ts";
import { ALL_PROVIDERS } from "./providers/registry.ts";
import { listenToSignals } from "./runtime/signals.ts";
import { routeSignals, shutdownExitCode } from "./daemon/signal-policy.ts";
import { createBoundedWriter } from "./log/bounded-writer.ts";
import { escapeControl } from "./log/control-chars.ts";
import { RUNTIME, runtimeAdapter } from "./runtime/select.ts";
import { formatHostPort } from "./runtime/serve-types.ts";
import { formatDuration } from "./core/durations.ts";
import { runHealthcheck } from "./cli/healthcheck.ts";
import { createApp } from "./http/app.ts";
import { isPushSource } from "./ip/push/push-source.ts";
import { createPushEndpoint } from "./update-server/push-backend.ts";
import { VERSION } from "./core/version.ts";
import { secretsOfUrl } from "./net/display-url.ts";

const encoder = new TextEncoder();
/**
 * One-shot output (`--version`, `--help`, `check`, `healthcheck`) goes straight to fd 1, synchronously: nothing is
 * lost at exit, and process.stdout would build a Node stream for it, ~1 MiB of RSS (docs/performance.md). Should
 * fd 1 refuse (e.g. EAGAIN on a non-blocking pipe), the stream takes over. The daemon's log never comes here: it
 * goes through `logOut`, which cannot block.
 */
const out = (text: string) => {
  const bytes = encoder.encode(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch {
    process.stdout.write(bytes.subarray(done));
  }
};
const err = (text: string) => void process.stderr.write(text);
/** One line of operator output; control characters escaped, so no value (a variable's name…) can forge a line. */
const outLine = (text: string) => out(`${escapeControl(text)}\n`);
const errLine = (text: string) => err(`${escapeControl(text)}\n`);

/**
 * The log of `run` and `once`: a bounded queue drained by asynchronous writes to fd 1, so a reader that stops
 * reading never blocks the loop, the HTTP endpoints or the shutdown; lines past the bound are dropped and counted
 * (ddns_log_lines_dropped_total), with one notice once the reader reads again (docs/OPS.md "Log lines").
 */
const adapter = runtimeAdapter();
const logOut = createBoundedWriter({ writeChunk: adapter.writeStdout });
/** How long the exit waits for queued log lines (the shutdown lines) to be taken by the reader. */
const EXIT_FLUSH_MS = 1000;
/** Room the shutdown lines get behind a full queue. */
const SHUTDOWN_LOG_RESERVE = 4096;
const exit = (code: number): void => void logOut.flush(EXIT_FLUSH_MS).finally(() => process.exit(code));
/** A configuration error, and the typo hints for unknown variables after it; each line escaped. */
const configError = (error: ConfigError, env: Record<string, string | undefined>) => {
  for (const line of configErrorLines(error.message, env, ALL_PROVIDERS)) errLine(line);
};

async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const args = parseArgs(argv);
  if (!args.ok) {
    errLine(`Usage error: ${args.message}`);
    return EXIT_CONFIG;
  }
  if (args.command === "version") return out(`ddnsd ${VERSION} (${RUNTIME})\n`), EXIT_OK;
  if (args.command === "help") return out(HELP_TEXT), EXIT_OK;
  if (args.command === "providers") return out(`${providerLines().join("\n")}\n`), EXIT_OK;
  if (args.command === "healthcheck") {
    let addr;
    try {
      addr = loadHttpAddr(env);
    } catch (error) {
      if (error instanceof ConfigError) return errLine(`Configuration error: ${error.message}`), 1;
      throw error;
    }
    return runHealthcheck({ addr, fetch: globalThis.fetch, write: outLine });
  }

  // Phases 1–3 of the guide: load, validate, set up logging. Any failure here is a configuration error (exit 1).
  let loaded;
  try {
    loaded = loadConfig({ env, readFile: readSecretFile, providers: ALL_PROVIDERS });
    checkStatePath(loaded.config.state, createPathAccess());
  } catch (error) {
    if (error instanceof ConfigError) return configError(error, env), EXIT_CONFIG;
    throw error;
  }
  const { config, warnings } = loaded;
  if (args.command === "check") {
    for (const line of renderEffectiveConfig(config, ALL_PROVIDERS)) outLine(line);
    for (const w of warnings) outLine(`warning: ${w}`);
    const records = config.targets.reduce((n, t) => n + t.records.length, 0);
    const providers = [...new Set(config.targets.map((t) => t.provider.type))].join(", ");
    const targets = config.targets.length > 1 ? `${config.targets.length} targets, providers ${providers}` : `provider ${providers}`;
    outLine(`Configuration is valid: ${records} record(s), ${targets}`);
    return EXIT_OK;
  }
  // Keys in the IP endpoints' queries are secrets too (URLs are shown without their query; this catches the rest).
  const urlSecrets = [...config.ipSource.urlsV4, ...config.ipSource.urlsV6].flatMap(secretsOfUrl);
  const secrets = [...targetSecrets(config, ALL_PROVIDERS), ...(config.updateServer ? [config.updateServer.password] : []), ...urlSecrets];
  const log = createLogger({ level: config.log.level, format: config.log.format, write: logOut.write, secrets });
  logOut.onResume((n) => log.warn(`Dropped ${n} log line(s): stdout was not being read fast enough (ddns_log_lines_dropped_total counts every dropped line)`));
  installLastResortHandlers(log);
  const world: World = {
    fetch: globalThis.fetch.bind(globalThis),
    now: Date.now,
    random: Math.random,
    fs: fsp,
    runtime: RUNTIME,
    rss: () => process.memoryUsage().rss,
    logLinesDropped: logOut.dropped,
    startTimeSeconds: Math.round(Date.now() / 1000 - process.uptime()),
    createProvider: (target, deps) => ALL_PROVIDERS.create(target, deps),
    createIpSources: (c, l) => createIpSources(c, l, { fetch: globalThis.fetch.bind(globalThis), ...adapter.sourceWorld }),
  };
  let prepared;
  try {
    prepared = prepareComponents(config, world, log);
  } catch (error) {
    if (error instanceof ConfigError) return configError(error, env), EXIT_CONFIG;
    throw error;
  }
  for (const w of warnings) log.warn(w);
  if (args.dryRun) log.info("Dry run: the provider is read but never written");
  const signals = routeSignals({ listen: listenToSignals, log, mode: args.command === "once" ? "once" : "run" });
  // Registered before anything else awaits the signal: the shutdown lines get their room before they are logged.
  void signals.shutdown.then(() => logOut.reserve(SHUTDOWN_LOG_RESERVE));

  if (args.command === "once") {
    const abort = new AbortController();
    void signals.shutdown.then((s) => {
      log.info(`Received shutdown signal: ${s}`);
      abort.abort();
      // A start that hangs (a state file on a dead mount) ignores the abort: past the budget, give up as run does.
      setTimeout(() => {
        log.error(`Shutdown error: Shutdown timeout after ${formatDuration(config.shutdownTimeoutMs)}`);
        exit(EXIT_RUNTIME);
      }, config.shutdownTimeoutMs);
    });
    try {
      const components = await startComponents(config, world, log, prepared, args.dryRun);
      const code = await runOnce(components, log, { now: Date.now, signal: abort.signal });
      await closeComponents(components);
      return code;
    } catch (error) {
      log.error(`Daemon error: ${describeError(error)}`);
      return EXIT_RUNTIME;
    }
  }

  // Memory upkeep (GC pacing, dropping the executable's start-up pages), before the first round: docs/memory.md.
  adapter.startMemoryUpkeep({
    debug: (line) => log.debug(line),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (timer) => clearInterval(timer as ReturnType<typeof setInterval>),
  });
  return runDaemon({
    config,
    log,
    now: Date.now,
    shutdownSignal: signals.shutdown,
    shutdownExitCode,
    setCheck: signals.setCheck,
    init: () => startComponents(config, world, log, prepared, args.dryRun),
    startHttp: async (c) => {
      if (!config.http) return undefined;
      const target = config.targets[0]!;
      const push = { records: target.records.map((r) => r.name), ipVersions: config.ipVersions, allowPrivate: config.allowPrivate };
      const edge = config.updateServer && isPushSource(c.source)
        ? createPushEndpoint({ config: push, edge: config.updateServer, source: c.source, status: c.status, log, now: Date.now })
        : undefined;
      const app = createApp({ status: c.status, metrics: c.metrics, version: VERSION, runtime: RUNTIME, ...(edge ? { edge: edge.app, login: edge.login } : {}) });
      const server = await adapter.serve({ hostname: config.http.host, port: config.http.port, fetch: app.fetch });
      log.info(`HTTP endpoints listening on ${formatHostPort(config.http.host, server.port)}`);
      if (edge) log.info(`DynDNS2 update endpoint: http://${formatHostPort(config.http.host, server.port)}/nic/update`);
      return server;
    },
  });
}

/** An exception that escapes every handler is a runtime error (exit 2); a stray rejection is logged, not fatal. */
function installLastResortHandlers(log: Logger): void {
  process.on("unhandledRejection", (reason) => log.error(`Unexpected error (the daemon keeps running): ${describeError(reason)}`));
  process.on("uncaughtException", (error) => {
    log.error(`Daemon error: ${describeError(error)}`);
    exit(EXIT_RUNTIME);
  });
}

main(process.argv.slice(2), process.env).then(exit, (error) => {
  errLine(`Daemon error: ${describeError(error)}`);
  exit(EXIT_RUNTIME);
});
