/**
 * Typed errors for startup, configuration and programmer mistakes. Inside the daemon loop nothing throws
 * across a module boundary: providers and sources return small results instead (see providers/kit/types.ts).
 */

/** A configuration value is missing or wrong. Exit code 1; printed as one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "E_CONFIG";
  /** The environment variable at fault, e.g. `DDNS_RECORDS`. */
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.variable = variable;
  }
}

/** The daemon could not start after the configuration was accepted (port in use, unreadable state…). Exit 2. */
export class RuntimeInitError extends Error {
  override readonly name = "RuntimeInitError";
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Graceful shutdown did not finish within `DDNS_SHUTDOWN_TIMEOUT`. Exit 2. */
export class ShutdownTimeoutError extends Error {
  override readonly name = "ShutdownTimeoutError";
  readonly code = "E_SHUTDOWN_TIMEOUT";
}

/** A short, single-line description of anything thrown, for operator messages. Never includes a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}

export const EXIT_OK = 0;
export const EXIT_CONFIG = 1;
export const EXIT_RUNTIME = 2;
