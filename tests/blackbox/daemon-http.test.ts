import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, runBinary, spawnDaemon, type Daemon } from "./harness.ts";
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

async function startWithHttp(extra: Record<string, string> = {}) {
  const port = await freePort();
  const d = spawnDaemon([], w.env({ DDNS_HTTP_ADDR: `127.0.0.1:${port}`, DDNS_IP_VERSIONS: "4", ...extra }));
  running.push(d);
  await d.waitForLine("INFO Ready to monitor IP changes");
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
  return { d, port, get };
}

const metric = (text: string, name: string) => {
  const line = text.split("\n").find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("dist/ddnsd HTTP endpoints", () => {
  it("readiness goes from 503 to 200 as the provider recovers, and the metrics move", async () => {
    w.ip.set({ v4: "203.0.113.60" });
    w.cf.faults.add({ kind: "status", status: 500, times: 1 });
    const { d, get } = await startWithHttp({ DDNS_RECORDS: "ready.example.com" });
    const notReady = await until(() => get("/readyz").then(async (r) => ({ status: r.status, body: await r.text() })), (r) => r.status === 503 && r.body.includes("failing"));
    expect(notReady.body).toStartWith("not confirmed: ready.example.com A failing (");
    expect((await get("/healthz")).status).toBe(200);
    await until(() => get("/readyz").then((r) => r.status), (s) => s === 200, 30_000, "readiness");
    const text = await (await get("/metrics")).text();
    expect(metric(text, 'ddns_record_updates_total{type="A",result="created"}')).toBe(1);
    expect(metric(text, 'ddns_record_updates_total{type="A",result="failed"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, "ddns_records_managed")).toBe(1);
    expect(metric(text, 'ddns_record_last_success_timestamp_seconds{record="ready.example.com",type="A"}')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(metric(text, 'ddns_provider_requests_total{provider="cloudflare",outcome="error"}')).toBeGreaterThanOrEqual(1);
    w.ip.set({ v4: "203.0.113.61" });
    await d.waitForLine("INFO Updated A record ready.example.com: 203.0.113.60 → 203.0.113.61");
    const after = await (await get("/metrics")).text();
    expect(metric(after, 'ddns_ip_changes_total{family="ipv4"}')).toBe(1);
    expect(metric(after, 'ddns_record_updates_total{type="A",result="updated"}')).toBe(1);
    const status = (await (await get("/status")).json()) as { records: unknown[]; addresses: { ipv4: { address: string } } };
    expect(status.records).toEqual([expect.objectContaining({ name: "ready.example.com", type: "A", content: "203.0.113.61", state: "ok", lastError: null })]);
    expect(status.addresses.ipv4.address).toBe("203.0.113.61");
  });

  it("serves metrics that promtool accepts", async () => {
    const { get } = await startWithHttp({ DDNS_RECORDS: "prom.example.com" });
    await until(() => get("/readyz").then((r) => r.status), (s) => s === 200);
    const body = await (await get("/metrics")).text();
    const r = Bun.spawnSync(["promtool", "check", "metrics"], { stdin: new TextEncoder().encode(body), stdout: "pipe", stderr: "pipe" });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    expect(r.exitCode).toBe(0);
  });

  it("healthcheck exits 0 against a live daemon and 1 without one", async () => {
    const { port } = await startWithHttp({ DDNS_RECORDS: "hc.example.com" });
    const ok = await runBinary(["healthcheck"], { DDNS_HTTP_ADDR: `0.0.0.0:${port}` });
    expect(ok.code).toBe(0);
    expect(ok.lines).toEqual(["healthy: ok"]);
    const free = await freePort();
    const down = await runBinary(["healthcheck"], { DDNS_HTTP_ADDR: `127.0.0.1:${free}` });
    expect(down.code).toBe(1);
    expect(down.lines[0]).toStartWith(`unhealthy: could not connect to http://127.0.0.1:${free}/healthz`);
  });

  it("closes the listener during shutdown so the port is free again", async () => {
    const { d, port } = await startWithHttp({ DDNS_RECORDS: "close.example.com" });
    d.kill("SIGTERM");
    expect(await d.exited()).toBe(0);
    const again = Bun.serve({ port, hostname: "127.0.0.1", fetch: () => new Response("x") });
    again.stop(true);
  });
});
