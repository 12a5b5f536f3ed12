import { describe, expect, it } from "bun:test";
import { createApp, PAGE_CSP } from "../../src/http/app.ts";
import { createRedactor } from "../../src/log/redact.ts";
import { createFixture, START_MS, VERSION } from "./fixtures.ts";
import { createStatusBoard } from "../../src/engine/status-board.ts";
import { createDaemonMetrics } from "../../src/metrics/daemon-metrics.ts";
import { readPage } from "./page-dom.ts";

/** `GET /`, the status page, through `app.request()`: what a person reads, and what must never be on it. */
const SECRET = "cf-token-ZZ9plural-Z-alpha-0123456789";
const HOSTILE_NAME = '<script>alert("name")</script>.example.com';
const HOSTILE_ERROR = 'Cloudflare said "</td><script>alert(1)</script><img src=x onerror=alert(2)>"; check DDNS_PROVIDER_API_TOKEN';

function settled() {
  const f = createFixture({ records: ["example.com"], families: [4, 6] });
  f.status.setAddress(4, { address: "203.0.113.7", detectedAt: "2025-01-02T03:05:00.000Z", source: "http https://ip.example/trace", available: true });
  f.status.setAddress(6, { lastError: "no public IPv6 address on eth0", failingSince: "2025-01-02T03:04:06.000Z" });
  f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { state: "ok", content: "203.0.113.7", lastChange: "2025-01-02T03:05:01.000Z" });
  f.status.setRecord({ target: "cloudflare", name: "example.com", type: "AAAA" }, { state: "failing", lastError: "Cloudflare refused the token; check DDNS_PROVIDER_API_TOKEN" });
  f.status.history.add({ at: Date.parse("2025-01-02T03:05:00.000Z"), kind: "address", family: 4, from: "203.0.113.6", to: "203.0.113.7", source: "http https://ip.example/trace" });
  f.status.history.add({ at: Date.parse("2025-01-02T03:05:01.000Z"), kind: "record", target: "cloudflare", name: "example.com", type: "A", from: "203.0.113.6", to: "203.0.113.7", result: "updated", error: null });
  f.status.roundDone();
  f.advance(5 * 60_000);
  return f;
}

const page = async (app: { request: (path: string) => Response | Promise<Response> }) => {
  const res = await app.request("/");
  return { res, html: await res.text() };
};

