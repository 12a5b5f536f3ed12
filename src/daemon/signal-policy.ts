import type { Logger } from "../log/logger.ts";
import { EXIT_OK, EXIT_RUNTIME } from "../core/errors.ts";

/** What a signal does to the daemon. */
export type SignalAction =
  | { kind: "shutdown"; exitCode: number; note?: string }
  | { kind: "check" }
  | { kind: "ignore" };

/**
 * Every signal the daemon listens to (docs/OPS.md "Signals and shutdown"). Without these handlers each of them
 * would end the process at once, without the shutdown lines (the runtime's default action). Signals not listed are
 * harmless by default (the runtimes ignore SIGPIPE, SIGCHLD, SIGWINCH, SIGURG and SIGCONT do nothing), cannot be
 * caught (SIGKILL, SIGSTOP), are reserved by Bun (SIGPWR) or report a fault in the process itself (SIGSEGV…).
 */
export const SIGNAL_ACTIONS = {
  SIGTERM: { kind: "shutdown", exitCode: EXIT_OK },
  SIGINT: { kind: "shutdown", exitCode: EXIT_OK },
  // nginx's and many images' STOPSIGNAL: a request to stop, so the same graceful shutdown (not a core dump).
  SIGQUIT: { kind: "shutdown", exitCode: EXIT_OK },
  // The kernel's warning before it kills at the hard RLIMIT_CPU: save the state and leave, and exit 2 so that a
  // supervisor (Restart=on-failure) starts the daemon again.
  SIGXCPU: {
    kind: "shutdown",
    exitCode: EXIT_RUNTIME,
    note: "The CPU time limit (RLIMIT_CPU, systemd LimitCPU=) is reached: shutting down with exit code 2 so that the supervisor restarts ddnsd",
  },
  SIGHUP: { kind: "check" },
  SIGUSR1: { kind: "ignore" },
  SIGUSR2: { kind: "ignore" },
  SIGALRM: { kind: "ignore" },
  SIGVTALRM: { kind: "ignore" },
  SIGPROF: { kind: "ignore" },
  SIGIO: { kind: "ignore" },
  // Ignored by Bun already; Deno's default would end the process. A write past RLIMIT_FSIZE then fails with EFBIG.
  SIGXFSZ: { kind: "ignore" },
} as const satisfies Record<string, SignalAction>;

export type SignalName = keyof typeof SIGNAL_ACTIONS;
export const HANDLED_SIGNALS = Object.keys(SIGNAL_ACTIONS) as SignalName[];

/** The exit code of a graceful shutdown started by `signal` (0, or 2 for SIGXCPU). */
export function shutdownExitCode(signal: string): number {
  const action: SignalAction | undefined = (SIGNAL_ACTIONS as Record<string, SignalAction>)[signal];
  return action?.kind === "shutdown" ? action.exitCode : EXIT_OK;
}

export interface SignalRouterDeps {
  /** Subscribes to signals (src/runtime/signals.ts in the daemon, a fake in tests); returns the unsubscribe. */
  listen: (signals: readonly SignalName[], handler: (signal: SignalName) => void) => () => void;
  log: Logger;
  /** `once` has no loop to wake: there SIGHUP is logged and changes nothing (the one pass is already checking). */
  mode: "run" | "once";
}

export interface SignalRouter {
  /** The first shutdown signal (SIGTERM, SIGINT, SIGQUIT, SIGXCPU). */
  shutdown: Promise<SignalName>;
  /** Where SIGHUP's "check now" goes (the scheduler's trigger) while the loop runs; undefined before and after. */
  setCheck(check: ((reason: string) => void) | undefined): void;
  dispose(): void;
}

/**
 * Routes signals to their action: the first shutdown signal resolves `shutdown` (the caller logs the guide's
 * `Received shutdown signal: …` lines), later ones are only logged; SIGHUP asks for a round now; the ignored ones
 * get a line that says which signals do something.
 */
export function routeSignals(deps: SignalRouterDeps): SignalRouter {
  const { log } = deps;
  let first: SignalName | undefined;
  let check: ((reason: string) => void) | undefined;
  let resolve!: (signal: SignalName) => void;
  const shutdown = new Promise<SignalName>((r) => (resolve = r));

  function onSignal(signal: SignalName): void {
    const action: SignalAction = SIGNAL_ACTIONS[signal];
    if (first !== undefined && action.kind !== "ignore") {
      // The guide's wording, for any second shutdown signal (SIGINT after SIGTERM too).
      log.info(`Received ${signal}${action.kind === "shutdown" ? " again" : ""}; already shutting down`);
      return;
    }
    if (action.kind === "shutdown") {
      first = signal;
      if (action.note) log.warn(action.note);
      resolve(signal);
    } else if (action.kind === "check") {
      if (deps.mode === "once") log.info(`Received ${signal}: ignored, ddnsd once is already checking`);
      else if (!check) log.info(`Received ${signal} while starting: the first check runs as soon as the daemon is up`);
      else {
        log.info(`Received ${signal}: checking now`);
        check(signal);
      }
    } else {
      log.info(`Received ${signal}: ignored (SIGHUP checks now; SIGTERM or SIGINT stops ddnsd)`);
    }
  }

  const unsubscribe = deps.listen(HANDLED_SIGNALS, onSignal);
  return {
    shutdown,
    setCheck(fn) {
      check = fn;
    },
    dispose: unsubscribe,
  };
}
