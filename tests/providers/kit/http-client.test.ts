import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createHttpClient, type HttpClientOptions } from "../../../src/providers/kit/http-client.ts";
import type { HttpFailure, HttpMethod } from "../../../src/providers/kit/http-types.ts";
import { deadPort } from "../../fakes/cloudflare/provider-harness.ts";
import { brokenOffResponse, resetResponse } from "../../fakes/hostile-bodies.ts";
import { serveRoutes, type RoutesServer } from "../../fakes/routes-server.ts";

/** The kit's HTTP client against a real server on a loopback port: what each kind of answer becomes. */
const TOKEN = "kit-token-0123456789abcdefghij";
const HTML = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";

let server: RoutesServer;
beforeAll(() => {
  server = serveRoutes({
    "/json": () => Response.json({ hello: "world" }),
    "/text": () => new Response("good 203.0.113.1\n", { headers: { "Content-Type": "text/plain" } }),
    "/empty": () => new Response(null, { status: 204 }),
    "/html-502": () => new Response(HTML, { status: 502, headers: { "Content-Type": "text/html" } }),
    "/html-200": () => new Response(HTML),
    "/not-json": () => new Response('{"success": tru', { headers: { "Content-Type": "application/json" } }),
    "/error-json": () => Response.json({ error: "Backend error: database is locked" }, { status: 500 }),
    "/error-text": () => new Response("zone not found\n", { status: 404 }),
    "/429": () => new Response("slow down", { status: 429, headers: { "Retry-After": "7" } }),
    "/429-date": () => new Response("slow down", { status: 429, headers: { "Retry-After": new Date(Date.now() + 30_000).toUTCString() } }),
    "/echo": (req) => Response.json({ errors: [{ message: `Invalid format for Authorization header: ${req.headers.get("authorization")}` }] }, { status: 400 }),
    "/echo-text": (req) => new Response(`you sent ${req.headers.get("authorization")}`, { status: 400 }),
    "/reset": () => resetResponse(),
    "/broken": () => brokenOffResponse('{"result": ['),
    "/hang": () => new Promise<Response>(() => {}),
  });
});
afterAll(() => server.stop());

function client(over: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    fetch: globalThis.fetch,
    baseUrl: `${server.origin}/`,
    userAgent: "ddnsd-test/1",
    timeoutMs: 2_000,
    headers: { Authorization: `Bearer ${TOKEN}` },
    secrets: [TOKEN],
    now: Date.now,
    ...over,
  });
}

const signal = () => AbortSignal.timeout(10_000);

describe("kit HTTP client: successful answers", () => {
  it("parses a JSON answer and sends the User-Agent, the credentials, Accept and Accept-Encoding: identity", async () => {
    const result = await client().json("/json", { signal: signal(), query: { page: 2, name: "example.com", skip: undefined } });
    expect(result).toMatchObject({ ok: true, status: 200, json: { hello: "world" } });
    const sent = server.seen.at(-1)!;
    expect(sent.path).toBe("/json?page=2&name=example.com");
    expect(Object.fromEntries(["user-agent", "authorization", "accept", "accept-encoding"].map((h) => [h, sent.headers.get(h)]))).toEqual({
      "user-agent": "ddnsd-test/1",
      authorization: `Bearer ${TOKEN}`,
      accept: "application/json",
      "accept-encoding": "identity",
    });
  });

  it("sends a JSON body with its Content-Type", async () => {
    await client().json("/json", { method: "PATCH", body: { content: "203.0.113.1" }, signal: signal() });
    const sent = server.seen.at(-1)!;
    expect({ method: sent.method, body: sent.body, type: sent.headers.get("content-type") }).toEqual({ method: "PATCH", body: '{"content":"203.0.113.1"}', type: "application/json" });
  });

  it.each([
    { name: "a text answer", path: "/text", mode: "text" as const, expected: { ok: true, status: 200, text: "good 203.0.113.1\n" } },
    { name: "an empty 204 as JSON", path: "/empty", mode: "json" as const, expected: { ok: true, status: 204, json: undefined } },
  ])("$name", async ({ path, mode, expected }) => {
    const c = client();
    const result = mode === "text" ? await c.text(path, { signal: signal() }) : await c.json(path, { signal: signal() });
    expect(result).toMatchObject(expected);
  });
});

const failureOf = async (path: string, method: HttpMethod = "GET", mode: "json" | "text" = "json", over: Partial<HttpClientOptions> = {}): Promise<HttpFailure> => {
  const c = client(over);
  const result = mode === "json" ? await c.json(path, { method, signal: signal() }) : await c.text(path, { method, signal: signal() });
  if (result.ok) throw new Error(`expected a failure from ${path}`);
  return result.failure;
};

