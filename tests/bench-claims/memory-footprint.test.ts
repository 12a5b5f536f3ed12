import { afterEach, describe, expect, it } from "bun:test";
import { realpathSync } from "node:fs";
import { smapsBreakdown, statusMemory } from "../../bench/smaps.ts";
import { assertNoSecretLeaked, BINARY, spawnDaemon, type Daemon } from "../blackbox/harness.ts";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho } from "../fakes/ip-echo.ts";

/**
 * The memory claims of docs/performance.md that the binary carries itself, with no environment variable but its
 * configuration (as systemd, compose and Kubernetes run it): JavaScriptCore runs ddnsd's code in its interpreter
 * (`--compile-jit-policy` in the build), and the daemon drops the executable's start-up pages
 * (src/runtime/executable-trim.ts). Memory figures, not times: a busy machine slows them down but does not move them.
 * bench/busy.ts measures the same at scale.
 */

const TOKEN = "footprint-token-7c1d9e2a";
const KiB = 1024;
let cf: FakeCloudflare | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  daemon?.kill("SIGKILL");
  await daemon?.exited().catch(() => 0);
  daemon = undefined;
  await cf?.stop();
  cf = undefined;
});

async function start(records: number, pollInterval: string) {
  const ip = createIpEcho({ v4: "203.0.113.7" });
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"], extraHandler: (r) => ip.handle(r) });
  daemon = spawnDaemon([], {
    DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: Array.from({ length: records }, (_, i) => `r${i}.example.com`).join(","), DDNS_IP_VERSIONS: "4",
    DDNS_IP_SOURCE_URLS_V4: `${cf.origin}/v4`, DDNS_HTTP_ADDR: "off", DDNS_POLL_INTERVAL: pollInterval,
  });
  await daemon.waitForLine("INFO Ready to monitor IP changes", 30_000);
  return { ip, pid: daemon.proc.pid };
}

describe("the shipped binary's memory", () => {
  it("idles with 100 records within 32 MiB of RSS, its start-up code no longer mapped", async () => {
    const { pid } = await start(100, "30s");
    await Bun.sleep(6_000); // past the first periodic trim after the first round (every 5 s)
    const m = statusMemory(pid);
    const parts = smapsBreakdown(pid, realpathSync(BINARY));
    // Before: ~45 MiB of RSS (the first run after a build), ~29 MiB of it the executable's code.
    expect(m.rss / KiB).toBeLessThanOrEqual(32);
    expect(parts["binary code"].rss / KiB).toBeLessThanOrEqual(16);
    assertNoSecretLeaked();
  }, 60_000);

  it("runs ddnsd's code in the interpreter: 20 changes over 100 records leave the JIT's code region nearly empty", async () => {
    const { ip, pid } = await start(100, "1s");
    for (let i = 0; i < 20; i++) {
      ip.set({ v4: `203.0.113.${20 + i}` });
      await Bun.sleep(1_100);
    }
    expect(cf!.records().every((r) => r.content === "203.0.113.39")).toBe(true);
    // Bun's default JIT compiled ~800 KiB of machine code for the same work; the interpreter's own stubs are ~50 KiB.
    expect(smapsBreakdown(pid, realpathSync(BINARY))["JIT code"].rss).toBeLessThan(256);
    assertNoSecretLeaked();
  }, 90_000);
});
