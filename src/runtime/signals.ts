import process from "node:process";

export type ShutdownSignal = "SIGTERM" | "SIGINT";

/**
 * Explicit handlers for SIGTERM and SIGINT (as PID 1 in a container a process without a handler ignores SIGTERM).
 * node:process signal events work on both Bun and Deno. The first signal resolves the promise; later ones are
 * reported through `onRepeat` so the caller can say it is already shutting down.
 */
export function waitForShutdownSignal(onRepeat: (signal: ShutdownSignal) => void): { signal: Promise<ShutdownSignal>; dispose(): void } {
  let first: ShutdownSignal | undefined;
  let resolve!: (s: ShutdownSignal) => void;
  const signal = new Promise<ShutdownSignal>((r) => (resolve = r));
  const handler = (s: ShutdownSignal) => () => {
    if (first === undefined) {
      first = s;
      resolve(s);
    } else onRepeat(s);
  };
  const onTerm = handler("SIGTERM");
  const onInt = handler("SIGINT");
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  return {
    signal,
    dispose() {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
    },
  };
}
