import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createHttpSource } from "../../src/ip/http/http-source.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";

type Handler = (req: Request) => Response | Promise<Response>;
const routes: Record<string, Handler> = {
  "/good": () => new Response("203.0.113.50\n"),
  "/good-b": () => new Response("203.0.113.51\n"),
  "/trace": () => new Response("h=x\nip=198.51.100.7\n"),
  "/html": () => new Response("<html>nope</html>", { headers: { "content-type": "text/html" } }),
  "/private": () => new Response("10.1.2.3"),
  "/redirect": () => new Response(null, { status: 302, headers: { location: "/good" } }),
  "/huge": () => new Response("1".repeat(100_000)),
  "/500": () => new Response("oops", { status: 500 }),
  "/slow": async () => {
    await Bun.sleep(400);
    return new Response("203.0.113.60");
  },
  "/hang": () => new Promise<Response>(() => {}),
  "/v6": () => new Response("2001:db8::77"),
  "/gzip": () => new Response(Bun.gzipSync(new TextEncoder().encode(`203.0.113.70${" ".repeat(8192)}`)), { headers: { "Content-Encoding": "gzip" } }),
  "/echo": (req) => new Response(`the service refused the key: ${new URL(req.url).searchParams.get("key")}`),
  "/trickle": () => new Response(new ReadableStream({ async pull(c) { await Bun.sleep(100); c.enqueue(new TextEncoder().encode(" ")); } })),
};

let server: ReturnType<typeof Bun.serve>;
let base = "";
beforeAll(() => {
  server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => (routes[new URL(req.url).pathname] ?? (() => new Response("", { status: 404 })))(req) });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.stop(true));

function source(paths: readonly string[], extra: { hedgeDelayMs?: number; timeoutMs?: number } = {}) {
  const log = createMemoryLogger("debug");
  const urls = paths.map((p) => `${base}${p}`);
  const s = createHttpSource({ fetch, urls: { 4: urls, 6: urls }, allowPrivate: false, log, userAgent: "test", hedgeDelayMs: extra.hedgeDelayMs ?? 100, timeoutMs: extra.timeoutMs ?? 1000 });
  return { s, log };
}

