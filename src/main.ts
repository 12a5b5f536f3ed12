/**
 * The composition root and the only place that touches the process: arguments, environment, stdout/stderr,
 * signals, the clock, fetch and the file system are read here and handed to factories.
 */
// First, for its side effect: one trim of the executable's start-up pages before the other modules are evaluated.
import "./runtime/load-trim.ts";
import process from "node:process";
import { writeSync } from "node:fs";
import { parseArgs } from "./cli/args.ts";
import { HELP_TEXT } from "./cli/help.ts";
import { providerLines } from "./cli/providers-list.ts";
import { runHealthcheck } from "./cli/healthcheck.ts";
import { runNotifyTest } from "./cli/notify-test.ts";
import { loadConfig, loadHttpAddr, targetSecrets } from "./config/load-config.ts";
import { renderEffectiveConfig } from "./config/print-config.ts";
import { configErrorLines } from "./config/known-variables.ts";
import { checkStatePath } from "./config/state-path.ts";
import { ConfigError, describeError, EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME } from "./core/errors.ts";
import { formatDuration } from "./core/durations.ts";
import { VERSION } from "./core/version.ts";
import { createLogger, type Logger } from "./log/logger.ts";
import { createBoundedWriter } from "./log/bounded-writer.ts";
import { escapeControl } from "./log/control-chars.ts";
import { createRedactor } from "./log/redact.ts";
import { secretsOfUrl } from "./net/display-url.ts";
import { settingsSecrets } from "./notify/channels.ts";
import { ALL_PROVIDERS } from "./providers/registry.ts";
import { closeComponents, wire } from "./daemon/wire.ts";
import { runDaemon } from "./daemon/lifecycle.ts";
import { runOnce } from "./daemon/once.ts";
import { routeSignals, shutdownExitCode } from "./daemon/signal-policy.ts";
import { createPlatform, RUNTIME } from "./runtime/platform.ts";

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
const platform = createPlatform();
const logOut = createBoundedWriter({ writeChunk: platform.writeStdout });
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
    return runHealthcheck({ addr, fetch: platform.fetch, write: outLine });
  }

  // Phases 1–3 of the guide: load, validate, set up logging. Any failure here is a configuration error (exit 1).
  let loaded;
  try {
    loaded = loadConfig({ env, readFile: platform.readSecretFile, providers: ALL_PROVIDERS });
    checkStatePath(loaded.config.state, platform.pathAccess());
  } catch (error) {
    if (error instanceof ConfigError) return configError(error, env), EXIT_CONFIG;
    throw error;
  }
  const { config, warnings } = loaded;
  if (args.command === "notify-test") {
    const log = createLogger({ level: config.log.level, format: config.log.format, write: (l) => err(l), secrets: settingsSecrets(config.notify) });
    return runNotifyTest(config, { fetch: platform.fetch, now: platform.now, log, write: outLine });
  }
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
  const secrets = [...targetSecrets(config, ALL_PROVIDERS), ...(config.updateServer ? [config.updateServer.password] : []), ...urlSecrets, ...settingsSecrets(config.notify)];
  const log = createLogger({ level: config.log.level, format: config.log.format, write: logOut.write, secrets });
  const redact = createRedactor(secrets);
  logOut.onResume((n) => log.warn(`Dropped ${n} log line(s): stdout was not being read fast enough (ddns_log_lines_dropped_total counts every dropped line)`));
  installLastResortHandlers(log);
  // Phase 4: the daemon is wired; a provider that refuses its settings is still a configuration error (exit 1).
  let daemon;
  try {
    daemon = wire(config, platform, { log, dryRun: args.dryRun, logLinesDropped: logOut.dropped, redact });
  } catch (error) {
    if (error instanceof ConfigError) return configError(error, env), EXIT_CONFIG;
    throw error;
  }
  for (const w of warnings) log.warn(w);
  if (args.dryRun) log.info("Dry run: the provider is read but never written");
  const signals = routeSignals({ listen: platform.listenToSignals, log, mode: args.command === "once" ? "once" : "run" });
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
      const components = await daemon.start();
      const code = await runOnce(components, log, { now: platform.now, signal: abort.signal });
      await closeComponents(components);
      return code;
    } catch (error) {
      log.error(`Daemon error: ${describeError(error)}`);
      return EXIT_RUNTIME;
    }
  }

  // Memory upkeep (GC pacing, dropping the executable's start-up pages), before the first round: docs/memory.md.
  platform.startMemoryUpkeep({
    debug: (line) => log.debug(line),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (timer) => clearInterval(timer as ReturnType<typeof setInterval>),
  });
  return runDaemon({
    config,
    log,
    now: platform.now,
    shutdownSignal: signals.shutdown,
    shutdownExitCode,
    setCheck: signals.setCheck,
    init: daemon.start,
    startHttp: daemon.startHttp,
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
