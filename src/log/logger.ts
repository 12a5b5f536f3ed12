// consola/core: the logger without consola's own reporters (node:tty, node:util, an Intl.Segmenter at import),
// which ddnsd never uses: ~2 MiB less RSS (docs/performance.md).
import { createConsola, type ConsolaReporter, type LogObject } from "consola/core";
import { createRedactor } from "./redact.ts";
import { escapeControl, escapeJsonControl } from "./control-chars.ts";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";

export type Fields = Record<string, string | number | boolean | null | undefined>;

/** The logger every module receives. Messages are complete operator sentences; fields add machine detail. */
export interface Logger {
  trace(message: string, fields?: Fields): void;
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where finished lines go (one call per line, newline included). */
  write: (line: string) => void;
  /** Values that must never appear in output (tokens, passwords); redacted in every form they may take. */
  secrets: string[];
  now?: () => Date;
}

// consola's numeric levels: 0 error, 1 warn, 3 info, 4 debug, 5 trace.
const CONSOLA_LEVEL: Record<LogLevel, number> = { error: 0, warn: 1, info: 3, debug: 4, trace: 5 };
const LEVEL_NAME: Record<string, LogLevel> = {
  error: "error", fatal: "error", warn: "warn", info: "info", log: "info",
  success: "info", ready: "info", start: "info", debug: "debug", trace: "trace", verbose: "trace",
};

function renderValue(value: Fields[string]): string {
  if (typeof value === "string") return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  return String(value);
}

/**
 * Builds the daemon's logger on consola with a reporter of our own: text lines `LEVEL message key=value`
 * (the operations guide's form) or one JSON object per line. Every line passes the redactor, so no secret can
 * reach the output whatever a message or field contains, then the control-character escape (control-chars.ts),
 * so no caller's value can break a line in two or forge one.
 */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createRedactor(options.secrets);
  const now = options.now ?? (() => new Date());
  const reporter: ConsolaReporter = {
    log(logObj: LogObject) {
      const level = LEVEL_NAME[logObj.type] ?? "info";
      const [message, fields] = logObj.args as [string, Fields | undefined];
      let line: string;
      if (options.format === "json") {
        line = escapeJsonControl(redact(JSON.stringify({ time: now().toISOString(), level, msg: message, ...fields })));
      } else {
        const extra = Object.entries(fields ?? {})
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => ` ${k}=${renderValue(v)}`)
          .join("");
        // Redacted before the escape: a secret holding a control character is still found in its raw form.
        line = escapeControl(redact(`${level.toUpperCase()} ${message}${extra}`));
      }
      options.write(`${line}\n`);
    },
  };
  const consola = createConsola({ level: CONSOLA_LEVEL[options.level], reporters: [reporter] });
  return {
    trace: (m, f) => consola.trace(m, f),
    debug: (m, f) => consola.debug(m, f),
    info: (m, f) => consola.info(m, f),
    warn: (m, f) => consola.warn(m, f),
    error: (m, f) => consola.error(m, f),
  };
}

/** A logger that records lines in memory; for tests. */
export function createMemoryLogger(level: LogLevel = "trace", secrets: string[] = []): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, format: "text", secrets, write: (l) => lines.push(l.trimEnd()) });
  return Object.assign(logger, { lines });
}
