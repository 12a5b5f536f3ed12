import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { createHttpClient } from "../../../src/providers/kit/http-client.ts";
import { bombResponse, compressedZeros, endlessResponse, trickleResponse, type BombEncoding } from "../../fakes/hostile-bodies.ts";
import { serveRoutes, type RoutesServer } from "../../fakes/routes-server.ts";

/**
 * Bodies that must not cost memory: huge, endless, trickling, and compressed (bombs). The cap counts bytes while
 * they stream; compressed bodies are refused from their headers, so nothing inflates.
 */
const CAP = 64 * 1024;
let endlessSent: () => number = () => 0;

let server: RoutesServer;
beforeAll(async () => {
  await Promise.all([compressedZeros("gzip", 1024), compressedZeros("deflate", 256), compressedZeros("br", 16), compressedZeros("zstd", 256)]);
  server = serveRoutes({
    "/exactly-cap": () => new Response("x".repeat(CAP)),
    "/cap-plus-one": () => new Response("x".repeat(CAP + 1)),
    "/huge-announced": () => new Response("x".repeat(4 * CAP)),
    "/huge-chunked": () => new Response(new ReadableStream({ start(c) { for (let i = 0; i < 8; i++) c.enqueue(new Uint8Array(CAP / 2).fill(120)); c.close(); } })),
    "/endless": () => {
      const e = endlessResponse();
      endlessSent = e.sent;
      return e.response;
    },
    "/trickle": () => trickleResponse('{"result": []}', 50),
    "/bomb": (_req, url) => bombResponse((url.searchParams.get("e") ?? "gzip") as BombEncoding, Number(url.searchParams.get("mib") ?? 16)),
    "/gzip-small": async () => new Response(Bun.gzipSync(new TextEncoder().encode('{"ok": true}')), { headers: { "Content-Encoding": "gzip" } }),
    "/identity": () => new Response('{"ok": true}', { headers: { "Content-Encoding": "identity" } }),
  });
});
afterAll(() => server.stop());

const client = (timeoutMs = 5_000) =>
  createHttpClient({ fetch: globalThis.fetch, baseUrl: server.origin, userAgent: "ddnsd-test/1", timeoutMs, maxBytes: CAP, now: Date.now });
const signal = () => AbortSignal.timeout(30_000);
const hwmKiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0);

describe("kit HTTP client: the byte cap", () => {
  it.each([
    { name: "a body of exactly the cap is read", path: "/exactly-cap", ok: true },
    { name: "one byte more is refused", path: "/cap-plus-one", ok: false },
    { name: "a larger Content-Length is refused before reading", path: "/huge-announced", ok: false },
    { name: "a chunked body without a length is stopped when it passes the cap", path: "/huge-chunked", ok: false },
  ])("$name", async ({ path, ok }) => {
    const result = await client().text(path, { signal: signal() });
    if (ok) expect(result).toMatchObject({ ok: true, status: 200 });
    else expect(result).toMatchObject({ ok: false, failure: { reason: "too-large", limit: CAP, status: 200, mayHaveArrived: false } });
  });

  it("stops reading an endless body at the cap and closes the connection", async () => {
    const before = hwmKiB();
    const result = await client().json("/endless", { method: "POST", signal: signal() });
    expect(result).toMatchObject({ ok: false, failure: { reason: "too-large", mayHaveArrived: true } });
    await Bun.sleep(100);
    const handedOut = endlessSent();
    await Bun.sleep(300);
    // Only what socket buffers held was ever produced, and nothing more once the client hung up.
    expect(endlessSent()).toBe(handedOut);
    expect(handedOut).toBeLessThan(32 * 1024 * 1024);
    expect(hwmKiB() - before).toBeLessThan(32 * 1024);
  });

  it("times out a body that trickles in, whatever its size", async () => {
    const started = Date.now();
    const result = await client(400).json("/trickle", { signal: signal() });
    expect(result).toMatchObject({ ok: false, failure: { reason: "timeout", status: 200, timeoutMs: 400 } });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("kit HTTP client: compressed answers are refused, so no bomb inflates", () => {
  it.each([
    { name: "a 1 GiB gzip bomb", encoding: "gzip", mib: 1024 },
    { name: "a deflate bomb", encoding: "deflate", mib: 256 },
    { name: "a brotli bomb", encoding: "br", mib: 16 },
    { name: "a zstd bomb", encoding: "zstd", mib: 256 },
  ])("$name", async ({ encoding, mib }) => {
    const before = hwmKiB();
    const started = Date.now();
    const result = await client().json(`/bomb?e=${encoding}&mib=${mib}`, { signal: signal() });
    expect(result).toMatchObject({ ok: false, failure: { reason: "encoding", encoding, status: 200 } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(hwmKiB() - before).toBeLessThan(32 * 1024);
  });

  it("refuses even a small gzip answer: ddnsd asked for identity", async () => {
    expect(await client().json("/gzip-small", { signal: signal() })).toMatchObject({ ok: false, failure: { reason: "encoding", encoding: "gzip" } });
  });

  it("accepts Content-Encoding: identity", async () => {
    expect(await client().json("/identity", { signal: signal() })).toMatchObject({ ok: true, json: { ok: true } });
  });
});
