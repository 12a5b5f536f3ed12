import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, fetchChecked, spawnDaemon, type Daemon } from "../blackbox/harness.ts";
import { freePort, startWorld, until, type TestWorld } from "../blackbox/world.ts";
import { ABUSE_REQUESTS, holdConnections, rawExchange } from "./http-abuse.ts";
import { hwmKb, rssKb } from "./soak-run.ts";

/**
 * dist/ddnsd's HTTP endpoints under abuse: malformed requests over raw TCP, oversized paths and headers, a slow
 * sender, and 500 connections held open while 500 requests run. The daemon must answer (4xx, or 505 for a version
 * it does not speak) or close every one, never fail inside (500) or crash, keep its memory bounded, keep serving
 * /healthz, and keep updating the record meanwhile.
 */
setDefaultTimeout(60_000);
export const HELD_CONNECTIONS = 500;
export const CONCURRENT_REQUESTS = 500;
/** RSS may grow this much above the warmed-up daemon while under abuse, and keep this much after it. */
const PEAK_ALLOWANCE_KB = 48 * 1024;
const AFTER_ALLOWANCE_KB = 16 * 1024;

let w: TestWorld;
let d: Daemon;
let port: number;
const url = (path: string) => `http://127.0.0.1:${port}${path}`;

beforeAll(async () => {
  w = await startWorld({ v4: "203.0.113.70" });
  port = await freePort();
  d = spawnDaemon([], w.env({ DDNS_HTTP_ADDR: `127.0.0.1:${port}`, DDNS_IP_VERSIONS: "4", DDNS_RECORDS: "abuse.example.com" }));
  await d.waitForLine("INFO Ready to monitor IP changes");
  await until(() => w.cf.contents("abuse.example.com", "A"), (c) => c[0] === "203.0.113.70", 10_000, "first update");
  for (let i = 0; i < 100; i++) await Promise.all(["/metrics", "/status", "/healthz"].map((p) => fetch(url(p)).then((r) => r.text())));
});

afterAll(async () => {
  if (d?.proc.exitCode === null) d.kill("SIGKILL");
  await w.stop();
  assertNoSecretLeaked();
});

describe("dist/ddnsd HTTP endpoints under abuse", () => {
  it("answers or closes every malformed or oversized request promptly, never with an internal error", async () => {
    const results = await Promise.all(ABUSE_REQUESTS.map(async (r) => ({ name: r.name, ...(await rawExchange(port, r.payload, r)) })));
    for (const r of results) {
      expect(r.end, r.name).not.toBe("timeout");
      expect([0, 200, 400, 404, 405, 413, 414, 431, 505], r.name).toContain(r.status);
    }
    expect(results.find((r) => r.name === "a slow sender (slowloris)")?.status).toBe(200);
    expect(results.find((r) => r.name === "a path traversal")?.status).toBe(404);
    expect(d.proc.exitCode).toBeNull();
  });

  it(`keeps updating the record and serving while ${HELD_CONNECTIONS} connections are held and ${CONCURRENT_REQUESTS} requests run, with bounded memory`, async () => {
    const base = rssKb(d.proc.pid);
    let peak = base;
    const sampler = setInterval(() => void (peak = Math.max(peak, rssKb(d.proc.pid))), 50);
    const held = await holdConnections(port, HELD_CONNECTIONS);
    try {
      expect(held.open()).toBeGreaterThanOrEqual(HELD_CONNECTIONS * 0.95);
      w.ip.set({ v4: "203.0.113.71" }); // the address changes in the middle of the abuse
      const [statuses, garbage] = await Promise.all([
        Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => fetch(url(["/metrics", "/status", "/healthz", "/readyz"][i % 4]!)).then(async (r) => (await r.text(), r.status)))),
        Promise.all(Array.from({ length: 3 }, () => Promise.all(ABUSE_REQUESTS.map((r) => rawExchange(port, r.payload, { ...r, gapMs: 0 }))))),
        until(() => w.cf.contents("abuse.example.com", "A"), (c) => c.length === 1 && c[0] === "203.0.113.71", 15_000, "update during the abuse"),
      ]);
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(garbage.flat().filter((r) => r.status === 500 || r.end === "timeout")).toEqual([]);
    } finally {
      held.release();
      clearInterval(sampler);
    }
    await Bun.sleep(1500);
    const after = rssKb(d.proc.pid);
    expect(peak - base).toBeLessThan(PEAK_ALLOWANCE_KB);
    expect(after - base).toBeLessThan(AFTER_ALLOWANCE_KB);
    expect((await fetchChecked(url("/healthz"))).status).toBe(200);
    const status = JSON.parse((await fetchChecked(url("/status"))).body) as { records: Array<{ content: string }> };
    expect(status.records[0]?.content).toBe("203.0.113.71");
    expect((await fetchChecked(url("/metrics"))).body).toContain("ddns_records_managed 1");
    expect(d.proc.exitCode).toBeNull();
    const hwm = hwmKb(d.proc.pid);
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    console.log(`http abuse: RSS base ${base} kB, peak +${peak - base} kB, after +${after - base} kB, VmHWM ${hwm} kB`);
  });
});
