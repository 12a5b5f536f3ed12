import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, findLeaks, requireBinary } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";

/**
 * A reader that stops reading the daemon's stdout (a full pipe) must never freeze it: /healthz keeps answering,
 * SIGTERM still ends it with exit 0, lines past the bound are dropped and counted, and once the reader reads again
 * one line says how many were lost. Before, every log line was a synchronous write to fd 1: ~620 failed logins
 * filled the pipe and the daemon stopped answering anything, SIGTERM included.
 */
setDefaultTimeout(60_000);
const USER = "router";
const PASSWORD = "stuck-reader-pass-7788";
let w: TestWorld;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  w = await startWorld();
});
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));
afterAll(() => w.stop());

const ROOT = join(import.meta.dir, "..", "..");
/** The compiled binary, and the same source under Deno (`deno task start`'s command line). */
const RUNTIMES = {
  bun: () => (requireBinary(), [BINARY, "run"]),
  deno: () => ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-ffi", "--allow-sys", "src/main.ts", "run"],
};

/** The daemon with stdout a FIFO that nobody reads until `drain()` is called; stderr is read as usual. */
async function startWithStuckStdout(extra: Record<string, string> = {}, runtime: keyof typeof RUNTIMES = "bun") {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-stuck-"));
  const fifo = join(dir, "stdout");
  Bun.spawnSync(["mkfifo", fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY);
  const port = await freePort();
  const env = {
    ...w.env({ DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h" }),
    DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: USER, DDNS_UPDATE_PASSWORD: PASSWORD,
    // Every wrong password is checked, and logged once per client: the lockout never kicks in during the flood, and
    // each request comes from another client (the header a trusted proxy would set), so each is one WARN line.
    DDNS_UPDATE_LOCKOUT: "10000/1h", DDNS_UPDATE_CLIENT_IP_HEADER: "X-Forwarded-For", DDNS_HTTP_ADDR: `127.0.0.1:${port}`, ...extra,
  };
  const proc = Bun.spawn(RUNTIMES[runtime](), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", ...(env as Record<string, string>) },
    stdout: writer,
    stderr: "pipe",
    stdin: "ignore",
  });
  closeSync(writer);
  let text = "";
  const buffer = Buffer.alloc(64 * 1024);
  /** Reads whatever the pipe holds now (the reader starts reading again). */
  const drain = () => {
    for (;;) {
      let n = 0;
      try {
        n = readSync(reader, buffer, 0, buffer.length, null);
      } catch (error) {
        if ((error as { code?: string }).code === "EAGAIN") return text;
        throw error;
      }
      if (n === 0) return text;
      text += buffer.subarray(0, n).toString("utf8");
    }
  };
  cleanups.push(() => {
    proc.kill("SIGKILL");
    closeSync(reader);
    rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  await until(() => fetch(`${base}/healthz`).then((r) => r.status, () => 0), (s) => s === 200, 60_000, "the daemon's /healthz");
  return { proc, base, drain, stderr: () => new Response(proc.stderr as ReadableStream).text() };
}

/**
 * `n` update requests with a wrong password, `parallel` at a time, each from another client address; each one is a
 * WARN line in the daemon's log (refused logins are logged once per client).
 * Returns how many were answered; stops at the first batch with an unanswered request (a frozen daemon).
 */
async function failedLogins(base: string, n: number, parallel = 50): Promise<number> {
  const auth = `Basic ${btoa(`${USER}:wrong-password`)}`;
  let answered = 0;
  for (let i = 0; i < n; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, n - i) }, (_, j) =>
      fetch(`${base}/nic/update?hostname=home.example.com&myip=203.0.113.70`, { headers: { Authorization: auth, "X-Forwarded-For": `198.18.${((i + j) >> 8) & 255}.${(i + j) & 255}` }, signal: AbortSignal.timeout(5000) })
        .then((r) => r.text())
        .then(() => answered++, () => {}),
    );
    await Promise.all(batch);
    if (answered < i + batch.length) break;
  }
  return answered;
}

async function healthzWithin(base: string, ms: number): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const status = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(ms) }).then((r) => r.status, () => 0);
  return { status, ms: performance.now() - started };
}