describe("kit HTTP client: answers that are failures", () => {
  it.each([
    { name: "an HTML error page", path: "/html-502", method: "GET" as const, expected: { reason: "html", status: 502, mayHaveArrived: false } },
    { name: "an HTML error page answering a write", path: "/html-502", method: "PATCH" as const, expected: { reason: "html", status: 502, mayHaveArrived: true } },
    { name: "an HTML page with HTTP 200 (a captive portal)", path: "/html-200", method: "GET" as const, expected: { reason: "html", status: 200 } },
    { name: "a 2xx body that is not JSON", path: "/not-json", method: "POST" as const, expected: { reason: "invalid-json", status: 200, body: '{"success": tru', mayHaveArrived: true } },
    { name: "a JSON error body", path: "/error-json", method: "GET" as const, expected: { reason: "http", status: 500, json: { error: "Backend error: database is locked" } } },
    { name: "a 5xx answering a write", path: "/error-json", method: "PATCH" as const, expected: { reason: "http", status: 500, mayHaveArrived: true } },
    { name: "a 4xx text error", path: "/error-text", method: "PATCH" as const, expected: { reason: "http", status: 404, body: "zone not found\n", mayHaveArrived: false } },
    { name: "a 429 with Retry-After in seconds", path: "/429", method: "GET" as const, expected: { reason: "http", status: 429, retryAfterMs: 7000, body: "slow down" } },
  ])("$name", async ({ path, method, expected }) => {
    expect(await failureOf(path, method)).toMatchObject({ method, url: `${server.origin}${path}`, ...expected });
  });

  it("reads Retry-After given as an HTTP date", async () => {
    const failure = await failureOf("/429-date");
    expect(failure.retryAfterMs).toBeGreaterThan(25_000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it.each([
    { name: "JSON", mode: "json" as const, path: "/echo" },
    { name: "text", mode: "text" as const, path: "/echo-text" },
  ])("redacts a token the service echoes ($name) before anything can shorten it", async ({ mode, path }) => {
    const failure = await failureOf(path, "GET", mode);
    expect(JSON.stringify(failure)).not.toContain(TOKEN.slice(0, 12));
    expect(failure.body).toContain("Bearer [REDACTED]");
    if (mode === "json") expect(failure.json).toEqual({ errors: [{ message: "Invalid format for Authorization header: Bearer [REDACTED]" }] });
  });
});

describe("kit HTTP client: transport failures", () => {
  it.each([
    { name: "connection refused before a read", method: "GET" as const, expected: { reason: "refused", mayHaveArrived: false } },
    { name: "connection refused before a write: nothing was sent", method: "PATCH" as const, expected: { reason: "refused", mayHaveArrived: false } },
  ])("$name", async ({ method, expected }) => {
    const origin = `http://127.0.0.1:${await deadPort()}`;
    expect(await failureOf(`${origin}/x`, method)).toMatchObject({ ...expected, url: `${origin}/x` });
  });

  it.each([
    { name: "a reset without an answer", path: "/reset", method: "GET" as const, expected: { reason: "network", reset: true, mayHaveArrived: false } },
    { name: "a reset answering a write", path: "/reset", method: "PATCH" as const, expected: { reason: "network", reset: true, mayHaveArrived: true } },
    { name: "a body that breaks off", path: "/broken", method: "GET" as const, expected: { reason: "network", status: 200 } },
  ])("$name", async ({ path, method, expected }) => {
    expect(await failureOf(path, method)).toMatchObject(expected);
  });

  it("times out a server that never answers, and a write's outcome is then unknown", async () => {
    const started = Date.now();
    const failure = await failureOf("/hang", "PATCH", "json", { timeoutMs: 300 });
    expect(failure).toMatchObject({ reason: "timeout", timeoutMs: 300, mayHaveArrived: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("stops at once when the caller aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutdown")), 100);
    const started = Date.now();
    const result = await client({ timeoutMs: 10_000 }).json("/hang", { signal: controller.signal });
    expect(result).toMatchObject({ ok: false, failure: { reason: "aborted" } });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("keeps URL queries and secrets out of a transport failure", async () => {
    const origin = `http://127.0.0.1:${await deadPort()}`;
    const failure = await failureOf(`${origin}/update?token=${TOKEN}&domains=home`, "GET", "text");
    expect(failure.url).toBe(`${origin}/update?…`);
    expect(JSON.stringify(failure)).not.toContain(TOKEN);
  });
});
