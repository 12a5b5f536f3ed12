import { describe, expect, it } from "bun:test";
import { PROMETHEUS_CONTENT_TYPE } from "../../src/http/app.ts";
import { CONTRACT_METRICS, createFixture, STALE_AFTER_MS, VERSION } from "./fixtures.ts";

const TEXT = "text/plain; charset=UTF-8";

describe("GET /healthz", () => {
  it.each([
    { name: "answers ok right after start", silentMs: 0, status: 200, body: "ok" },
    { name: "stays ok just inside the stale limit", silentMs: STALE_AFTER_MS, status: 200, body: "ok" },
    { name: "is 503 with the reason once the loop is stuck", silentMs: 400_000, status: 503, body: "the update loop has made no progress for 400s" },
  ])("$name", async ({ silentMs, status, body }) => {
    const f = createFixture();
    f.advance(silentMs);
    const res = await f.app.request("/healthz");
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe(TEXT);
    expect(await res.text()).toBe(body);
  });

  it("becomes healthy again when the loop beats", async () => {
    const f = createFixture();
    f.advance(400_000);
    expect((await f.app.request("/healthz")).status).toBe(503);
    f.status.beat();
    expect((await f.app.request("/healthz")).status).toBe(200);
  });
});

describe("GET /readyz", () => {
  it("goes from 503 with the reasons to 200 as the records are confirmed", async () => {
    const f = createFixture({ records: ["example.com"], families: [4, 6] });
    const steps = [
      { name: "nothing confirmed yet", set: () => {}, status: 503, body: "not confirmed: example.com A, example.com AAAA pending" },
      {
        name: "A failing, AAAA pending",
        set: () => f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { state: "failing", lastError: "rate limited by Cloudflare; retrying in 60s" }),
        status: 503,
        body: "not confirmed: example.com A failing (rate limited by Cloudflare; retrying in 60s); example.com AAAA pending",
      },
      { name: "A confirmed", set: () => f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { state: "ok", lastError: null }), status: 503, body: "not confirmed: example.com AAAA pending" },
      { name: "both confirmed", set: () => f.status.setRecord({ target: "cloudflare", name: "example.com", type: "AAAA" }, { state: "ok" }), status: 200, body: "ok" },
    ];
    for (const step of steps) {
      step.set();
      const res = await f.app.request("/readyz");
      expect({ step: step.name, status: res.status, body: await res.text() }).toEqual({ step: step.name, status: step.status, body: step.body });
    }
  });

  it("names records that fail for the same reason together, the reason once", async () => {
    const f = createFixture({ records: ["a.example.com", "b.example.com"], families: [4, 6] });
    const refused = "Cloudflare refused the API token (HTTP 403); check DDNS_PROVIDER_API_TOKEN";
    for (const name of ["a.example.com", "b.example.com"]) for (const type of ["A", "AAAA"] as const) f.status.setRecord({ target: "cloudflare", name, type }, { state: "failing", lastError: refused });
    f.status.setRecord({ target: "cloudflare", name: "b.example.com", type: "AAAA" }, { state: "failing", lastError: "Cloudflare failed (HTTP 503)" });
    expect(await (await f.app.request("/readyz")).text()).toBe(
      `not confirmed: a.example.com A, b.example.com A, a.example.com AAAA failing (${refused}); b.example.com AAAA failing (Cloudflare failed (HTTP 503))`,
    );
  });

  it("keeps the reason on one line when an error message spans lines", async () => {
    const f = createFixture({ records: ["example.com"], families: [4] });
    f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { state: "failing", lastError: "first line\nsecond line" });
    expect(await (await f.app.request("/readyz")).text()).toBe("not confirmed: example.com A failing (first line second line)");
  });
});

describe("GET /metrics", () => {
  it("answers the Prometheus 0.0.4 content type with HELP and TYPE for every contract metric", async () => {
    const f = createFixture();
    const res = await f.app.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
    const text = await res.text();
    const missing = CONTRACT_METRICS.filter((m) => !text.includes(`# TYPE ${m} `) || !text.includes(`# HELP ${m} `));
    expect(missing).toEqual([]);
    expect(text).toContain(`ddns_build_info{version="${VERSION}",runtime="bun"} 1`);
    expect(text).toContain("process_resident_memory_bytes 12345678");
  });

  it("renders on demand, so a value set between scrapes shows at once", async () => {
    const f = createFixture();
    expect(await (await f.app.request("/metrics")).text()).not.toContain('ddns_ip_changes_total{family="ipv4"}');
    f.metrics.ipChanges.inc({ family: "ipv4" });
    expect(await (await f.app.request("/metrics")).text()).toContain('ddns_ip_changes_total{family="ipv4"} 1');
  });

  it("counts requests by route, never by raw path", async () => {
    const f = createFixture();
    for (const path of ["/healthz", "/healthz", "/no/such/thing?token=abc", "/status"]) await f.app.request(path);
    const text = await (await f.app.request("/metrics")).text();
    expect(text).toContain('ddns_http_requests_total{route="healthz",code="200"} 2');
    expect(text).toContain('ddns_http_requests_total{route="other",code="404"} 1');
    expect(text).toContain('ddns_http_requests_total{route="status",code="200"} 1');
    expect(text).not.toContain("no/such/thing");
  });
});

describe("unknown paths and methods", () => {
  it.each([
    { name: "a path below the page", method: "GET", path: "/index.html" },
    { name: "a path below an endpoint", method: "GET", path: "/healthz/extra" },
    { name: "a near miss", method: "GET", path: "/metricsx" },
    { name: "another case", method: "GET", path: "/STATUS" },
    { name: "a POST to an unknown path", method: "POST", path: "/admin" },
  ])("answers 404 for $name", async ({ method, path }) => {
    const res = await createFixture().app.request(path, { method });
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 404, body: "not found" });
  });

  it.each(
    ["/", "/healthz", "/readyz", "/metrics", "/status"].flatMap((path) =>
      ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"].map((method) => ({ name: `${method} ${path}`, method, path })),
    ),
  )("answers 405 with Allow for $name", async ({ method, path }) => {
    const res = await createFixture().app.request(path, { method });
    expect({ status: res.status, allow: res.headers.get("allow"), body: await res.text() }).toEqual({
      status: 405,
      allow: "GET, HEAD",
      body: "method not allowed",
    });
  });

  it.each([
    { name: "healthz", path: "/healthz", type: TEXT },
    { name: "metrics", path: "/metrics", type: PROMETHEUS_CONTENT_TYPE },
    { name: "status", path: "/status", type: "application/json; charset=utf-8" },
  ])("answers HEAD on $name with headers and no body", async ({ path, type }) => {
    const res = await createFixture().app.request(path, { method: "HEAD" });
    expect({ status: res.status, type: res.headers.get("content-type"), body: await res.text() }).toEqual({ status: 200, type, body: "" });
  });

  it("marks every answer as not cacheable", async () => {
    const res = await createFixture().app.request("/readyz");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
