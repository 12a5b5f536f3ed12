import { describeError } from "../core/errors.ts";
import type { Logger } from "../log/logger.ts";
import type { StatusBoard } from "./status-board.ts";

export interface RoundOutcome {
  /** Earliest time (epoch ms) a failed record should be retried, if any. */
  nextRetryAt: number | undefined;
}

const MAX_TIMER_MS = 2_147_483_647;

export interface SchedulerDeps {
  runRound: (reason: string, signal: AbortSignal) => Promise<RoundOutcome>;
  pollIntervalMs: number;
  now: () => number;
  log: Logger;
  status: StatusBoard;
}

export interface Scheduler {
  /** Runs rounds until `stop`; the promise settles when the loop has ended. */
  start(): Promise<void>;
  /** Ask for a round now (an address event). Coalesced with a round already waiting; never overlaps one running. */
  trigger(reason: string): void;
  /** Abort the running round (in-flight requests get the abort signal) and end the loop. */
  stop(): Promise<void>;
}

/**
 * The daemon loop: a round at start, then one every poll interval, earlier when a record's retry is due or a
 * source reports a change. Rounds never overlap; an unexpected exception in a round is logged and the loop goes on.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const abort = new AbortController();
  let stopped = false;
  let pending: string | undefined = "startup";
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  /**
   * Sleeps until the clock reads `at`, or until a trigger or stop. A timer may fire a little before the wall clock
   * agrees (timers run on a monotonic clock, `now` is the wall clock): waking early would find the retry not yet
   * due, skip the record and cost a whole extra round, so an early timer sleeps the rest.
   */
  const sleepUntil = (at: number) =>
    new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // setTimeout fires at once past 2^31-1 ms (24.8 days): a long DDNS_POLL_INTERVAL is slept in pieces.
      const arm = () => (timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(0, at - deps.now()))));
      function tick() {
        if (deps.now() < at && !stopped && pending === undefined) return void arm();
        done();
      }
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
      arm();
    });

  async function run(): Promise<void> {
    let nextPollAt = deps.now();
    let nextRetryAt: number | undefined;
    while (!stopped) {
      const now = deps.now();
      const reason = pending ?? (now >= nextPollAt ? "poll" : "retry");
      pending = undefined;
      try {
        deps.log.debug(`Round started (${reason})`);
        const outcome = await deps.runRound(reason, abort.signal);
        nextRetryAt = outcome.nextRetryAt;
      } catch (error) {
        deps.log.error(`Round failed unexpectedly: ${describeError(error)}; the daemon keeps running`);
      }
      deps.status.roundDone();
      if (reason !== "retry") nextPollAt = deps.now() + deps.pollIntervalMs;
      if (stopped) break;
      if (pending !== undefined) continue;
      const wakeAt = Math.min(nextPollAt, nextRetryAt ?? Number.POSITIVE_INFINITY);
      deps.status.beat();
      await sleepUntil(wakeAt);
    }
  }

  return {
    start() {
      loop ??= run();
      return loop;
    },
    trigger(reason) {
      if (stopped) return;
      pending ??= reason;
      wake?.();
    },
    async stop() {
      stopped = true;
      abort.abort(new Error("the daemon is shutting down"));
      wake?.();
      await loop;
    },
  };
}
