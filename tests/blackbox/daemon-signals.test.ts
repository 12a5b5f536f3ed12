import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, spawnDaemon, type Daemon } from "./harness.ts";
import { startWorld, until, type TestWorld } from "./world.ts";

/**
 * Every signal against dist/ddnsd (docs/OPS.md "Signals and shutdown"): SIGHUP checks now, the ignored ones leave a
 * line and the daemon running, the shutdown ones end it with its shutdown lines. Without handlers, each of these
 * signals ended the process at once with no line at all (exit 128+n).
 */
setDefaultTimeout(30_000);
let w: TestWorld;
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld();
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

function start(record: string, args: string[] = [], extra: Record<string, string> = {}): Daemon {
  // An hour between polls: any round after the first is one a signal asked for.
  const d = spawnDaemon(args, w.env({ DDNS_RECORDS: record, DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h", ...extra }));
  running.push(d);
  return d;
}

const SHUTDOWN_LINES = (signal: string) => [`INFO Received shutdown signal: ${signal}`, "INFO Shutting down daemon", "INFO Shutdown complete"];
const IGNORED = ["SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGIO", "SIGXFSZ"] as const;

describe("dist/ddnsd run and signals", () => {
  it("SIGHUP starts a detect-and-reconcile round at once, and the daemon goes on", async () => {
    w.ip.set({ v4: "203.0.113.60" });
    const d = start("hup.example.com");
    await d.waitForLine("INFO Created A record hup.example.com → 203.0.113.60");
    const hits = w.ip.hits();
    w.ip.set({ v4: "203.0.113.61" });
    const sent = performance.now();
    d.kill("SIGHUP");
    await d.waitForLine("INFO Received SIGHUP: checking now", 2000);
    await d.waitForLine("INFO Updated A record hup.example.com: 203.0.113.60 → 203.0.113.61", 2000);
    expect(performance.now() - sent).toBeLessThan(2000);
    expect(w.ip.hits()).toBeGreaterThan(hits);
    expect(w.cf.contents("hup.example.com", "A")).toEqual(["203.0.113.61"]);
    // A second SIGHUP with nothing changed: another round (the echo is asked again), no write.
    const writes = w.cf.writes();
    const before = w.ip.hits();
    d.kill("SIGHUP");
    await until(() => w.ip.hits(), (n) => n > before, 2000, "a second round");
    expect(w.cf.writes()).toBe(writes);
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(d.lines.slice(-3)).toEqual(SHUTDOWN_LINES("SIGTERM"));
  });

  it.each(IGNORED.map((signal) => ({ signal })))("$signal is ignored with a line; SIGTERM afterwards exits 0", async ({ signal }) => {
    w.ip.set({ v4: "203.0.113.62" });
    const d = start("ignored.example.com");
    await d.waitForLine(/A record ignored\.example\.com/); // the first round has ended
    d.kill(signal);
    await d.waitForLine(`INFO Received ${signal}: ignored (SIGHUP checks now; SIGTERM or SIGINT stops ddnsd)`, 2000);
    await Bun.sleep(300);
    expect(d.proc.exitCode).toBeNull();
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    expect(d.lines.slice(-3)).toEqual(SHUTDOWN_LINES("SIGTERM"));
  });

  it.each([
    { signal: "SIGQUIT" as const, code: 0, before: [] as string[] },
    {
      signal: "SIGXCPU" as const,
      code: 2,
      before: ["WARN The CPU time limit (RLIMIT_CPU, systemd LimitCPU=) is reached: shutting down with exit code 2 so that the supervisor restarts ddnsd"],
    },
  ])("$signal shuts down gracefully with the shutdown lines (exit $code)", async ({ signal, code, before }) => {
    const d = start("quit.example.com");
    await d.waitForLine(/A record quit\.example\.com/); // the first round has ended
    d.kill(signal);
    expect(await d.exited()).toBe(code);
    expect(d.lines.slice(-3 - before.length)).toEqual([...before, ...SHUTDOWN_LINES(signal)]);
  });
});

describe("dist/ddnsd once and signals", () => {
  it("SIGHUP, SIGUSR1 and SIGUSR2 during the pass are logged and do not end it", async () => {
    w.ip.set({ v4: "203.0.113.63" });
    // The provider's first answer takes 2 s: the signals arrive while the pass is running.
    w.cf.faults.add({ kind: "hang", delayMs: 2000, times: 1 });
    const d = start("once-signals.example.com", ["once"]);
    await d.waitForLine("INFO Detected IPv4 address: 203.0.113.63");
    for (const signal of ["SIGHUP", "SIGUSR1", "SIGUSR2"] as const) {
      d.kill(signal);
      await Bun.sleep(100);
    }
    expect(await d.exited()).toBe(0);
    expect(d.lines).toContain("INFO Received SIGHUP: ignored, ddnsd once is already checking");
    expect(d.lines).toContain("INFO Received SIGUSR1: ignored (SIGHUP checks now; SIGTERM or SIGINT stops ddnsd)");
    expect(d.lines).toContain("INFO Received SIGUSR2: ignored (SIGHUP checks now; SIGTERM or SIGINT stops ddnsd)");
    expect(d.lines.at(-1)).toBe("INFO All 1 record(s) are confirmed up to date");
    expect(w.cf.contents("once-signals.example.com", "A")).toEqual(["203.0.113.63"]);
  });
});
