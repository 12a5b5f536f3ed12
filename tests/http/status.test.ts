import { afterEach, describe, expect, it } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { createRedactor } from "../../src/log/redact.ts";
import { createFixture, exerciseMetrics, START_MS, VERSION } from "./fixtures.ts";

const SECRET = "cf-token-ZZ9plural-Z-alpha-0123456789";

/** Every string value in a JSON document (keys excluded). */
const stringLeaves = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(stringLeaves)
      : value && typeof value === "object"
        ? Object.values(value).flatMap(stringLeaves)
        : [];

function settledFixture() {
  const f = createFixture({ records: ["example.com"], families: [4, 6] });
  f.status.setAddress(4, { address: "203.0.113.7", detectedAt: "2025-01-02T03:05:00.000Z", source: "http https://ip.example/trace", available: true });
  f.status.setAddress(6, { lastError: "no public IPv6 address on eth0", failingSince: "2025-01-02T03:04:06.000Z" });
  f.status.setRecord({ target: "cloudflare", name: "example.com", type: "A" }, { state: "ok", content: "203.0.113.7", lastChange: "2025-01-02T03:05:01.000Z" });
  f.status.setRecord({ target: "cloudflare", name: "example.com", type: "AAAA" }, { state: "failing", lastError: "Cloudflare refused the token ([REDACTED]); check DDNS_PROVIDER_API_TOKEN" });
  f.status.roundDone();
  return f;
}

describe("GET /status", () => {
  it("answers the documented JSON shape", async () => {
    const res = await settledFixture().app.request("/status");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({
      version: VERSION,
      runtime: "bun",
      startedAt: new Date(START_MS).toISOString(),
      lastRoundAt: new Date(START_MS).toISOString(),
      rounds: 1,
      addresses: {
        ipv4: { address: "203.0.113.7", detectedAt: "2025-01-02T03:05:00.000Z", source: "http https://ip.example/trace", lastError: null, failingSince: null, available: true, required: true },
        ipv6: { address: null, detectedAt: null, source: null, lastError: "no public IPv6 address on eth0", failingSince: "2025-01-02T03:04:06.000Z", available: false, required: true },
      },
      records: [
        { target: "cloudflare", name: "example.com", type: "A", content: "203.0.113.7", state: "ok", lastChange: "2025-01-02T03:05:01.000Z", lastError: null, managed: true },
        { target: "cloudflare", name: "example.com", type: "AAAA", content: null, state: "failing", lastChange: null, lastError: "Cloudflare refused the token ([REDACTED]); check DDNS_PROVIDER_API_TOKEN", managed: true },
      ],
      targets: [{ target: "cloudflare", managed: 2, notOwned: 0 }],
      history: [],
    });
  });

  it("carries the history newest first, times in ISO 8601 and families by name", async () => {
    const f = settledFixture();
    f.status.history.add({ at: START_MS + 1000, kind: "address", family: 4, from: null, to: "203.0.113.7", source: "http https://ip.example/trace" });
    f.status.history.add({ at: START_MS + 2000, kind: "record", target: "cloudflare", name: "example.com", type: "A", from: null, to: "203.0.113.7", result: "created", error: null });
    f.status.history.add({ at: START_MS + 3000, kind: "record", target: "cloudflare", name: "example.com", type: "AAAA", from: null, to: "2001:db8::7", result: "failed", error: "Cloudflare refused the token" });
    const body = (await (await f.app.request("/status")).json()) as { history: unknown[] };
    expect(body.history).toEqual([
      { at: "2025-01-02T03:04:08.000Z", kind: "record", target: "cloudflare", name: "example.com", type: "AAAA", from: null, to: "2001:db8::7", result: "failed", error: "Cloudflare refused the token" },
      { at: "2025-01-02T03:04:07.000Z", kind: "record", target: "cloudflare", name: "example.com", type: "A", from: null, to: "203.0.113.7", result: "created", error: null },
      { at: "2025-01-02T03:04:06.000Z", kind: "address", family: "ipv4", from: null, to: "203.0.113.7", source: "http https://ip.example/trace" },
    ]);
  });

  it("passes every text through the daemon's redactor, the history's too", async () => {
    const f = settledFixture();
    f.status.setRecord({ target: "cloudflare", name: "example.com", type: "AAAA" }, { lastError: `refused ${SECRET}` });
    f.status.history.add({ at: START_MS, kind: "record", target: "cloudflare", name: "example.com", type: "AAAA", from: null, to: "2001:db8::7", result: "failed", error: `refused ${SECRET}` });
    const app = createApp({ status: f.status, metrics: f.metrics, version: VERSION, runtime: "bun", now: () => START_MS, redact: createRedactor([SECRET]) });
    const text = await (await app.request("/status")).text();
    expect(text).not.toContain(SECRET);
    const body = JSON.parse(text) as { records: Array<{ lastError: string | null }>; history: Array<{ error: string }> };
    expect({ record: body.records[1]!.lastError, history: body.history[0]!.error }).toEqual({ record: "refused [REDACTED]", history: "refused [REDACTED]" });
  });

  it("lists only the families the daemon manages", async () => {
    const f = createFixture({ families: [6] });
    const body = (await (await f.app.request("/status")).json()) as { addresses: object };
    expect(Object.keys(body.addresses)).toEqual(["ipv6"]);
  });

  it("copies fields one by one, so an internal field added to the board never reaches the network", async () => {
    const f = settledFixture();
    const snapshot = f.status.snapshot;
    f.status.snapshot = () => {
      const s = snapshot();
      return { ...s, internalToken: SECRET, records: s.records.map((r) => ({ ...r, debug: SECRET })) };
    };
    expect(await (await f.app.request("/status")).text()).not.toContain(SECRET);
  });
});

describe("nothing secret in any answer", () => {
  const saved = process.env.DDNS_PROVIDER_API_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.DDNS_PROVIDER_API_TOKEN;
    else process.env.DDNS_PROVIDER_API_TOKEN = saved;
  });

  it.each([
    { name: "healthz", path: "/healthz" },
    { name: "readyz", path: "/readyz" },
    { name: "metrics", path: "/metrics" },
    { name: "status", path: "/status" },
    { name: "an unknown path", path: "/.env" },
  ])("$name carries no secret from the environment and only the board's own words", async ({ path }) => {
    process.env.DDNS_PROVIDER_API_TOKEN = SECRET;
    const f = settledFixture();
    exerciseMetrics(f.metrics, ["example.com"]);
    const res = await f.app.request(path);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect([...res.headers.values()].join("\n")).not.toContain(SECRET);
    if (path === "/readyz") expect(text).toBe(f.status.readiness().reason);
    if (path === "/status") {
      const allowed = new Set([...stringLeaves(f.status.snapshot()), VERSION, "bun"]);
      expect(stringLeaves(JSON.parse(text)).filter((s) => !allowed.has(s))).toEqual([]);
    }
  });

  it.each([
    { name: "status", path: "/status", fail: "snapshot" as const },
    { name: "healthz", path: "/healthz", fail: "health" as const },
    { name: "metrics", path: "/metrics", fail: "render" as const },
  ])("answers a bare 500 when $name throws, without the error's message", async ({ path, fail }) => {
    const f = createFixture();
    const boom = () => {
      throw new Error(`request to https://api.example/?token=${SECRET} failed`);
    };
    if (fail === "render") f.metrics.registry.render = boom;
    else f.status[fail] = boom;
    const app = createApp({ status: f.status, metrics: f.metrics, version: VERSION, runtime: "bun", now: () => START_MS });
    const res = await app.request(path);
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 500, body: "internal error" });
  });
});