describe("GET / (the status page)", () => {
  it("answers one self-contained HTML document with a policy that forbids scripts", async () => {
    const { res, html } = await page(settled().app);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).toStartWith("<!doctype html><html lang=\"en\">");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain("@media (prefers-color-scheme: dark)");
    const view = await readPage(html);
    expect({ scripts: view.scripts, handlers: view.handlers, external: view.external }).toEqual({ scripts: 0, handlers: [], external: [] });
  });

  it("shows every record with its address, state, last change and quoted last error", async () => {
    const view = await readPage((await page(settled().app)).html);
    expect(view.records).toEqual([
      { key: "example.com/A", state: "ok", cells: { Record: "example.com", Type: "A", Address: "203.0.113.7", State: "ok", "Last change": "2025-01-02 03:05:01 UTC (4 min ago)", "Last error": "none" } },
      {
        key: "example.com/AAAA",
        state: "failing",
        cells: { Record: "example.com", Type: "AAAA", Address: "—", State: "failing", "Last change": "never", "Last error": "“Cloudflare refused the token; check DDNS_PROVIDER_API_TOKEN”" },
      },
    ]);
    expect(view.title).toBe("ddnsd — not ready");
    expect(view.readiness).toEqual({ ready: "false", text: 'Not ready — not confirmed: example.com AAAA failing (Cloudflare refused the token; check DDNS_PROVIDER_API_TOKEN)' });
  });

  it("shows beside a record's address the records it leaves alone as not owned, with why", async () => {
    const f = settled();
    const left = [{ address: "192.0.2.50", why: `comment "by hand" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX` }];
    f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { notOwned: ["192.0.2.50"], leftAlone: left });
    f.status.setRecord({ target: "cloudflare", name: "example.com", type: "AAAA" }, { notOwned: ["2001:db8::50"], leftAlone: [{ address: "2001:db8::50", why: "it has no comment, which DDNS_MANAGED_RECORDS_COMMENT_REGEX does not match" }], managed: false });
    const view = await readPage((await page(f.app)).html);
    expect(view.records.map((r) => r.cells.Address)).toEqual([
      `203.0.113.7beside it, not owned: 192.0.2.50 (comment "by hand" does not match DDNS_MANAGED_RECORDS_COMMENT_REGEX)`,
      "—not this daemon's: 2001:db8::50 (it has no comment, which DDNS_MANAGED_RECORDS_COMMENT_REGEX does not match)",
    ]);
  });

  it("shows the detected address of each family with its source, or why detection fails", async () => {
    const view = await readPage((await page(settled().app)).html);
    expect(view.addresses).toEqual({
      ipv4: { address: "203.0.113.7", source: "http https://ip.example/trace", error: null },
      ipv6: { address: "—", source: null, error: "“no public IPv6 address on eth0”" },
    });
  });

  it("shows the history newest first, with a sparkline of the same events", async () => {
    const view = await readPage((await page(settled().app)).html);
    expect(view.history).toEqual([
      { kind: "record", key: "example.com/A", datetime: "2025-01-02T03:05:01.000Z", text: "2025-01-02 03:05:01 UTC (4 min ago) A record example.com updated: 203.0.113.6 → 203.0.113.7" },
      { kind: "address", key: "ipv4", datetime: "2025-01-02T03:05:00.000Z", text: "2025-01-02 03:05:00 UTC (4 min ago) IPv4 address changed: 203.0.113.6 → 203.0.113.7 from http https://ip.example/trace" },
    ]);
    expect(view.sparkTotal).toBe("2");
  });

  it("says so when there is no history yet, and is ready when every record is confirmed", async () => {
    const f = createFixture({ records: ["example.com"], families: [4] });
    f.status.setAddress(4, { address: "203.0.113.7", available: true });
    f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { state: "ok", content: "203.0.113.7" });
    const { html } = await page(f.app);
    const view = await readPage(html);
    expect({ history: view.history, spark: view.sparkTotal, readiness: view.readiness, title: view.title }).toEqual({
      history: [],
      spark: "0",
      readiness: { ready: "true", text: "Ready: every record is confirmed." },
      title: "ddnsd — ready",
    });
    expect(html).toContain("No address change or record update yet.");
  });

  it.each([
    { name: "a record name", setup: (f: ReturnType<typeof createFixture>) => f.status.history.add({ at: START_MS, kind: "record", target: "cloudflare", name: HOSTILE_NAME, type: "A", from: null, to: "203.0.113.7", result: "created", error: null }), shown: HOSTILE_NAME },
    { name: "a record's last error", setup: (f: ReturnType<typeof createFixture>) => f.status.setRecord({ target: "cloudflare", name: HOSTILE_NAME, type: "A" }, { state: "failing", lastError: HOSTILE_ERROR }), shown: `“${HOSTILE_ERROR}”` },
    { name: "a history error", setup: (f: ReturnType<typeof createFixture>) => f.status.history.add({ at: START_MS, kind: "record", target: "cloudflare", name: "example.com", type: "A", from: null, to: "203.0.113.7", result: "failed", error: HOSTILE_ERROR }), shown: `“${HOSTILE_ERROR}”` },
    { name: "an address source", setup: (f: ReturnType<typeof createFixture>) => f.status.setAddress(4, { address: "203.0.113.7", source: `http https://x.example/"><script>alert(3)</script>`, available: true }), shown: `http https://x.example/"><script>alert(3)</script>` },
    { name: "a detection error", setup: (f: ReturnType<typeof createFixture>) => f.status.setAddress(4, { lastError: HOSTILE_ERROR }), shown: `“${HOSTILE_ERROR}”` },
  ])("keeps $name with markup in it inert: shown as text, no element made of it", async ({ setup, shown }) => {
    const f = createFixture({ records: [HOSTILE_NAME], families: [4] });
    setup(f);
    const { html } = await page(f.app);
    const view = await readPage(html);
    expect({ scripts: view.scripts, handlers: view.handlers, external: view.external }).toEqual({ scripts: 0, handlers: [], external: [] });
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    const texts = [...view.records.flatMap((r) => [r.key, ...Object.values(r.cells)]), ...view.history.map((e) => e.text), ...Object.values(view.addresses).flatMap((a) => [a.source, a.error])];
    expect(texts.some((t) => t?.includes(shown))).toBe(true);
  });

  it("shows no secret: every text passes the daemon's redactor, whatever the board holds", async () => {
    const f = settled();
    f.status.setRecord({ target: "cloudflare", name: "example.com", type: "AAAA" }, { lastError: `refused ${SECRET}` });
    f.status.setAddress(6, { lastError: `https://ip.example/?key=${encodeURIComponent(SECRET)}` });
    f.status.history.add({ at: START_MS, kind: "record", target: "cloudflare", name: "example.com", type: "AAAA", from: null, to: "2001:db8::7", result: "failed", error: `Basic ${btoa(`u:${SECRET}`)} ${SECRET}` });
    const app = createApp({ status: f.status, metrics: f.metrics, version: VERSION, runtime: "bun", now: () => START_MS, redact: createRedactor([SECRET]) });
    const { res, html } = await page(app);
    expect(html).not.toContain(SECRET);
    expect([...res.headers.values()].join("\n")).not.toContain(SECRET);
    const view = await readPage(html);
    expect(view.records[1]!.cells["Last error"]).toBe("“refused [REDACTED]”");
  });

  it("names each record's target when there are several, in the table and the timeline", async () => {
    const records = [
      { target: "cloudflare", name: "home.example.com", type: "A" as const },
      { target: "lab", name: "home.example.com", type: "A" as const },
    ];
    const status = createStatusBoard({ version: VERSION, runtime: "bun", now: () => START_MS, families: [4], records, staleAfterMs: 60_000 });
    status.setRecord(records[1]!, { state: "ok", content: "203.0.113.7", lastChange: new Date(START_MS).toISOString() });
    status.history.add({ at: START_MS, kind: "record", target: "lab", name: "home.example.com", type: "A", from: null, to: "203.0.113.7", result: "created", error: null });
    const metrics = createDaemonMetrics({ version: VERSION, runtime: "bun", startTimeSeconds: 0, rss: () => 1 });
    const view = await readPage((await page(createApp({ status, metrics, version: VERSION, runtime: "bun", now: () => START_MS }))).html);
    expect(view.records.map((r) => [r.cells.Target, r.cells.Record, r.state])).toEqual([
      ["cloudflare", "home.example.com", "pending"],
      ["lab", "home.example.com", "ok"],
    ]);
    expect(view.history.map((e) => e.text)).toEqual(["2025-01-02 03:04:05 UTC (just now) A record home.example.com at lab created: 203.0.113.7"]);
  });

  it("answers HEAD like GET, without a body", async () => {
    const res = await settled().app.request("/", { method: "HEAD" });
    expect({ status: res.status, type: res.headers.get("content-type"), body: await res.text() }).toEqual({ status: 200, type: "text/html; charset=UTF-8", body: "" });
  });

  it("is counted as the page route in ddns_http_requests_total", async () => {
    const f = settled();
    await f.app.request("/");
    expect(await (await f.app.request("/metrics")).text()).toContain('ddns_http_requests_total{route="page",code="200"} 1');
  });
});
