/**
 * One deadline for a whole router detection (about 5 s): the route lookup, each protocol and each of its steps take
 * their time from it, so that a silent router costs the daemon one bounded wait, not a sum of per-step timeouts
 * (PCP's three exchanges, NAT-PMP, SSDP, the description and SOAP at 2 s each would be ~14 s), and the http
 * fallback comes in time. The clock and timers are injected (tests drive them by hand).
 */
export interface RouterClock {
  /** Milliseconds (monotonic or wall clock; only differences are used). */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const SYSTEM_CLOCK: RouterClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Budgets are whole tenths of a second, so that lines say "1.6s", not "1.6666666666666667s". */
const tenths = (ms: number) => Math.max(0, Math.floor(ms / 100) * 100);

export interface Deadline {
  /** Milliseconds left (never negative). */
  left(): number;
  /**
   * The budget of a protocol's first exchange: its fair share of what is left among the `protocolsLeft` still to
   * try (this one included), at most `capMs`, so that a silent first protocol leaves time for the others.
   */
  share(protocolsLeft: number, capMs: number): number;
  /** The budget of a later step of a protocol that has answered: what is left, at most `capMs`. */
  step(capMs: number): number;
  readonly totalMs: number;
}

export function startDeadline(totalMs: number, clock: RouterClock): Deadline {
  const end = clock.now() + totalMs;
  const left = () => Math.max(0, end - clock.now());
  return {
    left,
    share: (protocolsLeft, capMs) => Math.min(capMs, tenths(left() / Math.max(1, protocolsLeft))),
    step: (capMs) => Math.min(capMs, tenths(left())),
    totalMs,
  };
}
