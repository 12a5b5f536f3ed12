import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";

setDefaultTimeout(60_000);
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

function start(env: Record<string, string | undefined>, args: string[] = []): Daemon {
  const d = spawnDaemon(args, env);
  running.push(d);
  return d;
}

const STARTUP = [
  "INFO Starting ddnsd daemon",
  "INFO Configuration loaded: 2 record(s)",
  "INFO IP source type: http",
  "INFO Provider type: cloudflare",
  "INFO State store type: memory",
  "INFO Managing record: home.example.com",
  "INFO Managing record: www.example.com",
  "INFO Daemon initialized successfully",
  "INFO Ready to monitor IP changes",
];

describe("dist/ddnsd run", () => {
  it.each([{ signal: "SIGTERM" as const }, { signal: "SIGINT" as const }])(
    "logs the guide's startup lines, creates the records, and exits 0 on $signal",
    async ({ signal }) => {
      w.ip.set({ v4: "203.0.113.7", v6: "2001:db8::7" });
      for (const r of w.cf.records()) w.cf.remove(r.id);
      const d = start(w.env({ DDNS_RECORDS: "home.example.com,www.example.com" }));
      await d.waitForLine("Created AAAA record www.example.com → 2001:db8::7");
      expect(d.lines.filter((l) => STARTUP.includes(l))).toEqual(STARTUP);
      expect(w.cf.contents("home.example.com", "A")).toEqual(["203.0.113.7"]);
      expect(w.cf.contents("www.example.com", "AAAA")).toEqual(["2001:db8::7"]);
      d.kill(signal);
      expect(await d.exited()).toBe(0);
      expect(d.lines.slice(-3)).toEqual([`INFO Received shutdown signal: ${signal}`, "INFO Shutting down daemon", "INFO Shutdown complete"]);
    },
  );

  it("updates on an address change and makes no writes while nothing changes", async () => {
    w.ip.set({ v4: "203.0.113.20" });
    const d = start(w.env({ DDNS_IP_VERSIONS: "4" }));
    await d.waitForLine("INFO Ready to monitor IP changes");
    await until(() => w.cf.contents("home.example.com", "A"), (c) => c[0] === "203.0.113.20", 10_000, "first update");
    const writes = w.cf.writes();
    await Bun.sleep(2500); // two more poll rounds at 1 s
    expect(w.cf.writes()).toBe(writes);
    w.ip.set({ v4: "203.0.113.21" });
    await d.waitForLine("INFO Updated A record home.example.com: 203.0.113.20 → 203.0.113.21");
    expect(w.cf.contents("home.example.com", "A")).toEqual(["203.0.113.21"]);
    expect(w.cf.writes()).toBe(writes + 1);
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
  });

  it("after a restart with a file state store and an unchanged address it makes no provider request at all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ddnsd-bb-"));
    try {
      w.ip.set({ v4: "203.0.113.30" });
      const env = w.env({ DDNS_IP_VERSIONS: "4", DDNS_STATE_STORE_TYPE: "file", DDNS_STATE_STORE_PATH: join(dir, "state.json") });
      const first = start(env);
      await first.waitForLine("record home.example.com");
      await until(() => w.cf.contents("home.example.com", "A"), (c) => c[0] === "203.0.113.30");
      first.kill("SIGTERM");
      expect(await first.exited()).toBe(0);
      w.cf.clearRequests();
      const second = start(env);
      await second.waitForLine("INFO Ready to monitor IP changes");
      await Bun.sleep(1500);
      second.kill("SIGTERM");
      expect(await second.exited()).toBe(0);
      expect(w.cf.requests().filter((r) => r.path.startsWith("/client/v4"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never writes garbage from the IP source and says which endpoint sent it", async () => {
    w.ip.set({ v4: "203.0.113.40" });
    const d = start(w.env({ DDNS_IP_VERSIONS: "4", DDNS_LOG_LEVEL: "debug" }));
    await until(() => w.cf.contents("home.example.com", "A"), (c) => c[0] === "203.0.113.40");
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const bad of ["<html>blocked</html>", "10.0.0.1", "203.0.113.41 203.0.113.42"]) {
      w.ip.set({ v4: bad });
      // Every endpoint's answer at debug; the warning (below) comes once per failure streak, with the reasons.
      await d.waitForLine(new RegExp(`^DEBUG IP endpoint "${escape(w.cf.origin)}/v4" gave no usable IPv4 address: .*${escape(JSON.stringify(bad))}`));
    }
    await Bun.sleep(1200);
    expect(w.cf.contents("home.example.com", "A")).toEqual(["203.0.113.40"]);
    expect(d.lines.filter((l) => l.startsWith("WARN"))).toEqual([
      `WARN Could not detect the IPv4 address: no endpoint gave a usable IPv4 address ("${w.cf.origin}/v4": "<html>blocked</html>" is not an IP address); its records are left alone until it is detected again`,
    ]);
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
  });

  it("rides out provider faults and recovers without exiting", async () => {
    w.ip.set({ v4: "203.0.113.50" });
    w.cf.faults.add({ kind: "status", status: 503, times: 2 });
    const d = start(w.env({ DDNS_IP_VERSIONS: "4" }));
    await d.waitForLine(/WARN Could not update A record home.example.com to 203.0.113.50: .*next attempt in/);
    await until(() => w.cf.contents("home.example.com", "A"), (c) => c[0] === "203.0.113.50", 20_000, "recovery");
    await d.waitForLine("INFO A record home.example.com recovered");
    expect(d.proc.exitCode).toBeNull();
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
  });

  it("a port already in use is a runtime error: exit 2 with a message naming the address", async () => {
    const port = await freePort();
    const blocker = Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response("busy") });
    try {
      const d = start(w.env({ DDNS_HTTP_ADDR: `127.0.0.1:${port}` }));
      expect(await d.exited()).toBe(2);
      expect(d.lines).toContain(`ERROR Daemon error: Could not listen on 127.0.0.1:${port}: address already in use`);
    } finally {
      blocker.stop(true);
    }
  });
});
