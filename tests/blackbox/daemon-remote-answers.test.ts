import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { bombResponse, compressedZeros, endlessResponse } from "../fakes/hostile-bodies.ts";
import { serveRoutes, type RoutesServer } from "../fakes/routes-server.ts";
import { assertNoSecretLeaked, fetchChecked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";

/**
 * dist/ddnsd against remote answers meant to hurt: a provider or IP endpoint answering a 1 GiB gzip bomb or a
 * body that never ends. The daemon's memory (VmHWM, its peak resident set) stays bounded and the operator reads
 * one line that says what happened. A watchdog kills a daemon whose resident set passes the bound, so a
 * regression fails the test instead of exhausting the machine.
 */
setDefaultTimeout(60_000);
const BOUND_KIB = 160 * 1024;

let w: TestWorld;
let hostile: RoutesServer;
const running: Daemon[] = [];
beforeAll(async () => {
  await compressedZeros("gzip", 1024);
  w = await startWorld();
  hostile = serveRoutes({
    "/bomb": () => bombResponse("gzip", 1024, "text/plain"),
    "/endless": () => endlessResponse(" ".charCodeAt(0), "text/plain").response,
  });
});
afterEach(() => running.splice(0).forEach((d) => d.kill("SIGKILL")));
afterAll(async () => {
  await hostile.stop();
  await w.stop();
  assertNoSecretLeaked();
});

function memory(pid: number): { hwmKiB: number; rssKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { hwmKiB: field("VmHWM"), rssKiB: field("VmRSS") };
}

/** Starts the daemon with a watchdog on its resident set; `peak()` is its VmHWM so far. */
function start(env: Record<string, string | undefined>, secrets: string[] = []) {
  const d = spawnDaemon([], env, secrets);
  running.push(d);
  let killedAt: number | undefined;
  const watchdog = setInterval(() => {
    try {
      const { rssKiB } = memory(d.proc.pid);
      if (rssKiB > BOUND_KIB) {
        killedAt = rssKiB;
        d.kill("SIGKILL");
      }
    } catch {
      clearInterval(watchdog);
    }
  }, 50);
  return {
    d,
    peak() {
      if (killedAt !== undefined) throw new Error(`the daemon's resident set reached ${killedAt} KiB and it was killed`);
      return memory(d.proc.pid).hwmKiB;
    },
    stop: () => clearInterval(watchdog),
  };
}

describe("dist/ddnsd keeps its memory bounded against hostile answers", () => {
  it.each([
    { name: "a 1 GiB gzip bomb", fault: "gzip-bomb" as const, line: 'Cloudflare answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one' },
    { name: "a body that never ends", fault: "endless" as const, line: "Cloudflare answered HTTP 200 with more than 2 MiB; ddnsd reads no more than that" },
  ])("the Cloudflare API answering $name", async ({ fault, line }) => {
    w.cf.faults.clear();
    w.cf.faults.add({ kind: fault, path: "/zones", probability: 1 });
    const s = start(w.env({ DDNS_IP_VERSIONS: "4", DDNS_RECORDS: `${fault}.example.com` }));
    try {
      const warned = await s.d.waitForLine(line, 20_000);
      expect(warned).toStartWith(`WARN Could not update A record ${fault}.example.com to 203.0.113.7: while looking up the zone, ${line}`);
      await Bun.sleep(2_500); // a few more rounds against the same answer
      const peak = s.peak();
      console.log(`VmHWM of dist/ddnsd against ${fault}: ${peak} KiB`);
      expect(peak).toBeLessThan(BOUND_KIB);
    } finally {
      s.stop();
      w.cf.faults.clear();
    }
  });

  it.each([
    { name: "a 1 GiB gzip bomb", path: "/bomb", reason: 'sent a compressed answer (Content-Encoding "gzip") although ddnsd asked for none' },
    { name: "a body that never ends", path: "/endless", reason: "sent more than 4096 bytes; an IP answer is a few dozen" },
  ])("an IP endpoint answering $name is skipped for the next one", async ({ path, reason }) => {
    const s = start(w.env({ DDNS_IP_VERSIONS: "4", DDNS_LOG_LEVEL: "debug", DDNS_RECORDS: `ip${path.slice(1)}.example.com`, DDNS_IP_SOURCE_URLS_V4: `${hostile.origin}${path},${w.cf.origin}/v4` }));
    try {
      await s.d.waitForLine(`DEBUG IP endpoint "${hostile.origin}${path}" gave no usable IPv4 address: ${reason}`);
      await s.d.waitForLine("INFO Detected IPv4 address: 203.0.113.7");
      expect(s.peak()).toBeLessThan(BOUND_KIB);
    } finally {
      s.stop();
    }
  });
});

describe("dist/ddnsd never shows the query of an IP endpoint URL", () => {
  const KEY = "ipkey-0123456789abcdef";

  it("in the log, in /status and in check", async () => {
    const port = await freePort();
    const urls = `http://127.0.0.1:${await freePort()}/v4?key=${KEY},${w.cf.origin}/v4?key=${KEY}`;
    const env = w.env({ DDNS_IP_VERSIONS: "4", DDNS_LOG_LEVEL: "debug", DDNS_RECORDS: "query.example.com", DDNS_IP_SOURCE_URLS_V4: urls, DDNS_HTTP_ADDR: `127.0.0.1:${port}` });
    const s = start(env, [KEY]);
    try {
      await s.d.waitForLine(/DEBUG IP endpoint "http:\/\/127\.0\.0\.1:\d+\/v4\?…" gave no usable IPv4 address: could not be reached/);
      await s.d.waitForLine(`INFO Detected IPv4 address: 203.0.113.7 source="${w.cf.origin}/v4?…"`);
      const status = await until(() => fetchChecked(`http://127.0.0.1:${port}/status`).then((r) => JSON.parse(r.body) as { addresses: { ipv4: { source: string | null } } }), (b) => b.addresses.ipv4.source !== null);
      expect(status.addresses.ipv4.source).toBe(`${w.cf.origin}/v4?…`);
    } finally {
      s.stop();
    }
    const check = await runBinary(["check"], env);
    expect(check.lines).toContain(`DDNS_IP_SOURCE_URLS_V4=${urls.replaceAll(`?key=${KEY}`, "?…")}`);
  });
});

describe("dist/ddnsd judges an IPv6 address that wraps an IPv4 one by that IPv4 address", () => {
  it("does not publish a 6to4 address built on a private address", async () => {
    const echo = serveRoutes({ "/v6": () => new Response("2002:0a00:0001::1\n") });
    try {
      const { code, lines } = await runBinary(["once"], w.env({ DDNS_IP_VERSIONS: "6", DDNS_RECORDS: "sixtofour.example.com", DDNS_IP_SOURCE_URLS_V6: `${echo.origin}/v6` }));
      expect(lines).toContain(`WARN Could not detect the IPv6 address: no endpoint gave a usable IPv6 address ("${echo.origin}/v6": "2002:0a00:0001::1" is a 6to4 address built on 10.0.0.1, a private (RFC 1918) address: it cannot be published); its records are left alone until it is detected again`);
      expect(code).toBe(2);
      expect(w.cf.contents("sixtofour.example.com", "AAAA")).toEqual([]);
    } finally {
      await echo.stop();
    }
  });
});
