import { afterAll, afterEach, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, fetchChecked, spawnDaemon, type Daemon } from "./harness.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";

/**
 * What dist/ddnsd shows about address detection (metrics, /status, /readyz, the log), on a host whose IP endpoint
 * answers garbage or has no IPv6 at all, and which series /metrics carries before anything happened.
 */
setDefaultTimeout(60_000);
let w: TestWorld;
const running: Daemon[] = [];
beforeAll(async () => {
  w = await startWorld();
});
afterEach(() => {
  running.splice(0).forEach((d) => d.kill("SIGKILL"));
  w.cf.faults.clear();
  w.ip.set({ v4: "203.0.113.7", v6: "2001:db8::7" });
});
afterAll(async () => {
  await w.stop();
  assertNoSecretLeaked();
});

async function start(extra: Record<string, string | undefined>) {
  const port = await freePort();
  const d = spawnDaemon([], w.env({ DDNS_HTTP_ADDR: `127.0.0.1:${port}`, ...extra }));
  running.push(d);
  await d.waitForLine("INFO Ready to monitor IP changes");
  const get = (path: string) => fetchChecked(`http://127.0.0.1:${port}${path}`);
  const metrics = async () => (await get("/metrics")).body;
  return { d, get, metrics };
}

/** The value of one exact series (`name{labels}`), undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

type Address = { address: string | null; lastError: string | null; failingSince: string | null; available: boolean; required: boolean };
const statusOf = async (get: (p: string) => Promise<{ body: string }>) => JSON.parse((await get("/status")).body) as { addresses: Record<string, Address> };

describe("dist/ddnsd makes a failing detection visible", () => {
  it("an IP endpoint answering garbage sets ddns_ip_detection_failing and shows the error in /status", async () => {
    w.ip.set({ v4: "203.0.113.80" });
    const { get, metrics } = await start({ DDNS_RECORDS: "garbage.example.com", DDNS_IP_VERSIONS: "4" });
    await until(() => get("/readyz").then((r) => r.status), (s) => s === 200, 15_000, "readiness");
    expect(sample(await metrics(), 'ddns_ip_detection_failing{family="ipv4"}')).toBe(0);
    expect(sample(await metrics(), 'ddns_ip_family_available{family="ipv4"}')).toBe(1);
    const before = Date.now();
    w.ip.set({ v4: "garbage" });
    const text = await until(metrics, (t) => sample(t, 'ddns_ip_detection_failing{family="ipv4"}') === 1, 10_000, "detection failing");
    expect(sample(text, 'ddns_ip_family_available{family="ipv4"}')).toBe(0);
    const ipv4 = (await statusOf(get)).addresses.ipv4!;
    expect(ipv4).toMatchObject({
      address: "203.0.113.80",
      lastError: `no endpoint gave a usable IPv4 address ("${w.cf.origin}/v4": "garbage" is not an IP address)`,
      available: false,
      required: true,
    });
    expect(Date.parse(ipv4.failingSince!)).toBeGreaterThanOrEqual(before - 1_000);
    w.ip.set({ v4: "203.0.113.80" });
    await until(metrics, (t) => sample(t, 'ddns_ip_detection_failing{family="ipv4"}') === 0, 10_000, "detection recovered");
    expect((await statusOf(get)).addresses.ipv4).toMatchObject({ lastError: null, failingSince: null, available: true });
  });
});

describe("dist/ddnsd on a host without IPv6", () => {
  it("with DDNS_IP_VERSIONS unset: ready on IPv4 alone, IPv6 shown as unavailable, one warning", async () => {
    w.ip.set({ v4: "203.0.113.81", v6: "" });
    const { d, get, metrics } = await start({ DDNS_RECORDS: "nov6.example.com", DDNS_IP_VERSIONS: undefined });
    await until(() => get("/readyz").then((r) => r.status), (s) => s === 200, 15_000, "readiness");
    await Bun.sleep(2_500); // more poll rounds at 1 s: still one warning
    const text = await metrics();
    expect({
      failing: sample(text, 'ddns_ip_detection_failing{family="ipv6"}'),
      available: sample(text, 'ddns_ip_family_available{family="ipv6"}'),
      required: sample(text, 'ddns_ip_family_required{family="ipv6"}'),
      ipv4Required: sample(text, 'ddns_ip_family_required{family="ipv4"}'),
    }).toEqual({ failing: 1, available: 0, required: 0, ipv4Required: 1 });
    expect((await statusOf(get)).addresses.ipv6).toMatchObject({ address: null, available: false, required: false, lastError: expect.stringContaining("answered HTTP 503") });
    expect(d.lines.filter((l) => l.startsWith("WARN"))).toEqual([
      `WARN No IPv6 address detected: no endpoint gave a usable IPv6 address ("${w.cf.origin}/v6": answered HTTP 503); the AAAA records are left alone and readiness does not wait for them until one is detected. ` +
        "DDNS_IP_VERSIONS is not set: set it to 4 to stop looking for IPv6, or to 4,6 to require it. Reminder in 1h.",
    ]);
  });

  it("with DDNS_IP_VERSIONS=4,6: readiness waits for the AAAA record", async () => {
    w.ip.set({ v4: "203.0.113.82", v6: "" });
    const { d, get } = await start({ DDNS_RECORDS: "needv6.example.com", DDNS_IP_VERSIONS: "4,6" });
    await d.waitForLine("INFO Created A record needv6.example.com → 203.0.113.82");
    await Bun.sleep(1_500);
    const ready = await get("/readyz");
    expect({ status: ready.status, body: ready.body }).toEqual({ status: 503, body: "not confirmed: needv6.example.com AAAA pending" });
    expect(d.lines.filter((l) => l.startsWith("WARN"))).toEqual([
      `WARN Could not detect the IPv6 address: no endpoint gave a usable IPv6 address ("${w.cf.origin}/v6": answered HTTP 503); its records are left alone until it is detected again`,
    ]);
  });
});

describe("dist/ddnsd /metrics before anything happened", () => {
  it("lists every labelled counter at 0 for its known label values, and promtool accepts it", async () => {
    // Hold the first round at the provider, so the scrape sees the daemon as it starts.
    w.cf.faults.add({ kind: "hang", path: "/zones", delayMs: 3_000, times: 1 });
    const { metrics } = await start({ DDNS_RECORDS: "fresh.example.com", DDNS_POLL_INTERVAL: "5m" });
    const text = await metrics();
    const zero = [
      'ddns_ip_detections_total{family="ipv4",result="failed"}',
      'ddns_ip_detections_total{family="ipv6",result="failed"}',
      'ddns_ip_changes_total{family="ipv4"}',
      'ddns_ip_changes_total{family="ipv6"}',
      ...["A", "AAAA"].flatMap((type) => ["created", "updated", "unchanged", "planned", "failed"].map((result) => `ddns_record_updates_total{type="${type}",result="${result}"}`)),
      ...["error", "rate-limited", "timeout"].map((outcome) => `ddns_provider_requests_total{provider="cloudflare",outcome="${outcome}"}`),
      ...["ok", "partial", "failed"].map((result) => `ddns_rounds_total{result="${result}"}`),
      ...["ok", "failed"].map((result) => `ddns_state_writes_total{result="${result}"}`),
      'ddns_record_failing{record="fresh.example.com",type="A"}',
      'ddns_record_failing{record="fresh.example.com",type="AAAA"}',
      'ddns_ip_detection_failing{family="ipv4"}',
      'ddns_ip_detection_failing{family="ipv6"}',
    ];
    expect(Object.fromEntries(zero.map((s) => [s, sample(text, s)]))).toEqual(Object.fromEntries(zero.map((s) => [s, 0])));
    // Present from the start too (their values may already have moved).
    for (const s of ['ddns_ip_detections_total{family="ipv4",result="ok"}', 'ddns_provider_requests_total{provider="cloudflare",outcome="ok"}', 'ddns_ip_family_available{family="ipv4"}']) {
      expect(sample(text, s), s).toBeNumber();
    }
    const r = Bun.spawnSync(["promtool", "check", "metrics"], { stdin: new TextEncoder().encode(text), stdout: "pipe", stderr: "pipe" });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    expect(r.exitCode).toBe(0);
  });
});