describe("http IP source", () => {
  it.each([
    { name: "first endpoint answers", paths: ["/good", "/good-b"], address: "203.0.113.50", from: "/good" },
    { name: "trace format", paths: ["/trace"], address: "198.51.100.7", from: "/trace" },
    { name: "html is skipped", paths: ["/html", "/good"], address: "203.0.113.50", from: "/good" },
    { name: "private address is skipped", paths: ["/private", "/good"], address: "203.0.113.50", from: "/good" },
    { name: "redirects are not followed", paths: ["/redirect", "/good-b"], address: "203.0.113.51", from: "/good-b" },
    { name: "oversized body is refused", paths: ["/huge", "/good"], address: "203.0.113.50", from: "/good" },
    { name: "HTTP 500 is skipped", paths: ["/500", "/good"], address: "203.0.113.50", from: "/good" },
    { name: "a hanging endpoint is hedged", paths: ["/hang", "/good-b"], address: "203.0.113.51", from: "/good-b" },
  ])("$name", async ({ paths, address, from }) => {
    const { s } = source(paths);
    const d = await s.detect(4, AbortSignal.timeout(5000));
    expect(d).toEqual({ ok: true, family: 4, address, source: `${base}${from}` });
  });

  it("logs garbage with the endpoint's URL at debug only: a warning per endpoint per round would flood the log", async () => {
    const { s, log } = source(["/html", "/good"]);
    await s.detect(4, AbortSignal.timeout(5000));
    expect(log.lines).toContain(`DEBUG IP endpoint "${base}/html" gave no usable IPv4 address: "<html>nope</html>" is not an IP address`);
    expect(log.lines.filter((l) => l.startsWith("WARN"))).toEqual([]);
  });

  it("hedging starts the next endpoint while a slow one is still pending, and the faster wins", async () => {
    const { s } = source(["/slow", "/good-b"], { hedgeDelayMs: 50 });
    const started = performance.now();
    const d = await s.detect(4, AbortSignal.timeout(5000));
    expect(d).toMatchObject({ ok: true, address: "203.0.113.51" });
    expect(performance.now() - started).toBeLessThan(390);
  });

  it("fails the family when no endpoint gives a usable address, saying what each one answered", async () => {
    const { s, log } = source(["/html", "/500", "/hang"], { timeoutMs: 300 });
    const d = await s.detect(4, AbortSignal.timeout(5000));
    // The failed detection carries every endpoint's reason: it is what the engine logs once and /status shows.
    expect(d).toEqual({
      ok: false,
      family: 4,
      error: `no endpoint gave a usable IPv4 address ("${base}/html": "<html>nope</html>" is not an IP address; "${base}/500": answered HTTP 500; "${base}/hang": did not answer within 0.3s)`,
    });
    expect(log.lines).toContain(`DEBUG IP endpoint "${base}/hang" gave no usable IPv4 address: did not answer within 0.3s`);
  });

  it("rejects an answer of the wrong family", async () => {
    const { s } = source(["/v6"]);
    expect(await s.detect(4, AbortSignal.timeout(5000))).toMatchObject({ ok: false });
    expect(await s.detect(6, AbortSignal.timeout(5000))).toMatchObject({ ok: true, address: "2001:db8::77" });
  });

  it.each([
    { name: "a compressed answer, refused unread (it could inflate to anything)", path: "/gzip", reason: 'sent a compressed answer (Content-Encoding "gzip") although ddnsd asked for none' },
  ])("skips $name", async ({ path, reason }) => {
    const { s, log } = source([path, "/good"], { timeoutMs: 300 });
    expect(await s.detect(4, AbortSignal.timeout(5000))).toMatchObject({ ok: true, address: "203.0.113.50" });
    expect(log.lines).toContain(`DEBUG IP endpoint "${base}${path}" gave no usable IPv4 address: ${reason}`);
  });

  it("gives up on an answer that trickles in, within the request's timeout", async () => {
    const { s, log } = source(["/trickle"], { timeoutMs: 300 });
    expect(await s.detect(4, AbortSignal.timeout(5000))).toMatchObject({ ok: false });
    expect(log.lines).toContain(`DEBUG IP endpoint "${base}/trickle" gave no usable IPv4 address: did not finish its answer within 0.3s`);
  });

  it("asks for an uncompressed answer", async () => {
    let asked = null as string | null;
    const spy: typeof fetch = Object.assign((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      asked = new Headers(init?.headers).get("accept-encoding");
      return fetch(input, init);
    }, { preconnect: fetch.preconnect });
    const s = createHttpSource({ fetch: spy, urls: { 4: [`${base}/good`], 6: [] }, allowPrivate: false, log: createMemoryLogger(), userAgent: "test" });
    await s.detect(4, AbortSignal.timeout(5000));
    expect(asked).toBe("identity");
  });

  it("never shows an endpoint's query, which may hold a key", async () => {
    const key = "ipkey-0123456789abcdef";
    const log = createMemoryLogger();
    const s = createHttpSource({ fetch, urls: { 4: [`${base}/html?key=${key}`, `${base}/good?key=${key}`], 6: [] }, allowPrivate: false, log, userAgent: "test" });
    expect(await s.detect(4, AbortSignal.timeout(5000))).toEqual({ ok: true, family: 4, address: "203.0.113.50", source: `${base}/good?…` });
    expect(log.lines).toContain(`DEBUG IP endpoint "${base}/html?…" gave no usable IPv4 address: "<html>nope</html>" is not an IP address`);
    expect(log.lines.join("\n")).not.toContain(key);
  });

  it("redacts a key the endpoint echoes before the answer is quoted and shortened", async () => {
    const key = "ipkey-0123456789abcdef";
    const log = createMemoryLogger("trace", [key]);
    const s = createHttpSource({ fetch, urls: { 4: [`${base}/echo?key=${key}`], 6: [] }, allowPrivate: false, log, userAgent: "test" });
    expect(await s.detect(4, AbortSignal.timeout(5000))).toMatchObject({ ok: false });
    const pieces = Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8));
    expect(pieces.filter((p) => log.lines.join("\n").includes(p))).toEqual([]);
    expect(log.lines.join("\n")).toContain('"the service refused the key: [REDACTED]"');
  });

  it("stops when the round is aborted", async () => {
    const { s } = source(["/hang"], { timeoutMs: 10_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    expect(await s.detect(4, abort.signal)).toEqual({ ok: false, family: 4, error: "detection was cancelled" });
  });
});
