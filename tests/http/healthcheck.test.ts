import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { healthzUrl, runHealthcheck } from "../../src/cli/healthcheck.ts";
import { serveBun } from "../../src/runtime/serve-bun.ts";
import type { ServeHandle } from "../../src/http/serve-types.ts";
import { createFixture, type Fixture } from "./fixtures.ts";

/** `ddnsd healthcheck` against the real app served on loopback, and against nothing at all. */
const ROOT = new URL("../../", import.meta.url).pathname;
const DENO_CHILD = new URL("./fixtures/deno-child.ts", import.meta.url).pathname;

/** A port nothing listens on right now: bound, then released. */
async function closedPort(hostname: string): Promise<number> {
  const probe = await serveBun({ hostname, port: 0, fetch: () => new Response("") });
  await probe.close();
  return probe.port;
}

async function check(addr: { host: string; port: number } | undefined, timeoutMs?: number) {
  const lines: string[] = [];
  const started = performance.now();
  const code = await runHealthcheck({ addr, fetch: globalThis.fetch, write: (l) => lines.push(l), ...(timeoutMs ? { timeoutMs } : {}) });
  return { code, lines, ms: performance.now() - started };
}

describe("healthzUrl", () => {
  it.each([
    { name: "IPv4 loopback as is", host: "127.0.0.1", url: "http://127.0.0.1:8080/healthz" },
    { name: "the IPv4 wildcard as loopback", host: "0.0.0.0", url: "http://127.0.0.1:8080/healthz" },
    { name: "the IPv6 wildcard as loopback", host: "::", url: "http://[::1]:8080/healthz" },
    { name: "IPv6 loopback in brackets", host: "::1", url: "http://[::1]:8080/healthz" },
    { name: "an IPv6 address already in brackets once", host: "[fd00::5]", url: "http://[fd00::5]:8080/healthz" },
    { name: "a host name as is", host: "localhost", url: "http://localhost:8080/healthz" },
  ])("dials $name", ({ host, url }) => {
    expect(healthzUrl({ host, port: 8080 })).toBe(url);
  });
});

describe("runHealthcheck against a served daemon", () => {
  let fixture: Fixture;
  let v4: ServeHandle;
  let v6: ServeHandle;
  beforeAll(async () => {
    fixture = createFixture();
    v4 = await serveBun({ hostname: "127.0.0.1", port: 0, fetch: fixture.app.fetch });
    v6 = await serveBun({ hostname: "::1", port: 0, fetch: fixture.app.fetch });
  });
  afterAll(async () => {
    await Promise.all([v4.close(), v6.close()]);
  });

  it.each([
    { name: "IPv4 loopback", host: "127.0.0.1", family: 4 },
    { name: "the IPv4 wildcard, dialled on loopback", host: "0.0.0.0", family: 4 },
    { name: "IPv6 loopback", host: "::1", family: 6 },
    { name: "the IPv6 wildcard, dialled on ::1", host: "::", family: 6 },
  ])("exits 0 with one line when healthy on $name", async ({ host, family }) => {
    const result = await check({ host, port: family === 4 ? v4.port : v6.port });
    expect({ code: result.code, lines: result.lines }).toEqual({ code: 0, lines: ["healthy: ok"] });
  });

  it.each([
    { name: "healthy on IPv4", host: "0.0.0.0", family: 4, live: true, code: 0, line: "healthy: ok" },
    { name: "healthy on IPv6", host: "::", family: 6, live: true, code: 0, line: "healthy: ok" },
    { name: "nothing listening", host: "::1", family: 6, live: false, code: 1, line: "unhealthy: could not connect to http://[::1]:PORT/healthz (connection refused)" },
  ])("gives the same answer under Deno's fetch: $name", async ({ host, family, live, code, line }) => {
    const port = live ? (family === 4 ? v4.port : v6.port) : await closedPort("::1");
    const deno = Bun.which("deno");
    if (!deno) throw new Error("deno is not installed: this test needs Deno 2 on PATH");
    const child = Bun.spawn([deno, "run", "--quiet", "--no-prompt", "--allow-net", DENO_CHILD, JSON.stringify({ mode: "healthcheck", addr: { host, port } })], { cwd: ROOT, stdout: "pipe" });
    const [out, exit] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect({ code: exit, out }).toEqual({ code, out: `${line.replace("PORT", String(port))}\n` });
  }, 30_000);

  it("exits 1 with the daemon's reason when /healthz answers 503", async () => {
    fixture.advance(400_000);
    try {
      const result = await check({ host: "127.0.0.1", port: v4.port });
      expect({ code: result.code, lines: result.lines }).toEqual({ code: 1, lines: ["unhealthy: the update loop has made no progress for 400s"] });
    } finally {
      fixture.status.beat();
    }
  });
});

describe("runHealthcheck without a daemon", () => {
  it("exits 1 at once when nothing listens, naming the URL", async () => {
    const port = await closedPort("127.0.0.1");
    const result = await check({ host: "127.0.0.1", port });
    expect({ code: result.code, lines: result.lines }).toEqual({
      code: 1,
      lines: [`unhealthy: could not connect to http://127.0.0.1:${port}/healthz (connection refused)`],
    });
    expect(result.ms).toBeLessThan(3_000);
  });

  it.each([
    { name: "a short timeout", timeoutMs: 300, shown: "0.3s", atMostMs: 1_500 },
    { name: "the default 3 s timeout", timeoutMs: undefined, shown: "3s", atMostMs: 3_600 },
  ])("gives up on a listener that never answers within $name", async ({ timeoutMs, shown, atMostMs }) => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {}, open() {} } });
    try {
      const result = await check({ host: "127.0.0.1", port: silent.port }, timeoutMs);
      expect({ code: result.code, lines: result.lines }).toEqual({
        code: 1,
        lines: [`unhealthy: http://127.0.0.1:${silent.port}/healthz gave no answer within ${shown}`],
      });
      expect(result.ms).toBeGreaterThanOrEqual((timeoutMs ?? 3_000) - 50);
      expect(result.ms).toBeLessThan(atMostMs);
    } finally {
      silent.stop(true);
    }
  }, 10_000);

  it("exits 1 without dialling when the endpoint is off", async () => {
    let dialled = false;
    const lines: string[] = [];
    const code = await runHealthcheck({
      addr: undefined,
      fetch: async () => ((dialled = true), new Response("ok")),
      write: (l) => lines.push(l),
    });
    expect({ code, lines, dialled }).toEqual({ code: 1, lines: ["HTTP endpoint is disabled (DDNS_HTTP_ADDR=off)"], dialled: false });
  });

  it.each([
    { name: "a 404 from some other server", status: 404, body: "Not Found\n<html>", line: "unhealthy: HTTP 404 from URL: Not Found" },
    { name: "a 503 without a reason", status: 503, body: "", line: "unhealthy: HTTP 503 from URL" },
    { name: "a 500", status: 500, body: "internal error", line: "unhealthy: HTTP 500 from URL: internal error" },
  ])("exits 1 and says what answered for $name", async ({ status, body, line }) => {
    const other = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(body, { status }) });
    try {
      const result = await check({ host: "127.0.0.1", port: other.port! });
      expect({ code: result.code, lines: result.lines }).toEqual({ code: 1, lines: [line.replace("URL", `http://127.0.0.1:${other.port}/healthz`)] });
    } finally {
      await other.stop(true);
    }
  });
});
