import { describe, expect, it } from "bun:test";
import { createScheduler } from "../../src/engine/scheduler.ts";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

function setup(runRound: (reason: string, signal: AbortSignal) => Promise<{ nextRetryAt: number | undefined }>, pollIntervalMs = 60_000, now = Date.now) {
  const log = createMemoryLogger();
  const status = createStatusBoard({ version: "t", runtime: "bun", now, families: [4], records: [], staleAfterMs: 1000 });
  return { scheduler: createScheduler({ runRound, pollIntervalMs, now, log, status }), log, status };
}

describe("scheduler", () => {
  it("runs a round at start and another on trigger, never overlapping", async () => {
    const reasons: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const { scheduler } = setup(async (reason) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      reasons.push(reason);
      await Bun.sleep(30);
      running -= 1;
      return { nextRetryAt: undefined };
    });
    void scheduler.start();
    await Bun.sleep(5);
    scheduler.trigger("netlink: address added");
    scheduler.trigger("netlink: address removed");
    await Bun.sleep(100);
    await scheduler.stop();
    expect(reasons).toEqual(["startup", "netlink: address added"]);
    expect(maxRunning).toBe(1);
  });

  it("wakes for a due retry before the next poll", async () => {
    const reasons: string[] = [];
    const { scheduler } = setup(async (reason) => {
      reasons.push(reason);
      return { nextRetryAt: reasons.length === 1 ? Date.now() + 40 : undefined };
    });
    void scheduler.start();
    await Bun.sleep(120);
    await scheduler.stop();
    expect(reasons).toEqual(["startup", "retry"]);
  });

  it("never starts a retry round before the retry time, even when the wall clock lags the timers", async () => {
    // The wall clock is slewed back 30 ms after the first round (NTP does this): a timer armed for 40 ms then
    // fires when the clock reads 10 ms short of the retry time. The round must wait until the time has come.
    let lagMs = 0;
    const now = () => Date.now() - lagMs;
    const rounds: Array<{ reason: string; at: number }> = [];
    let retryAt = 0;
    const { scheduler } = setup(async (reason) => {
      rounds.push({ reason, at: now() });
      if (rounds.length > 1) return { nextRetryAt: undefined };
      retryAt = now() + 40;
      setTimeout(() => (lagMs = 30), 5);
      return { nextRetryAt: retryAt };
    }, 60_000, now);
    void scheduler.start();
    await Bun.sleep(200);
    await scheduler.stop();
    expect(rounds.map((r) => r.reason)).toEqual(["startup", "retry"]);
    expect(rounds[1]!.at).toBeGreaterThanOrEqual(retryAt);
  });

  it("polls at the interval", async () => {
    const reasons: string[] = [];
    const { scheduler } = setup(async (reason) => (reasons.push(reason), { nextRetryAt: undefined }), 40);
    void scheduler.start();
    await Bun.sleep(150);
    await scheduler.stop();
    expect(reasons[0]).toBe("startup");
    expect(reasons.filter((r) => r === "poll").length).toBeGreaterThanOrEqual(2);
  });

  it("keeps going after a round throws, and stop aborts the round in flight", async () => {
    let calls = 0;
    let sawAbort = false;
    const { scheduler, log } = setup(async (_reason, signal) => {
      calls += 1;
      if (calls === 1) throw new Error("unexpected");
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => ((sawAbort = true), resolve())));
      return { nextRetryAt: undefined };
    }, 10);
    void scheduler.start();
    await Bun.sleep(50);
    await scheduler.stop();
    expect(calls).toBe(2);
    expect(sawAbort).toBe(true);
    expect(log.lines).toContain("ERROR Round failed unexpectedly: unexpected; the daemon keeps running");
  });
});
