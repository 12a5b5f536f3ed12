import { describe, expect, it } from "bun:test";
import { HANDLED_SIGNALS, routeSignals, shutdownExitCode, type SignalName } from "../../src/daemon/signal-policy.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

/** The router with a fake signal source: `send` delivers a signal as the runtime would. */
function router(mode: "run" | "once") {
  const log = createMemoryLogger("info");
  let handler: ((s: SignalName) => void) | undefined;
  let subscribed: readonly SignalName[] = [];
  let unsubscribed = false;
  const r = routeSignals({
    log,
    mode,
    listen: (signals, h) => {
      subscribed = signals;
      handler = h;
      return () => void (unsubscribed = true);
    },
  });
  let settled: SignalName | undefined;
  void r.shutdown.then((s) => (settled = s));
  const checks: string[] = [];
  return {
    r,
    log,
    checks,
    subscribed: () => subscribed,
    unsubscribed: () => unsubscribed,
    shutdownWith: async () => (await Bun.sleep(0), settled),
    send: (s: SignalName) => handler!(s),
    startLoop: () => r.setCheck((reason) => checks.push(reason)),
  };
}

const IGNORED = ["SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGIO", "SIGXFSZ"] as const;

describe("signal routing", () => {
  it("listens to every signal whose default action would end the daemon without its shutdown lines", () => {
    const t = router("run");
    const expected: string[] = ["SIGTERM", "SIGINT", "SIGQUIT", "SIGXCPU", "SIGHUP", ...IGNORED];
    expect(t.subscribed().map(String).sort()).toEqual(expected.sort());
    expect([...HANDLED_SIGNALS].sort()).toEqual([...t.subscribed()].sort());
    t.r.dispose();
    expect(t.unsubscribed()).toBe(true);
  });

  it.each([
    { signal: "SIGTERM" as const, exitCode: 0, lines: [] as string[] },
    { signal: "SIGINT" as const, exitCode: 0, lines: [] as string[] },
    { signal: "SIGQUIT" as const, exitCode: 0, lines: [] as string[] },
    {
      signal: "SIGXCPU" as const,
      exitCode: 2,
      lines: ["WARN The CPU time limit (RLIMIT_CPU, systemd LimitCPU=) is reached: shutting down with exit code 2 so that the supervisor restarts ddnsd"],
    },
  ])("$signal starts the graceful shutdown (exit $exitCode)", async ({ signal, exitCode, lines }) => {
    const t = router("run");
    t.startLoop();
    t.send(signal);
    expect(await t.shutdownWith()).toBe(signal);
    expect(shutdownExitCode(signal)).toBe(exitCode);
    expect(t.log.lines).toEqual([...lines]);
  });

  it("a second shutdown signal is only logged, in the guide's words", async () => {
    const t = router("run");
    t.send("SIGTERM");
    t.send("SIGINT");
    t.send("SIGTERM");
    expect(await t.shutdownWith()).toBe("SIGTERM");
    expect(t.log.lines).toEqual(["INFO Received SIGINT again; already shutting down", "INFO Received SIGTERM again; already shutting down"]);
  });

  it("SIGHUP asks the running loop for a round now", () => {
    const t = router("run");
    t.startLoop();
    t.send("SIGHUP");
    t.send("SIGHUP");
    expect(t.checks).toEqual(["SIGHUP", "SIGHUP"]);
    expect(t.log.lines).toEqual(["INFO Received SIGHUP: checking now", "INFO Received SIGHUP: checking now"]);
  });

  it.each([
    { name: "while starting (no loop yet)", mode: "run" as const, loop: false, line: "INFO Received SIGHUP while starting: the first check runs as soon as the daemon is up" },
    { name: "in once", mode: "once" as const, loop: false, line: "INFO Received SIGHUP: ignored, ddnsd once is already checking" },
  ])("SIGHUP $name is logged and changes nothing", async ({ mode, loop, line }) => {
    const t = router(mode);
    if (loop) t.startLoop();
    t.send("SIGHUP");
    expect(t.log.lines).toEqual([line]);
    expect(t.checks).toEqual([]);
    expect(await t.shutdownWith()).toBeUndefined();
  });

  it("SIGHUP during the shutdown does not wake the loop", () => {
    const t = router("run");
    t.startLoop();
    t.send("SIGTERM");
    t.send("SIGHUP");
    expect(t.checks).toEqual([]);
    expect(t.log.lines).toEqual(["INFO Received SIGHUP; already shutting down"]);
  });

  it.each(IGNORED.flatMap((signal) => [{ signal, mode: "run" as const }, { signal, mode: "once" as const }]))(
    "$signal is ignored with a line ($mode)",
    async ({ signal, mode }) => {
      const t = router(mode);
      t.startLoop();
      t.send(signal);
      expect(t.log.lines).toEqual([`INFO Received ${signal}: ignored (SIGHUP checks now; SIGTERM or SIGINT stops ddnsd)`]);
      expect(t.checks).toEqual([]);
      expect(await t.shutdownWith()).toBeUndefined();
    },
  );
});