const droppedMetric = async (base: string) => {
  const auth = `Basic ${btoa(`${USER}:${PASSWORD}`)}`;
  const body = await fetch(`${base}/metrics`, { headers: { Authorization: auth } }).then((r) => r.text());
  return Number(/^ddns_log_lines_dropped_total (\d+)$/m.exec(body)?.[1] ?? NaN);
};

describe("the daemon with a stdout nobody reads", () => {
  it.each([{ runtime: "bun" as const }, { runtime: "deno" as const }])("$runtime: keeps answering, drops and counts lines, and says how many once the reader reads again", async ({ runtime }) => {
    const d = await startWithStuckStdout({}, runtime);
    expect(await failedLogins(d.base, 6000)).toBe(6000);
    const health = await healthzWithin(d.base, 1000);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(1000);
    const dropped = await droppedMetric(d.base);
    expect(dropped).toBeGreaterThan(500);

    // The reader reads again: the queued lines come out, then one notice with the count.
    const notice = /^WARN Dropped (\d+) log line\(s\): stdout was not being read fast enough \(ddns_log_lines_dropped_total counts every dropped line\)$/m;
    const text = await until(() => d.drain(), (t) => notice.test(t), 10_000, "the dropped-lines notice");
    expect(Number(notice.exec(text)![1])).toBe(dropped);
    expect(text.startsWith("INFO Starting ddnsd daemon\n")).toBe(true);

    const stopping = performance.now();
    d.proc.kill("SIGTERM");
    const code = await until(async () => (d.drain(), d.proc.exitCode), (c) => c !== null, 10_000, "exit");
    expect(code).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(5000);
    const lines = d.drain().trimEnd().split("\n");
    expect(lines.slice(-3)).toEqual(["INFO Received shutdown signal: SIGTERM", "INFO Shutting down daemon", "INFO Shutdown complete"]);
    expect(findLeaks(`${text}\n${await d.stderr()}`, [w.token, PASSWORD])).toEqual([]);
  });

  it("dist/ddnsd exits 0 on SIGTERM within the budget while the reader is still stuck", async () => {
    const d = await startWithStuckStdout({ DDNS_SHUTDOWN_TIMEOUT: "5s" });
    await failedLogins(d.base, 6000);
    expect((await healthzWithin(d.base, 1000)).status).toBe(200);
    const stopping = performance.now();
    d.proc.kill("SIGTERM");
    const code = await Promise.race([d.proc.exited, Bun.sleep(8000).then(() => "still running")]);
    expect(code).toBe(0);
    // The shutdown itself is quick; the exit waits at most 1 s for the reader to take the last lines.
    expect(performance.now() - stopping).toBeLessThan(5000);
    expect(d.drain()).toStartWith("INFO Starting ddnsd daemon\n");
  });

  it("dist/ddnsd: on SIGTERM behind a full pipe, a reader that reads again during the exit still gets the shutdown lines", async () => {
    const d = await startWithStuckStdout();
    await failedLogins(d.base, 6000);
    d.proc.kill("SIGTERM");
    await Bun.sleep(300); // the shutdown is done; the exit waits (up to 1 s) for the reader
    const code = await until(async () => (d.drain(), d.proc.exitCode), (c) => c !== null, 5000, "exit");
    expect(code).toBe(0);
    const lines = d.drain().trimEnd().split("\n");
    expect(lines.slice(-4, -1)).toEqual(["INFO Received shutdown signal: SIGTERM", "INFO Shutting down daemon", "INFO Shutdown complete"]);
    expect(lines.at(-1)).toMatch(/^WARN Dropped \d+ log line\(s\): stdout was not being read fast enough/);
  });
});
