import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, targetSecrets } from "../../src/config/load-config.ts";
import { prepareComponents, startComponents, type World } from "../../src/daemon/wire.ts";
import { runDaemon } from "../../src/daemon/lifecycle.ts";
import { createLogger } from "../../src/log/logger.ts";
import type { DnsProvider } from "../../src/providers/kit/types.ts";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";
import { startWorld, type TestWorld } from "../blackbox/world.ts";

/**
 * Shutdown under pressure. Black-box: a provider that never answers (the fake's `hang`) is aborted at SIGTERM, so the
 * daemon exits 0 at once; a start that hangs (the state file is a FIFO nobody writes: a dead NFS mount) ends in the
 * guide's timeout line and exit 2 at the budget, for run and once; a second SIGTERM/SIGINT changes neither. In-process: a provider that
 * ignores the abort signal and hangs forever holds the shutdown until the budget (exit 2), one that ends in time
 * lets it finish (exit 0).
 */
setDefaultTimeout(30_000);
let w: TestWorld;
const dir = mkdtempSync(join(tmpdir(), "ddnsd-shutdown-"));
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.stop();
  rmSync(dir, { recursive: true, force: true });
  assertNoSecretLeaked();
});

const TIMEOUT_LINE = "ERROR Shutdown error: Shutdown timeout after 2s";
const fifo = (name: string) => {
  const path = join(dir, name);
  expect(Bun.spawnSync(["mkfifo", path]).exitCode).toBe(0);
  return path;
};

describe("dist/ddnsd shutdown under pressure", () => {
  it("a provider that hangs forever is aborted at SIGTERM: exit 0 well within DDNS_SHUTDOWN_TIMEOUT=2s", async () => {
    w.cf.faults.add({ kind: "hang", probability: 1 });
    try {
      const d = spawnDaemon([], w.env({ DDNS_SHUTDOWN_TIMEOUT: "2s", DDNS_LOG_LEVEL: "debug" }));
      await d.waitForLine("DEBUG Round (startup): 2 record(s) to reconcile");
      await Bun.sleep(300); // the request is in flight and the fake holds it
      const t0 = performance.now();
      d.kill("SIGTERM");
      expect(await d.exited()).toBe(0);
      expect(performance.now() - t0).toBeLessThan(1000);
      // One line for every record the shutdown cut short.
      expect(d.lines.slice(-2)).toEqual(["INFO Stopped updating 2 records (home.example.com A, home.example.com AAAA) because the daemon is shutting down", "INFO Shutdown complete"]);
      expect(d.lines).not.toContain(TIMEOUT_LINE);
    } finally {
      w.cf.faults.clear();
    }
  });

  it.each([
    { name: "run, SIGTERM alone", command: "run", first: "SIGTERM", second: undefined },
    { name: "run, SIGTERM then SIGINT", command: "run", first: "SIGTERM", second: "SIGINT" },
    { name: "run, SIGINT then SIGTERM", command: "run", first: "SIGINT", second: "SIGTERM" },
    { name: "once, SIGTERM then SIGTERM", command: "once", first: "SIGTERM", second: "SIGTERM" },
  ] as const)("a start that hangs past the budget ($name): the guide's timeout line and exit 2 at ~2 s", async ({ command, first, second }) => {
    const state = fifo(`hang-${command}-${first}-${second ?? "none"}`);
    const d = spawnDaemon([command], w.env({ DDNS_SHUTDOWN_TIMEOUT: "2s", DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: state }));
    await Bun.sleep(500); // past the configuration, inside the hung read of the state file
    const t0 = performance.now();
    d.kill(first);
    if (second) {
      await Bun.sleep(500);
      d.kill(second);
    }
    expect(await d.exited()).toBe(2);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThan(1900);
    expect(elapsed).toBeLessThan(3000);
    expect(d.lines.filter((l) => l.startsWith("ERROR"))).toEqual([TIMEOUT_LINE]);
    expect(d.lines.slice(-1)).toEqual([TIMEOUT_LINE]);
    expect(d.lines).toContain(`INFO Received shutdown signal: ${first}`);
    if (second) expect(d.lines).toContain(`INFO Received ${second} again; already shutting down`);
  });

  it("a start that ends within the budget after SIGTERM (and a second SIGINT) exits 0", async () => {
    const state = fifo("late-writer");
    const d = spawnDaemon([], w.env({ DDNS_SHUTDOWN_TIMEOUT: "2s", DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: state }));
    await d.waitForLine("INFO Managing record: home.example.com");
    d.kill("SIGTERM");
    await Bun.sleep(300);
    d.kill("SIGINT");
    await Bun.sleep(400);
    writeFileSync(state, '{"version":1,"records":[]}\n'); // the mount comes back: the read finishes
    expect(await d.exited()).toBe(0);
    expect(d.lines.slice(-1)).toEqual(["INFO Shutdown complete"]);
    expect(d.lines).not.toContain(TIMEOUT_LINE);
  });
});

/** A provider that ignores the abort signal: it answers after `ms`, or never. */
function stubbornProvider(ms: number | undefined): DnsProvider {
  return {
    type: "stubborn",
    canRead: true,
    setRecords: (requests) =>
      new Promise((resolve) => {
        if (ms !== undefined) setTimeout(() => resolve(requests.map((request) => ({ ok: true, request, outcome: "updated", previous: [] }))), ms);
      }),
  };
}

describe("runDaemon with a provider that ignores the abort signal", () => {
  it.each([
    { name: "hangs forever", answerAfterMs: undefined, code: 2, last: TIMEOUT_LINE, minMs: 1950, maxMs: 2600 },
    { name: "answers after 800 ms", answerAfterMs: 800, code: 0, last: "INFO Shutdown complete", minMs: 400, maxMs: 1500 },
  ])("a provider that $name during shutdown: exit $code", async ({ answerAfterMs, code, last, minMs, maxMs }) => {
    const env = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "inproc-secret-9d1c", DDNS_RECORDS: "a.example.com", DDNS_SHUTDOWN_TIMEOUT: "2s", DDNS_HTTP_ADDR: "off" };
    const { config } = loadConfig({ providers: ALL_PROVIDERS, env, readFile: () => "" });
    const lines: string[] = [];
    const log = createLogger({ level: "info", format: "text", write: (l) => void lines.push(l.trimEnd()), secrets: targetSecrets(config, ALL_PROVIDERS) });
    const world: World = {
      fetch, now: Date.now, random: Math.random, fs: fsp, runtime: "bun", rss: () => 0, startTimeSeconds: 0,
      createProvider: () => stubbornProvider(answerAfterMs),
      createIpSources: async () => ({ source: { type: "fixed", detect: async (family) => ({ ok: true, family, address: family === 4 ? "203.0.113.9" : "2001:db8::9", source: "fixed" }) } }),
    };
    const prepared = prepareComponents(config, world, log);
    let signal!: (s: string) => void;
    const shutdownSignal = new Promise<string>((r) => (signal = r));
    const exit = runDaemon({ config, log, now: Date.now, shutdownSignal, init: () => startComponents(config, world, log, prepared, false), startHttp: async () => undefined });
    while (!lines.includes("INFO Ready to monitor IP changes")) await Bun.sleep(10);
    await Bun.sleep(100); // the round is inside setRecords now
    const t0 = performance.now();
    signal("SIGTERM");
    expect(await exit).toBe(code);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThan(minMs);
    expect(elapsed).toBeLessThan(maxMs);
    expect(lines.at(-1)).toBe(last);
    expect(lines.join("\n")).not.toContain(env.DDNS_PROVIDER_API_TOKEN);
  });
});
