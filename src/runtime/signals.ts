import process from "node:process";

/**
 * Subscribes `handler` to each named signal through node:process signal events, which Bun and Deno both provide
 * (an explicit handler also matters as PID 1 in a container, where a signal without one is ignored). What each
 * signal means is decided in src/daemon/signal-policy.ts; this file only listens. Returns the unsubscribe function.
 *
 * Not every signal can be listened to: SIGKILL and SIGSTOP never, and the fault signals (SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGTRAP, SIGSYS, SIGABRT) are left to the runtime's crash handling on purpose (docs/OPS.md).
 */
export function listenToSignals<S extends string>(signals: readonly S[], handler: (signal: S) => void): () => void {
  const listeners = signals.map((signal) => {
    const listener = () => handler(signal);
    process.on(signal as NodeJS.Signals, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal as NodeJS.Signals, listener);
  };
}
